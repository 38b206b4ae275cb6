"""The learned event judge: choosing among a trigger's readings, passing what it does not
judge, the packaged model, and the training script on fixtures we wrote."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from sitroom.nlp.events import judge
from sitroom.nlp.events.coder import RawEvent
from sitroom.nlp.events.lexicon import Variant
from sitroom.records import Document, Event

NLP = spacy.blank("en")


def _cand(tok, etype: str, origin: str = "curated", *, happened: bool = True, rules_keep: bool = True) -> judge.Candidate:
    ev = Event(id=f"{etype}-{tok.i}", type=etype, source=["a"], target=["b"], source_codes=["AAAGOV"],
               target_codes=["BBB"], modality="asserted" if happened else "future")
    raw = RawEvent(trigger=tok, variant=Variant(type=etype, mode=None, cameo=None))
    return judge.Candidate(raw, [ev], origin, rules_keep=rules_keep)


def test_best_reading_per_trigger_at_or_above_threshold() -> None:
    doc = NLP("Freedonia attacked Sylvania and met Ruritania")
    attacked, met = doc[1], doc[4]
    cands = [_cand(attacked, "ASSAULT"), _cand(attacked, "COERCE", "rival", rules_keep=False),
             _cand(met, "CONSULT")]
    kept = judge.select(cands, [0.4, 0.7, 0.2], threshold=0.3)
    # the rival beats the curated reading at "attacked"; "met" falls below the threshold
    assert [e.type for e in kept] == ["COERCE"]
    assert [e.type for e in judge.select(cands, [0.9, 0.7, 0.35], threshold=0.3)] == ["ASSAULT", "CONSULT"]


def test_unjudged_readings_pass_as_the_rules_made_them() -> None:
    doc = NLP("Freedonia will attack Sylvania")
    future = _cand(doc[2], "ASSAULT", happened=False)
    rival = _cand(doc[2], "COERCE", "rival", happened=False, rules_keep=False)
    dropped_by_rules = _cand(doc[0], "CONSULT", "imported", happened=False, rules_keep=False)
    cands = [future, rival, dropped_by_rules]
    assert not future.judged
    assert [e.type for e in judge.select(cands, [0.0, 0.0, 0.0], threshold=0.5)] == ["ASSAULT"]
    assert [e.type for e in judge.by_rules(cands)] == ["ASSAULT"]


def test_a_derived_commitment_is_judged_apart_from_its_verb() -> None:
    doc = NLP("Freedonia promised to withdraw")
    verb, intent = _cand(doc[3], "RETREAT"), _cand(doc[3], "AGREE", "derived")
    assert {e.type for e in judge.select([verb, intent], [0.8, 0.6], threshold=0.5)} == {"RETREAT", "AGREE"}


def test_packaged_model_loads_and_scores_features() -> None:
    model = judge.model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert any(f.startswith("type=") for f in model.weights)
    doc = NLP("Freedonia attacked Sylvania")
    c = _cand(doc[1], "ASSAULT")
    feats = judge.features(c)
    assert "type=ASSAULT" in feats and "origin=curated" in feats and "args=11" in feats
    assert 0.0 <= model.score(feats) <= 1.0


def test_analyzer_codes_through_the_judge_when_asked() -> None:
    from sitroom.nlp.analyze import analyzer_for
    from sitroom.nlp.stages import Settings

    judged = analyzer_for(Settings(stages=["actors", "events"], options={"event_judge": True}))
    events = judged.analyze(Document(text="Russian jets bombed rebel positions near Aleppo on Monday.",
                                     published="2015-12-20")).events
    assert any(e.type == "ASSAULT" and e.source_codes and e.source_codes[0].startswith("RUS") for e in events)


def test_training_reads_only_tune_texts_and_writes_a_model(tmp_path: Path) -> None:
    from sitroom.train import events as train_events

    records = []
    texts = ["Russia bombed Syrian rebel positions near Aleppo.", "Iran and Iraq signed a trade agreement.",
             "France condemned Russia's air strikes in Syria.", "Turkey rejected a request from Greece.",
             "Protesters in Cairo demonstrated against the Egyptian government."]
    gold = ["FIGHT", "AGREE", "DISAPPROVE", "REJECT", "PROTEST"]
    for i in range(10):
        text, event = texts[i % 5], gold[i % 5]
        records.append({"id": f"X{i}", "date": "2001-02-03", "event": event, "text": f"{text} ({i})",
                        "source": [{"code": "RUS"}], "target": [{"code": "SYR"}]})
    (tmp_path / "PLOVER_GSR_CAMEO.json").write_text(json.dumps(records), encoding="utf-8")
    acled = tmp_path / "acled"
    acled.mkdir()
    rows = [{"id": "a1", "label": "AIR_STRIKE", "text": "An Israeli air strike hit a building in Gaza.", "split": "tune"},
            {"id": "a2", "label": "ARREST", "text": "Police arrested five men in Lagos.", "split": "held-out"}]
    (acled / "snippets.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "judge.json"
    report = train_events.train(tmp_path, acled, out)
    model = json.loads(out.read_text("utf-8"))
    assert set(model) == {"bias", "threshold", "weights"}
    # every 5th sentence (the 5th and the 10th) and the held-out snippet are never read
    assert report["plover_sentences"] == 8 and report["acled_snippets"] == 1
    assert set(report["cross_validated"]) == {"type", "joint", "acled_macro_f1"}
