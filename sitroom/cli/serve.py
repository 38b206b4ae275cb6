"""CLI commands: serve (registered on the main app by sitroom.cli.main)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    return None
