"""Importer for PETRARCH / Phoenix (TABARI-format) actor and agent dictionaries.

Actor files hold entries like

    HOJATOLISLAM_SAYYED_ALI_KHAMENEI_  # comment
    +KHAMENEI                               (a synonym)
        [IRNGOV 890604-]                    (a code, optionally date-ranged)

Codes may be undated (`[SYRGOV]`), open-ended (`[IRNGOV >130803]`, `[IRNGOV <130803]`) or
ranged (`[AFGGOV 060601-081231]`, yymmdd). Agent files map common nouns to sector codes
(`FARMER [~AGR]`) with `!MACRO! = A, B` expansions. Malformed lines are counted, never fatal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.records import Actor, Affiliation

_CODE = re.compile(r"\[([A-Z~]{3,}[A-Z~]*)(?:\s+([<>]?\d{6,8})?(?:-(\d{6,8})?)?)?\s*\]")
_ENTRY = re.compile(r"^([^\s#\[+][^#\[]*?)\s*(\[.*?\])?\s*(#.*)?$")
SECTOR_KINDS = {"GOV": "government", "MIL": "military", "SPY": "military", "COP": "military", "REB": "armed_group",
                "INS": "armed_group", "OPP": "party", "PTY": "party", "MED": "media", "IGO": "igo", "NGO": "ngo",
                "CVL": "population", "REF": "population", "REL": "population", "BUS": "unknown", "JUD": "government",
                "LEG": "government", "ELI": "person"}


@dataclass
class ImportReport:
    actors: int = 0
    synonyms: int = 0
    codes: int = 0
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)


def _date(raw: str | None) -> str | None:
    """yymmdd (or yyyymmdd) -> ISO date; two-digit years pivot at 50 like the dictionaries."""
    if not raw:
        return None
    raw = raw.lstrip("<>")
    if len(raw) == 8 and raw[:2] in ("19", "20"):
        y, m, d = raw[:4], raw[4:6], raw[6:8]
    elif len(raw) == 6:
        yy = int(raw[:2])
        y, m, d = str(1900 + yy if yy >= 50 else 2000 + yy), raw[2:4], raw[4:6]
    else:
        return None
    if not ("01" <= m <= "12" and "01" <= d <= "31"):
        return None
    return f"{y}-{m}-{d}"


def _name(token: str) -> str:
    words = token.strip().strip("_").replace("_", " ").split()
    # Dictionaries are upper case: short vowel-less tokens are acronyms (US, UK), the rest names.
    return " ".join(w if (len(w) <= 2 or not re.search(r"[AEIOUY]", w)) and w.isalpha() else w.capitalize()
                    for w in words)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def _codes(text: str) -> list[tuple[str, str | None, str | None]]:
    out = []
    for m in _CODE.finditer(text):
        code, start, end = m.group(1), m.group(2), m.group(3)
        if start and start.startswith("<"):
            start, end = None, start[1:]
        out.append((code, _date(start), _date(end)))
    return out


def _kind(code: str, file_kind: str) -> str:
    if len(code) == 3 and code.isalpha():
        return "state"
    prefix = {"IGO": "igo", "NGO": "ngo", "IMG": "armed_group"}.get(code[:3])
    if prefix:
        return prefix
    for sector, kind in SECTOR_KINDS.items():
        if sector in code[3:]:
            return kind
    return "person" if file_kind == "countries" else "unknown"


def _finish(entry: dict, file_kind: str, origin: str) -> Actor:
    codes = entry["codes"]
    undated = [c for c, s, e in codes if not s and not e]
    main = (undated or [c for c, _s, _e in codes] or [None])[-1]
    dated = len(codes) > 1 or any(s or e for _c, s, e in codes)
    kind = "person" if file_kind == "countries" and dated else _kind(main or "", file_kind)
    country = main[:3] if main and main[:3].isalpha() and main[:3] not in ("IGO", "NGO", "INT", "IMG") else None
    affs = [Affiliation(type="coded_as", target=f"code:{c}", start=s, end=e) for c, s, e in codes]
    return Actor(id=f"phx-{_slug(entry['name'])}", name=entry["name"], kind=kind, country=country,
                 code=main.replace("~", "") if main else None, aliases={"en": entry["aliases"]},
                 affiliations=affs, origin=origin, confidence=0.9)


def parse_actors(lines: Iterable[str], file_kind: str = "actors", origin: str = "import:phoenix",
                 report: ImportReport | None = None) -> Iterator[Actor]:
    report = report or ImportReport()
    entry: dict | None = None
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("+"):
            if entry is None:
                report.skipped_lines.append((n, "synonym before any entry"))
                continue
            alias = _name(stripped[1:].split("#")[0])
            if alias and alias not in entry["aliases"]:
                entry["aliases"].append(alias)
                report.synonyms += 1
            continue
        if stripped.startswith("["):
            if entry is None:
                report.skipped_lines.append((n, "code before any entry"))
                continue
            found = _codes(stripped)
            entry["codes"] += found
            report.codes += len(found)
            continue
        if line[:1].isspace():
            report.skipped_lines.append((n, "indented line that is not a code"))
            continue
        m = _ENTRY.match(stripped)
        if m is None or not m.group(1).strip("_ "):
            report.skipped_lines.append((n, "unreadable entry"))
            continue
        if entry is not None:
            report.actors += 1
            yield _finish(entry, file_kind, origin)
        name = _name(m.group(1))
        found = _codes(m.group(2) or "")
        report.codes += len(found)
        entry = {"name": name, "aliases": [name], "codes": found}
    if entry is not None:
        report.actors += 1
        yield _finish(entry, file_kind, origin)


def parse_agents(lines: Iterable[str], report: ImportReport | None = None) -> Iterator[tuple[str, str]]:
    """(noun phrase, sector code) pairs from an agents dictionary, with macros expanded."""
    report = report or ImportReport()
    macros: dict[str, list[str]] = {}
    for n, raw in enumerate(lines, start=1):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            macros[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        m = re.match(r"^(.+?)\s*\[([~A-Z]+)\]", line)
        if not m:
            report.skipped_lines.append((n, "unreadable agent line"))
            continue
        phrase, code = m.group(1).strip(), m.group(2).replace("~", "")
        variants = [phrase]
        for macro, words in macros.items():
            if macro in phrase:
                variants = [v.replace(macro, w) for v in variants for w in words]
        for v in variants:
            report.actors += 1
            yield v.replace("_", " ").strip().lower(), code


def file_kind(path: Path) -> str:
    name = path.name.lower()
    if "countries" in name or "countryinfo" in name:
        return "countries"
    if "agent" in name:
        return "agents"
    return "actors"


def read(path: Path, report: ImportReport) -> Iterator[Actor]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        yield from parse_actors(fh, file_kind(path), report=report)
