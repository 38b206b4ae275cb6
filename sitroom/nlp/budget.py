"""Limits per document in analysis, as plain data: kept free of spaCy so the CLI can read the
defaults when it declares its options without loading the model stack."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """Limits per document in analysis. `seconds` is CPU time (steady on a shared machine);
    a document over it is skipped with a reason. A worker process whose resident memory
    exceeds `rss_mb` after a batch is replaced by a fresh one."""

    seconds: float | None = 60.0
    rss_mb: int | None = 1024
    # Wall-clock allowance on top of four times the CPU budget before a worker counts as hung:
    # a backstop for a worker stuck outside Python or killed, so generous enough for model
    # loading and a machine at load 15 (a 200k-character section then takes ~400 s of wall time).
    grace_seconds: float = 600.0
