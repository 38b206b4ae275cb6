"""Planner statistics refreshed during long writes: the schedule, and the refresh on both back ends."""

from __future__ import annotations

import uuid
from itertools import pairwise

import pytest
import sqlalchemy as sa

from sitroom import pipeline
from sitroom.pipeline import STATS_FIRST, IngestSummary, StatsSchedule, store_analyses
from sitroom.records import Analysis, Document
from sitroom.store import Store


def test_refreshes_at_the_first_thousand_then_each_doubling() -> None:
    schedule = StatsSchedule()
    due = [n for n in range(64, 20 * STATS_FIRST, 64) if schedule.due(n)]
    # a refresh at the first batch past each threshold, about log2(N / STATS_FIRST) in all
    assert len(due) == 5 and due[0] >= STATS_FIRST and all(b >= 2 * a for a, b in pairwise(due))


def test_a_last_refresh_only_when_enough_was_stored_since() -> None:
    small = StatsSchedule()
    assert not small.due_at_end(STATS_FIRST - 1)  # a small ingest never pays for one
    schedule = StatsSchedule()
    assert schedule.due(STATS_FIRST)
    assert not schedule.due_at_end(STATS_FIRST + 64)
    assert schedule.due_at_end(2 * STATS_FIRST - 64)


def test_a_run_into_an_analysed_store_waits_for_the_store_to_double() -> None:
    schedule = StatsSchedule.for_store(20 * STATS_FIRST)
    assert not schedule.due(21 * STATS_FIRST) and not schedule.due_at_end(21 * STATS_FIRST)
    assert schedule.due_at_end(31 * STATS_FIRST)
    assert schedule.due(40 * STATS_FIRST)


def _analysis() -> Analysis:
    words = " ".join(uuid.uuid4().hex for _ in range(12))  # no near copy of another
    return Analysis(document=Document(text=f"Report {words}.", origin=f"{uuid.uuid4().hex}.txt"))


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_runs_smaller_than_the_threshold_refresh_once_the_store_reaches_it(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # one small shard loaded after another: counted per run, no run ever reached the threshold
    monkeypatch.setattr(pipeline, "STATS_FIRST", 3)
    store = Store.open(db_url)
    refreshed_at: list[int] = []
    refresh = store.refresh_statistics
    monkeypatch.setattr(store, "refresh_statistics",
                        lambda: (refreshed_at.append(store.planner_basis()[0]), refresh()))
    try:
        for _ in range(3):
            store_analyses(store, [_analysis(), _analysis()], IngestSummary())
        assert refreshed_at and refreshed_at[0] == 4  # the second run's end: the store passed 3
        if store.dialect == "postgresql":  # the statistics saw 4 documents: not due again at 6
            assert refreshed_at == [4] and store.planner_basis() == (6, 4)
    finally:
        store.close()


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_refresh_statistics_runs_on_the_stores_own_tables(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        store.refresh_statistics()
        if store.dialect == "postgresql":
            with store.engine.connect() as conn:
                analysed = conn.execute(sa.text(
                    "select count(*) from pg_stat_user_tables where schemaname = current_schema() "
                    "and relname = 'documents' and last_analyze is not null")).scalar()
            assert analysed == 1
    finally:
        store.close()
