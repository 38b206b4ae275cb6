"""Read queries behind the web pages and the JSON API.

Every query is bounded (LIMIT) and walks an index, so pages stay fast on a large store;
every function copes with empty tables. Functions take a SQLAlchemy Connection and return
plain dicts/lists ready for JSON or templates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, String, cast, or_, select

from sitroom.agents import usable
from sitroom.corpus import read
from sitroom.corpus.merges import merged_names
from sitroom.corpus.read import contested, rejected_spans, review_state, span_key  # noqa: F401 (re-exported)
from sitroom.records import shown_speaker
from sitroom.store import fts
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    AffiliationRow,
    ClaimRow,
    DocumentRow,
    EventActor,
    EventRow,
    MentionRow,
    RelationEvidence,
    RelationRow,
)
from sitroom.web.cache import cached

MAX_EDGES = 600
MAX_LIST = 200
TIMELINE = 120  # events on an actor page (the newest ingested, shown by date)


def _rows(result) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    keys = list(result.keys())
    return [dict(zip(keys, r, strict=True)) for r in result]


def actor_names(conn: Connection, ids: set[str] | list[str]) -> dict[str, dict[str, Any]]:
    """id → {name, kind, country} for the given ids (one IN query, chunked)."""
    ids = sorted({i for i in ids if i})
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in conn.execute(select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.country,
                                     ActorRow.merged_into).where(ActorRow.id.in_(chunk))):
            out[r.id] = dict(r._mapping)
    # a merged actor is named as the one it was merged into ("Syrian officials" of a document
    # are the Government of Syria), `merged_into` still telling lists to skip it
    survivors = merged_names(conn, [i for i, v in out.items() if v["merged_into"]])
    for i, (_, name) in survivors.items():
        out[i]["name"] = name
    return out


# --- reviews ---------------------------------------------------------------------------------

def _correction(review: dict[str, Any] | None) -> dict[str, Any]:
    return review["payload"] if review and review["decision"] == "correct" else {}


# --- graph -----------------------------------------------------------------------------------

def graph(conn: Connection, start: str | None = None, end: str | None = None, rel_type: str | None = None,
          kind: str | None = None, min_sources: int = 1, limit: int = MAX_EDGES,
          actor: str | None = None) -> dict[str, Any]:
    """Cytoscape elements for the actor network, strongest edges first."""
    src, tgt = ActorRow.__table__.alias("s"), ActorRow.__table__.alias("t")
    q = (select(RelationRow.id, RelationRow.source_id, RelationRow.target_id, RelationRow.type,
                RelationRow.n_sources, RelationRow.n_evidence, RelationRow.first_seen, RelationRow.last_seen,
                src.c.name.label("s_name"), src.c.kind.label("s_kind"), src.c.country.label("s_country"),
                tgt.c.name.label("t_name"), tgt.c.kind.label("t_kind"), tgt.c.country.label("t_country"))
         .select_from(RelationRow)
         .outerjoin(src, src.c.id == RelationRow.source_id)
         .outerjoin(tgt, tgt.c.id == RelationRow.target_id))
    if actor:  # one actor's neighbourhood
        q = q.where(or_(RelationRow.source_id == actor, RelationRow.target_id == actor))
    if min_sources > 1:
        q = q.where(RelationRow.n_sources >= min_sources)
    if rel_type:
        q = q.where(RelationRow.type.in_([t for t in rel_type.split(",") if t]))
    if start:  # the relation was seen at some point inside the window
        q = q.where(or_(RelationRow.last_seen.is_(None), RelationRow.last_seen >= start))
    if end:
        q = q.where(or_(RelationRow.first_seen.is_(None), RelationRow.first_seen <= end + "\uffff"))
    if kind:
        kinds = [k for k in kind.split(",") if k]
        q = q.where(or_(src.c.kind.in_(kinds), tgt.c.kind.in_(kinds)))
    # All DESC so ix_relations_rank is walked backwards and the walk stops at the limit.
    q = q.order_by(RelationRow.n_sources.desc(), RelationRow.n_evidence.desc(), RelationRow.id.desc()).limit(limit)
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for r in conn.execute(q):
        for aid, name, akind, country in ((r.source_id, r.s_name, r.s_kind, r.s_country),
                                          (r.target_id, r.t_name, r.t_kind, r.t_country)):
            if aid not in nodes:
                nodes[aid] = {"id": aid, "label": name or aid, "kind": akind or "unknown", "country": country,
                              "degree": 0}
            nodes[aid]["degree"] += 1
        edges.append({"id": str(r.id), "source": r.source_id, "target": r.target_id, "type": r.type,
                      "n_sources": r.n_sources, "n_evidence": r.n_evidence,
                      "first_seen": r.first_seen, "last_seen": r.last_seen})
    return {"nodes": [{"data": n} for n in nodes.values()], "edges": [{"data": e} for e in edges],
            "truncated": len(edges) >= limit}


def relation_types(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(select(RelationRow.type).distinct().order_by(RelationRow.type).limit(100))]


def actor_kinds(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(select(ActorRow.kind).distinct().order_by(ActorRow.kind).limit(100))]


def relation(conn: Connection, rel_id: int, limit: int = MAX_LIST, offset: int = 0) -> dict[str, Any] | None:
    r = conn.execute(select(RelationRow).where(RelationRow.id == rel_id)).first()
    if r is None:
        return None
    edge = dict(r._mapping)
    names = actor_names(conn, [edge["source_id"], edge["target_id"]])
    edge["source"] = {"id": edge["source_id"], "name": names.get(edge["source_id"], {}).get("name", edge["source_id"])}
    edge["target"] = {"id": edge["target_id"], "name": names.get(edge["target_id"], {}).get("name", edge["target_id"])}
    rows = _rows(conn.execute(
        select(RelationEvidence.id, RelationEvidence.document_id, RelationEvidence.kind, RelationEvidence.record_id,
               RelationEvidence.start, RelationEvidence.end, RelationEvidence.text, RelationEvidence.published,
               RelationEvidence.reason, DocumentRow.title, DocumentRow.site)
        .join(DocumentRow, DocumentRow.id == RelationEvidence.document_id)
        .where(RelationEvidence.relation_id == rel_id)
        .order_by(RelationEvidence.id).limit(limit).offset(offset)))
    rows.sort(key=lambda e: (e["published"] or "", e["id"]))
    rejected = rejected_spans(conn, {e["document_id"] for e in rows}) if rows else set()
    evidence = []
    for e in rows:
        key = span_key(e["document_id"], e["start"], e["end"])
        if (e["kind"], key) in rejected:
            continue  # an analyst rejected the event/claim behind this evidence
        e["link"] = f"/docs/{e['document_id']}" + (f"#s-{e['start']}" if e["start"] is not None else "")
        evidence.append(e)
    edge["evidence"] = evidence
    return edge


# --- actors ----------------------------------------------------------------------------------

def _day(row: dict[str, Any]) -> str:
    """The row's own date, else its document's publication day."""
    return row["date_value"] or (row["published"] or "")[:10]


def actor(conn: Connection, actor_id: str) -> dict[str, Any] | None:
    r = conn.execute(select(ActorRow).where(ActorRow.id == actor_id)).first()
    if r is None:
        return None
    a = dict(r._mapping)
    a["aliases"] = _aliases(conn, actor_id)
    affs = distinct_affiliations(_rows(conn.execute(
        select(AffiliationRow.actor_id, AffiliationRow.type, AffiliationRow.target_id, AffiliationRow.start,
               AffiliationRow.end, AffiliationRow.title)
        .where(or_(AffiliationRow.actor_id == actor_id, AffiliationRow.target_id == actor_id))
        .limit(MAX_LIST))))
    rels = _rows(conn.execute(
        select(RelationRow.id, RelationRow.source_id, RelationRow.target_id, RelationRow.type, RelationRow.n_sources,
               RelationRow.n_evidence, RelationRow.first_seen, RelationRow.last_seen)
        .where(or_(RelationRow.source_id == actor_id, RelationRow.target_id == actor_id))
        .order_by(RelationRow.n_sources.desc(), RelationRow.id).limit(MAX_LIST)))
    rejected = rejected_spans(conn)
    events = _actor_events(conn, actor_id, rejected)
    claims = _actor_claims(conn, actor_id, rejected)
    docs = _actor_documents(conn, actor_id)
    ids = {x for f in affs for x in (f["actor_id"], f["target_id"])}
    ids |= {x for r in rels for x in (r["source_id"], r["target_id"])}
    ids.add(actor_id)
    a["names"] = {k: v["name"] for k, v in actor_names(conn, ids).items()}
    a["names"].update(gazetteer_names(ids - set(a["names"])))
    a.update(affiliations=affs, relations=rels, events=events, claims=claims, documents=docs,
             quantities=_quantities(conn, a, claims, rejected))
    return a


def _aliases(conn: Connection, actor_id: str) -> dict[str, list[str]]:
    """The actor's aliases by language."""
    aliases: dict[str, list[str]] = defaultdict(list)
    for al in conn.execute(select(ActorAlias.lang, ActorAlias.alias).where(ActorAlias.actor_id == actor_id)
                           .order_by(ActorAlias.id).limit(MAX_LIST)):
        aliases[al.lang].append(al.alias)
    return dict(aliases)


def _actor_events(conn: Connection, actor_id: str, rejected: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The actor's newest TIMELINE events with its role in each, by date; rejected ones left out."""
    # Walk the actor's index newest-first and stop at the limit (a big actor has 100k rows);
    # the page then orders that window by event date.
    roles: dict[str, str] = {}
    for r in conn.execute(select(EventActor.event_id, EventActor.role).where(EventActor.actor_id == actor_id)
                          .order_by(EventActor.id.desc()).limit(TIMELINE)):
        roles.setdefault(r.event_id, r.role)
    # By primary key only: a join on event_actors here lets the planner walk all the actor's rows.
    ev_rows = _rows(conn.execute(
        select(EventRow.id, EventRow.document_id, EventRow.type, EventRow.mode, EventRow.cameo, EventRow.date_value,
               EventRow.date_precision, EventRow.text, EventRow.start, EventRow.end, EventRow.negated,
               EventRow.modality, EventRow.claim_id, DocumentRow.title, DocumentRow.site, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == EventRow.document_id)
        .where(EventRow.id.in_(list(roles))))) if roles else []
    for e in ev_rows:
        e["role"] = roles[e["id"]]
    seen: set[tuple[str, str]] = set()
    events = []
    for e in ev_rows:
        if ("event", span_key(e["document_id"], e["start"], e["end"])) in rejected or (e["id"], e["role"]) in seen:
            continue
        seen.add((e["id"], e["role"]))
        events.append(e)
    events.sort(key=lambda e: (_day(e), e["id"]))
    return events


def _actor_claims(conn: Connection, actor_id: str, rejected: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Claims the actor made, newest first; rejected ones left out."""
    claims = _rows(conn.execute(
        select(ClaimRow.id, ClaimRow.document_id, ClaimRow.content_text, ClaimRow.date_value, ClaimRow.quantities,
               ClaimRow.content_start, ClaimRow.content_end, DocumentRow.title, DocumentRow.site,
               DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        .where(ClaimRow.speaker_actor_id == actor_id).limit(MAX_LIST)))
    claims = [c for c in claims if ("claim", span_key(c["document_id"], c["content_start"], c["content_end"]))
              not in rejected]
    claims.sort(key=lambda c: (_day(c), c["id"]), reverse=True)
    return claims


def _actor_documents(conn: Connection, actor_id: str) -> list[dict[str, Any]]:
    """The 30 documents that mention the actor most, with their titles."""
    # Count mentions over the newest 1000 only (an index walk, not a full group-by).
    per_doc: dict[str, int] = defaultdict(int)
    for r in conn.execute(select(MentionRow.document_id).where(MentionRow.actor_id == actor_id)
                          .order_by(MentionRow.id.desc()).limit(1000)):
        per_doc[r[0]] += 1
    docs = [{"document_id": k, "mentions": v} for k, v in sorted(per_doc.items(), key=lambda kv: -kv[1])[:30]]
    titles = {r.id: r.title for r in conn.execute(select(DocumentRow.id, DocumentRow.title)
                                                  .where(DocumentRow.id.in_([d["document_id"] for d in docs])))}
    for d in docs:
        d["title"] = titles.get(d["document_id"])
    return docs


def distinct_affiliations(affs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (actor, type, target, period, title); an undated row goes when a dated one says the same.

    Re-ingesting an actor adds undated copies (NULLs never collide in the unique constraint).
    """
    dated = {(f["actor_id"], f["type"], f["target_id"], f["title"]) for f in affs if f["start"] or f["end"]}
    seen: set[tuple] = set()
    out = []
    for f in sorted(affs, key=lambda f: (f["actor_id"], f["type"], f["target_id"], f["start"] or "")):
        key = (f["actor_id"], f["type"], f["target_id"], f["start"], f["end"], f["title"])
        if key in seen or (not (f["start"] or f["end"]) and (*key[:3], f["title"]) in dated):
            continue
        seen.add(key)
        out.append(f)
    return out


def gazetteer_actor(actor_id: str) -> dict[str, Any] | None:
    """An actor the gazetteer knows but the store has no row for (affiliation targets link to it)."""
    from sitroom.nlp.actors.gazetteer import load

    g = load().actors.get(actor_id)
    if g is None:
        return None
    affs = distinct_affiliations([{"actor_id": g.id, "type": f.type, "target_id": f.target, "start": f.start,
                                   "end": f.end, "title": f.title} for f in g.affiliations])
    return {"id": g.id, "name": g.name, "kind": g.kind, "country": g.country, "code": g.code, "wikidata": g.wikidata,
            "description": g.description, "origin": "gazetteer (not in this store)", "merged_into": None,
            "aliases": g.aliases, "affiliations": affs, "relations": [], "events": [], "claims": [], "documents": [],
            "quantities": [], "in_store": False,
            "names": gazetteer_names({x for f in affs for x in (f["actor_id"], f["target_id"])})}


def gazetteer_names(ids: set[str]) -> dict[str, str]:
    """Names of actors known to the gazetteer only (linked from affiliations, not in the store)."""
    if not ids:
        return {}
    from sitroom.nlp.actors.gazetteer import load

    known = load().actors
    return {i: known[i].name for i in ids if i in known}


def actor_quantities(conn: Connection, actor_id: str) -> list[dict[str, Any]] | None:
    """Just the quantities of the actor page (for its charts)."""
    r = conn.execute(select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.country)
                     .where(ActorRow.id == actor_id)).first()
    if r is None:
        return None
    claims = _rows(conn.execute(
        select(ClaimRow.id, ClaimRow.document_id, ClaimRow.date_value, ClaimRow.quantities, ClaimRow.content_start,
               DocumentRow.site, DocumentRow.published)
        .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
        .where(ClaimRow.speaker_actor_id == actor_id).limit(MAX_LIST)))
    return _quantities(conn, dict(r._mapping), claims, rejected_spans(conn))


def _forces_of(conn: Connection, a: dict[str, Any]) -> list[str]:
    """The actor and its forces: numbers about "Iranian forces" belong on Iran's page too.

    Parts and members (affiliations pointing at it) and, for a state, its country's military
    and government bodies; bounded, via indexes.
    """
    ids = [a["id"]]
    ids += [r[0] for r in conn.execute(select(AffiliationRow.actor_id).where(
        AffiliationRow.target_id == a["id"], AffiliationRow.type.in_(("part_of", "member_of"))).limit(10))]
    if a.get("kind") == "state" and a.get("country"):
        ids += [r[0] for r in conn.execute(select(ActorRow.id).where(
            ActorRow.country == a["country"], ActorRow.kind.in_(("military", "government")),
            ActorRow.merged_into.is_(None)).limit(10))]
    return list(dict.fromkeys(ids))[:12]


def _quantities(conn: Connection, a: dict[str, Any], claims: list[dict], rejected: set[tuple[str, str]],
                per_actor: int = 40) -> list[dict[str, Any]]:
    """Numbers reported about the actor (or its forces) over time, each with who reported it.
    `rejected` is the caller's rejected_spans (the actor page reads them once)."""
    forces = _forces_of(conn, a)
    names = {k: v["name"] for k, v in actor_names(conn, forces).items()}
    events = _events_with_quantities(conn, _recent_event_ids(conn, forces, per_actor))
    speakers = _claim_speakers(conn, events)
    wanted = set(forces)
    out = [_event_quantity(e, q, names, speakers) for e in events
           if ("event", span_key(e["document_id"], e["start"], e["end"])) not in rejected
           for q in e.get("quantities") or [] if q.get("subject") in wanted]
    out += [_claim_quantity(c, q, names, a) for c in claims for q in c.get("quantities") or []]
    out.sort(key=lambda q: (q["kind"] or "", q["date"] or ""))
    return out[:500]


def _recent_event_ids(conn: Connection, forces: list[str], per_actor: int) -> list[str]:
    """The newest events of each of the forces (three times as many for the actor itself)."""
    event_ids: list[str] = []
    for i, aid in enumerate(forces):  # an index walk each, never a corpus scan
        event_ids += [r[0] for r in conn.execute(select(EventActor.event_id).where(EventActor.actor_id == aid)
                                                 .order_by(EventActor.id.desc()).limit(per_actor * (3 if i == 0 else 1)))]
    return event_ids


def _events_with_quantities(conn: Connection, event_ids: list[str]) -> list[dict[str, Any]]:
    """Those of the events that carry quantities, with their documents' site and date."""
    events: list[dict[str, Any]] = []
    uniq = sorted(set(event_ids))
    for i in range(0, len(uniq), 500):
        events += _rows(conn.execute(
            select(EventRow.id, EventRow.document_id, EventRow.start, EventRow.end, EventRow.date_value,
                   EventRow.quantities, EventRow.claim_id, DocumentRow.site, DocumentRow.published)
            .join(DocumentRow, DocumentRow.id == EventRow.document_id)
            .where(EventRow.id.in_(uniq[i:i + 500]), cast(EventRow.quantities, String) != "[]")))
    return events


def _claim_speakers(conn: Connection, events: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    """Claim id -> (speaker text, speaker actor) for the claims the events were told in."""
    claim_ids = {f"{e['document_id']}:{e['claim_id']}" for e in events if e.get("claim_id")}
    if not claim_ids:
        return {}
    return {r.id: (r.speaker_text, r.speaker_actor_id) for r in conn.execute(
        select(ClaimRow.id, ClaimRow.speaker_text, ClaimRow.speaker_actor_id)
        .where(ClaimRow.id.in_(sorted(claim_ids))))}


def _quantity_fields(q: dict[str, Any]) -> dict[str, Any]:
    return {"kind": q.get("kind"), "value": q.get("value"), "unit": q.get("unit"),
            "approximate": q.get("approximate"), "text": q.get("text")}


def _event_quantity(e: dict[str, Any], q: dict[str, Any], names: dict[str, str],
                    speakers: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """A number an event reports, credited to the claim's speaker (else to the outlet)."""
    sp = speakers.get(f"{e['document_id']}:{e['claim_id']}") if e.get("claim_id") else None
    return {"date": _day(e), **_quantity_fields(q), "subject": names.get(q["subject"], q["subject"]),
            "reported_by": sp[0] if sp else (e["site"] or "the outlet"),
            "reporter_id": sp[1] if sp else None, "document_id": e["document_id"],
            "start": q.get("start") if q.get("start") is not None else e["start"], "site": e["site"]}


def _claim_quantity(c: dict[str, Any], q: dict[str, Any], names: dict[str, str],
                    a: dict[str, Any]) -> dict[str, Any]:
    """A number in one of the actor's own claims, credited to the actor."""
    return {"date": _day(c), **_quantity_fields(q),
            "subject": names.get(q.get("subject") or "", q.get("subject") or ""),
            "reported_by": a["name"], "reporter_id": a["id"],
            "document_id": c["document_id"], "start": c["content_start"], "site": c["site"]}


def actor_list(conn: Connection, limit: int = 50, window: int = 5000) -> list[dict[str, Any]]:
    """Actors most mentioned in the newest `window` mentions (front page; bounded on any store),
    kept per store version (sitroom.web.cache): callers must not change the result."""
    return cached(conn, "actor_list", (limit, window), lambda: _actor_list(conn, limit, window))


def _actor_list(conn: Connection, limit: int, window: int) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for r in conn.execute(select(MentionRow.actor_id).order_by(MentionRow.id.desc()).limit(window)):
        if r[0]:
            counts[r[0]] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names = actor_names(conn, [k for k, _ in top[:limit * 2]])
    out = []
    for aid, n in top:
        info = names.get(aid)
        if info is None or info.get("merged_into"):
            continue
        if not usable(aid):
            continue  # "rebels" no text placed, an attacker the coder filled in: no actor of their own
        out.append({"id": aid, "mentions": n, "name": info["name"], "kind": info["kind"], "country": info["country"]})
        if len(out) >= limit:
            break
    return out


# --- documents -------------------------------------------------------------------------------

def document(conn: Connection, doc_id: str) -> dict[str, Any] | None:
    r = conn.execute(select(DocumentRow.id, DocumentRow.url, DocumentRow.site, DocumentRow.title,
                            DocumentRow.author, DocumentRow.published, DocumentRow.language, DocumentRow.text,
                            DocumentRow.sentences, DocumentRow.source_format, DocumentRow.categories,
                            DocumentRow.tags).where(DocumentRow.id == doc_id)).first()
    if r is None:
        return None
    d = dict(r._mapping)
    state = review_state(conn, key_prefix=doc_id + ":")
    mentions = _rows(conn.execute(select(MentionRow.id, MentionRow.start, MentionRow.end, MentionRow.text,
                                         MentionRow.label, MentionRow.actor_id, MentionRow.method,
                                         MentionRow.confidence, MentionRow.sector)
                                  .where(MentionRow.document_id == doc_id).order_by(MentionRow.start).limit(5000)))
    events = _rows(conn.execute(select(EventRow.id, EventRow.local_id, EventRow.type, EventRow.mode, EventRow.cameo,
                                       EventRow.start, EventRow.end, EventRow.text, EventRow.date_value,
                                       EventRow.negated, EventRow.modality, EventRow.quantities, EventRow.place)
                                .where(EventRow.document_id == doc_id).order_by(EventRow.start).limit(2000)))
    roles = _event_roles(conn, events)
    claims = _rows(conn.execute(select(ClaimRow.id, ClaimRow.local_id, ClaimRow.speaker_text, ClaimRow.descriptor,
                                       ClaimRow.speaker_actor_id, ClaimRow.content_start, ClaimRow.content_end,
                                       ClaimRow.content_text, ClaimRow.direct, ClaimRow.kind, ClaimRow.via,
                                       ClaimRow.date_value, ClaimRow.cue)
                                .where(ClaimRow.document_id == doc_id).order_by(ClaimRow.content_start).limit(2000)))
    names = {k: v["name"] for k, v in actor_names(conn, _document_actor_ids(mentions, claims, roles, state)).items()}
    for m in mentions:
        _review_mention(m, state.get(("mention", span_key(doc_id, m["start"], m["end"]))), names)
    for e in events:
        _review_event(e, state.get(("event", span_key(doc_id, e["start"], e["end"]))), roles)
    for c in claims:
        _review_claim(c, state.get(("claim", span_key(doc_id, c["content_start"], c["content_end"]))))
    fixed = _corrected_actor_ids(state) - set(names)
    if fixed:
        names.update({k: v["name"] for k, v in actor_names(conn, fixed).items()})
    d["mentions"], d["events"], d["claims"] = _not_rejected(mentions), _not_rejected(events), _not_rejected(claims)
    d["rejected"] = {"mentions": len(mentions) - len(d["mentions"]), "events": len(events) - len(d["events"]),
                     "claims": len(claims) - len(d["claims"])}
    d["names"] = names
    # Evidence links point at /docs/{id}#s-{start}: every such start gets an anchor.
    d["evidence_starts"] = sorted({r[0] for r in conn.execute(
        select(RelationEvidence.start).where(RelationEvidence.document_id == doc_id).distinct().limit(5000))
        if r[0] is not None})
    return d


Roles = dict[str, dict[str, list[str]]]  # event id -> {"source": [actor ids], "target": [actor ids]}


def _event_roles(conn: Connection, events: list[dict[str, Any]]) -> Roles:
    """The events' source and target actors, in their order."""
    roles: Roles = defaultdict(lambda: {"source": [], "target": []})
    if events:
        for ea in conn.execute(select(EventActor.event_id, EventActor.actor_id, EventActor.role)
                               .where(EventActor.event_id.in_([e["id"] for e in events]))
                               .order_by(EventActor.position)):
            roles[ea.event_id][ea.role].append(ea.actor_id)
    return roles


def _document_actor_ids(mentions: list[dict[str, Any]], claims: list[dict[str, Any]], roles: Roles,
                        state: dict) -> set[str]:
    """Every actor the page names: resolved mentions, speakers, event roles, mention corrections."""
    ids: set[str] = {m["actor_id"] for m in mentions if m["actor_id"]}
    ids |= {c["speaker_actor_id"] for c in claims if c["speaker_actor_id"]}
    for r_ in roles.values():
        ids.update(r_["source"], r_["target"])
    ids |= {v["payload"]["actor_id"] for (kind, _key), v in state.items()
            if kind == "mention" and v["payload"].get("actor_id")}
    return ids


def _corrected_actor_ids(state: dict) -> set[str]:
    """Actors that analysts' event and claim corrections name."""
    return {v["payload"].get(k) for v in state.values() if v["decision"] == "correct"
            for k in ("source", "target", "speaker_actor_id")} - {None}


def _review_mention(m: dict[str, Any], review: dict[str, Any] | None, names: dict[str, str]) -> None:
    m["review"] = review
    corrected = _correction(review).get("actor_id")
    if corrected:
        m["actor_id"] = corrected
    m["actor_name"] = names.get(m["actor_id"] or "")


def _review_event(e: dict[str, Any], review: dict[str, Any] | None, roles: Roles) -> None:
    e["review"] = review
    e["source"] = roles[e["id"]]["source"] if e["id"] in roles else []
    e["target"] = roles[e["id"]]["target"] if e["id"] in roles else []
    fix = _correction(review)
    if fix:  # an analyst's correction wins over the extraction
        e["type"] = fix.get("type", e["type"])
        e["date_value"] = fix.get("date", e["date_value"])
        for role in ("source", "target"):
            if fix.get(role):
                e[role] = [fix[role]]


def _review_claim(c: dict[str, Any], review: dict[str, Any] | None) -> None:
    c["review"] = review
    fix = _correction(review)
    if fix:
        c["speaker_actor_id"] = fix.get("speaker_actor_id", c["speaker_actor_id"])
        c["date_value"] = fix.get("date", c["date_value"])


def _not_rejected(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [x for x in items if (x["review"] or {}).get("decision") != "reject"]


# --- claims ----------------------------------------------------------------------------------

_CLAIM_COLS = (ClaimRow.id, ClaimRow.document_id, ClaimRow.speaker_text, ClaimRow.speaker_actor_id,
               ClaimRow.descriptor, ClaimRow.content_text, ClaimRow.content_start, ClaimRow.content_end,
               ClaimRow.direct, ClaimRow.date_value, ClaimRow.via, ClaimRow.parent_id, ClaimRow.kind,
               ClaimRow.quantities, ClaimRow.cue, ClaimRow.confidence)


def claim(conn: Connection, claim_id: str) -> dict[str, Any] | None:
    r = conn.execute(select(*_CLAIM_COLS).where(ClaimRow.id == claim_id)).first()
    if r is None:
        return None
    c = dict(r._mapping)
    doc = conn.execute(select(DocumentRow.id, DocumentRow.title, DocumentRow.site, DocumentRow.author,
                              DocumentRow.url, DocumentRow.published).where(DocumentRow.id == c["document_id"])).first()
    c["document"] = dict(doc._mapping) if doc else None
    # The chain, outermost first: outlet → author → relays (via) → parent claims → this speaker.
    parents: list[dict[str, Any]] = []
    pid, seen = c["parent_id"], {claim_id}
    while pid and len(parents) < 10:
        key = pid if ":" in pid else f"{c['document_id']}:{pid}"
        if key in seen:
            break
        seen.add(key)
        p = conn.execute(select(*_CLAIM_COLS).where(ClaimRow.id == key)).first()
        if p is None:
            break
        parents.append(dict(p._mapping))
        pid = p.parent_id
    parents.reverse()
    chain: list[dict[str, Any]] = []
    if doc is not None:
        chain.append({"role": "outlet", "text": doc.site or doc.url or "(unknown outlet)"})
        if doc.author:
            chain.append({"role": "author", "text": doc.author})
    for v in c["via"] or []:
        chain.append({"role": "via", "text": v if isinstance(v, str) else str(v)})
    for p in parents:
        chain.append({"role": "quoted by", "text": shown_speaker(p["speaker_text"], p["descriptor"]), "actor_id": p["speaker_actor_id"],
                      "claim_id": p["id"]})
    chain.append({"role": "speaker", "text": shown_speaker(c["speaker_text"], c["descriptor"]), "actor_id": c["speaker_actor_id"],
                  "claim_id": c["id"]})
    c["chain"] = chain
    c["children"] = _rows(conn.execute(select(ClaimRow.id, ClaimRow.speaker_text, ClaimRow.content_text)
                                       .where(ClaimRow.document_id == c["document_id"],
                                              or_(ClaimRow.parent_id == c["id"].split(":", 1)[-1],
                                                  ClaimRow.parent_id == c["id"])).limit(50)))
    c["groups"] = read.claim_groups(conn, claim_id)
    c["names"] = {k: v["name"] for k, v in actor_names(
        conn, {x.get("actor_id") for x in chain if x.get("actor_id")} | {c["speaker_actor_id"] or ""}).items()}
    return c


# --- search ----------------------------------------------------------------------------------

def search(conn: Connection, q: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Full-text hits (sitroom.store.fts: ranked among the newest matches); snippets keep the
    \\x02/\\x03 hit markers for the caller to escape then mark."""
    return fts.search(conn, q, limit, offset) if q.strip() else []


def actor_search(conn: Connection, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Actors whose name or alias starts with the query (an index range on normalised aliases)."""
    from sitroom.store.store import normalise_alias

    key = normalise_alias(q)[:300]
    if len(key) < 2:
        return []
    rows = conn.execute(select(ActorAlias.actor_id, ActorAlias.normalised)
                        .where(ActorAlias.normalised >= key, ActorAlias.normalised < key + "\uffff")
                        .order_by(ActorAlias.normalised).limit(limit * 5))
    ranked: dict[str, int] = {}
    for r in rows:  # exact matches first, then shorter completions
        rank = 0 if r.normalised == key else len(r.normalised)
        ranked[r.actor_id] = min(rank, ranked.get(r.actor_id, rank))
    ids = sorted(ranked, key=lambda i: (ranked[i], i))
    names = actor_names(conn, ids)
    out = []
    for i in ids:
        info = names.get(i)
        if info and not info.get("merged_into"):
            out.append({"id": i, "name": info["name"], "kind": info["kind"], "country": info["country"]})
    return out[:limit]
