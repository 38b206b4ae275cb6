"""Relations on a built store: counts, and the time of the corpus step (sitroom.corpus.relations).

Usage: .venv/bin/python benchmarks/relations_corpus.py --db /tmp/fakes.db [--batch 64]

The store must have been ingested already (its document_relations hold what the per-document
stage found). The script wipes the aggregated tables and rebuilds them in batches of
`--batch` documents, as ingest does, then re-runs one batch to time an incremental update,
and prints the counts for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import time

from sqlalchemy import delete, func, select

from sitroom.corpus import relations as corpus_relations
from sitroom.store import Store
from sitroom.store.models import DocRelationRow, DocumentRow, RelationEvidence, RelationRow


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--batch", type=int, default=64)
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
        "top_by_sources": [list(r) for r in top]}, indent=1))


if __name__ == "__main__":
    main()
