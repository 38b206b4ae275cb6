"""Nouns that name a kind of person or group by its CAMEO sector ("teacher" EDU, "policeman"
COP, "villager" CVL, "gunman" UAF), converted from PETRARCH-2's agents dictionary
(Phoenix.agents.txt, MIT; data/lexicons/NOTICE.cameo) by `convert` and shipped as
data/lexicons/cameo_agents.json: the field's list of some 2,300 agent phrases instead of a
hand list of the words our dev sentences used.

The events stage reads it to tell what a casualty count counts ("killing two teachers"), who
an unnamed victim or attacker is, and ACLED's actor type of a word nobody resolved.

    python -m sitroom.nlp.events.agent_nouns ../shared/data/actor_dicts/Phoenix.agents.txt \
        sitroom/data/lexicons/cameo_agents.json
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

ENTRY = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plurals>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]")
MACRO = re.compile(r"^!(?P<name>\w+)!\s*=\s*(?P<forms>.+)$")


def _plural(word: str) -> str:
    """PETRARCH's regular plural: +S, Y → IES, SS → SSES."""
    if word.endswith("ss"):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def _sector(code: str) -> str | None:
    """The first sector of an agent code ("~GOVMIL" → GOV; "NGO~" → NGO)."""
    code = code.strip().strip("~").strip()
    return code[:3] if len(code) >= 3 and code[:3].isalpha() else None


def _forms(phrase: str, plurals: str | None, macros: dict[str, list[str]]) -> list[str]:
    """The lower-cased forms of one entry: the phrase, its macro expansions, its plural (regular
    unless given in braces; none for a null brace or a trailing "_")."""
    no_plural = phrase.endswith("_") or (plurals is not None and not plurals.strip())
    phrase = phrase.strip("_ ")
    bases = [phrase]
    for name, forms in macros.items():
        if f"!{name}!" in phrase:  # expansions take no further plural
            return [phrase.replace(f"!{name}!", f).replace("_", " ").lower() for f in forms]
    out = [b.replace("_", " ").lower() for b in bases]
    if plurals and plurals.strip():
        out += [p.strip("_ ").replace("_", " ").lower() for p in plurals.split() if p.strip("_ ")]
    elif not no_plural:
        out += [_plural(out[0])]
    return out


def convert(text: str) -> tuple[dict[str, str], Counter[str]]:
    """(phrase → sector, count of what was converted and what was skipped and why)."""
    macros: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    stats: Counter[str] = Counter()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = MACRO.match(line)
        if m:
            macros[m.group("name")] = [f.strip() for f in m.group("forms").split(",") if f.strip()]
            stats["macros"] += 1
            continue
        e = ENTRY.match(line)
        sector = _sector(e.group("code")) if e else None
        if e is None or sector is None:
            stats["skipped: no agent code"] += 1
            continue
        phrase = e.group("phrase").strip()
        if " " in phrase:  # words may fall between; kept as the contiguous phrase only
            stats["gapped phrases kept contiguous"] += 1
            phrase = re.sub(r"\s+", "_", phrase)
        stats["entries"] += 1
        for form in _forms(phrase, e.group("plurals"), macros):
            out.setdefault(form, sector)  # the first entry of a form wins, as in PETRARCH
    stats["forms"] = len(out)
    return out, stats


@cache
def table() -> dict[str, str]:
    """The shipped phrase → sector table."""
    raw = (resources.files("sitroom") / "data" / "lexicons" / "cameo_agents.json.gz").read_bytes()
    return dict(json.loads(gzip.decompress(raw).decode("utf-8"))["agents"])


@cache
def longest() -> int:
    return max(len(p.split()) for p in table())


def sector_of(words: list[str]) -> str | None:
    """The sector of the longest known agent phrase ending a run of lower-cased words
    ("aid workers" → LAB via "workers", "riot police" → COP)."""
    agents = table()
    for n in range(min(len(words), longest()), 0, -1):
        found = agents.get(" ".join(words[-n:]))
        if found is not None:
            return found
    return None


def main(argv: list[str]) -> int:
    src, dst = Path(argv[0]), Path(argv[1])
    agents, stats = convert(src.read_text("utf-8", errors="replace"))
    payload = {"source": "PETRARCH-2 Phoenix.agents.txt (MIT), converted by sitroom.nlp.events.agent_nouns",
               "agents": dict(sorted(agents.items()))}
    dst.write_bytes(gzip.compress(json.dumps(payload, separators=(",", ":")).encode("utf-8"), mtime=0))
    for key, n in sorted(stats.items()):
        print(f"{key}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
