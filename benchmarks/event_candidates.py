"""Candidate recall of the event coder on the tune part of the PLOVER gold standard records.

    .venv/bin/python benchmarks/event_candidates.py [--data ../shared/data/plover_gsr] [--json]

A gold record's type is a candidate when some reading of its sentence has that type, before
any argument, modality or dyad rule: the curated coder's readings (with the commitments
derived from them) and the imported CAMEO dictionary's readings of the verbs the curated
lexicon left alone. What the rules cannot reach is what no later choice can recover.

Also counts how the imported dictionary meets the sentences' verbs, and each gold record's
trigger (the first word of its eventText): verbs whose form it lists,
verbs it codes (a pattern or the verb's own code), those the curated coder took first, and
verbs it lists without a code (a null-coded synonym block whose patterns did not match).

Only the tune sentences are read; the held-out fifth (`sitroom eval events`) never is.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from sitroom.nlp.events.cameo import CameoLexicon

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "plover_gsr"


def _verb_counts(sent: Span, taken: set[int], cameo: CameoLexicon) -> Counter:
    from sitroom.nlp.events.cameo import match_verb

    c: Counter = Counter()
    for tok in sent:
        if tok.pos_ != "VERB":
            continue
        c["verbs"] += 1
        if cameo.forms.get(tok.lower_) is None:
            continue
        c["listed"] += 1
        if match_verb(tok, cameo) is None:
            c["listed, no code"] += 1
        else:
            c["coded, curated first" if tok.i in taken else "coded, left to the dictionary"] += 1
    return c


def _why(rec: dict[str, Any], doc: Doc, cameo: CameoLexicon) -> str:
    """What the imported dictionary makes of a gold record's trigger (its first eventText word
    in the sentence): coded with the gold type or another, listed without a code, not listed,
    or no verb at all (a noun, an auxiliary: "will visit")."""
    from sitroom.eval.events import gold_type
    from sitroom.nlp.events.cameo import match_verb

    words = str(rec.get("eventText") or "").lower().split()
    tok = next((t for t in doc if t.lower_ in words), None)
    if tok is None or tok.pos_ != "VERB":
        return "trigger not a verb"
    if cameo.forms.get(tok.lower_) is None:
        return "verb not listed"
    found = match_verb(tok, cameo)
    plover = cameo.types.get(found[0]) if found is not None else None
    if found is None:
        return "listed, no code"
    if plover is None:
        return "coded, no PLOVER event"
    return "coded, gold type" if plover[0] == gold_type(rec) else "coded, another type"


def measure(data: Path) -> dict[str, object]:
    from sitroom.eval.events import gold_type, load_gold
    from sitroom.nlp.events.cameo import cameo_events, cameo_lexicon
    from sitroom.nlp.events.coder import code_sentence
    from sitroom.train.parsecache import parsed

    sentences = [s for s in load_gold(data) if s.split == "tune"]
    docs = parsed([(f"plover-tune-{s.index}", s.text) for s in sentences])
    cameo = cameo_lexicon()
    gold = hit = 0
    verbs: Counter = Counter()
    missed: Counter = Counter()
    why: Counter = Counter()
    for s, doc in zip(sentences, docs, strict=True):
        types: set[str] = set()
        for sent in doc.sents:
            raws = code_sentence(sent)
            taken = {ev.trigger.i for ev in raws}
            raws += cameo_events(sent, taken)
            types |= {ev.variant.type for ev in raws}
            verbs += _verb_counts(sent, taken, cameo)
        why.update(_why(r, doc, cameo) for r in s.gold)
        for t in {gold_type(r) for r in s.gold}:
            gold += 1
            hit += t in types
            if t not in types:
                missed[t] += 1
    return {"tune_sentences": len(sentences), "gold_types": gold, "among_candidates": hit,
            "candidate_recall": round(hit / gold, 4) if gold else 0.0,
            "missed_by_type": dict(missed.most_common()), "dictionary_on_verbs": dict(verbs),
            "dictionary_on_gold_triggers": dict(why.most_common())}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = measure(args.data)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"candidate recall on tune: {result['among_candidates']}/{result['gold_types']} "
              f"= {result['candidate_recall']:.3f}")
        print("missed:", result["missed_by_type"])
        print("the imported dictionary on the verbs:", result["dictionary_on_verbs"])
        print("the imported dictionary on the gold records' triggers:", result["dictionary_on_gold_triggers"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
