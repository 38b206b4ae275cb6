"""A stage bug or a store refusal costs one document at most, never the batch."""

from __future__ import annotations

from sitroom.pipeline import IngestSummary, store_analyses
from sitroom.records import Analysis, Claim, Document, Event, Mention, Span, Speaker
from sitroom.store import Store


def _analysis(text: str) -> Analysis:
    a = Analysis(document=Document(text=text, language="en", origin=f"mem:{text[:10]}"))
    ev = Event(id="e1", type="ASSAULT", start=0, end=len(text), text=text)
    cl = Claim(id="c1", speaker=Speaker(actor=None, text="officials"), cue=None, content=Span(0, len(text), text))
    a.events = [ev, Event(id="e1", type="ASSAULT", start=0, end=len(text), text=text)]
    a.claims = [cl, cl]
    return a


def test_repeated_record_ids_are_stored_once(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    assert store.save_analysis(_analysis("Rebels shelled the town on Monday, officials said."))
    stats = store.stats()
    assert stats["events"] == 1 and stats["claims"] == 1
    store.close()


def test_a_document_the_store_refuses_is_skipped_and_the_batch_goes_on(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    good1 = _analysis("Russian jets struck Idlib on Tuesday.")
    bad = _analysis("Iran sent advisers to Aleppo.")
    # A mention without text breaks a NOT NULL constraint: the database refuses the document.
    bad.mentions = [Mention(start=0, end=4, text=None, label="GPE")]  # type: ignore[arg-type]
    good2 = _analysis("Hezbollah fighters crossed into Syria near Qusayr.")
    summary = IngestSummary()
    store_analyses(store, [good1, bad, good2], summary)
    assert summary.stored == 2
    assert len(summary.skipped) == 1 and "could not store" in summary.skipped[0][1]
    assert store.stats()["documents"] == 2
    store.close()
