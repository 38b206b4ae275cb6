"""Planner statistics refreshed during long writes: the schedule, and the refresh on both back ends."""

from __future__ import annotations

from itertools import pairwise

import pytest
import sqlalchemy as sa

from sitroom.pipeline import STATS_FIRST, StatsSchedule
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
