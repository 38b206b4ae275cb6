"""Alerts: stored once per key, listed newest first, read as a stream by id, and optionally
POSTed to a webhook.

The store is the only channel between a `sitroom watch` process and the web server: the
server's live stream reads the alerts whose id is above the last one a page has seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sitroom.store import Store
from sitroom.store.models import AlertRow

WEBHOOK_TIMEOUT = 10.0


@dataclass
class Alert:
    key: str  # identity: the same alert is raised once ("relation:irn:supports:lbn-hezbollah")
    rule: str  # contested | relation | fatalities | mention
    title: str
    detail: str | None = None
    document_id: str | None = None
    link: str | None = None  # web UI path
    payload: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    created_at: datetime | None = None
    delivery: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "rule": self.rule, "title": self.title, "detail": self.detail,
                "document_id": self.document_id, "link": self.link, "payload": self.payload,
                "created_at": self.created_at.isoformat() if self.created_at else None, "delivery": self.delivery}


def _from_row(row: AlertRow) -> Alert:
    return Alert(key=row.key, rule=row.rule, title=row.title, detail=row.detail, document_id=row.document_id,
                 link=row.link, payload=row.payload or {}, id=row.id, created_at=row.created_at,
                 delivery=row.delivery)


def record(store: Store, alert: Alert) -> Alert | None:
    """Store `alert`; the stored alert, or None when one with its key exists already."""
    insert = sqlite_insert if store.dialect == "sqlite" else pg_insert
    values = {"key": alert.key[:300], "rule": alert.rule, "title": alert.title, "detail": alert.detail,
              "document_id": alert.document_id, "link": alert.link, "payload": alert.payload}
    with store.session() as s:
        new_id = s.scalar(insert(AlertRow).values(**values).on_conflict_do_nothing(index_elements=["key"])
                          .returning(AlertRow.id))
        if new_id is None:
            return None
        return _from_row(s.get(AlertRow, new_id))


def set_delivery(store: Store, alert_id: int, outcome: str) -> None:
    with store.session() as s:
        row = s.get(AlertRow, alert_id)
        if row is not None:
            row.delivery = outcome[:300]


def recent(store: Store, limit: int = 50, offset: int = 0, rule: str | None = None) -> tuple[list[Alert], int]:
    """Newest first, and the total matching."""
    q = select(AlertRow)
    count = select(func.count()).select_from(AlertRow)
    if rule:
        q, count = q.where(AlertRow.rule == rule), count.where(AlertRow.rule == rule)
    with store.session() as s:
        rows = s.scalars(q.order_by(AlertRow.id.desc()).limit(limit).offset(offset)).all()
        return [_from_row(r) for r in rows], int(s.scalar(count) or 0)


def after(store: Store, last_id: int, limit: int = 100) -> list[Alert]:
    """Alerts with an id above `last_id`, oldest first (what a live page has not seen)."""
    with store.session() as s:
        rows = s.scalars(select(AlertRow).where(AlertRow.id > last_id).order_by(AlertRow.id).limit(limit)).all()
        return [_from_row(r) for r in rows]


def latest_id(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.max(AlertRow.id))) or 0)


def deliver(webhook: str, alert: Alert, timeout: float = WEBHOOK_TIMEOUT) -> str:
    """POST the alert as JSON; the outcome in a few words. The URL is the user's own setting,
    so a local address is allowed, but a redirect is never followed (it could lead anywhere)."""
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            resp = client.post(webhook, json=alert.as_dict(),
                               headers={"User-Agent": "sitroom-watch", "Content-Type": "application/json"})
    except httpx.HTTPError as exc:
        return f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    if resp.is_redirect or 300 <= resp.status_code < 400:
        return f"failed: HTTP {resp.status_code} redirect not followed"
    if resp.status_code >= 400:
        return f"failed: HTTP {resp.status_code}"
    return f"delivered: HTTP {resp.status_code}"
