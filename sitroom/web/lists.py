"""Browsable lists (actors, events, claims, documents, relations): filters, sorting, paging.

One `ListSpec` per list says which filters it takes, how it sorts and how a row reads; the
page (`/events`), its JSON twin (`/api/events`) and the CSV download
(`/api/events?format=csv`) all run the same `run(spec, conn, params)`, so a download holds
exactly the rows the page shows. Parameters are validated (`ParamError`, a 422 with a
message naming the parameter); every query is bounded by `limit` (at most MAX_LIMIT) and
ordered on an indexed column where one exists.

The ACLED columns of events (`acled_event_type`, `acled_sub_event_type`, `fatalities`) are
read through `acled_column()` / `fatalities_column()`: filters and columns on them appear
when the model has them, so the lists work on a schema without them too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, exists, func, literal_column, or_, select

from sitroom.corpus.merges import merged_names
from sitroom.corpus.read import rejected_spans, span_key
from sitroom.records import CUE_CLASSES
from sitroom.store.models import (
    ActorRow,
    ClaimGroup,
    ClaimGroupMember,
    ClaimRow,
    DocumentRow,
    EventActor,
    EventRow,
    RelationRow,
    not_stance,
)
from sitroom.web import params

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
ACTOR_WINDOW = 5000  # an actor's events the event filter reads (newest ingested)
SPEAKER_WINDOW = 1000  # a speaker's claims the claim list reads and orders by publication
COMMON = ("sort", "limit", "offset", "page", "format")


class ParamError(ValueError):
    """A bad query parameter; the message names it and says why."""


# --- optional event columns (added by the ACLED mapping) ------------------------------------

def acled_column() -> Any:
    return getattr(EventRow, "acled_event_type", None)


def acled_sub_column() -> Any:
    return getattr(EventRow, "acled_sub_event_type", None)


def fatalities_column() -> Any:
    return getattr(EventRow, "fatalities", None)


# --- parameters ------------------------------------------------------------------------------

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def check_date(name: str, value: str | None) -> str | None:
    """'' or None -> None; YYYY, YYYY-MM or YYYY-MM-DD (a real date) -> as given; else ParamError."""
    value = (value or "").strip()
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise ParamError(f"{name}: not a date (YYYY-MM-DD): {value[:40]!r}")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ParamError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from exc
    return value


def _int(name: str, value: str | None, default: int, lo: int, hi: int | None = None) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        n = int(value)
    except ValueError as exc:
        raise ParamError(f"{name}: not a whole number: {value[:40]!r}") from exc
    hi = params.MAX_INT if hi is None else hi  # a number past any driver's range is a 422, not a 500
    if n < lo or n > hi:
        raise ParamError(f"{name}: must be between {lo} and {hi}")
    return n


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    kind: str = "text"  # text | date | int | choice
    help: str = ""


@dataclass
class Params:
    filters: dict[str, Any]
    sort: str
    limit: int
    offset: int
    format: str = "json"

    def query(self, **override: Any) -> dict[str, Any]:
        """The parameters as a query string dict (for links: pager, download, chart bars)."""
        q = {k: v for k, v in self.filters.items() if v not in (None, "")}
        q.update(sort=self.sort, limit=self.limit, offset=self.offset)
        q.update(override)
        return {k: v for k, v in q.items() if v not in (None, "")}


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str
    filters: tuple[Filter, ...]
    sorts: dict[str, Any]  # name -> (column expression(s), default direction desc?)
    default_sort: str
    query: Callable[[Connection, Params], list[dict[str, Any]]]
    columns: tuple[str, ...]
    choices: Callable[[Connection], dict[str, list[str]]] = field(default=lambda conn: {})

    def parse(self, raw: Mapping[str, str]) -> Params:
        known = {f.name for f in self.filters} | set(COMMON)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ParamError(f"{unknown[0]}: unknown parameter (this list takes: {', '.join(sorted(known))})")
        filters: dict[str, Any] = {}
        for f in self.filters:
            value = raw.get(f.name)
            if f.kind == "date":
                filters[f.name] = check_date(f.name, value)
            elif f.kind == "int":
                filters[f.name] = _int(f.name, value, 0, 0) or None
            else:
                filters[f.name] = (value or "").strip()[:300] or None
        sort = (raw.get("sort") or self.default_sort).strip()
        if sort.lstrip("-") not in self.sorts:
            raise ParamError(f"sort: unknown order {sort[:40]!r} (one of: {', '.join(sorted(self.sorts))}, "
                             "'-' before a name reverses it)")
        fmt = (raw.get("format") or "json").strip()
        if fmt not in ("json", "csv"):
            raise ParamError(f"format: {fmt[:20]!r} is not json or csv")
        limit = _int("limit", raw.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int("offset", raw.get("offset"), 0, 0)
        if raw.get("page") and not raw.get("offset"):  # page numbers, as older links used
            offset = (_int("page", raw.get("page"), 1, 1) - 1) * limit
        return Params(filters, sort, limit, offset, fmt)


def _order(spec_sorts: dict[str, Any], sort: str) -> list[Any]:
    cols = spec_sorts[sort.lstrip("-")]
    cols = cols if isinstance(cols, tuple) else (cols,)
    # "-x" flips the list's natural order; names are newest/biggest-first by default for dates and counts
    desc = sort.startswith("-")
    return [c.desc() if desc else c.asc() for c in cols]


def _csv_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _like(value: str) -> str:
    return "%" + value.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"


# --- actors ----------------------------------------------------------------------------------

def _actors(conn: Connection, p: Params) -> list[dict[str, Any]]:
    f = p.filters
    q = select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.country, ActorRow.origin, ActorRow.code) \
        .where(ActorRow.merged_into.is_(None))
    if f["kind"]:
        q = q.where(ActorRow.kind.in_(_csv_list(f["kind"])))
    if f["country"]:
        q = q.where(ActorRow.country.in_([c.upper() for c in _csv_list(f["country"])]))
    if f["name"]:
        q = q.where(ActorRow.name.ilike(_like(f["name"]), escape="\\"))
    q = q.order_by(*_order(ACTORS_SORTS, p.sort), ActorRow.id).limit(p.limit).offset(p.offset)
    return [dict(r._mapping) for r in conn.execute(q)]


ACTORS_SORTS = {"name": ActorRow.name, "kind": (ActorRow.kind, ActorRow.name),
                "country": (ActorRow.country, ActorRow.name)}


# --- events ----------------------------------------------------------------------------------

def place_name(conn: Connection) -> Any:
    """The event's place name, written as the expression index of migration 0011 is."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(EventRow.place, literal_column("'$.name'"))
    return EventRow.place.op("->>")(literal_column("'name'"))


def actor_events(actor_id: str) -> Any:
    """Ids of an actor's events, the newest ACTOR_WINDOW ingested (an index walk on event_actors:
    a per-row EXISTS over a date walk took minutes for a big actor on a 100k-document store)."""
    return (select(EventActor.event_id).where(EventActor.actor_id == actor_id)
            .order_by(EventActor.id.desc()).limit(ACTOR_WINDOW).scalar_subquery())


def event_conditions(conn: Connection, f: dict[str, Any]) -> list[Any]:
    """WHERE conditions for the event filters (shared by the list, the map and the timeline)."""
    conds: list[Any] = []
    if f.get("type"):
        conds.append(EventRow.type.in_(_csv_list(f["type"])))
    if f.get("acled") and acled_column() is not None:
        conds.append(acled_column().in_(_csv_list(f["acled"])))
    if f.get("start"):
        conds.append(EventRow.date_value >= f["start"])
    if f.get("end"):
        conds.append(EventRow.date_value <= f["end"] + "\uffff")
    if f.get("place"):
        conds.append(place_name(conn) == f["place"])
    if f.get("country"):
        conds.append(EventRow.place["country"].as_string().in_([c.upper() for c in _csv_list(f["country"])]))
    if f.get("actor"):
        conds.append(EventRow.id.in_(actor_events(f["actor"])))
    if f.get("outlet"):
        conds.append(exists().where(DocumentRow.id == EventRow.document_id,
                                    DocumentRow.site.ilike(_like(f["outlet"]), escape="\\")))
    if f.get("min_fatalities") and fatalities_column() is not None:
        conds.append(fatalities_column() >= f["min_fatalities"])
    return conds


def _events(conn: Connection, p: Params) -> list[dict[str, Any]]:
    cols = [EventRow.id, EventRow.document_id, EventRow.date_value, EventRow.type, EventRow.mode, EventRow.cameo,
            EventRow.place, EventRow.negated, EventRow.modality, EventRow.text, EventRow.start, EventRow.end]
    extra = {"acled_type": acled_column(), "acled_sub_type": acled_sub_column(), "fatalities": fatalities_column()}
    cols += [c.label(k) for k, c in extra.items() if c is not None]
    q = (select(*cols).where(*event_conditions(conn, p.filters))
         .order_by(*_event_order(conn, p.sort), _event_tiebreak(conn, p.sort)).limit(p.limit).offset(p.offset))
    rows = [dict(r._mapping) for r in conn.execute(q)]
    return decorate_events(conn, rows)


def _event_order(conn: Connection, sort: str) -> list[Any]:
    cols = _order(event_sorts(), sort)
    if conn.dialect.name != "postgresql":
        return cols
    # Undated events last newest-first and first oldest-first, as SQLite orders NULLs, and as
    # ix_events_date_id is walked (PostgreSQL put a million undated events first, sorted by id).
    return [(c.nulls_last() if sort.startswith("-") else c.nulls_first())
            if getattr(c.element, "key", None) == "date_value" else c for c in cols]


def _event_tiebreak(conn: Connection, sort: str) -> Any:
    # SQLite: rowid, which every index entry ends with, so a date or type order stays one
    # index walk (events.id, a text key, made it sort each run of equal dates, and a
    # million events have no date). Other databases: the id.
    col = literal_column("events.rowid") if conn.dialect.name == "sqlite" else EventRow.id
    return col.desc() if sort.startswith("-") else col.asc()


def decorate_events(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add source/target actors, the document's title/site and a link; drop rejected events."""
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    roles: dict[str, dict[str, list[str]]] = {i: {"source": [], "target": []} for i in ids}
    for ea in conn.execute(select(EventActor.event_id, EventActor.actor_id, EventActor.role)
                           .where(EventActor.event_id.in_(ids)).order_by(EventActor.position)):
        if ea.role in ("source", "target"):
            roles[ea.event_id][ea.role].append(ea.actor_id)
    names = {r.id: r.name for r in conn.execute(select(ActorRow.id, ActorRow.name).where(
        ActorRow.id.in_(sorted({a for x in roles.values() for v in x.values() for a in v}))))}
    docs = {r.id: r for r in conn.execute(select(DocumentRow.id, DocumentRow.title, DocumentRow.site,
                                                 DocumentRow.published)
                                          .where(DocumentRow.id.in_(sorted({r["document_id"] for r in rows}))))}
    rejected = rejected_spans(conn, {r["document_id"] for r in rows})
    out = []
    for r in rows:
        if ("event", span_key(r["document_id"], r["start"], r["end"])) in rejected:
            continue
        place = r.pop("place") or {}
        d = docs.get(r["document_id"])
        r.update(place=place.get("name"), country=place.get("country"), lat=place.get("lat"), lon=place.get("lon"),
                 source=[{"id": a, "name": names.get(a, a)} for a in roles[r["id"]]["source"]],
                 target=[{"id": a, "name": names.get(a, a)} for a in roles[r["id"]]["target"]],
                 title=d.title if d else None, site=d.site if d else None,
                 published=d.published if d else None, link=f"/docs/{r['document_id']}#s-{r['start']}")
        out.append(r)
    return out


def event_sorts() -> dict[str, Any]:
    sorts = {"date": (EventRow.date_value,), "type": (EventRow.type, EventRow.date_value)}
    if fatalities_column() is not None:
        # unknown counts sort below zero on every database (NULLs order differently)
        sorts["fatalities"] = (func.coalesce(fatalities_column(), -1), EventRow.date_value)
    return sorts


def event_filters() -> tuple[Filter, ...]:
    fs = [Filter("type", "Type", "choice"), Filter("start", "From", "date"), Filter("end", "To", "date"),
          Filter("place", "Place"), Filter("country", "Country (ISO3)"), Filter("actor", "Actor id"),
          Filter("outlet", "Outlet")]
    if acled_column() is not None:
        fs.insert(1, Filter("acled", "ACLED type", "choice"))
    if fatalities_column() is not None:
        fs.append(Filter("min_fatalities", "Min. fatalities", "int"))
    return tuple(fs)


def _event_choices(conn: Connection) -> dict[str, list[str]]:
    """Choices from the ontologies (PLOVER, ACLED), not a DISTINCT over a million events."""
    from sitroom.nlp.events import acled
    from sitroom.nlp.events.lexicon import plover

    out = {"type": sorted(plover()["types"])}
    if acled_column() is not None:
        out["acled"] = sorted({t for t, _sub in acled.table().classes.values()})
    return out


# --- claims ----------------------------------------------------------------------------------

def _claim_when() -> Any:
    return func.coalesce(ClaimRow.date_value, func.substr(DocumentRow.published, 1, 10))


def newest_documents_first(sort: str) -> list[Any]:
    """Order by publication as ix_documents_published_id (published DESC, id) is walked:
    documents outermost, so a page of claims is an index walk, not a sort of a million rows."""
    if sort.startswith("-"):
        return [DocumentRow.published.desc(), DocumentRow.id.asc()]
    return [DocumentRow.published.asc(), DocumentRow.id.desc()]


def _known_speaker(conn: Connection, speaker: str | None) -> str | None:
    """The speaker filter when it is an actor id of the store (else it is words as written)."""
    if not speaker:
        return None
    return speaker if conn.execute(select(ActorRow.id).where(ActorRow.id == speaker)).first() else None


def speaker_claims(conn: Connection, actor_id: str) -> Any:
    """Ids of an actor's claims, at most SPEAKER_WINDOW (SQLite: the newest stored). Walking the
    documents newest first until enough of a rare speaker's claims turned up took minutes on a
    100k-document store; this is one index range on claims.speaker_actor_id."""
    q = select(ClaimRow.id).where(ClaimRow.speaker_actor_id == actor_id)
    if conn.dialect.name == "sqlite":
        q = q.order_by(literal_column("claims.rowid").desc())
    return q.limit(SPEAKER_WINDOW).scalar_subquery()


def _claims(conn: Connection, p: Params) -> list[dict[str, Any]]:
    f = p.filters
    when = _claim_when()
    # SQLite: "+documents.id" keeps the planner from looking documents up per claim, so it
    # walks documents newest first (ix_documents_published_id) and their claims by index.
    speaker = _known_speaker(conn, f["speaker"])
    doc_id = literal_column("+documents.id") if conn.dialect.name == "sqlite" and not speaker else DocumentRow.id
    q = (select(ClaimRow.id, ClaimRow.document_id, ClaimRow.kind, ClaimRow.cue_class, ClaimRow.speaker_text,
                ClaimRow.speaker_actor_id,
                ClaimRow.content_text, ClaimRow.content_start, ClaimRow.content_end, ClaimRow.direct,
                when.label("date"), DocumentRow.title, DocumentRow.site)
         .select_from(ClaimRow).join(DocumentRow, doc_id == ClaimRow.document_id))
    if f["kind"]:
        q = q.where(ClaimRow.kind.in_(_csv_list(f["kind"])))
    if f["cue_class"]:  # beliefs and intentions only when asked for by name
        q = q.where(ClaimRow.cue_class.in_(_csv_list(f["cue_class"])))
    else:
        q = q.where(not_stance())
    if speaker:  # the actor's claims first (its index), then their documents' order
        q = q.where(ClaimRow.id.in_(speaker_claims(conn, speaker)))
    elif f["speaker"]:  # words of the speaker as written
        q = q.where(ClaimRow.speaker_text.ilike(_like(f["speaker"]), escape="\\"))
    if f["outlet"]:
        q = q.where(DocumentRow.site.ilike(_like(f["outlet"]), escape="\\"))
    if f["start"]:  # by the document's publication date (indexed), like the order
        q = q.where(DocumentRow.published >= f["start"])
    if f["end"]:
        q = q.where(DocumentRow.published <= f["end"] + "\uffff")
    if f["min_sources"]:  # claims in a group that this many independent sources report
        q = q.where(exists().where(ClaimGroupMember.claim_id == ClaimRow.id,
                                   ClaimGroup.id == ClaimGroupMember.group_id,
                                   ClaimGroup.n_independent >= f["min_sources"]))
    q = q.order_by(*newest_documents_first(p.sort), ClaimRow.id).limit(p.limit).offset(p.offset)
    rows = [dict(r._mapping) for r in conn.execute(q)]
    rejected = rejected_spans(conn, {r["document_id"] for r in rows}) if rows else set()
    rows = [r for r in rows if ("claim", span_key(r["document_id"], r["content_start"], r["content_end"]))
            not in rejected]
    # named as the actor a speaker ends up as: "Syrian officials" by the government their agent
    # merged into (the stored id stays; its actor page redirects there)
    names = merged_names(conn, {r["speaker_actor_id"] for r in rows if r["speaker_actor_id"]})
    for r in rows:
        r["speaker_name"] = names.get(r["speaker_actor_id"] or "", (None, None))[1]
    return rows


# --- documents -------------------------------------------------------------------------------

def _documents(conn: Connection, p: Params) -> list[dict[str, Any]]:
    f = p.filters
    q = select(DocumentRow.id, DocumentRow.title, DocumentRow.site, DocumentRow.published, DocumentRow.language,
               DocumentRow.url)
    if f["outlet"]:
        q = q.where(DocumentRow.site.ilike(_like(f["outlet"]), escape="\\"))
    if f["language"]:
        q = q.where(DocumentRow.language.in_(_csv_list(f["language"])))
    if f["start"]:
        q = q.where(DocumentRow.published >= f["start"])
    if f["end"]:
        q = q.where(DocumentRow.published <= f["end"] + "\uffff")
    if p.sort.lstrip("-") == "published":
        q = q.order_by(*newest_documents_first(p.sort))
    else:  # an outlet's documents together: ix_documents_site_external walked to the limit
        q = q.order_by(*_order({"outlet": (DocumentRow.site, DocumentRow.external_id)}, p.sort), _doc_tiebreak(conn, p.sort))
    return [dict(r._mapping) for r in conn.execute(q.limit(p.limit).offset(p.offset))]


def _doc_tiebreak(conn: Connection, sort: str) -> Any:
    # SQLite: rowid, which the index entries end with (documents.id made it sort every run of
    # one outlet's documents: 1.4 s on a 100k store); elsewhere the id.
    col = literal_column("documents.rowid") if conn.dialect.name == "sqlite" else DocumentRow.id
    return col.desc() if sort.startswith("-") else col.asc()


# --- relations -------------------------------------------------------------------------------

RELATION_SORTS = {"sources": (RelationRow.n_sources, RelationRow.n_evidence), "evidence": RelationRow.n_evidence,
                  "first_seen": RelationRow.first_seen, "last_seen": RelationRow.last_seen, "type": RelationRow.type}


def _relations(conn: Connection, p: Params) -> list[dict[str, Any]]:
    f = p.filters
    src, tgt = ActorRow.__table__.alias("s"), ActorRow.__table__.alias("t")
    q = (select(RelationRow.id, RelationRow.source_id, src.c.name.label("source_name"), RelationRow.type,
                RelationRow.target_id, tgt.c.name.label("target_name"), RelationRow.n_sources, RelationRow.n_evidence,
                RelationRow.first_seen, RelationRow.last_seen)
         .select_from(RelationRow)
         .outerjoin(src, src.c.id == RelationRow.source_id).outerjoin(tgt, tgt.c.id == RelationRow.target_id))
    if f["type"]:
        q = q.where(RelationRow.type.in_(_csv_list(f["type"])))
    if f["kind"]:
        kinds = _csv_list(f["kind"])
        q = q.where(or_(src.c.kind.in_(kinds), tgt.c.kind.in_(kinds)))
    if f["actor"]:
        q = q.where(or_(RelationRow.source_id == f["actor"], RelationRow.target_id == f["actor"]))
    if f["min_sources"]:
        q = q.where(RelationRow.n_sources >= f["min_sources"])
    if f["start"]:
        q = q.where(or_(RelationRow.last_seen.is_(None), RelationRow.last_seen >= f["start"]))
    if f["end"]:
        q = q.where(or_(RelationRow.first_seen.is_(None), RelationRow.first_seen <= f["end"] + "\uffff"))
    q = q.order_by(*_order(RELATION_SORTS, p.sort), RelationRow.id).limit(p.limit).offset(p.offset)
    return [dict(r._mapping) for r in conn.execute(q)]


def _kinds(conn: Connection) -> dict[str, list[str]]:
    return {"kind": [r[0] for r in conn.execute(select(ActorRow.kind).distinct().order_by(ActorRow.kind).limit(100))]}


def _relation_choices(conn: Connection) -> dict[str, list[str]]:
    types = [r[0] for r in conn.execute(select(RelationRow.type).distinct().order_by(RelationRow.type).limit(100))]
    return {**_kinds(conn), "type": types}


# --- the lists -------------------------------------------------------------------------------

LISTS = ("actors", "events", "claims", "docs", "relations")  # the names of specs(), for routes made at import


def specs() -> dict[str, ListSpec]:
    """The lists by name (built per call: event filters depend on the columns the model has)."""
    return {
        "actors": ListSpec("actors", "Actors", (Filter("name", "Name contains"), Filter("kind", "Kind", "choice"),
                                                Filter("country", "Country (ISO3)")),
                           ACTORS_SORTS, "name", _actors, ("id", "name", "kind", "country", "code", "origin"), _kinds),
        "events": ListSpec("events", "Events", event_filters(), event_sorts(), "-date", _events,
                           ("id", "date_value", "type", "mode", "cameo", "acled_type", "acled_sub_type", "fatalities", "source", "target",
                            "place", "country", "lat", "lon", "negated", "modality", "text", "document_id", "title",
                            "site", "link"), _event_choices),
        "claims": ListSpec("claims", "Claims",
                           (Filter("speaker", "Speaker (name or actor id)"), Filter("outlet", "Outlet"),
                            Filter("start", "From", "date"), Filter("end", "To", "date"),
                            Filter("kind", "Kind", "choice"),
                            Filter("cue_class", "Cue", "choice",
                                   "speech, report, accusation; beliefs and intentions only when chosen"),
                            Filter("min_sources", "Min. independent sources", "int")),
                           {"published": None}, "-published", _claims,
                           ("id", "date", "speaker_text", "speaker_actor_id", "speaker_name", "kind", "cue_class",
                            "direct", "content_text", "document_id", "title", "site"),
                           lambda conn: {"kind": ["attributed", "author"], "cue_class": list(CUE_CLASSES)}),
        "docs": ListSpec("docs", "Documents", (Filter("outlet", "Outlet"), Filter("language", "Language"),
                                               Filter("start", "From", "date"), Filter("end", "To", "date")),
                         {"published": None, "outlet": None}, "-published", _documents,
                         ("id", "title", "site", "published", "language", "url")),
        "relations": ListSpec("relations", "Relations",
                              (Filter("type", "Relation", "choice"), Filter("kind", "Actor kind", "choice"),
                               Filter("actor", "Actor id"), Filter("min_sources", "Min. sources", "int"),
                               Filter("start", "From", "date"), Filter("end", "To", "date")),
                              RELATION_SORTS, "-sources", _relations,
                              ("id", "source_id", "source_name", "type", "target_id", "target_name", "n_sources",
                               "n_evidence", "first_seen", "last_seen"), _relation_choices),
    }


def run(spec: ListSpec, conn: Connection, p: Params) -> list[dict[str, Any]]:
    return spec.query(conn, p)


def flat(row: dict[str, Any], columns: tuple[str, ...]) -> list[str]:
    """A row as CSV cells: lists of actors joined by '; ', None as ''."""
    out = []
    for c in columns:
        v = row.get(c)
        if isinstance(v, list):
            v = "; ".join(x["name"] if isinstance(x, dict) else str(x) for x in v)
        out.append("" if v is None else str(v))
    return out
