"""One alias key for the store, the resolver and the CLI (sitroom.names.normalise_alias)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.names import normalise_alias
from sitroom.nlp.actors.gazetteer import normalise
from sitroom.records import Actor, Analysis, Document
from sitroom.store import Store


@pytest.mark.parametrize(("a", "b"), [
    ("Hizbollah's", "Hizbollah"),          # the possessive goes, not just its apostrophe
    ("Hizbollah’s", "hizbollah"),          # typographic apostrophe
    ("the rebels'", "rebels"),             # plural possessive
    ("Bashar al-Assad", "Bashar Al Assad"),
    ("Bashar al-Assad", "bashar  assad"),
    ("Al-Qaeda", "al Qaeda"),
    ("The Guardian", "guardian"),
    ("Qāsem", "Qasem"),                    # diacritics
])
def test_same_key(a: str, b: str) -> None:
    assert normalise_alias(a) == normalise_alias(b)


def test_edge_cases_keep_what_names_need() -> None:
    assert normalise_alias("Hizbollah's") == "hizbollah"
    assert normalise_alias("Hamas") == "hamas"  # a final s that is no possessive stays
    assert normalise_alias("Martyr's Brigade") == "martyrs brigade"  # only a trailing possessive goes
    assert normalise_alias("حزب الله") == "حزب الله"  # other scripts kept
    assert normalise_alias("") == "" and normalise_alias("  ") == ""
    assert normalise is normalise_alias  # the resolver's key is the same function


def test_cli_finds_an_actor_stored_with_a_hyphenated_name(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    store = Store.open(db)
    person = Actor(id="x-test-person", name="Bashar al-Assad", kind="person", country="SYR",
                   aliases={"en": ["Bashar al-Assad"]}, origin="discovered")
    doc = Document(text="Bashar al-Assad spoke.", site="t.example")
    assert store.save_analysis(Analysis(document=doc, actors=[person]))
    store.close()
    runner = CliRunner()
    for name in ("Bashar al-Assad", "bashar assad", "Bashar Al-Assad's"):
        got = runner.invoke(app, ["actors", "show", name, "--db", db, "--json"])
        assert got.exit_code == 0, got.output
        assert json.loads(got.stdout)["id"] == "x-test-person"
    added = runner.invoke(app, ["actors", "alias", "add", "Bashar al-Assad", "Abu Hafez", "--db", db])
    assert added.exit_code == 0, added.output
    got = runner.invoke(app, ["actors", "show", "abu hafez", "--db", db, "--json"])
    assert json.loads(got.stdout)["id"] == "x-test-person"
