"""Polling: one feed at a time, new items only, and the loop that keeps going.

A poll of one feed is a conditional GET through `sitroom.ingest.fetch` (the same size cap,
redirect limit and address guard as URL ingest, the ETag / Last-Modified of the last poll
sent back), then only the items not seen before go through `sitroom.pipeline.ingest_documents`,
and the rules run over the documents that were stored. A feed that hangs costs one timeout,
one that fails (HTTP errors, garbage, a vanished host) is polled less and less often
(exponential backoff), and no exception from one feed stops the others.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from urllib.parse import urlparse

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.ingest.feeds import iter_feed
from sitroom.ingest.fetch import FetchError, Response, fetch
from sitroom.ingest.sources import URL_RE, from_bytes, sniff
from sitroom.nlp.stages import Settings
from sitroom.pipeline import IngestSummary, ingest_documents
from sitroom.records import Document
from sitroom.store import Store
from sitroom.watch import alerts as alert_store
from sitroom.watch import state as feed_state
from sitroom.watch.alerts import Alert
from sitroom.watch.rules import Rules
from sitroom.watch.state import FeedState

Report = Callable[[str], None]


def _quiet(line: str) -> None:
    return None


@dataclass
class WatchOptions:
    every: float = 900.0  # seconds between polls of a feed that answers
    host_delay: float = 2.0  # at least this long between two requests to one host
    timeout: float = 20.0  # per network operation: a hanging feed gives up after this
    max_bytes: int = 20_000_000
    max_backoff: float = 6 * 3600.0  # a failing feed is still tried this often
    allow_private_hosts: bool = False  # feeds and their links are untrusted input
    fetch_links: bool = True
    workers: int = 1

    def source_options(self) -> SourceOptions:
        return SourceOptions(fetch_links=self.fetch_links, max_bytes=self.max_bytes, timeout=self.timeout,
                             allow_private_hosts=self.allow_private_hosts)


@dataclass
class PollResult:
    url: str
    status: str  # ok | unchanged | error
    new_items: int = 0
    stored: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    error: str | None = None


class NotAFeed(Exception):
    """The response is neither a feed, a URL list nor an HTML page."""


def _url_lines(data: bytes) -> list[str] | None:
    try:
        lines = [x.strip() for x in data[:1_000_000].decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        return None
    lines = [x for x in lines if x and not x.startswith("#")]
    return lines if lines and all(URL_RE.match(x) for x in lines) else None


class Watcher:
    """Polls the watched URLs, ingests what is new, records and delivers alerts."""

    def __init__(self, store: Store, urls: list[str], rules: Rules | None = None,
                 options: WatchOptions | None = None, *, webhook: str | None = None,
                 settings: Settings | None = None, report: Report = _quiet,
                 clock: Callable[[], datetime] = feed_state.now) -> None:
        self.store = store
        self.urls = urls
        self.rules = rules or Rules()
        self.options = options or WatchOptions()
        self.webhook = webhook or self.rules.webhook
        self.settings = settings
        self.report = report
        self.clock = clock
        self.states = {u: feed_state.load(store, u) for u in urls}
        self._last_request: dict[str, float] = {}
        self.totals = {"polls": 0, "stored": 0, "alerts": 0, "errors": 0}
        self.stop = threading.Event()  # set (SIGTERM, Ctrl-C): no new poll starts
        self.rules.prime(store)

    # --- one feed --------------------------------------------------------------------

    def _polite(self, url: str) -> None:
        """Wait out the per-host delay since the last request to this URL's host."""
        host = urlparse(url).hostname or ""
        wait = self._last_request.get(host, float("-inf")) + self.options.host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _items(self, st: FeedState, resp: Response, keys: list[str]) -> Iterator[Document | Skipped]:
        """The documents of the items not seen before; every item key of the response goes to `keys`."""
        opts = self.options.source_options()
        fmt = "rss" if any(t in resp.content_type for t in ("rss", "atom")) else None
        fmt = fmt or sniff(resp.content[:8192], st.url)
        seen = set(st.seen)
        if fmt == "rss":
            def keep(key: str) -> bool:
                keys.append(key)
                return key not in seen

            def on_page(body: bytes, origin: str, charset: str | None) -> Iterable[Document | Skipped]:
                return from_bytes(body, origin, opts, "html", url=origin, declared=charset)

            return iter_feed(resp.content, st.url, opts, on_page, keep=keep)
        urls = _url_lines(resp.content)
        if urls is not None:
            keys.extend(urls)
            return iter_documents([u for u in urls if u not in seen], opts)
        if fmt == "html" or "html" in resp.content_type:
            key = "page:" + hashlib.sha256(resp.content).hexdigest()[:32]
            keys.append(key)
            if key in seen:
                return iter(())
            return from_bytes(resp.content, st.url, opts, "html", url=resp.url, declared=resp.charset)
        raise NotAFeed("not a feed, a URL list or an HTML page")

    def poll(self, url: str) -> PollResult:
        """Poll one URL now; never raises (the result says what went wrong)."""
        st = self.states.setdefault(url, FeedState(url))
        every, opts = self.options.every, self.options
        self.totals["polls"] += 1
        try:
            self._polite(url)
            resp = fetch(url, max_bytes=opts.max_bytes, timeout=opts.timeout,
                         allow_private_hosts=opts.allow_private_hosts, headers=st.conditional_headers())
            if resp.status == 304:
                st.succeeded("unchanged", self.clock(), every)
                return PollResult(url, "unchanged")
            keys: list[str] = []
            items = iter(self._items(st, resp, keys))
            first = next(items, None)
            # nothing new: no analysis at all (a `--once` run must not load the model for nothing)
            summary = IngestSummary() if first is None else ingest_documents(
                self.store, chain([first], items), settings=self.settings, workers=opts.workers)
            if not keys and summary.skipped:  # the feed itself was unreadable
                raise NotAFeed(summary.skipped[0][1])
            new_items = len([k for k in keys if k not in set(st.seen)])
            st.remember(keys)
            st.etag, st.last_modified = resp.etag, resp.last_modified
            st.stored += summary.stored
            st.succeeded("ok", self.clock(), every)
            result = PollResult(url, "ok", new_items, summary.stored, list(summary.skipped))
            result.alerts = self._raise(summary.document_ids)
            return result
        except Exception as exc:  # a feed must never stop the watch: record, back off, go on
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if not isinstance(exc, FetchError | NotAFeed):
                reason = f"{type(exc).__name__}: {reason}"
            st.failed(reason[:500], self.clock(), every, opts.max_backoff)
            self.totals["errors"] += 1
            return PollResult(url, "error", error=reason)
        finally:
            try:
                feed_state.save(self.store, st)
            except Exception as exc:  # the store may be briefly unavailable; the next poll saves again
                self.report(f"{url}: could not save the feed state: {str(exc).splitlines()[0]}")

    def _raise(self, document_ids: list[str]) -> list[Alert]:
        raised = []
        for candidate in self.rules.evaluate(self.store, document_ids):
            alert = alert_store.record(self.store, candidate)
            if alert is None:  # raised before
                continue
            if self.webhook and alert.id is not None:
                alert.delivery = alert_store.deliver(self.webhook, alert)
                alert_store.set_delivery(self.store, alert.id, alert.delivery)
            raised.append(alert)
        self.totals["alerts"] += len(raised)
        return raised

    # --- the loop --------------------------------------------------------------------

    def poll_due(self) -> list[PollResult]:
        """Poll every feed that is due, in list order."""
        results = []
        for url in self.urls:
            st = self.states[url]
            if self.stop.is_set():
                break
            if not st.due(self.clock()):
                continue
            result = self.poll(url)
            self.totals["stored"] += result.stored
            self.report(describe(result, st))
            for origin, reason in result.skipped[:20]:
                self.report(f"  skipped {origin}: {reason}")
            for alert in result.alerts:
                self.report(f"ALERT [{alert.rule}] {alert.title}" + (f" ({alert.delivery})" if alert.delivery else ""))
            results.append(result)
        return results

    def seconds_to_next(self) -> float:
        """Until the earliest feed is due (0 when one is due now)."""
        at = self.clock()
        waits = [(st.next_poll - at).total_seconds() if st.next_poll else 0.0 for st in self.states.values()]
        return max(0.0, min(waits, default=self.options.every))

    def run(self, rounds: int | None = None, stop: threading.Event | None = None) -> None:
        """Poll until `stop` is set (or after `rounds` rounds of polling what is due)."""
        stop = self.stop = stop or self.stop
        done = 0
        while not stop.is_set():
            self.poll_due()
            done += 1
            if rounds is not None and done >= rounds:
                return
            stop.wait(self.seconds_to_next())


def describe(result: PollResult, st: FeedState) -> str:
    """One line per poll, for the log."""
    if result.status == "unchanged":
        return f"{result.url}: not modified"
    if result.status == "error":
        retry = f"; next try {st.next_poll:%H:%M:%S} UTC" if st.next_poll else ""
        return f"{result.url}: error: {result.error} (failure {st.failures}{retry})"
    parts = [f"{result.new_items} new items", f"{result.stored} stored"]
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped")
    if result.alerts:
        parts.append(f"{len(result.alerts)} alerts")
    return f"{result.url}: " + ", ".join(parts)
