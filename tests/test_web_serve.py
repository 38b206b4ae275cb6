"""`sitroom serve`: default bind, token from option/env/generated, address printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli.main import app


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    import uvicorn

    calls: list[dict] = []

    def fake_run(server: uvicorn.Server, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        calls.append({"app": server.config.app, "host": server.config.host, "port": server.config.port,
                      "graceful": server.config.timeout_graceful_shutdown})

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    monkeypatch.delenv("SITROOM_TOKEN", raising=False)
    return calls


def test_serve_defaults_to_localhost_and_prints_a_generated_token(tmp_path: Path, runs: list[dict]) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 0, r.output
    assert runs[0]["host"] == "127.0.0.1" and runs[0]["port"] == 8765
    assert runs[0]["graceful"]  # open live-alert streams cannot hold a Ctrl-C up
    assert "http://127.0.0.1:8765/" in r.output
    token = runs[0]["app"].state.token
    assert len(token) >= 16 and f"write token (ingest, reviews): {token}" in r.output


def test_serve_token_from_option_or_env_is_not_printed(tmp_path: Path, runs: list[dict],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--token", "opt-secret", "--port", "9001"])
    assert r.exit_code == 0 and "opt-secret" not in r.output and runs[-1]["app"].state.token == "opt-secret"
    assert "http://127.0.0.1:9001/" in r.output
    monkeypatch.setenv("SITROOM_TOKEN", "env-secret")
    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 0 and "env-secret" not in r.output and runs[-1]["app"].state.token == "env-secret"


def test_loopback_serve_refuses_foreign_host_headers(tmp_path: Path, runs: list[dict]) -> None:
    from fastapi.testclient import TestClient

    assert CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db")]).exit_code == 0
    web = runs[-1]["app"]
    ok = TestClient(web, base_url="http://127.0.0.1:8765")
    assert ok.get("/api/graph").status_code == 200
    assert ok.get("/api/graph", headers={"host": "localhost:8765"}).status_code == 200
    rebound = TestClient(web, base_url="http://attacker.example:8765")
    assert rebound.get("/api/graph").status_code == 400
    web.state.store.close()
