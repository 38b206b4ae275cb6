"""CLI: `sitroom watch` (poll feeds, ingest what is new, raise alerts) and `sitroom alerts`.

Thin callers of sitroom.watch; docs/watch.md.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from sitroom.cli.common import db_option, fail, more_hint, open_store, printable, say


def _duration(text: str, what: str) -> float:
    from sitroom.watch.config import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        fail(f"{what}: {exc}", 2)


def watch(
    feeds: Path = typer.Argument(..., help="File listing the feeds, URL lists or pages to poll, one URL per line."),
    db: str | None = db_option(),
    every: str = typer.Option("15m", "--every", help="Poll interval per feed (30s, 15m, 1h)."),
    rules_file: Path | None = typer.Option(None, "--rules", help="Alert rules (YAML; see docs/watch.md)."),
    webhook: str | None = typer.Option(None, "--webhook", help="POST each new alert as JSON to this URL "
                                       "(your own endpoint: local addresses allowed, redirects never followed)."),
    host_delay: str = typer.Option("2s", "--host-delay", help="At least this long between requests to one host."),
    timeout: str = typer.Option("20s", "--timeout", help="Give up on a feed that does not answer within this."),
    max_backoff: str = typer.Option("6h", "--max-backoff", help="A failing feed is retried at least this often."),
    max_bytes: int = typer.Option(20_000_000, "--max-bytes", help="Size cap per response."),
    allow_private_hosts: bool = typer.Option(False, "--allow-private-hosts",
                                             help="Fetch feeds and links on loopback/private addresses (your intranet)."),
    rounds: int | None = typer.Option(None, "--rounds", min=1, help="Stop after this many polling rounds "
                                      "(default: run until stopped)."),
    once: bool = typer.Option(False, "--once", help="Poll every feed once and exit (for cron)."),
) -> None:
    """Poll feeds and URL lists, ingest new items, and raise alerts from rules, until stopped."""
    from sitroom.watch.config import read_watch_list
    from sitroom.watch.poll import Watcher, WatchOptions
    from sitroom.watch.rules import Rules, RulesError

    try:
        listing = read_watch_list(feeds)
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {printable(feeds)}: {getattr(exc, 'strerror', None) or exc}", 2)
    for problem in listing.problems:
        say(f"warning: {printable(problem)}")
    if not listing.urls:
        fail(f"no feed URLs in {printable(feeds)}", 2)
    try:
        rules = Rules.load(rules_file) if rules_file else Rules()
    except RulesError as exc:
        fail(printable(str(exc)), 2)
    options = WatchOptions(every=_duration(every, "--every"), host_delay=_duration(host_delay, "--host-delay"),
                           timeout=_duration(timeout, "--timeout"), max_backoff=_duration(max_backoff, "--max-backoff"),
                           max_bytes=max_bytes, allow_private_hosts=allow_private_hosts)
    store = open_store(db, create=True)

    def report(line: str) -> None:
        say(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} {printable(line)}")

    watcher = Watcher(store, listing.urls, rules, options, webhook=webhook, report=report)
    say(f"watching {len(listing.urls)} feeds every {every}" + (f", alerts to {printable(watcher.webhook)}"
                                                               if watcher.webhook else "") + "; Ctrl-C stops")
    stop = threading.Event()
    # systemd stops a service with SIGTERM: finish the current feed, then leave cleanly.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        watcher.run(rounds=1 if once else rounds, stop=stop)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.close()
    t = watcher.totals
    say(f"stopped after {t['polls']} polls: {t['stored']} documents stored, {t['alerts']} alerts, "
        f"{t['errors']} feed errors")


def alerts(
    db: str | None = db_option(),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    rule: str | None = typer.Option(None, "--rule", help="Only this rule: contested, relation, fatalities, mention."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the alerts raised by `sitroom watch`, newest first."""
    from sitroom.watch.alerts import recent
    from sitroom.watch.rules import RULES

    if rule is not None and rule not in RULES:
        fail(f"unknown rule {printable(rule)!r}; choose from {', '.join(RULES)}", 2)
    store = open_store(db)
    rows, total = recent(store, limit=limit, offset=offset, rule=rule)
    store.close()
    if as_json:
        sys.stdout.write(json.dumps([a.as_dict() for a in rows], ensure_ascii=False) + "\n")
    elif rows:
        table = Table()
        for col in ("id", "raised (UTC)", "rule", "alert", "link"):
            table.add_column(col, overflow="fold")
        for a in rows:
            table.add_row(str(a.id), f"{a.created_at:%Y-%m-%d %H:%M}" if a.created_at else "", a.rule,
                          printable(a.title), a.link or "")
        from rich.console import Console

        Console().print(table)
    if not rows:
        say("no alerts" + (f" for rule {rule}" if rule else "") + (" at this offset" if offset else ""))
    hint = more_hint(len(rows), offset, offset + len(rows) < total, total)
    if hint:
        say(hint)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("watch")(watch)
    app.command("alerts")(alerts)
