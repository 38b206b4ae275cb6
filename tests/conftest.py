"""Shared fixtures. Tests that read ../shared/data skip cleanly when it is absent."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_BASE_URL = os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared development data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_data: Path) -> str:
    path = shared_data / "seed" / "inside-irans-secret-war-in-syria.txt"
    if not path.exists():
        pytest.skip("seed article absent")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def analyzer():
    """One loaded Analyzer for the whole session (loading spaCy takes seconds)."""
    from sitroom.nlp.analyze import Analyzer

    return Analyzer()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sitroom.db'}"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema per test, dropped afterwards."""
    if not _pg_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f"create schema {schema}")
    try:
        yield f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f"drop schema {schema} cascade")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run a store test against both back ends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sitroom.db'}"
    return request.getfixturevalue("pg_url")
