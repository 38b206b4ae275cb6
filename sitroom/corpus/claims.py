"""Claims across documents (per-corpus step): reports grouped into real-world events and counts.

Ten outlets reporting one strike are one event with ten reports, not ten events. Each new
event that asserts something happened (asserted or reported modality) joins the event group
of the same PLOVER type whose reports are close in time (a per-type window), at the same
specific place, with overlapping actors and similar wording; otherwise it founds one. The
counts inside an event group ("killed", "wounded") form count groups per counted subject
class; counts tied to an actor ("Iran's forces") form subject groups in a window.

Every member carries a stance (asserts / denies / opposite), a value (counts, as a
normalised interval string) and a source key: the innermost named origin it is attributed
to (SANA, SOHR, Bloomberg), else its outlet. A group is `contested` when two documents give
counts that cannot both hold, or when one asserts what another denies; `agree` when at
least two independent sources say the same; else `single`.

Incremental and idempotent: an event already in a group is never added again, so re-running
over the same documents changes nothing; groups are found by their date range with batched
queries, and only the groups touched are re-judged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, delete, func, insert, or_, select
from sqlalchemy import update as update_rows
from sqlalchemy.orm import Session

from sitroom.corpus import CorpusStep, register_step
from sitroom.corpus.settings import claim_group_settings
from sitroom.corpus.sources import SourceKeys, actor_camp, generic, independent_count
from sitroom.nlp.actors.gazetteer import normalise
from sitroom.nlp.events.quantities import count_class
from sitroom.records import is_stance
from sitroom.store.models import (
    ClaimGroup,
    ClaimGroupMember,
    ClaimRow,
    DocumentRow,
    EventActor,
    EventRow,
    MentionRow,
)
from sitroom.yamlio import load_yaml

if TYPE_CHECKING:
    from sitroom.store import Store

CHUNK = 400  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits
STATE_SECTORS = ("GOV", "MIL", "COP", "SPY")  # generic agents that are a state's own bodies
# Event modes that say how an attack was done (the events stage's ACLED-style modes).
WEAPON_MODES = frozenset({"aerial", "heavy-weapons", "explosives", "cbrn", "suicide-attack", "firearms"})
PLACE_LABELS = ("GPE", "LOC", "FAC")
# Bounds on what a batch reads of the stored groups a report could join, so that its cost does
# not grow with the store: the latest groups of one slot (family and place) and first day, and
# the latest members of each. Far above what FA-KES and its near copies reach (16 groups of
# one slot and day, 35 members at 5,000 documents): they change no group there.
MAX_GROUPS_READ = 48
MAX_MEMBERS_READ = 48
# The placeless slot of a family and day is read by every report of the family, whatever its
# place, so it is what grows with the reports per day (2.5 groups per day on average at the
# 10,000-document benchmark store, 19 at most, against 1.3 and 11 for a place): a tighter bound.
MAX_PLACELESS_READ = 24


@cache
def config() -> dict[str, Any]:
    path = resources.files("sitroom") / "data" / "lexicons" / "claim_groups.yaml"
    return load_yaml(path.read_text("utf-8"))


def _chunks(items: Sequence[str], n: int = CHUNK) -> Iterable[list[str]]:
    for i in range(0, len(items), n):
        yield list(items[i:i + n])


def _day(value: str | None) -> date | None:
    if not value or not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- values: counts as intervals -----------------------------------------------------------

def format_value(q: dict[str, Any]) -> str | None:
    """A quantity as a comparable string: '30', '>=20', '<=50', '~100', '24-144'."""
    value = q.get("to") if q.get("to") is not None else q.get("value")
    if value is None:
        return None
    text = (q.get("text") or "").lower()
    cfg = config()
    for word, (lo, hi) in cfg["vague"].items():
        if re.search(rf"\b{word}\b", text):
            scale = 1.0
            for s, v in (("million", 1e6), ("thousand", 1e3), ("hundred", 100)):
                if s in text.replace(word, ""):
                    scale = v
            return f"{lo * scale:g}-{hi * scale:g}"
    num = f"{float(value):g}"
    approx = cfg["approximations"]
    for kind, prefix in (("at_least", ">="), ("at_most", "<="), ("about", "~")):
        if any(re.search(rf"\b{re.escape(cue)}\b", text) for cue in approx[kind]):
            return prefix + num
    return num


def interval(value: str) -> tuple[float, float] | None:
    """The values a formatted count allows, widened by the tolerance."""
    tol = claim_group_settings().tolerance
    m = re.fullmatch(r"(>=|<=|~)?([\d.e+]+)(?:-([\d.e+]+))?", value)
    if m is None:
        return None
    prefix, a, b = m.group(1), float(m.group(2)), m.group(3)
    if b is not None:
        lo, hi = a, float(b)
    elif prefix == ">=":
        lo, hi = a, float("inf")
    elif prefix == "<=":
        lo, hi = 0.0, a
    elif prefix == "~":
        lo, hi = a * 0.8, a * 1.2
    else:
        lo = hi = a
    slack = max(tol.absolute, tol.relative * (hi if hi != float("inf") else lo))
    return lo - slack / 2, hi + slack / 2


def values_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when no value of one side is compatible with any value of the other."""
    ia = [i for i in map(interval, a) if i]
    ib = [i for i in map(interval, b) if i]
    if not ia or not ib:
        return False
    return not any(x[0] <= y[1] and y[0] <= x[1] for x in ia for y in ib)


# --- reports: events as seen by this step ----------------------------------------------------

@dataclass
class Report:
    event_id: str
    document_id: str
    claim_id: str | None
    family: str  # the group type: the event type, or its opposite's
    stance: str  # asserts | denies | opposite
    day: date | None
    place: str | None
    sources: frozenset[str]
    targets: frozenset[str]
    sides: frozenset[str]  # sides of the perpetrators, from their codes or the words used
    subplaces: frozenset[str]  # districts named in the clause ("al-Midan"): finer than `place`
    tokens: frozenset[str]
    quantities: list[dict[str, Any]]
    source_key: str
    camp: str
    label: str
    text: str = ""
    explicit: bool = False  # the day is the event's own, stated in the text (not the publication's)
    area: str | None = None  # the document's most named place: may not clash, never names a group
    revised: bool = False  # its clause revises a toll (`_toll_update`), read when it was built
    mode: str | None = None  # how it was done ("cbrn", "aerial"), when the events stage says
    # What grouping and judging read of this report, stored with its members (`_facts`), so a
    # later batch reads a candidate group's members instead of rebuilding their reports.
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredGroup:
    """A stored group's columns as grouping reads and updates them: plain values, because
    building an ORM object for every candidate group cost more than grouping against it."""

    id: int
    key: str
    label: str
    first_seen: str | None
    last_seen: str | None
    slot: str | None
    summary: dict[str, Any] | None


@dataclass
class Group:
    """A group as grouping reads it: the actors, sides, sub-places and stated days of its
    members, and the stance, means and words of its latest ones (`summary`, stored with the
    group so that a later batch reads one row instead of its members)."""

    row: ClaimGroup | StoredGroup  # a group founded in this update, or one read
    family: str
    place: str | None
    first: date | None
    last: date | None
    # stance, means and words of the latest members (words as stored: a set is only built
    # for the groups a report is compared with, `_similarity`)
    recent: list[tuple[str, str | None, Collection[str]]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    sides: set[str] = field(default_factory=set)
    subplaces: set[str] = field(default_factory=set)
    explicit_days: set[date] = field(default_factory=set)
    touched: bool = False
    # the members' actor ids as stored (merges are followed when a summary is read) and count
    stored_actors: dict[str, set[str]] = field(default_factory=lambda: {"sources": set(), "targets": set()})
    members: int = 0

    def add(self, r: Report) -> None:
        """Take a report's actors, sides, sub-places, stated day and words into the group."""
        self.recent.append((r.stance, r.mode, r.tokens))
        self.sources.update(r.sources)
        self.targets.update(r.targets)
        for role in ("sources", "targets"):
            self.stored_actors[role].update(r.facts.get(role, ()))
        self.sides.update(r.sides)
        self.subplaces.update(r.subplaces)
        if r.explicit and r.day:
            self.explicit_days.add(r.day)
        self.members += 1

    def summary(self) -> dict[str, Any]:
        """What a later batch reads of this group (`read_summary`): all members' actors as
        stored, sides, sub-places and stated days; the latest members' stance, means, words."""
        return {"sources": sorted(self.stored_actors["sources"]), "targets": sorted(self.stored_actors["targets"]),
                "sides": sorted(self.sides), "subplaces": sorted(self.subplaces),
                "explicit_days": sorted(d.isoformat() for d in self.explicit_days),
                "recent": [[stance, mode, sorted(words)] for stance, mode, words in self.recent[-MAX_MEMBERS_READ:]],
                "members": self.members}

    def read_summary(self, summary: dict[str, Any], actor: Callable[[str], str]) -> None:
        """The group as its stored summary tells it, merges followed now (`actor`)."""
        self.recent = [(stance, mode, words) for stance, mode, words in summary["recent"][-MAX_MEMBERS_READ:]]
        for role in ("sources", "targets"):
            self.stored_actors[role] = set(summary[role])
        self.sources = set(map(actor, summary["sources"]))
        self.targets = set(map(actor, summary["targets"]))
        self.sides, self.subplaces = set(summary["sides"]), set(summary["subplaces"])
        self.explicit_days = {d for x in summary["explicit_days"] if (d := _day(x))}
        self.members = int(summary["members"])


def _tokens(text: str) -> frozenset[str]:
    stop = _stopwords()
    return frozenset(w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in stop)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(config()["stopwords"])


def _similarity(a: frozenset[str], b: Collection[str]) -> float:
    """Jaccard similarity of two sets of words (`b` may be a stored list of distinct words)."""
    if not a or not b:
        return 0.0
    return len(a.intersection(b)) / len(a.union(b))


@cache
def _place_key(name: str | None) -> str | None:
    """A specific place's comparable name (GeoNames canonical when known); None for countries."""
    if not name:
        return None
    import pycountry

    from sitroom.nlp import places

    key = normalise(name)
    if not key or key in config()["coarse_places"]:
        return None
    try:
        if pycountry.countries.lookup(name):
            return None
    except LookupError:
        pass
    entry = places.lookup(name)
    return normalise(entry.name) if entry else key


class _Context(SourceKeys):
    """Lookups shared by one update: source keys (merges, outlets as actors) and built reports."""

    def __init__(self, s: Session) -> None:
        super().__init__(s)
        # Reports by event id (None: the event is no report). The rows they are made of do not
        # change during an update, and the groups near one chunk's reports are near the next's.
        self.reports: dict[str, Report | None] = {}


def _doc_places(s: Session, doc_ids: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Specific place mentions per document, in text order: (offset, place key)."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    generic = set(config()["place_generic"])
    for chunk in _chunks(doc_ids):
        # places resolved to an actor are states ("the U.S."), not where something happened
        rows = s.execute(select(MentionRow.document_id, MentionRow.start, MentionRow.text, MentionRow.label)
                         .where(MentionRow.document_id.in_(chunk), MentionRow.label.in_(PLACE_LABELS),
                                MentionRow.method.not_in(("nominal", "coref")), MentionRow.actor_id.is_(None))
                         .order_by(MentionRow.document_id, MentionRow.start))
        for doc_id, start, text, label in rows:
            key = _place_key(text)
            # a GPE must be a known town; regions and districts (LOC, FAC) may be unknown to GeoNames
            if key and (label != "GPE" or _known_place(text)):
                out[doc_id].append((start, " ".join(w for w in key.split() if w not in generic) or key))
    return out


@cache
def _known_place(name: str) -> bool:
    from sitroom.nlp import places

    return places.lookup(name) is not None


def _subplaces(e: Row[Any], place: str | None, doc_places: list[tuple[int, str]]) -> frozenset[str]:
    """Places in the event's clause finer than (or other than) its main place."""
    return frozenset(k for start, k in doc_places if e.start <= start < e.end and k != place)


@cache
def _side_pattern() -> re.Pattern[str]:
    # "rebel-held", "regime areas": a side word before these names a place's owner, not who struck
    owner = "|".join(re.escape(x) for x in config()["side_word_owner_suffixes"])
    words = "|".join(re.escape(w) for w in sorted(config()["side_words"], key=len, reverse=True))
    return re.compile(rf"\b({words})\b(?![-\s]*(?:{owner})\b)")


def _sides(codes: set[str], clause: str, title: str) -> frozenset[str]:
    """Who could have struck: actor codes first, else what the clause's (or title's) words allow."""
    if codes:
        return frozenset(codes)
    for text in (clause.lower(), title.lower()):
        # In reading order, each word narrows the sides; a word that would leave none belongs
        # to another actor ("Syrian air strikes kill 70 after rebel rocket attack").
        hits = [(m.start(), m.group(1)) for m in _side_pattern().finditer(text)]
        sides: set[str] | None = None
        for _pos, w in hits:
            allowed = set(config()["side_words"][w])
            if sides is None:
                sides = allowed
            elif sides & allowed:
                sides &= allowed
        if sides:
            return frozenset(sides)
    return frozenset()


def _event_place(e: Row[Any], doc_places: list[tuple[int, str]], lead_end: int) -> str | None:
    """The event's own specific place, else one named in its clause, else — for an event of
    the lead — the first place the lead names (headline, dateline). A place named only
    elsewhere in the document is not the event's: no group is placed "in Aleppo" on the
    word of a sentence that does not name Aleppo."""
    name = (e.place or {}).get("name")
    if name and (e.place.get("geonames_id") or _known_place(name)) and _place_key(name):
        return _place_key(e.place.get("name"))
    inside = [k for start, k in doc_places if e.start <= start < e.end]
    if inside:
        return inside[0]
    if e.start < lead_end:
        return next((k for start, k in doc_places if start < lead_end), None)
    return None


def _main_place(doc_places: list[tuple[int, str]]) -> str | None:
    """The document's most named place (a dateline, "BEIRUT", is named once)."""
    if not doc_places:
        return None
    counts: dict[str, int] = defaultdict(int)
    for _start, k in doc_places:
        counts[k] += 1
    return max(counts, key=lambda k: (counts[k], -next(s for s, kk in doc_places if kk == k)))


def _denial(claim: Row[Any] | None) -> bool:
    if claim is None or not claim.cue:
        return False
    cue = (claim.cue.get("text") or "").lower()
    return any(w in config()["denial_cues"] for w in cue.split())


def _background(e: Row[Any], published: date | None) -> bool:
    """An event dated well before its report ("the 2013 chemical attack") is background."""
    if published is None or not e.date_value:
        return False
    m = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", e.date_value)
    if m is None:
        return False
    # The end of the named period: a month-precision date is compared by its last day.
    y, mo = int(m.group(1)), int(m.group(2) or 12)
    d = int(m.group(3)) if m.group(3) else 28
    try:
        when = date(y, mo, d)
    except ValueError:
        return False
    return (published - when).days > claim_group_settings().background_days


# The columns a report is made of, read as plain rows (attribute access like the ORM's, without
# its per-object cost): the rest (JSON triggers, contexts, content) is never decoded.
_EVENT_COLUMNS = (EventRow.id, EventRow.document_id, EventRow.type, EventRow.mode, EventRow.modality, EventRow.negated,
                  EventRow.date_value, EventRow.date_precision, EventRow.place, EventRow.quantities,
                  EventRow.claim_id, EventRow.start, EventRow.end, EventRow.text)
_CLAIM_COLUMNS = (ClaimRow.id, ClaimRow.kind, ClaimRow.speaker_actor_id, ClaimRow.via, ClaimRow.cue,
                  ClaimRow.date_value, ClaimRow.date_precision, ClaimRow.affiliation_id, ClaimRow.cue_class)


def load_reports(s: Session, ctx: _Context, event_ids: list[str] | None = None,
                 doc_ids: list[str] | None = None) -> list[Report]:
    """Reports for the given events (or all groupable events of the given documents)."""
    if event_ids is None:
        return _build_reports(s, ctx, None, doc_ids)
    missing = sorted({i for i in event_ids if i not in ctx.reports})
    if missing:
        stored = _stored_reports(s, ctx, missing)
        # members stored before facts were kept (or by another version) are rebuilt
        rest = [i for i in missing if i not in stored]
        built = {r.event_id: r for r in _build_reports(s, ctx, rest, None)} if rest else {}
        ctx.reports.update({i: stored.get(i) or built.get(i) for i in missing})
    return [r for i in sorted(set(event_ids)) if (r := ctx.reports[i]) is not None]


@dataclass
class _Batch:
    """The rows a batch of reports is made of, read once: events, their actors and sides,
    documents, the claims the events belong to, the documents' places."""

    events: list[Row[Any]]
    actors: dict[str, dict[str, set[str]]]
    sides: dict[str, set[str]]
    docs: dict[str, Row[Any]]
    claims: dict[str, Row[Any]]
    places: dict[str, list[tuple[int, str]]]
    not_denials: set[str]  # claims whose denial cue is itself negated ("did not deny")


def _load_events(s: Session, event_ids: list[str] | None, doc_ids: list[str] | None) -> list[Row[Any]]:
    cfg = config()
    types = set(claim_group_settings().windows) | set(cfg["opposites"].values())
    events: list[Row[Any]] = []
    for chunk in _chunks(event_ids or doc_ids or []):
        # type and modality are checked here, not in SQL: with them there SQLite walked the
        # index on type, every stored event of those types, instead of the batch's documents
        q = select(*_EVENT_COLUMNS)
        q = q.where(EventRow.id.in_(chunk)) if event_ids is not None else q.where(EventRow.document_id.in_(chunk))
        events.extend(e for e in s.execute(q.order_by(EventRow.id))
                      if e.type in types and e.modality in cfg["modalities"])
    return events


def _load_batch(s: Session, ctx: _Context, events: list[Row[Any]]) -> _Batch:
    side_of = config()["sides"]
    actors: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"source": set(), "target": set()})
    sides: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks([e.id for e in events]):
        for ea in s.execute(select(EventActor.event_id, EventActor.role, EventActor.actor_id, EventActor.code)
                            .where(EventActor.event_id.in_(chunk))):
            # as stored: merges are followed when a report is made, stored facts keep the raw ids
            actors[ea.event_id].setdefault(ea.role, set()).add(ea.actor_id)
            if ea.role == "source" and ea.code in side_of:
                sides[ea.event_id].update(side_of[ea.code])
    docs = sorted({e.document_id for e in events})
    doc_rows = {}
    for chunk in _chunks(docs):
        doc_rows.update({d.id: d for d in s.execute(select(DocumentRow.id, DocumentRow.site, DocumentRow.published,
                                                           DocumentRow.title, DocumentRow.sentences)
                                                    .where(DocumentRow.id.in_(chunk)))})
    claims: dict[str, Row[Any]] = {}
    # only the claims the events belong to (a document has many more)
    for chunk in _chunks(sorted({f"{e.document_id}:{e.claim_id}" for e in events if e.claim_id})):
        claims.update({c.id: c for c in s.execute(select(*_CLAIM_COLUMNS, ClaimRow.document_id)
                                                   .where(ClaimRow.id.in_(chunk)))})
    ctx.read_authors(docs)  # their camps (`report_camp`) read each document's author's affiliations
    return _Batch(events=events, actors=actors, sides=sides, docs=doc_rows, claims=claims,
                  places=_doc_places(s, docs), not_denials=_negated_denials(s, claims))


def _negated_denials(s: Session, claims: dict[str, Row[Any]]) -> set[str]:
    """Claims whose denial cue is negated ("did not deny that airstrikes were carried out",
    "has never denied"): not denying is no denial. Reads the few words before each denial cue."""
    out = set()
    negations = set(config()["denial_negations"])
    for cid, c in claims.items():
        start = (c.cue or {}).get("start")
        if not _denial(c) or not isinstance(start, int):
            continue
        lo = max(0, start - 24)
        before = s.execute(select(func.substr(DocumentRow.text, lo + 1, start - lo))
                           .where(DocumentRow.id == c.document_id)).scalar() or ""
        words = f"{before} {c.cue.get('text') or ''}".lower().replace("n't", " n't").split()[:-1]
        if negations & set(words[-3:]):
            out.add(cid)
    return out


def _stance(e: Row[Any], claim: Row[Any] | None, batch: _Batch) -> str | None:
    """asserts / denies / opposite, or None when the event is no report (a stance claim, an
    unattributed negation, a negated denial)."""
    if claim is not None and (is_stance(claim) or claim.id in batch.not_denials):
        return None  # what someone wants or believes, or "did not deny", is not a report
    if _denial(claim):
        return "denies"
    if e.negated:
        # "the plant was not targeted" in the author's narrative, or from an unnamed
        # source, is no event at all; a negation is a denial only when a named actor says it,
        # and "had stopped bombing" is no denial that the bombing happened
        if claim is None or claim.kind != "attributed" or generic(claim.speaker_actor_id) or _cessation(e.text):
            return None
        return "denies"
    return "opposite" if e.type in {v: k for k, v in config()["opposites"].items()} else "asserts"


def _cessation(text: str | None) -> bool:
    """A clause that stops or suspends an act (`cessation_verbs`): its negation is no denial."""
    verbs = set(config()["cessation_verbs"])
    return any(w in verbs for w in re.findall(r"[a-z]+", (text or "").lower()))


def _report_day(e: Row[Any], claim: Row[Any] | None, published: date | None) -> tuple[date | None, bool]:
    """The event's day and whether the text states it (else the claim's, else publication)."""
    day = _day(e.date_value) if e.date_precision == "day" else None
    explicit = day is not None
    day = day or _day(claim.date_value if claim is not None and claim.date_precision == "day" else None)
    return day or published, explicit


def _report_of(ctx: _Context, e: Row[Any], batch: _Batch) -> Report | None:
    d = batch.docs[e.document_id]
    claim = batch.claims.get(f"{e.document_id}:{e.claim_id}") if e.claim_id else None
    stance = _stance(e, claim, batch)
    published = _day(d.published)
    if stance is None or _background(e, published):
        return None
    day, explicit = _report_day(e, claim, published)
    roles = batch.actors.get(e.id, {"source": set(), "target": set()})
    doc_places = batch.places.get(e.document_id, [])
    place = _event_place(e, doc_places, _lead_end(None, d.sentences))
    label = f"{e.type}" + (f" in {place.title()}" if place else "") + (f" on {day}" if day else "")
    key = ctx.key(claim, d.site, e.document_id)
    reverse = {v: k for k, v in config()["opposites"].items()}
    r = Report(
        event_id=e.id, document_id=e.document_id, claim_id=claim.id if claim is not None else None,
        family=reverse.get(e.type, e.type), stance=stance, day=day, place=place, area=_main_place(doc_places),
        sources=frozenset(map(ctx.actor, roles.get("source", ()))),
        targets=frozenset(map(ctx.actor, roles.get("target", ()))),
        sides=_sides(batch.sides.get(e.id, set()), e.text, d.title or ""),
        subplaces=_subplaces(e, place, doc_places),
        tokens=_tokens(f"{e.text} {d.title or ''}"), quantities=list(e.quantities or []),
        source_key=key, camp=ctx.report_camp(claim, key, d.site, e.document_id),
        label=label, text=e.text, explicit=explicit, revised=_toll_update(e.text or ""), mode=e.mode)
    r.facts = _facts(r, roles)
    return r


def _facts(r: Report, roles: dict[str, set[str]]) -> dict[str, Any]:
    """What later batches read of a report (its actors as stored: merges are followed on reading)."""
    return {"family": r.family, "stance": r.stance, "day": r.day.isoformat() if r.day else None,
            "explicit": r.explicit, "place": r.place, "area": r.area,
            "sources": sorted(roles.get("source", ())), "targets": sorted(roles.get("target", ())),
            "sides": sorted(r.sides), "subplaces": sorted(r.subplaces), "tokens": sorted(r.tokens),
            "revised": r.revised, "mode": r.mode}


def _from_facts(ctx: _Context, m: Row[Any]) -> Report:
    """A report as it was built when its member was stored (`_facts`), merges followed now.
    Its quantities and text are not kept: only new reports' counts are read."""
    f = m.facts
    return Report(
        event_id=m.event_id, document_id=m.document_id, claim_id=m.claim_id, family=f["family"],
        stance=f["stance"], day=_day(f["day"]), place=f["place"], area=f["area"],
        sources=frozenset(map(ctx.actor, f["sources"])), targets=frozenset(map(ctx.actor, f["targets"])),
        sides=frozenset(f["sides"]), subplaces=frozenset(f["subplaces"]), tokens=frozenset(f["tokens"]),
        quantities=[], source_key=m.source_key or "", camp=m.camp or "", label="", explicit=f["explicit"],
        revised=f["revised"], mode=f.get("mode"), facts=f)


def _stored_reports(s: Session, ctx: _Context, event_ids: list[str]) -> dict[str, Report]:
    """Reports of already grouped events, from the facts stored with their members."""
    out: dict[str, Report] = {}
    cols = (ClaimGroupMember.event_id, ClaimGroupMember.document_id, ClaimGroupMember.claim_id,
            ClaimGroupMember.source_key, ClaimGroupMember.camp, ClaimGroupMember.facts)
    for chunk in _chunks(event_ids):
        for m in s.execute(select(*cols).where(ClaimGroupMember.event_id.in_(chunk),
                                               ClaimGroupMember.facts.is_not(None))
                           .order_by(ClaimGroupMember.id)):
            if m.facts and m.event_id not in out:
                out[m.event_id] = _from_facts(ctx, m)
    return out


def _build_reports(s: Session, ctx: _Context, event_ids: list[str] | None,
                   doc_ids: list[str] | None) -> list[Report]:
    events = _load_events(s, event_ids, doc_ids)
    if not events:
        return []
    batch = _load_batch(s, ctx, events)
    return [r for e in events if (r := _report_of(ctx, e, batch)) is not None]


# --- grouping --------------------------------------------------------------------------------

@cache
def party(actor_id: str, agents: bool = False) -> str | None:
    """The side an actor stands for: a state, its government, army and officials are one
    party ("Damascus denied" answers "the Syrian army struck"), a body its parent's
    (`sources.actor_camp`). Generic agents have none, except, with `agents`, a state's own
    bodies placed in their country ("agent:SYRMIL")."""
    if generic(actor_id):
        code = actor_id[6:]
        return f"actor:{code[:3].lower()}" if agents and len(code) == 6 and code[3:] in STATE_SECTORS else None
    return actor_camp(actor_id)


def parties(ids: Iterable[str], agents: bool = False) -> frozenset[str]:
    return frozenset(p for x in ids if (p := party(x, agents)))


def _roles_clash(a: frozenset[str], b: set[str]) -> bool:
    """Both name specific actors for a role and none is of a shared party."""
    a_named, b_named = parties(a), parties(b)
    return bool(a_named and b_named and not a_named & b_named)


def _other_time(r: Report, g: Group, window: int) -> bool:
    """Dated against undated, or outside the family's window of the group's days."""
    if (r.day is None) != (g.first is None):
        return True
    return (r.day is not None and g.first is not None and g.last is not None
            and (r.day < g.last - timedelta(days=window) or r.day > g.first + timedelta(days=window)))


def slot(family: str, place: str | None) -> str:
    """The index key of an event group (`claim_groups.slot`): its family and its founder's
    specific place. A report reads only the groups of its family at its own place (or its
    document's, `_slots`) and those without a place, not every group of its days."""
    return f"{family}|{place or PLACELESS}"[:300]


PLACELESS = "-"  # a slot's place when its founder named none


def placeless(slot_key: str | None) -> bool:
    return bool(slot_key) and slot_key.endswith(f"|{PLACELESS}")


def subject_slot(family: str) -> str:
    """The index key of a subject group: its kind and subject (`troops:irn`)."""
    return f"subject|{family}"[:300]


ANY_PLACE = "*"  # in a wanted slot: every place of the family (`_find_groups`)


def _slots(r: Report) -> tuple[str, ...]:
    """The slots of the groups a report may join (`_other_place`): its own place's (or its
    document's) and the placeless; a report whose document names no place it knows (a town
    the gazetteer lacks, "Raqa") may join any, by its words."""
    where = r.place or r.area
    if where and not _rare_means(r):
        return slot(r.family, where), slot(r.family, None)
    # a report of a rare means may be one incident with a group at another place of its
    # governorate (`_one_means_group`): it reads the family's groups of its days at every place
    return (f"{r.family}|{ANY_PLACE}",)


def _other_place(r: Report, g: Group, window: int) -> bool:
    if r.place and g.place and r.place != g.place:
        return not _one_means_group(r, g)
    # "Russia denied carrying out raids there" in an article about Idlib
    return bool(not r.place and r.area and g.place and r.area != g.place)


def _other_actors(r: Report, g: Group, window: int) -> bool:
    return _roles_clash(r.sources, g.sources) or _roles_clash(r.targets, g.targets)


def _other_sides(r: Report, g: Group, window: int) -> bool:
    return bool(r.sides and g.sides and not r.sides & g.sides)


def _other_subplaces(r: Report, g: Group, window: int) -> bool:
    return bool(r.subplaces and g.subplaces and not r.subplaces & g.subplaces)


def _other_stated_day(r: Report, g: Group, window: int) -> bool:
    """Two reports that state the day ("on Wednesday", "on Thursday") disagree on which event."""
    return bool(r.explicit and r.day and g.explicit_days and r.day not in g.explicit_days
                and r.family in config()["exact_day_types"])


# Each says a report cannot be about a group's event; checked in this order.
_CLASHES = (_other_time, _other_place, _other_actors, _other_sides, _other_subplaces, _other_stated_day)


def _fits(r: Report, g: Group, window: int) -> float | None:
    """How well a report fits a group (its best similarity), or None when it cannot belong."""
    if r.family != g.family or any(clash(r, g, window) for clash in _CLASHES):
        return None
    sim = max((_similarity(r.tokens, words) for _stance, _mode, words in g.recent), default=0.0)
    if _answers(r, g):
        return sim  # a party denying the act the group's reports say it did, there and then
    if r.stance == "denies" and not r.place:
        return None  # a denial placed only by its document answers a group only as above
    cfg = claim_group_settings()
    shared_actors = bool((r.sources & g.sources) - {""}) and bool((r.targets & g.targets) - {""})
    where = r.place or r.area
    if g.first == g.last and (_one_town_day(r, g.place, g.first) or _one_means_group(r, g)):
        return sim  # a small town, or a rare means in one governorate, on one day: one incident
    need = cfg.min_similarity if where and where == g.place else cfg.min_similarity_no_place
    if shared_actors:
        need /= 2
    return sim if sim >= need else None


@cache
def _one_incident_place(key: str) -> bool:
    """A town or village small enough that two reports of one day there are one incident
    (`one_incident_population`); cities, regions and unknown names are not."""
    from sitroom.nlp import places

    entry = places.lookup(key)
    return entry is not None and entry.kind in ("town", "village") \
        and 0 < entry.population < claim_group_settings().one_incident_population


def _one_town_day(a: Report, place: str | None, day: date | None) -> bool:
    """A report at the same small town (`_one_incident_place`) on the same day."""
    return a.place is not None and a.place == place and a.day is not None and a.day == day \
        and _one_incident_place(a.place)


def _rare_means(r: Report) -> bool:
    """An act of a means rare enough (`one_incident_modes`: a chemical attack) that two reports
    of it in one governorate on one day are one incident."""
    return r.mode is not None and r.mode in config()["one_incident_modes"]


@cache
def _regions(key: str) -> frozenset[str]:
    """The governorate a place key is, or the governorates that contain it (its admin1)."""
    level, around = _place_info(key)
    return frozenset({_stem(key)}) if level == 2 else around


def _one_means_day(a: Report, mode: str | None, places: Iterable[str], day: date | None) -> bool:
    """`a` tells an act of a rare means (`_rare_means`) on `day`, done with `mode`, in a governorate
    `places` are or lie in: one incident however worded, whether a report names the town or
    only the province ("Khan Shaykhun", "Syria's Idlib")."""
    return (_rare_means(a) and a.mode == mode and a.day is not None and a.day == day
            and bool({x for k in _places_of(a) for x in _regions(k)} & {x for k in places for x in _regions(k)}))


def _one_means_group(r: Report, g: Group) -> bool:
    """A report of a rare means and a one-day group whose reports tell that means, in one
    governorate (`_one_means_day`)."""
    return (g.place is not None and g.first == g.last and r.mode is not None
            and any(stance == "asserts" and mode == r.mode for stance, mode, _words in g.recent)
            and _one_means_day(r, r.mode, (g.place,), g.first))


def _answers(r: Report, g: Group) -> bool:
    """A denial by the party whose act it denies, of the act the group's reports tell, at the
    group's place (its own, or its document's main place): "Damascus denied using chemical
    weapons" in an article about Khan Shaykhun answers the reports of the gas attack there
    that day, unless they name another attacker. Its wording need not be alike: a denial
    restates little of what it denies."""
    if r.stance != "denies" or g.place is None or (r.place or r.area) != g.place:
        return False
    denier = parties(r.sources, agents=True)
    # A denial that does not name the place must be the party's own ("Damascus denied"):
    # someone else's ("a Kurdish commander denied government bombings") may be of anything.
    if not denier or not (r.place or _speaker_party(r) in denier):
        return False
    named = parties(g.sources, agents=True)
    if named and not denier & named:
        return False
    # What it denies was done the way the reports say ("using chemical weapons": a gas attack);
    # a denial naming neither the place nor the means ("denied government forces use the
    # weapons") may be of any act.
    asserting = [mode for stance, mode, _words in g.recent if stance == "asserts"]
    done = set(asserting) & WEAPON_MODES
    if r.mode in WEAPON_MODES:
        return r.mode in done
    return bool(asserting and r.place and named)


def _speaker_party(r: Report) -> str | None:
    """The party of whoever a report is attributed to (its source key), if a named actor."""
    return party(r.source_key[6:]) if r.source_key.startswith("actor:") else None


def _groupable(r: Report) -> bool:
    """A report that can found an event group: it has a place, counts, or both sides."""
    return bool(r.place or r.quantities or (r.sources and r.targets))


def _denier(r: Report) -> bool:
    """A denial by a named party (it may have no place or count of its own)."""
    return r.stance == "denies" and bool(parties(r.sources, agents=True))


def _window(family: str) -> int:
    return claim_group_settings().windows.get(family, 3)


def _load_groups(s: Session, ctx: _Context, prefix: str, reports: list[Report]) -> list[Group]:
    """Existing groups (as their summaries tell them) that new reports could join: same slot,
    nearby dates.

    A report fits a group only when its day is within its family's window of the group's
    first day, and a group never spans more than that window, so only groups whose first day
    is within [day - 2w, day + w] of a report (as `_GroupIndex.near` looks) can ever take
    one; and only a group of its own family and place (`slot`, `_other_place`). Groups are
    found by (slot, first day), an index lookup, and read as one row each (`Group.summary`):
    what a batch reads grows with the groups of one place and day, not with their members.
    """
    found = _find_groups(s, prefix, _wanted_days(reports))
    if not found:
        return []
    groups = {}
    cols = (ClaimGroup.id, ClaimGroup.key, ClaimGroup.label, ClaimGroup.first_seen, ClaimGroup.last_seen,
            ClaimGroup.slot, ClaimGroup.summary)
    for chunk in _chunks([str(i) for i in sorted(found)]):
        for values in s.execute(select(*cols).where(ClaimGroup.id.in_([int(c) for c in chunk])).order_by(ClaimGroup.id)):
            row = StoredGroup(*values)
            parts = row.key.split("|")
            g = Group(row=row, family=parts[1], place=None if parts[2] == PLACELESS else parts[2],
                      first=_day(row.first_seen), last=_day(row.last_seen))
            if row.summary:
                g.read_summary(row.summary, ctx.actor)
            groups[row.id] = g
    _summarise_members(s, ctx, [g for g in groups.values() if not g.row.summary])
    return list(groups.values())


def _summarise_members(s: Session, ctx: _Context, groups: list[Group]) -> None:
    """Groups stored without a summary (before migration 0020) read from their latest members;
    `group_events` then stores the summary."""
    by_id = {g.row.id: g for g in groups}
    by_group: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks([str(i) for i in by_id]):
        for gid, ev in s.execute(select(ClaimGroupMember.group_id, ClaimGroupMember.event_id)
                                 .where(ClaimGroupMember.group_id.in_([int(c) for c in chunk]))
                                 .order_by(ClaimGroupMember.id)):
            if ev:
                by_group[gid].append(ev)
    # a group's latest reports stand for it: what one candidate costs stays bounded however
    # many outlets told its event
    members = {ev: gid for gid, evs in by_group.items() for ev in evs[-MAX_MEMBERS_READ:]}
    reports = {r.event_id: r for r in load_reports(s, ctx, event_ids=sorted(members))}
    for ev, gid in members.items():  # in the order they joined, as `recent` keeps them
        if (r := reports.get(ev)) is not None:
            by_id[gid].add(r)
    for gid, evs in by_group.items():
        by_id[gid].members = len(evs)


def _find_groups(s: Session, prefix: str, wanted: set[tuple[str, str | None]]) -> set[int]:
    """Ids of the groups at the wanted (slot, first day) pairs, by the (slot, first_seen) index;
    for a slot of any place, every group of the family on those days (by first_seen)."""
    at: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    cols = select(ClaimGroup.id, ClaimGroup.slot, ClaimGroup.first_seen).where(ClaimGroup.key.like(f"{prefix}|%"))
    _find_any_place(s, cols, wanted, at)
    for part in _chunks(sorted({k for k, _d in wanted if not k.endswith(f"|{ANY_PLACE}")}), 100):
        days = sorted({d for k, d in wanted if k in part and d is not None})
        queries = [cols.where(ClaimGroup.slot.in_(part), ClaimGroup.first_seen.in_(chunk)) for chunk in _chunks(days)]
        if any((k, None) in wanted for k in part):
            queries.append(cols.where(ClaimGroup.slot.in_(part), ClaimGroup.first_seen.is_(None)))
        for q in queries:
            for gid, k, first in s.execute(q):
                if (k, first) in wanted:
                    at[(k, first)].append(gid)
    # the latest groups of one family, place and day: a bound on what one report meets
    return {gid for (k, _d), ids in at.items()
            for gid in sorted(ids)[-(MAX_PLACELESS_READ if placeless(k) else MAX_GROUPS_READ):]}


def _find_any_place(s: Session, cols: Any, wanted: set[tuple[str, str | None]],
                    at: dict[tuple[str, str | None], list[int]]) -> None:
    """The groups of a family on the days of a slot of any place, by their first day."""
    for family in sorted({k.split("|")[0] for k, _d in wanted if k.endswith(f"|{ANY_PLACE}")}):
        days = {d for k, d in wanted if k == f"{family}|{ANY_PLACE}"}
        near = [ClaimGroup.first_seen.in_(chunk) for chunk in _chunks(sorted(d for d in days if d is not None))]
        near += [ClaimGroup.first_seen.is_(None)] if None in days else []
        for q in near:
            for gid, _slot, first in s.execute(cols.where(q, ClaimGroup.slot.like(f"{family}|%"))):
                at[(f"{family}|{ANY_PLACE}", first)].append(gid)


def _wanted_days(reports: list[Report]) -> set[tuple[str, str | None]]:
    """(slot, first day) of the groups that may take one of these reports (ISO days; None
    for undated groups)."""
    wanted: set[tuple[str, str | None]] = set()
    for r in reports:
        if r.day is None:
            wanted.update((k, None) for k in _slots(r))
            continue
        w = _window(r.family)
        wanted.update((k, (r.day + timedelta(days=d)).isoformat()) for k in _slots(r) for d in range(-2 * w, w + 1))
    return wanted


def _new_group(s: Session, prefix: str, r: Report) -> Group:
    key = f"{prefix}|{r.family}|{r.place or PLACELESS}|{r.day or '-'}|{r.event_id}"[:300]
    row = ClaimGroup(key=key, label=r.label, status="single", n_sources=0, n_independent=0,
                     first_seen=r.day.isoformat() if r.day else None, last_seen=r.day.isoformat() if r.day else None,
                     slot=slot(r.family, r.place) if prefix == "event" else subject_slot(r.family))
    s.add(row)  # flushed with the batch: ids are only needed when members are written
    return Group(row=row, family=r.family, place=r.place, first=r.day, last=r.day)


def _join(g: Group, r: Report) -> None:
    g.add(r)
    g.touched = True
    if r.day and g.first and g.last:
        g.first, g.last = min(g.first, r.day), max(g.last, r.day)
        g.row.first_seen, g.row.last_seen = g.first.isoformat(), g.last.isoformat()
    if not g.place and r.place:  # a place learnt later narrows the group (key keeps the founder's)
        g.place = r.place


def group_events(s: Session, ctx: _Context, reports: list[Report]) -> list[tuple[Group, Report]]:
    """Put each new report into the best fitting event group, founding groups as needed."""
    loaded = _load_groups(s, ctx, "event", reports)
    index = _GroupIndex(loaded)
    placed: list[tuple[Group, Report]] = []
    # a day's denials after its reports, so that they find what they answer
    for r in sorted(reports, key=lambda r: (r.day or date.min, r.stance == "denies", r.document_id, r.event_id)):
        window = _window(r.family)
        best: tuple[bool, float, tuple[int, ...], Group] | None = None
        slots = _slots(r)
        for g in index.near(r.family, r.day, window):
            # a group of another slot is at another place (`_other_place`): not even tested
            if not (slots[0].endswith(f"|{ANY_PLACE}") or g.row.slot in slots):
                continue
            score = _fits(r, g, window)
            # a placed report goes to a placed group before a placeless one, however worded;
            # ties go to the group founded first (its key sorts by date, then founder)
            rank = (_placed_for(r, g), score, _neg(g.row.key)) if score is not None else None
            if rank is not None and (best is None or rank > best[:3]):
                best = (*rank, g)
        if best is None and not _groupable(r):
            continue  # a denial that answers no group founds none
        if best is None:
            g = _new_group(s, "event", r)
            _join(g, r)
            index.add(g)
        else:
            g = best[3]
            index.remove(g)
            _join(g, r)
            index.add(g)
        placed.append((g, r))
    _store_summaries(s, [*loaded, *(g for g, _r in placed)])
    s.flush()
    return placed


def _placed_for(r: Report, g: Group) -> bool:
    """False for a placeless group and a report with a place. A placed report that fits a
    group founded with a place and one founded without goes to the former, however the latter
    is worded ("at least 43 killed in the town of Jayrud" went to the placeless group its own
    document's "43 people" founded, away from the other outlets' reports from Jayrud): the
    place says which incident, shared wording often only which document."""
    return r.place is None or not g.row.slot or not placeless(g.row.slot)


def _store_summaries(s: Session, groups: list[Group]) -> None:
    """The days and summaries of the groups that took reports, and the summaries of those
    read from their members; stored groups in one executemany."""
    rows = []
    for g in {id(g): g for g in groups}.values():
        if g.touched or not g.row.summary:
            g.row.summary = g.summary()
            if isinstance(g.row, StoredGroup):
                rows.append({"id": g.row.id, "first_seen": g.row.first_seen, "last_seen": g.row.last_seen,
                             "summary": g.row.summary})
    if rows:
        s.execute(update_rows(ClaimGroup), rows)


def _neg(key: str) -> tuple[int, ...]:
    """A sort key that orders strings in reverse (max() then prefers the smallest key)."""
    return tuple(-ord(c) for c in key)


class _GroupIndex:
    """Groups by (family, first day): a report only meets groups that could fit its window."""

    def __init__(self, groups: Iterable[Group]) -> None:
        self._by: dict[tuple[str, int | None], list[Group]] = defaultdict(list)
        for g in groups:
            self.add(g)

    @staticmethod
    def _key(g: Group) -> tuple[str, int | None]:
        return g.family, g.first.toordinal() if g.first else None

    def add(self, g: Group) -> None:
        self._by[self._key(g)].append(g)

    def remove(self, g: Group) -> None:
        self._by[self._key(g)].remove(g)

    def near(self, family: str, day: date | None, window: int) -> list[Group]:
        if day is None:
            return list(self._by.get((family, None), []))
        o = day.toordinal()
        # A group spans at most `window` days, so its first day is within [day - 2w, day + w].
        return [g for d in range(o - 2 * window, o + window + 1) for g in self._by.get((family, d), [])]


# --- counts ----------------------------------------------------------------------------------

def read_count(q: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, counted class) of a casualty count as the events stage read it (its `kind` and
    `counted` noun, sitroom.nlp.events.quantities), or None when it is not a count of people
    or too vague to contradict anything."""
    cfg = config()
    if any(re.search(rf"\b{w}\b", (q.get("text") or "").lower()) for w in cfg["too_vague"]):
        return None
    cls, kind = count_class(q.get("counted")), q.get("kind")
    if cls is None or kind not in cfg["counted_kinds"]:
        return None
    return str(kind), cls


def _lead_end(text: str | None, sentences: list | None) -> int:
    """Where a document's lead ends: after its first few sentences (the first 600
    characters when the text has no sentences; all of it when it is shorter than a lead)."""
    n = claim_group_settings().lead_sentences
    if sentences and len(sentences) >= n:
        return int(sentences[n - 1][1])
    if sentences:
        return int(sentences[-1][1])
    return min(len(text), 600) if text is not None else 600


def lead_counts(r: Report, lead_end: int) -> list[tuple[str, str, str]]:
    """(kind, counted class, value) of the counts a report's lead gives for its event: whole-war
    and year tolls, counts beyond the lead and vague or unclassed numbers left out."""
    if any(c in r.text.lower() for c in config()["cumulative_cues"]):  # a whole-war toll, not this event's
        return []
    out = []
    for q in r.quantities:
        if not isinstance(q.get("start"), int) or q["start"] >= lead_end:
            continue
        if (q.get("value") or 0) > claim_group_settings().max_event_count:  # a war's toll, not an event's
            continue
        read = read_count(q)
        value = format_value(q)
        if read is not None and value is not None:
            out.append((*read, value))
    return out


def _count_groups(s: Session, placed: list[tuple[Group, Report]], leads: dict[str, int]) -> list[ClaimGroup]:
    """Count groups keyed by kind, counted class and event group; members are the lead counts."""
    wanted: dict[str, tuple[str, Group]] = {}
    items: list[tuple[str, Report, str]] = []
    for g, r in placed:
        for kind, cls, value in lead_counts(r, leads.get(r.document_id, 0)):
            key = f"count|{kind}|{cls}|{g.row.key}"[:300]
            wanted[key] = (f"{kind} ({cls}): {g.row.label}", g)
            items.append((key, r, value))
    if not items:
        return []
    rows = _get_or_create(s, {k: v[0] for k, v in wanted.items()})
    for key, (_label, g) in wanted.items():
        rows[key].first_seen, rows[key].last_seen = g.row.first_seen, g.row.last_seen
    _add_members(s, [(rows[k], r, v) for k, r, v in items])
    return list(rows.values())


def _get_or_create(s: Session, labels: dict[str, str]) -> dict[str, ClaimGroup]:
    rows: dict[str, ClaimGroup] = {}
    keys = sorted(labels)
    for chunk in _chunks(keys):
        rows.update({g.key: g for g in s.scalars(select(ClaimGroup).where(ClaimGroup.key.in_(chunk)))})
    for key in keys:
        if key not in rows:
            rows[key] = ClaimGroup(key=key, label=labels[key][:2000], status="single", n_sources=0, n_independent=0)
            s.add(rows[key])
    s.flush()
    return rows


def _add_members(s: Session, items: list[tuple[ClaimGroup, Report, str | None]]) -> None:
    """Insert members, skipping (group, event, value) already present: re-runs add nothing."""
    if not items:
        return
    s.flush()  # new groups get their ids
    have: set[tuple[int, str | None, str | None]] = set()
    for chunk in _chunks(sorted({r.event_id for _g, r, _v in items})):
        have.update((g, e, v) for g, e, v in s.execute(
            select(ClaimGroupMember.group_id, ClaimGroupMember.event_id, ClaimGroupMember.value)
            .where(ClaimGroupMember.event_id.in_(chunk))))
    rows = []
    for g, r, value in items:
        if (g.id, r.event_id, value) in have:
            continue
        have.add((g.id, r.event_id, value))
        rows.append(dict(group_id=g.id, claim_id=r.claim_id, event_id=r.event_id, document_id=r.document_id,
                         stance=r.stance, value=value, source_key=r.source_key[:300],
                         camp=r.camp[:300], facts=r.facts or None))
    if rows:  # one executemany: members are only read back by queries, never as these objects
        s.execute(insert(ClaimGroupMember), rows)


def _subject_groups(s: Session, ctx: _Context, reports: list[Report]) -> list[ClaimGroup]:
    """Counts tied to an actor (Iran's forces in Syria) grouped in a window per kind."""
    windows = claim_group_settings().subject_kinds
    subject_reports: list[Report] = []
    values: dict[tuple[str, str], str] = {}
    casualty = set(config()["casualty_types"])
    for r in reports:
        if r.family in casualty:  # "Russia killed 120 fighters" is not the size of Russia's forces
            continue
        for q in r.quantities:
            # a generic subject ("rebels") is not one force whose size can be compared
            if q.get("kind") in windows and not generic(q.get("subject")) and (v := format_value(q)):
                sub = Report(**{**r.__dict__, "family": f"{q['kind']}:{ctx.actor(q['subject'])}", "place": None,
                                "sources": frozenset(), "targets": frozenset(), "sides": frozenset(), "subplaces": frozenset(), "stance": "asserts",
                                "label": f"{q['kind']} of {ctx.actor(q['subject'])}"})
                subject_reports.append(sub)
                values[(sub.event_id, sub.family)] = v
    if not subject_reports:
        return []
    existing = _load_subject_groups(s, subject_reports)
    touched: list[ClaimGroup] = []
    items = []
    for r in sorted(subject_reports, key=lambda r: (r.day or date.min, r.event_id)):
        kind = r.family.split(":")[0]
        win = timedelta(days=int(windows[kind]))
        fit = [g for g in existing if g.family == r.family and (r.day is None) == (g.first is None)
               and (r.day is None or (r.day >= g.last - win and r.day <= g.first + win))]
        if fit:
            g = min(fit, key=lambda g: g.row.key)
        else:
            g = _new_group(s, "subject", r)
            existing.append(g)
        _join(g, r)
        items.append((g.row, r, values[(r.event_id, r.family)]))
        touched.append(g.row)
    _add_members(s, items)
    return touched


def _load_subject_groups(s: Session, reports: list[Report]) -> list[Group]:
    """Subject groups of the reports' families that one of them could join.

    As for events, a group spans at most its kind's window and a report joins only within
    the window of its first day, so groups starting far outside the reports' days are skipped
    by their (slot, first day) index instead of reading every group of the family or of the days.
    """
    windows = claim_group_settings().subject_kinds
    out = []
    for fam in sorted({r.family for r in reports}):
        days = [r.day for r in reports if r.family == fam and r.day]
        win = timedelta(days=int(windows[fam.split(":")[0]]))
        near = []
        if days:
            near.append(ClaimGroup.first_seen.between((min(days) - 2 * win).isoformat(),
                                                      (max(days) + win).isoformat()))
        if any(r.day is None for r in reports if r.family == fam):
            near.append(ClaimGroup.first_seen.is_(None))
        for row in s.scalars(select(ClaimGroup).where(ClaimGroup.slot == subject_slot(fam), or_(*near))
                             .order_by(ClaimGroup.id)):
            out.append(Group(row=row, family=fam, place=None, first=_day(row.first_seen), last=_day(row.last_seen)))
    return out


# --- judging ---------------------------------------------------------------------------------

# A member as judging reads it: the stored row, or just the columns below.
Member = ClaimGroupMember | Row[Any]
_MEMBER_COLUMNS = (ClaimGroupMember.group_id, ClaimGroupMember.event_id, ClaimGroupMember.document_id,
                   ClaimGroupMember.stance, ClaimGroupMember.value, ClaimGroupMember.source_key, ClaimGroupMember.camp)


def judge(s: Session, group_ids: Iterable[int], ctx: _Context | None = None) -> None:
    """Recompute status and source counts of the given groups from their members."""
    ids = sorted(set(group_ids))
    members: dict[int, list[Member]] = defaultdict(list)
    for chunk in _chunks([str(i) for i in ids]):
        # the columns judged, as plain rows: the members' stored facts are not decoded here
        for m in s.execute(select(*_MEMBER_COLUMNS).where(ClaimGroupMember.group_id.in_([int(c) for c in chunk]))
                           .order_by(ClaimGroupMember.id)):
            members[m.group_id].append(m)
    docs = sorted({m.document_id for ms in members.values() for m in ms})
    published: dict[str, date | None] = {}
    for chunk in _chunks(docs):
        published.update({i: _day(p) for i, p in s.execute(select(DocumentRow.id, DocumentRow.published)
                                                          .where(DocumentRow.id.in_(chunk)))})
    # the actors of groups that hold a denial or an opposite report (only they can be contested so)
    ctx = ctx or _Context(s)
    named = _named_actors(s, sorted({m.event_id for ms in members.values() if any(x.stance != "asserts" for x in ms)
                                     for m in ms if m.event_id}), ctx)
    reports = _count_reports(s, ctx, members)
    revisions = _revisions(s, ctx, reports)
    for chunk in _chunks([str(i) for i in ids]):
        for g in s.scalars(select(ClaimGroup).where(ClaimGroup.id.in_([int(c) for c in chunk]))):
            ms = members.get(g.id, [])
            g.n_sources = len({m.document_id for m in ms})
            g.n_independent = independent_count((m.document_id, m.source_key or m.document_id) for m in ms)
            g.n_camps = independent_count((m.document_id, m.camp or m.source_key or m.document_id) for m in ms)
            g.status = status_of(ms, stances=_contestable(g.key), published=published, window=_key_window(g.key),
                                 actors=named, placed=_placed(g.key), reports=reports, revisions=revisions)


def _count_reports(s: Session, ctx: _Context, members: dict[int, list[Member]]) -> dict[str, Report]:
    """The reports behind the counts of count groups where two documents give values (only
    they can be contested by count, and the pair must then be one incident) and the reports
    of groups holding a denial (it must be about the same place)."""
    wanted: set[str] = set()
    for ms in members.values():
        valued = [m for m in ms if m.value and m.event_id]
        if len({m.document_id for m in valued}) >= 2:
            wanted.update(m.event_id for m in valued if m.event_id)
        if any(m.stance != "asserts" for m in ms):  # a denial is judged against the reports' places
            wanted.update(m.event_id for m in ms if m.event_id)
    return {r.event_id: r for r in load_reports(s, ctx, event_ids=sorted(wanted))} if wanted else {}


def _revisions(s: Session, ctx: _Context, reports: dict[str, Report]) -> list[Report]:
    """Reports that revise a toll ("updated its earlier death toll of 15") on the days of the
    counted reports, wherever they were grouped: a revision grouped with another report of the
    strike still explains why outlets relaying the earlier and the later toll differ."""
    # a toll is revised on the day or within the family's window after (`_revises`)
    days = sorted({(r.day + timedelta(days=k)).isoformat() for r in reports.values() if r.day is not None
                   for k in range(_window(r.family) + 1)})
    out: list[Report] = []
    cols = (ClaimGroupMember.event_id, ClaimGroupMember.document_id, ClaimGroupMember.claim_id,
            ClaimGroupMember.source_key, ClaimGroupMember.camp, ClaimGroupMember.facts)
    for chunk in _chunks(days):
        groups = select(ClaimGroup.id).where(ClaimGroup.first_seen.in_(chunk), ClaimGroup.key.like("event|%"))
        for m in s.execute(select(*cols).where(ClaimGroupMember.group_id.in_(groups),
                                               ClaimGroupMember.facts.is_not(None))):
            if m.facts and m.facts.get("revised"):
                out.append(_from_facts(ctx, m))
    return out


def _key_window(key: str) -> int:
    """The time window of a group's kind of event, read from its key."""
    parts = key.split("|")
    if parts[0] == "count" and len(parts) > 4:
        return _window(parts[4])
    if parts[0] == "subject":
        return claim_group_settings().subject_kinds.get(parts[1].split(":")[0], 30)
    return _window(parts[1]) if len(parts) > 1 else 3


def _placed(key: str) -> bool:
    """Whether an event or count group's key names a place (`event|TYPE|<place>|...`)."""
    parts = key.split("|")
    i = parts.index("event") if "event" in parts else -1
    return i >= 0 and len(parts) > i + 2 and parts[i + 2] not in ("", "-")


def _contestable(key: str) -> bool:
    """Whether assert/deny disagreement counts for a group (its family is in the data list)."""
    parts = key.split("|")
    return parts[0] != "event" or parts[1] in config()["contestable_types"]


def _named_actors(s: Session, event_ids: list[str], keys: SourceKeys | None = None) -> dict[str, frozenset[str]]:
    """Named (non-generic) actors of each event, either role, merges followed."""
    keys = keys or SourceKeys(s)
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(event_ids):
        for ev, actor in s.execute(select(EventActor.event_id, EventActor.actor_id).where(EventActor.event_id.in_(chunk))):
            if not generic(actor):
                out[ev].add(keys.actor(actor))
    return {k: frozenset(v) for k, v in out.items()}


def _toll_update(text: str) -> bool:
    """ "raised the death toll to 31", "updated its earlier toll": a revision, not a second view."""
    return bool(re.search(config()["toll_update"], text, re.IGNORECASE))


def _places_of(r: Report) -> frozenset[str]:
    return frozenset({r.place} if r.place else set()) | r.subplaces


def _stem(key: str) -> str:
    """A place key without its kind words ("idlib governorate" -> "idlib")."""
    drop = set(config()["place_generic"]) | set(config()["place_kind_words"])
    return " ".join(w for w in key.split() if w not in drop) or key


@cache
def _place_info(key: str) -> tuple[int, frozenset[str]]:
    """How fine a place is (0: a site or district, 1: a town, 2: a region; a name the
    gazetteer does not know is a site) and the stems of the regions that contain it."""
    from sitroom.nlp import places

    entry = places.lookup(key)
    if entry is None:
        return 0, frozenset()
    level = next((int(n) for n, kinds in config()["place_levels"].items() if entry.kind in kinds), 0)
    return level, frozenset({_stem(normalise(entry.admin1))} if entry.admin1 else set())


def _finest(keys: frozenset[str]) -> tuple[int, set[str]]:
    """The finest places a report names: "Idlib" beside "Saraqib" is the region around it."""
    around = {c for k in keys for c in _place_info(k)[1]}
    inner = [k for k in keys if _stem(k) not in around] or list(keys)
    level = min(_place_info(k)[0] for k in inner)
    return level, {_stem(k) for k in inner if _place_info(k)[0] == level}


def same_place(a: Report, b: Report) -> bool:
    """Both name the same place at the finest level both give: two towns must be one town
    (two strikes in one province on one day are two incidents), while a town and the region
    that contains it ("Khan Shaykhun", "Idlib province") are compatible."""
    pa, pb = _places_of(a), _places_of(b)
    if not pa or not pb:
        return False
    (la, fa), (lb, fb) = _finest(pa), _finest(pb)
    if la == lb:
        return bool(fa & fb)
    if la > lb:
        pa, fb = pb, fa  # compare the coarser report's finest places with the finer's
    wide = {_stem(k) for k in pa} | {c for k in pa for c in _place_info(k)[1]}
    return bool(fb & wide)


def _same_incident(a: Report | None, b: Report | None) -> bool:
    """Two counts are of one incident: neither is a revised toll, they name one place at the
    finest level both give (`same_place`), their clauses are worded alike (or that place is a
    small town on one day, `_one_town_day`) — or both tell a rare means in one governorate on
    one day (`_one_means_day`) —, the days they state agree, and the attackers they
    name (if both do) overlap. Unknown reports (no facts loaded) are taken as one incident."""
    if a is None or b is None:
        return True
    if a.revised or b.revised or _toll_update(a.text) or _toll_update(b.text):
        return False
    one_means = _one_means_day(a, b.mode, _places_of(b), b.day)
    if not (same_place(a, b) or one_means):
        return False
    if not (one_means or _one_town_day(a, b.place, b.day)) \
            and _similarity(a.tokens, b.tokens) < claim_group_settings().min_count_similarity:
        return False
    if a.explicit and b.explicit and a.day != b.day:
        return False
    return not _roles_clash(a.sources, set(b.sources))


def _stance_conflict(members: Sequence[Member], close: Callable[[Member, Member], bool],
                     same_event: Callable[[Member, Member], bool]) -> bool:
    asserting = [m for m in members if m.stance == "asserts"]
    against = [m for m in members if m.stance in ("denies", "opposite")]
    return any(a.source_key != b.source_key and a.document_id != b.document_id and close(a, b)
               and same_event(a, b) for a in asserting for b in against)


def _revised_toll(by_doc: dict[str, list[Member]], reports: dict[str, Report],
                  revisions: Sequence[Report] = ()) -> bool:
    """A report revising this toll ("updated its earlier toll of 15") says the count changed over
    time: differing counts are then most likely the toll before and after, relayed by
    different outlets, not two views of the incident. The revision is one of the members, or
    one of `revisions` told by a member's document, or at a member's place (`same_place`) on
    its day or within its family's window after (a toll is revised later)."""
    counted = [r for ms in by_doc.values() for m in ms if (r := reports.get(m.event_id or "")) is not None]
    return any(r.revised for r in counted) or any(_revises(v, r) for r in counted for v in revisions)


def _revises(v: Report, r: Report) -> bool:
    """Whether a toll revision `v` may be of the count `r` (`_revised_toll`)."""
    if v.document_id == r.document_id:
        return True
    if v.day is None or r.day is None or not same_place(r, v):
        return False
    return 0 <= (v.day - r.day).days <= _window(r.family)


def _count_conflict(members: Sequence[Member], close: Callable[[str, str], bool],
                    reports: dict[str, Report], revisions: Sequence[Report] = ()) -> bool:
    """Two documents of different sources, close in time, whose counts cannot both hold, and
    two of whose counted reports are one incident."""
    by_doc: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        if m.value and m.stance == "asserts":
            by_doc[m.document_id].append(m)
    if _revised_toll(by_doc, reports, revisions):
        return False
    docs = sorted(by_doc)
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            ma, mb = by_doc[a], by_doc[b]
            # a source correcting its own toll is an update, not a contradiction
            if {m.source_key or a for m in ma} & {m.source_key or b for m in mb} or not close(a, b):
                continue
            if values_conflict([m.value for m in ma if m.value], [m.value for m in mb if m.value]) and any(
                    _same_incident(reports.get(x.event_id or ""), reports.get(y.event_id or ""))
                    for x in ma for y in mb):
                return True
    return False


@dataclass(frozen=True)
class _Timing:
    """What makes two members of a group one event for `status_of`: close enough in time, and
    about the same actors or place."""
    published: dict[str, date | None]
    lag: timedelta
    roles: dict[str, frozenset[str]] | None
    placed: bool
    known: dict[str, Report]

    def same_event(self, a: Member, b: Member) -> bool:
        if self.roles is None:
            return True
        ra, rb = self.roles.get(a.event_id or "", frozenset()), self.roles.get(b.event_id or "", frozenset())
        if ra and rb:
            return bool(parties(ra) & parties(rb))
        # without named actors on both sides, only a place both name (at the finest level
        # both give) makes it one event
        x, y = self.known.get(a.event_id or ""), self.known.get(b.event_id or "")
        return same_place(x, y) if x is not None and y is not None else self.placed

    def close(self, a: str, b: str) -> bool:
        da, db = self.published.get(a), self.published.get(b)
        return da is None or db is None or abs(da - db) <= self.lag

    def close_days(self, a: Member, b: Member) -> bool:
        # the days the reports are of, when the step read them (the text's date, else the
        # publication's): "Russia denied carrying out raids there that day" in an article three
        # weeks later answers the raids of May 31 as much as a denial the same day would
        x, y = self.known.get(a.event_id or ""), self.known.get(b.event_id or "")
        if x is not None and y is not None and x.day is not None and y.day is not None:
            return abs(x.day - y.day) <= self.lag
        return self.close(a.document_id, b.document_id)


def status_of(members: Sequence[Member], stances: bool = True,
              published: dict[str, date | None] | None = None, window: int = 3,
              actors: dict[str, frozenset[str]] | None = None, placed: bool = True,
              reports: dict[str, Report] | None = None, revisions: Sequence[Report] = ()) -> str:
    """contested: assert against deny/opposite, or counts that cannot both hold, from two different
    sources whose reports came out close enough in time to be about the same thing. A denial
    contradicts an assertion only about the same event: both name an actor in common (when
    `actors` is given) — "Moscow denied its jets struck the market" against "Russian strikes
    hit the market", not against another side's shelling of the same town — or, when one of
    them names none, the group is `placed` at a place the reports name. Counts contradict
    each other only when two of their reports are one incident (`_same_incident`, with the
    `reports` given)."""
    t = _Timing(published or {}, timedelta(days=window), actors, placed, reports or {})
    if stances and _stance_conflict(members, t.close_days, t.same_event):
        return "contested"
    if _count_conflict(members, t.close, reports or {}, revisions):
        return "contested"
    if independent_count((m.document_id, m.source_key or m.document_id) for m in members) >= 2:
        return "agree"
    return "single"


# --- the step --------------------------------------------------------------------------------

def update_store(store: Store, document_ids: Sequence[str]) -> int:
    """Group the new documents' reports; returns the number of groups touched."""
    touched: set[int] = set()
    with store.session() as s:
        ctx = _Context(s)
        for chunk in _chunks(sorted(set(document_ids)), 200):
            reports = load_reports(s, ctx, doc_ids=chunk)
            grouped = set()
            for part in _chunks([r.event_id for r in reports]):
                grouped.update(s.scalars(select(ClaimGroupMember.event_id).where(ClaimGroupMember.event_id.in_(part))))
            reports = [r for r in reports if r.event_id not in grouped]
            if not reports:
                continue
            event_reports = [r for r in reports if _groupable(r) or _denier(r)]
            placed = group_events(s, ctx, event_reports)
            _add_members(s, [(g.row, r, None) for g, r in placed])
            touched.update(g.row.id for g, _r in placed)
            leads = {}
            for i, text, sentences in s.execute(select(DocumentRow.id, DocumentRow.text, DocumentRow.sentences)
                                                .where(DocumentRow.id.in_(chunk))):
                leads[i] = _lead_end(text, sentences)
            touched.update(g.id for g in _count_groups(s, placed, leads))
            touched.update(g.id for g in _subject_groups(s, ctx, reports))
        s.flush()
        judge(s, touched, ctx)
    return len(touched)


def update(store: Store, document_ids: list[str]) -> None:
    update_store(store, document_ids)


def reset(store: Store) -> None:
    """Forget every claim group, so `sitroom rebuild claims` groups all reports afresh."""
    with store.session() as s:
        s.execute(delete(ClaimGroupMember))
        s.execute(delete(ClaimGroup))


STEP = register_step(CorpusStep("claims", order=30, update=update, reset=reset))
