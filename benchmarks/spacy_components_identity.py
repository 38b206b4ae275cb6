"""sitroom's attribute_ruler and lemmatizer against spaCy's own, token by token, on FA-KES and PolNeAR dev.

    .venv/bin/python benchmarks/spacy_components_identity.py [--limit N]

Each text is parsed once by the English model's components before the attribute_ruler; a copy
goes through spaCy's `AttributeRuler` and lemmatizer, another through
`attribute_rules.FastAttributeRuler` holding the same patterns and
`cached_lemmatizer.CachedLemmatizer` holding the same tables. Every token's POS, TAG, MORPH,
LEMMA, DEP and HEAD are compared; the differences (must be 0) and the CPU seconds of each
component are printed as JSON. PolNeAR dev is read as texts only, and reported as totals.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
FAKES = DATA / "fakes" / "FA-KES-Dataset.csv"
POLNEAR_DEV = DATA / "polnear_dev" / "dev" / "text"
MAPPING = {"text_field": "article_content", "title_field": "article_title", "date_field": "date",
           "source_field": "source", "id_field": "unit_id"}


def _texts(limit: int | None) -> dict[str, list[str]]:
    from sitroom.ingest import Skipped, SourceOptions, iter_documents

    out: dict[str, list[str]] = {}
    if FAKES.exists():
        out["fakes"] = [d.text for d in iter_documents([str(FAKES)], SourceOptions(**MAPPING))
                        if not isinstance(d, Skipped)][:limit]
    if POLNEAR_DEV.is_dir():
        out["polnear_dev"] = [p.read_text(encoding="utf-8") for p in sorted(POLNEAR_DEV.glob("*.txt"))][:limit]
    return out


def compare(texts: list[str]) -> dict[str, object]:
    import spacy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    from sitroom.nlp.attribute_rules import FastAttributeRuler
    from sitroom.nlp.cached_lemmatizer import CachedLemmatizer
    from sitroom.nlp.model import english_model_name

    nlp = spacy.load(english_model_name())  # the stock model: its own AttributeRuler
    stock = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(nlp.vocab)
    fast.add_patterns(stock.patterns)
    assert fast.compiled() is not None, "the model's patterns fell back to spaCy's matcher"
    lemmatizer = nlp.get_pipe("lemmatizer")
    cached = CachedLemmatizer(nlp.vocab, None, mode=lemmatizer.mode, overwrite=lemmatizer.overwrite)
    cached.from_bytes(lemmatizer.to_bytes())
    before = [n for n in nlp.pipe_names if n not in ("attribute_ruler", "lemmatizer", "ner")]
    cols = [POS, TAG, MORPH, LEMMA, DEP, HEAD]
    tokens = differing = 0
    cpu = {"spacy_ruler": 0.0, "sitroom_ruler": 0.0, "spacy_lemmatizer": 0.0, "sitroom_lemmatizer": 0.0}
    with nlp.select_pipes(enable=before):
        parsed = list(nlp.pipe(texts, batch_size=32))
    for doc in parsed:
        a, b = doc.copy(), doc.copy()
        for name, component, copy in (("spacy_ruler", stock, a), ("sitroom_ruler", fast, b),
                                      ("spacy_lemmatizer", lemmatizer, a), ("sitroom_lemmatizer", cached, b)):
            c0 = time.process_time()
            component(copy)
            cpu[name] += time.process_time() - c0
        tokens += len(doc)
        differing += int((a.to_array(cols) != b.to_array(cols)).any(axis=1).sum())
    return {"texts": len(texts), "tokens": tokens, "differing_tokens": differing,
            "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="the first N texts of each set")
    args = ap.parse_args()
    sets = _texts(args.limit)
    if not sets:
        print("skipped: neither FA-KES nor PolNeAR dev found", file=sys.stderr)
        return 0
    result = {name: compare(texts) for name, texts in sets.items()}
    print(json.dumps(result, indent=2))
    return int(any(r["differing_tokens"] for r in result.values()))


if __name__ == "__main__":
    raise SystemExit(main())
