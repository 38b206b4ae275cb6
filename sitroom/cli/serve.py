"""CLI commands: serve (registered on the main app by sitroom.cli.main)."""

from __future__ import annotations

import os
import secrets

import typer

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    db: str = typer.Option(None, "--db", help="Store (SQLite path or PostgreSQL URL); default $SITROOM_DB or ./sitroom.db."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; keep 127.0.0.1 unless behind a proxy."),
    port: int = typer.Option(8765, "--port"),
    token: str = typer.Option(None, "--token", help="Write token for ingest and reviews (default $SITROOM_TOKEN, else random)."),
) -> None:
    """Serve the web UI and JSON API."""
    import uvicorn

    from sitroom.store.db import DEFAULT_DB
    from sitroom.web.app import create_app

    db = db or os.environ.get("SITROOM_DB") or DEFAULT_DB
    given = token or os.environ.get("SITROOM_TOKEN")
    token = given or secrets.token_urlsafe(16)
    loopback = host in LOOPBACK
    # Bound to loopback: answer only to loopback names (no DNS rebinding from a web page).
    app = create_app(db=db, token=token, allowed_hosts=sorted(LOOPBACK) if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"sitroom serving {db} at http://{shown}:{port}/")
    if not given:
        typer.echo(f"write token (ingest, reviews): {token}")
    if not loopback:
        typer.echo("warning: bound beyond this machine; reads need no token", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("serve")(serve)
