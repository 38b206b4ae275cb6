"""Importer for PETRARCH / Phoenix (TABARI-format) actor dictionaries.

Actor files hold entries like

    HOJATOLISLAM_SAYYED_ALI_KHAMENEI_  # comment
    +KHAMENEI                               (a synonym)
        [IRNGOV 890604-]                    (a code, optionally date-ranged)

Codes may be undated (`[SYRGOV]`), open-ended (`[IRNGOV >130803]`, `[IRNGOV <130803]`) or
ranged (`[AFGGOV 060601-081231]`, yymmdd). Malformed lines are counted, never fatal. The
agents dictionary (common nouns to sector codes, `FARMER [~AGR]`) has its one reader in
`sitroom.nlp.events.agent_nouns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from pathlib import Path

from sitroom.records import Actor, Affiliation

_CODE = re.compile(r"\[([A-Z~]{3,}[A-Z~]*)(?:\s+([<>]?\d{6,8})?(?:-(\d{6,8})?)?)?\s*\]")
_ENTRY = re.compile(r"^([^\s#\[+][^#\[]*?)\s*(\[.*?\])?\s*(#.*)?$")
SECTOR_KINDS = {"GOV": "government", "MIL": "military", "SPY": "military", "COP": "military", "REB": "armed_group",
                "INS": "armed_group", "OPP": "party", "PTY": "party", "MED": "media", "IGO": "igo", "NGO": "ngo",
                "CVL": "population", "REF": "population", "REL": "population", "BUS": "unknown", "JUD": "government",
                "LEG": "government", "ELI": "person"}


_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "of", "de", "da", "di",
                        "do", "dos", "das", "du", "del", "della", "la", "le", "van", "von", "der", "den", "y", "and"})


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
    # Dictionaries are upper case: name particles are lower case (Ahmed al Tayeb, Secretary of
    # State), short or vowel-less tokens acronyms (US, UK), the rest names.
    return " ".join(w.lower() if i and w.lower() in _PARTICLES
                    else w if (len(w) <= 2 or not re.search(r"[AEIOUY]", w)) and w.isalpha() else w.capitalize()
                    for i, w in enumerate(words))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]


def _codes(text: str) -> list[tuple[str, str | None, str | None]]:
    out = []
    for m in _CODE.finditer(text):
        code, start, end = m.group(1), m.group(2), m.group(3)
        if start and start.startswith("<"):
            start, end = None, start[1:]
        first, last = _date(start), _date(end)
        if first and last and first > last:  # "460101-900208": a two-digit year before the pivot's century
            first = f"{int(first[:4]) - 100}{first[4:]}"
        out.append((code, first, last))
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


# --- The packaged persons layer (sitroom/data/actors/phoenix_persons.json.gz) ----------------

PERSONS_FILE = "phoenix_persons.json.gz"
COMMON_TOKEN = 8  # a name word in this many Phoenix persons' names is a given name or a particle
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class PersonsReport:
    persons: int = 0
    kept: int = 0
    aliases: int = 0
    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, why: str) -> None:
        self.dropped[why] = self.dropped.get(why, 0) + 1


def _words(alias: str) -> list[str]:
    """Name words: the alias key's words of two letters or more ("Al-Maliki" is one, "K." none)."""
    from sitroom.names import normalise_alias

    return [w for w in normalise_alias(alias).split() if len(_WORD.findall(w)) == 1]


def _is_person(actor: Actor) -> bool:
    """A person of the countries file: coded by dates, and never as a bare state ([IRQ <030320])
    or an armed group ([IMGMUSISI >130408]), which the file codes by dates too."""
    codes = [a for a in actor.affiliations if a.type == "coded_as"]
    return any(a.start or a.end for a in codes) and not any(
        len(c := a.target.removeprefix("code:")) == 3 or c.startswith(("IMG", "IGO", "NGO")) for a in codes)


def _alias_problem(alias: str, key: str, owners: dict[str, set[int]], common: set[str], blocked: set[str],
                   is_place: Callable[[str], bool], titles: Collection[str], org_words: Collection[str]) -> str | None:
    """Why an alias does not identify one person, or None when it does."""
    words = _words(alias)
    if any(" ".join(words[:n]) in titles for n in range(1, 4)):
        # "President Bush", "Secretary Aspin": the resolver finds a title's holder on the
        # document's date; the bare name is an alias of its own
        return "begins with a title"
    if len(words) < 2:
        return "one name word"
    if any(w in org_words for w in words):
        return "has a word of organisations' names"  # "The Islamic Front", "Kurdish Democratic Union Party"
    if all(w in common for w in words):
        return "only given names or particles"  # "Abdul Qadir", "Mohammad Ali"
    if len(owners[key]) > 1:
        return "shared by several persons"
    if key in blocked:
        return "names a state or organisation"
    if is_place(alias):
        return "names a place"
    return None


def person_rows(countries: Path, others: Sequence[Path] = (), is_place: Callable[[str], bool] = lambda _n: False,
                titles: Collection[str] = (), org_words: Collection[str] = (),
                report: PersonsReport | None = None) -> list[dict]:
    """The persons of a Phoenix countries dictionary with the aliases that identify them.

    Kept: entries the dictionary codes by date (its persons, `_is_person`); aliases of at least two name
    words, not opening with a title (lower case), without a word of organisations' names
    (`org_words`: the file dates some groups' codes like persons'), not made only of words common in names, not
    shared with another person, a state or organisation of any of the files, nor a place. A person left without alias is dropped."""
    from sitroom.names import normalise_alias

    report = report or PersonsReport()
    entries = list(parse_actors(countries.open(encoding="utf-8", errors="replace"), "countries"))
    persons = [a for a in entries if _is_person(a)]
    blocked = {normalise_alias(n) for a in entries if not _is_person(a) for n in a.aliases["en"]}
    for path in others:
        with path.open(encoding="utf-8", errors="replace") as fh:
            blocked |= {normalise_alias(n) for a in parse_actors(fh, file_kind(path)) for n in a.aliases["en"]}
    # by entry number: two entries of one name are two persons ("Ali Ahmed" of two states)
    owners: dict[str, set[int]] = {}
    word_owners: dict[str, set[int]] = {}
    for n, p in enumerate(persons):
        for alias in p.aliases["en"]:
            owners.setdefault(normalise_alias(alias), set()).add(n)
            for w in _words(alias):
                word_owners.setdefault(w, set()).add(n)
    common = {w for w, ids in word_owners.items() if len(ids) >= COMMON_TOKEN}
    rows = []
    seen: set[str] = set()
    for p in persons:
        report.persons += 1
        aliases = []
        for alias in p.aliases["en"]:
            why = _alias_problem(alias, normalise_alias(alias), owners, common, blocked, is_place, titles, org_words)
            if why:
                report.drop(why)
            else:
                aliases.append(alias)
        if not aliases or p.id in seen:
            report.drop("person without an identifying alias" if not aliases else "duplicate id")
            continue
        seen.add(p.id)
        report.kept += 1
        report.aliases += len(aliases)
        rows.append({"id": p.id, "name": p.name, "aliases": aliases,
                     "codes": [[a.target.removeprefix("code:").replace("~", ""), a.start, a.end]
                               for a in p.affiliations]})
    return rows


def _common_code(codes: Iterable[str]) -> str | None:
    """What several codes agree on, in whole three-letter parts (BENGOVEDU, BENGOVHLH -> BENGOV)."""
    codes = list(codes)
    if not codes:
        return None
    n = 0
    while all(len(c) >= n + 3 and c[n:n + 3] == codes[0][n:n + 3] for c in codes):
        n += 3
    return codes[0][:n] or None


def _country(code: str | None) -> str | None:
    return code[:3] if code and code[:3].isalpha() and code[:3] not in ("IGO", "NGO", "INT", "IMG") else None


def person_actor(row: dict) -> Actor:
    """A packaged row as an actor: without a date it is coded only by what all its codes agree on."""
    code = _common_code(c for c, _s, _e in row["codes"])
    country = _country(code)
    affs = [Affiliation(type="coded_as", target=f"code:{c}", start=s, end=e) for c, s, e in row["codes"]]
    # the name is matched like an alias: a dropped one ("Hammarskjold") must not come back as the name
    name = row["name"] if row["name"] in row["aliases"] else row["aliases"][0]
    return Actor(id=row["id"], name=name, kind="person", country=country, code=code if country else None,
                 aliases={"en": list(row["aliases"])}, affiliations=affs, origin=PHOENIX_ORIGIN, confidence=0.9)


PHOENIX_ORIGIN = "import:phoenix"


def in_force(actor: Actor, on: str | None) -> Actor:
    """The actor coded as on date `on` (ISO): by the ranged codes that hold that date, else
    by its undated codes. Out of every range and without undated code the dictionary says nothing of him then (Diego
    Cordovez, Ecuador's minister 2005-07, was a U.N. mediator in 1988): no code, and the
    text's role decides. No date: the actor as it is (what all its codes agree on)."""
    if not on or actor.origin != PHOENIX_ORIGIN:
        return actor
    day = on[:10]
    coded = [a for a in actor.affiliations if a.type == "coded_as"]
    ranged = [a for a in coded if (a.start or a.end) and (not a.start or a.start <= day) and (not a.end or day <= a.end)]
    # an office held that day beats the undated default ([DZAGOV 620927-630920] over [DZAELI])
    code = _common_code(a.target.removeprefix("code:") for a in ranged or [a for a in coded if not (a.start or a.end)])
    country = _country(code)
    if code == actor.code:
        return actor
    return replace(actor, code=code if country else None, country=country)


NOTICE = ("Persons of the Phoenix actor dictionary Phoenix.Countries.actors.txt (PETRARCH-2, Open Event "
          "Data Alliance, MIT licence; see NOTICE.phoenix), converted by sitroom.actors_io.phoenix "
          "(`sitroom actors import phoenix-persons`).")


def write_persons(rows: list[dict], path: Path) -> None:
    """The packaged layer: gzip'd JSON with its attribution, byte-identical for the same rows."""
    import gzip
    import json

    body = json.dumps({"notice": NOTICE, "persons": rows}, ensure_ascii=False, separators=(",", ":"))
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(body.encode("utf-8"))


def read_persons(path: Path | Traversable) -> list[dict]:
    import gzip
    import json

    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))["persons"]
