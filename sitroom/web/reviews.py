"""Reviews over HTTP: the JSON shape of a stored review. What a review does (validation,
acting on the store, feeding resolution) lives in the domain module `sitroom.reviews`."""

from __future__ import annotations

from typing import Any

from sitroom.store.models import Review


def as_dict(row: Review) -> dict[str, Any]:
    return {"id": row.id, "target_kind": row.target_kind, "target_key": row.target_key, "decision": row.decision,
            "payload": row.payload, "author": row.author,
            "created_at": row.created_at.isoformat() if row.created_at else None}
