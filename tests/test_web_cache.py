"""The web's aggregate cache: the timeline, the map and the front page's actor list are
computed once per store version, and a newly stored document shows at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.store import Store
from sitroom.web import cache, eventviews, queries
from tests.test_web_lists import analysis_c
from tests.test_web_pages import build_store


@pytest.fixture
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    cache.clear()
    store, _ids = build_store(str(tmp_path / "cache.db"))
    request.addfinalizer(store.close)
    return store


def test_an_aggregate_is_computed_once_per_store_version(store: Store) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with store.engine.connect() as conn:
        assert cache.cached(conn, "x", "k", compute) == 1
        assert cache.cached(conn, "x", "k", compute) == 1  # same version: kept
        assert cache.cached(conn, "x", "other", compute) == 2  # another key: computed
    assert store.save_analysis(analysis_c())
    with store.engine.connect() as conn:
        assert cache.cached(conn, "x", "k", compute) == 3  # a document stored: computed again


def test_timeline_map_and_actor_list_show_a_new_document_at_once(store: Store) -> None:
    with store.engine.connect() as conn:
        before = eventviews.timeline(conn, {})["events"], eventviews.map_points(conn, {})["events"]
        top = {a["id"] for a in queries.actor_list(conn, 30)}
    assert store.save_analysis(analysis_c())  # three dated events, two placed in Aleppo, one in Homs
    with store.engine.connect() as conn:
        after = eventviews.timeline(conn, {})["events"], eventviews.map_points(conn, {})["events"]
        assert after == (before[0] + 3, before[1] + 3)
        assert {p["place"] for p in eventviews.map_points(conn, {})["points"]} >= {"Aleppo", "Homs"}
        assert {a["id"] for a in queries.actor_list(conn, 30)} >= top | {"lbn-hezbollah"}
        # a filter is its own entry, not the unfiltered answer
        assert eventviews.timeline(conn, {"place": "Homs"})["events"] == 1


def test_two_stores_never_share_an_entry(tmp_path: Path) -> None:
    cache.clear()
    a, _ = build_store(str(tmp_path / "a.db"))
    b, _ = build_store(str(tmp_path / "b.db"))
    try:
        assert b.save_analysis(analysis_c())
        with a.engine.connect() as ca, b.engine.connect() as cb:
            n_a = eventviews.timeline(ca, {})["events"]
            assert eventviews.timeline(cb, {})["events"] == n_a + 3
    finally:
        a.close()
        b.close()
