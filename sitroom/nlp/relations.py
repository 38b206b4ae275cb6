"""Per-document relations stage (filled in by the graph issue)."""

from __future__ import annotations

from sitroom.nlp.stages import Context, register


@register("relations", order=40)
def run(ctx: Context) -> None:
    return None
