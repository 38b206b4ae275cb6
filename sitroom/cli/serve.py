"""CLI commands: serve (registered on the main app by sitroom.cli.main)."""

from __future__ import annotations

import os
import secrets
from typing import Any

import typer

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SHUTDOWN_SECONDS = 8  # the streams end within POLL_SECONDS of the request to stop


def serve(
    db: str = typer.Option(None, "--db", help="Store (SQLite path or PostgreSQL URL); default $SITROOM_DB or ./sitroom.db."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; keep 127.0.0.1 unless behind a proxy."),
    port: int = typer.Option(8765, "--port"),
    token: str = typer.Option(None, "--token", help="Write token for ingest and reviews (default $SITROOM_TOKEN, else random)."),
) -> None:
    """Serve the web UI and JSON API."""
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
    run(app, host, port)


def run(app: Any, host: str, port: int) -> None:
    """uvicorn, telling the app when it is asked to stop: the live-alert streams of open
    pages end on `app.state.shutting_down` (browsers reconnect by themselves) instead of
    holding Ctrl-C up; a short graceful-shutdown timeout is the backstop."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           timeout_graceful_shutdown=SHUTDOWN_SECONDS))
    handle_exit = server.handle_exit

    def stopping(sig: int, frame: Any) -> None:
        app.state.shutting_down = True
        handle_exit(sig, frame)

    server.handle_exit = stopping  # type: ignore[method-assign]
    server.run()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("serve")(serve)
