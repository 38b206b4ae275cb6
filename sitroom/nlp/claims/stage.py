"""Claims stage: attribution and source chains (filled in by the claims issue)."""

from __future__ import annotations

from sitroom.nlp.stages import Context, register


@register("claims", order=30)
def run(ctx: Context) -> None:
    return None
