"""What is remembered of each watched feed between polls, in the store (`watch_feeds`):
the validators of the conditional GET, the keys of the items already ingested, the run of
consecutive failures and when the feed is due again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sitroom.store import Store
from sitroom.store.models import WatchFeedRow

SEEN_LIMIT = 1000  # item keys kept per feed: ten times what a feed usually lists at once


def now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)
    failures: int = 0
    status: str | None = None
    error: str | None = None
    polled_at: datetime | None = None
    next_poll: datetime | None = None
    stored: int = 0

    def due(self, at: datetime) -> bool:
        return self.next_poll is None or self.next_poll <= at

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def remember(self, keys: list[str]) -> None:
        """Add item keys, oldest forgotten first past SEEN_LIMIT (or twice what the feed lists
        now, so a long URL list never forgets items it still lists)."""
        known = set(self.seen)
        self.seen.extend(k for k in dict.fromkeys(keys) if k not in known)
        del self.seen[:-max(SEEN_LIMIT, 2 * len(keys))]

    def succeeded(self, status: str, at: datetime, every: float) -> None:
        self.status, self.error, self.failures = status, None, 0
        self.polled_at, self.next_poll = at, at + timedelta(seconds=every)

    def failed(self, error: str, at: datetime, every: float, max_backoff: float) -> None:
        """Back off: the interval doubles with each consecutive failure, up to `max_backoff`."""
        self.failures += 1
        self.status, self.error, self.polled_at = "error", error, at
        delay = min(every * 2 ** self.failures, max(max_backoff, every))
        self.next_poll = at + timedelta(seconds=delay)


_FIELDS = ("etag", "last_modified", "seen", "failures", "status", "error", "polled_at", "next_poll", "stored")


def load(store: Store, url: str) -> FeedState:
    with store.session() as s:
        row = s.scalar(select(WatchFeedRow).where(WatchFeedRow.url == url))
        if row is None:
            return FeedState(url)
        state = FeedState(url, **{f: getattr(row, f) for f in _FIELDS})
    state.seen = list(state.seen or [])
    state.polled_at, state.next_poll = _aware(state.polled_at), _aware(state.next_poll)
    return state


def save(store: Store, state: FeedState) -> None:
    with store.session() as s:
        row = s.scalar(select(WatchFeedRow).where(WatchFeedRow.url == state.url))
        if row is None:
            row = WatchFeedRow(url=state.url)
            s.add(row)
        for f in _FIELDS:
            setattr(row, f, list(state.seen) if f == "seen" else getattr(state, f))


def all_states(store: Store) -> list[FeedState]:
    with store.session() as s:
        urls = list(s.scalars(select(WatchFeedRow.url).order_by(WatchFeedRow.id)))
    return [load(store, u) for u in urls]
