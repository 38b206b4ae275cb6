"""The per-document step: pure, ordered, identical in one process or several."""

from __future__ import annotations

import sys

import pytest

from sitroom.contract import to_contract, validate
from sitroom.nlp.analyze import analyze_stream
from sitroom.records import Document

TEXTS = [
    "Russian jets struck rebel positions near Aleppo on Tuesday, the defence ministry in Moscow said.",
    "Iran sent hundreds of fighters to Syria last year, according to a senior official in Beirut.",
    "The United Nations called for a ceasefire in Idlib after the shelling killed 12 civilians.",
]


def _docs() -> list[Document]:
    return [Document(text=t, published="2016-02-10", origin=f"t{i}") for i, t in enumerate(TEXTS)]


def test_analysis_is_contract_valid_and_spans_point_into_text(analyzer) -> None:
    for doc in _docs():
        record = to_contract(analyzer.analyze(doc))
        validate(record)
        text = record["document"]["text"]
        for m in record["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
        for e in record["events"]:
            assert 0 <= e["start"] <= e["end"] <= len(text)


def test_pipe_keeps_order_and_equals_single_calls(analyzer) -> None:
    docs = _docs()
    piped = [to_contract(a) for a in analyzer.pipe(docs, batch_size=2)]
    single = [to_contract(analyzer.analyze(d)) for d in docs]
    assert [p["document"]["id"] for p in piped] == [d.id for d in docs]
    assert piped == single


def test_worker_processes_give_the_same_output(analyzer) -> None:
    docs = _docs()
    sequential = [to_contract(a) for a in analyzer.pipe(docs)]
    parallel = [to_contract(a) for a in analyze_stream(iter(docs), workers=2, batch_size=1)]
    assert parallel == sequential


def test_non_english_document_is_analysed_without_the_english_parse(analyzer) -> None:
    doc = Document(text="قصفت الطائرات الروسية مواقع في حلب يوم الثلاثاء.", language="ar")
    record = to_contract(analyzer.analyze(doc))
    validate(record)
    assert record["document"]["language"] == "ar"


def test_analyzers_with_different_gazetteers_do_not_share_a_resolver(tmp_path) -> None:
    from sitroom.nlp.analyze import analyzer_for
    from sitroom.nlp.stages import Settings

    extra = tmp_path / "mine.yaml"
    extra.write_text("- {id: syr-zorbak-front, name: Zorbak Front, kind: armed_group, code: SYRREB, "
                     "aliases: {en: [Zorbak Front]}}\n", encoding="utf-8")
    text = "The Zorbak Front shelled the town on Monday."
    custom = analyzer_for(Settings(extra_actor_files=[str(extra)]))
    assert analyzer_for(Settings(extra_actor_files=[str(extra)])) is custom  # models load once
    plain = analyzer_for(Settings())
    hit = [m.actor for m in custom.analyze(Document(text=text, language="en")).mentions if "Zorbak" in m.text]
    miss = [m.actor for m in plain.analyze(Document(text=text, language="en")).mentions if "Zorbak" in m.text]
    assert hit == ["syr-zorbak-front"]
    assert "syr-zorbak-front" not in miss  # the default analyzer kept its own gazetteer


def test_the_multilingual_pipeline_is_set_up_at_the_first_document_that_needs_it() -> None:
    from sitroom.nlp.analyze import Analyzer

    fresh = Analyzer()
    fresh.analyze(Document(text="Russian jets struck Aleppo on Tuesday, the Syrian army said.", language="en"))
    assert fresh._multilingual is None  # an English corpus never pays for it
    arabic = fresh.analyze(Document(text="قال الجيش السوري إن الطائرات الروسية قصفت حلب.", language="ar"))
    assert fresh._multilingual is not None
    # Its stages were set up on it: the gazetteer matcher finds the Arabic alias.
    assert {(m.actor, m.method) for m in arabic.mentions} >= {("syr-army", "gazetteer")}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers fork on Linux only")
def test_the_pool_runs_with_the_heap_frozen_and_hands_it_back(analyzer) -> None:
    import gc

    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    docs = [Document(text=f"Russian jets struck Aleppo on day {i}, the Syrian army said.", language="en")
            for i in range(3)]
    seen = []
    for analysis in analyze_stream(docs, workers=2, batch_size=1):
        seen.append((gc.get_freeze_count(), gc.get_threshold()))
        assert analysis.mentions
    # The models and lookups out of the collector's sight, collections spaced out ...
    assert len(seen) == 3 and all(frozen > before and now[0] > thresholds[0] for frozen, now in seen)
    # ... and both as they were once the stream ends.
    assert (gc.get_freeze_count(), gc.get_threshold()) == (before, thresholds)


def test_a_forked_worker_goes_back_to_the_usual_collection_thresholds(analyzer, monkeypatch) -> None:
    import gc

    from sitroom.nlp import analyze
    from sitroom.nlp.stages import Settings

    usual = gc.get_threshold()
    monkeypatch.setattr(analyze, "_gc_thresholds_outside_pool", usual)
    gc.set_threshold(*analyze.POOL_GC_THRESHOLDS)  # as a worker forked from the pool's parent finds it
    try:
        analyze._init_worker(Settings())
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)
