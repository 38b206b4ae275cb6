"""`sitroom claims` and `sitroom contested` over a small store built from written fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli.claims import speaker_label
from sitroom.cli.main import app
from sitroom.records import Actor, Claim, Span, Speaker
from sitroom.store import Store
from tests.test_corpus_claims import ingest, report

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "claims.db")
    store = Store.open(path)
    first = report("The Observatory said rebel rocket fire on the Midan district of Aleppo killed 12 civilians.",
                   "Wire One", killed="12", speaker=("The Observatory", "syr-sohr"),
                   title="Rockets kill 12 in Aleppo")
    second = report("Rebel rocket fire on Aleppo's Midan district killed 30 civilians, medics told Wire Two.",
                    "Wire Two", killed="30", speaker=("medics", None), cue="told", published="2016-08-11",
                    title="Thirty dead in Aleppo shelling")
    # a nested claim: the governor's words inside the agency's report
    text = second.document.text
    second.claims.append(Claim(id="c2", speaker=Speaker(actor=None, text="the governor"), cue=Span(0, 0, "said"),
                               content=Span(0, 20, text[:20]), parent="c1"))
    ingest(store, first, second,
           report("Government aircraft struck a bakery in Homs, officials said.", "Wire Three", place="Homs",
                  speaker=("officials", None), published="2016-09-01"))
    store.close()
    return path


def test_claims_lists_and_filters(db: str) -> None:
    result = runner.invoke(app, ["claims", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["speaker"] for r in rows} >= {"The Observatory", "medics", "officials"}
    assert all(r["kind"] == "attributed" for r in rows)
    by_outlet = json.loads(runner.invoke(app, ["claims", "--db", db, "--outlet", "three", "--json"]).output)
    assert [r["speaker"] for r in by_outlet] == ["officials"]
    dated = json.loads(runner.invoke(app, ["claims", "--db", db, "--since", "2016-08-11", "--until", "2016-08-31",
                                           "--json"]).output)
    assert {r["document"]["site"] for r in dated} == {"Wire Two"}
    spoken = json.loads(runner.invoke(app, ["claims", "--db", db, "--speaker", "syr-sohr", "--json"]).output)
    assert [r["speaker"] for r in spoken] == ["The Observatory"]
    table = runner.invoke(app, ["claims", "--db", db, "--limit", "1"])
    assert table.exit_code == 0 and "1 claims" in table.output


def test_claims_show_prints_the_chain_and_the_group(db: str) -> None:
    rows = json.loads(runner.invoke(app, ["claims", "--db", db, "--speaker", "governor", "--json"]).output)
    (nested,) = rows
    result = runner.invoke(app, ["claims", "show", nested["id"], "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["chain"] == ["Wire Two", "medics", "the governor"]
    assert record["parents"][0]["speaker"] == "medics"
    rows = json.loads(runner.invoke(app, ["claims", "--db", db, "--speaker", "Observatory", "--json"]).output)
    record = json.loads(runner.invoke(app, ["claims", "show", rows[0]["id"], "--db", db, "--json"]).output)
    count = next(g for g in record["groups"] if g["key"].startswith("count|"))
    assert count["status"] == "contested"
    assert [m["value"] for m in count["contradicting"]] == ["30"]
    text = runner.invoke(app, ["claims", "show", rows[0]["id"][:20], "--db", db])
    assert text.exit_code == 0 and "contradicting" in text.output and "Wire One" in text.output
    missing = runner.invoke(app, ["claims", "show", "nope", "--db", db])
    assert missing.exit_code == 1


def test_contested_lists_each_side_with_its_sources(db: str) -> None:
    result = runner.invoke(app, ["contested", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    (group,) = json.loads(result.output)
    assert group["status"] == "contested" and group["n_independent"] == 2
    values = sorted(v for side in group["sides"] for v in side["values"])
    assert values == ["12", "30"]
    outlets = {r["site"] for side in group["sides"] for r in side["members"]}
    assert outlets == {"Wire One", "Wire Two"}
    assert {k for side in group["sides"] for k in side["sources"]} == {"actor:syr-sohr", "site:wire two"}
    text = runner.invoke(app, ["contested", "--db", db, "--limit", "5"])
    assert "side 1" in text.output and "side 2" in text.output and "Rockets kill 12" in text.output


def test_a_relative_pronouns_claim_is_listed_and_chained_under_its_antecedent(tmp_path: Path) -> None:
    path = str(tmp_path / "relative.db")
    store = Store.open(path)
    r = report("An accord between Moscow and Tehran that says Russian jets will cover the offensive, a source said.",
               "Wire Four", speaker=("a source", None), title="The accord")
    text = r.document.text
    r.claims.append(Claim(id="c2", speaker=Speaker(actor=None, text="that", start=40, end=44,
                                                   descriptor="An accord between Moscow and Tehran"),
                          cue=Span(45, 49, "says"), content=Span(50, 94, text[50:94]), parent="c1"))
    ingest(store, r)
    store.close()
    rows = json.loads(runner.invoke(app, ["claims", "--db", path, "--json"]).output)
    nested = next(x for x in rows if x["parent"])
    assert nested["speaker"] == "An accord between Moscow and Tehran"
    record = json.loads(runner.invoke(app, ["claims", "show", nested["id"], "--db", path, "--json"]).output)
    assert record["chain"][-1] == "An accord between Moscow and Tehran"


def test_a_pronoun_speaker_is_shown_with_the_actor_it_resolved_to(tmp_path: Path) -> None:
    path = str(tmp_path / "pronoun.db")
    store = Store.open(path)
    observatory = Actor(id="syr-sohr", name="Syrian Observatory for Human Rights", kind="organisation")
    ingest(store, report("He said rebel rocket fire on Aleppo killed 12 civilians.", "Wire One", killed="12",
                         speaker=("He", "syr-sohr"), actors=[observatory]))
    store.close()
    (row,) = json.loads(runner.invoke(app, ["claims", "--db", path, "--json"]).output)
    assert row["speaker"] == "He" and row["speaker_name"] == observatory.name
    assert speaker_label(row) == f"He ({observatory.name})"
    table = runner.invoke(app, ["claims", "--db", path])
    assert "Observatory" in table.output  # the content does not name it: the speaker column does
    shown = json.loads(runner.invoke(app, ["claims", "show", row["id"], "--db", path, "--json"]).output)
    assert shown["chain"][-1] == f"He ({row['speaker_name']})"
