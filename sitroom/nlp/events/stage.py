"""Events stage: PLOVER/CAMEO coding (filled in by the events issue)."""

from __future__ import annotations

from sitroom.nlp.stages import Context, register


@register("events", order=20)
def run(ctx: Context) -> None:
    return None
