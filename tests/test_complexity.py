"""No function in the package is a rule cascade: cyclomatic complexity ≤ 25 by radon's count
(which, unlike ruff's mccabe, counts boolean operators and comprehension conditions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

radon_complexity = pytest.importorskip("radon.complexity")

PACKAGE = Path(__file__).resolve().parents[1] / "sitroom"
LIMIT = 25


def _blocks(blocks: list, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Every function, method and nested function with its own score. radon lists a class's
    methods beside the class as well, so a class itself (its summed score) is skipped."""
    for block in blocks:
        if hasattr(block, "methods"):
            continue
        name = f"{prefix}{block.classname}.{block.name}" if getattr(block, "is_method", False) else f"{prefix}{block.name}"
        yield name, block.complexity
        yield from _blocks(getattr(block, "closures", []), f"{name}.")


def test_no_function_above_the_complexity_limit() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50  # the package is there: an empty glob must not pass
    over = [f"{path.relative_to(PACKAGE.parent)}:{name} {score}"
            for path in files
            for name, score in _blocks(radon_complexity.cc_visit(path.read_text(encoding="utf-8")))
            if score > LIMIT]
    assert not over, "functions above complexity 25 (split them into named steps):\n" + "\n".join(over)
