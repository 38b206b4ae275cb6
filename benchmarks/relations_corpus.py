"""Relations on a built store: counts, and the time of the corpus step (sitroom.corpus.relations).

Usage: .venv/bin/python benchmarks/relations_corpus.py --db /tmp/fakes.db [--batch 64]

The store must have been ingested already (its document_relations hold what the per-document
stage found). The script wipes the aggregated tables and rebuilds them in batches of
`--batch` documents, as ingest does, then re-runs one batch to time an incremental update,
and prints the counts for BENCHMARKS.md. With `--double K` it then copies the evidence rows
2**K times in SQL (each copy its own source key: the worst case for counting) and times the
recompute of the relations one batch touches, as the corpus step does at that scale.
"""

from __future__ import annotations

import argparse
import json
import time

from sqlalchemy import delete, func, select, text

from sitroom.corpus import relations as corpus_relations
from sitroom.store import Store
from sitroom.store.models import DocRelationRow, DocumentRow, RelationEvidence, RelationRow


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--double", type=int, default=0, help="copy the evidence 2**K times, then time a recompute")
    args = ap.parse_args()
    store = Store.open(args.db)
    with store.session() as s:
        s.execute(delete(RelationEvidence))
        s.execute(delete(RelationRow))
        doc_ids = sorted(s.scalars(select(DocumentRow.id)))
        n_docrel = s.scalar(select(func.count()).select_from(DocRelationRow))
    t0 = time.perf_counter()
    for i in range(0, len(doc_ids), args.batch):
        corpus_relations.update(store, doc_ids[i:i + args.batch])
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    corpus_relations.update(store, doc_ids[-args.batch:])
    again = time.perf_counter() - t0
    with store.session() as s:
        by_type = dict(s.execute(select(RelationRow.type, func.count()).group_by(RelationRow.type)).all())
        by_kind = dict(s.execute(select(RelationEvidence.kind, func.count()).group_by(RelationEvidence.kind)).all())
        n_rel = s.scalar(select(func.count()).select_from(RelationRow))
        n_ev = s.scalar(select(func.count()).select_from(RelationEvidence))
        multi = s.scalar(select(func.count()).select_from(RelationRow).where(RelationRow.n_sources >= 2))
        top = s.execute(select(RelationRow.source_id, RelationRow.type, RelationRow.target_id, RelationRow.n_sources,
                               RelationRow.n_evidence).order_by(RelationRow.n_sources.desc(), RelationRow.id)
                        .limit(10)).all()
    store.close()
    print(json.dumps({
        "documents": len(doc_ids), "document_relations": n_docrel, "relations": n_rel, "evidence": n_ev,
        "relations_with_2plus_sources": multi, "by_type": by_type, "evidence_by_kind": by_kind,
        "corpus_step_seconds": round(full, 2), "docs_per_second": round(len(doc_ids) / full, 1),
        f"rerun_last_{args.batch}_docs_seconds": round(again, 3),
        "top_by_sources": [list(r) for r in top], **_scaled(args.db, doc_ids[:args.batch], args.double)}, indent=1))


def _scaled(db: str, batch: list[str], doublings: int) -> dict[str, float | int]:
    if not doublings:
        return {}
    store = Store.open(db)
    with store.engine.begin() as conn:
        for _ in range(doublings):
            conn.execute(text(
                'INSERT INTO relation_evidence (relation_id, document_id, kind, record_id, start, "end", text, '
                "published, source_key, seen) SELECT relation_id, document_id, kind, record_id, start, \"end\", "
                "text, published, source_key || '#' || id, seen FROM relation_evidence"))
    with store.session() as s:
        total = s.scalar(select(func.count()).select_from(RelationEvidence))
        touched = set(s.scalars(select(RelationEvidence.relation_id)
                                .where(RelationEvidence.document_id.in_(batch)).distinct()))
        rows = s.scalar(select(func.count()).select_from(RelationEvidence)
                        .where(RelationEvidence.relation_id.in_(touched)))
        t0 = time.perf_counter()
        corpus_relations.recompute(s, touched)
        seconds = time.perf_counter() - t0
    store.close()
    return {"scaled_evidence_rows": total, "scaled_touched_relations": len(touched),
            "scaled_touched_rows": rows, "scaled_recompute_seconds": round(seconds, 3)}


if __name__ == "__main__":
    main()
