"""Bring a database to the newest schema with alembic, configured in code (no alembic.ini).

Two processes opening a fresh store at once must not both create it ("table already
exists", a duplicate alembic_version row): the upgrade runs under the schema lock
(sitroom.store.locks), and the second process finds the schema at head and does nothing.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from sitroom.store.locks import schema_transaction


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sitroom.store") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    cfg = config()
    with schema_transaction(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
