"""The table rows one analysed document becomes, as plain dicts keyed by table name.

One place for the mapping from records to columns: `Store.save_analysis` builds ORM rows
from it, and bulk writers (benchmarks/build_large_store.py) insert the same dicts with
`executemany`. Pure, so it can run in a worker process.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, TypeVar

from sitroom.contract import claim_dict, event_dict
from sitroom.records import Analysis, Claim, Event

Rows = dict[str, list[dict[str, Any]]]
_R = TypeVar("_R", Event, Claim)


def unique_ids(records: list[_R]) -> list[_R]:
    """First record of each id: ids hash a record's content, so a repeat is the same fact
    found twice, and one repeat must not cost the whole document."""
    seen: set[str] = set()
    out = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def analysis_rows(a: Analysis, minhash: bytes | None) -> Rows:
    """documents, mentions, events, event_actors, claims and document_relations rows (not
    actors, LSH bands or the full-text index, which depend on the store)."""
    d = a.document
    rows: Rows = {"documents": [dict(
        id=d.id, external_id=d.external_id, url=d.url, site=d.site, title=d.title, author=d.author,
        published=d.published, language=d.language, categories=d.categories, tags=d.tags, text=d.text,
        origin=d.origin, origin_offset=d.origin_offset, source_format=d.source_format, extra=d.extra,
        paragraphs=[asdict(p) for p in d.paragraphs], warnings=d.warnings + a.warnings,
        sentences=[list(x) for x in a.sentences], minhash=minhash)]}
    rows["mentions"] = [dict(document_id=d.id, start=m.start, end=m.end, text=m.text, label=m.label,
                             actor_id=m.actor, method=m.method, sentence=m.sentence, sector=m.sector,
                             confidence=m.confidence) for m in a.mentions]
    rows["events"], rows["event_actors"], rows["claims"] = [], [], []
    for e in unique_ids(a.events):
        j = event_dict(e)
        key = f"{d.id}:{e.id}"
        rows["events"].append(dict(
            id=key, document_id=d.id, local_id=e.id, type=e.type, mode=e.mode, cameo=e.cameo,
            date_value=e.date.value if e.date else None, date_precision=e.date.precision if e.date else None,
            date_end=e.date.end if e.date else None, date_text=e.date.text if e.date else None,
            place=j["place"], quantities=j["quantities"], negated=e.negated, modality=e.modality,
            claim_id=e.claim, start=e.start, end=e.end, text=e.text, trigger=j["trigger"],
            contexts=e.contexts, confidence=e.confidence,
            acled_event_type=e.acled.event_type if e.acled else None,
            acled_sub_event_type=e.acled.sub_event_type if e.acled else None,
            acled_inter1=e.acled.inter1 if e.acled else None, acled_inter2=e.acled.inter2 if e.acled else None,
            acled_interaction=e.acled.interaction if e.acled else None,
            fatalities=e.fatalities, after_publication=e.after_publication))
        for role, ids, codes in (("source", e.source, e.source_codes), ("target", e.target, e.target_codes)):
            rows["event_actors"].extend(dict(event_id=key, actor_id=actor_id, role=role,
                                             code=codes[i] if i < len(codes) else None, position=i)
                                        for i, actor_id in enumerate(ids))
    for c in unique_ids(a.claims):
        j = claim_dict(c)
        rows["claims"].append(dict(
            id=f"{d.id}:{c.id}", document_id=d.id, local_id=c.id, speaker_actor_id=c.speaker.actor,
            speaker_text=c.speaker.text, speaker_start=c.speaker.start, speaker_end=c.speaker.end,
            descriptor=c.speaker.descriptor, affiliation_id=c.speaker.affiliation, cue=j["cue"],
            content_start=c.content.start, content_end=c.content.end, content_text=c.content.text,
            direct=c.direct, date_value=c.date.value if c.date else None,
            date_precision=c.date.precision if c.date else None, date_end=c.date.end if c.date else None,
            date_text=c.date.text if c.date else None, via=c.via, parent_id=c.parent, kind=c.kind,
            quantities=j["quantities"], events=c.events, confidence=c.confidence, cue_class=c.cue_class))
    rows["document_relations"] = [dict(document_id=d.id, type=r.type, source_id=r.source, target_id=r.target,
                                       evidence=r.evidence) for r in a.relations]
    return rows
