"""Bring a database to the newest schema with alembic, configured in code (no alembic.ini)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sitroom.store") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
