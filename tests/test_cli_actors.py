"""`sitroom actors`: list, show, merge, alias, Phoenix and FollowTheMoney import/export."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sitroom.actors_io.phoenix import ImportReport, parse_actors
from sitroom.cli.main import app

runner = CliRunner()

PHOENIX = """# a tiny dictionary written for this test
SYRIA_ [SYR]
+SYRIAN_ARAB_REPUBLIC_
HOJATOLISLAM_EXAMPLE_CLERIC_  # test entry
+EXAMPLE_CLERIC_
\t[IRNGOV 890604-]
\t[IRNELI 810101-890603]
LIWA_EXAMPLE_BRIGADE_ [SYRREB] # armed group
+EXAMPLE_BRIGADE_
\t[XXX 1234-99]
    this line is broken
"""


def _ingested(tmp_path: Path) -> str:
    db = str(tmp_path / "s.db")
    doc = tmp_path / "a.txt"
    doc.write_text("Hezbollah fighters backed the Syrian army near Qusayr, while Hizbollah commanders met "
                   "Qassem Soleimani in Damascus.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(doc), "--db", db, "-q"]).exit_code == 0
    return db


def test_phoenix_entries_synonyms_and_dated_codes() -> None:
    report = ImportReport()
    actors = list(parse_actors(PHOENIX.splitlines(), file_kind="countries", report=report))
    assert [a.name for a in actors] == ["Syria", "Hojatolislam Example Cleric", "Liwa Example Brigade"]
    cleric = actors[1]
    assert cleric.kind == "person" and cleric.country == "IRN"
    assert "Example Cleric" in cleric.aliases["en"]
    dated = {(f.target, f.start, f.end) for f in cleric.affiliations}
    assert ("code:IRNGOV", "1989-06-04", None) in dated and ("code:IRNELI", "1981-01-01", "1989-06-03") in dated
    assert report.skipped_lines and report.skipped_lines[0][1].startswith("indented")


def test_list_show_alias_and_merge(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    listed = json.loads(runner.invoke(app, ["actors", "list", "--db", db, "--json"]).stdout)
    hez = next(r for r in listed if r["id"] == "lbn-hezbollah")
    assert hez["mentions"] == 2
    shown = json.loads(runner.invoke(app, ["actors", "show", "Hizballah", "--db", db, "--json"]).stdout)
    assert shown["id"] == "lbn-hezbollah" and shown["documents"][0]["mentions"] == 2
    added = runner.invoke(app, ["actors", "alias", "add", "lbn-hezbollah", "Hezb", "--db", db])
    assert added.exit_code == 0
    merged = runner.invoke(app, ["actors", "merge", "lbn-hezbollah", "irn-qassem-soleimani", "--db", db])
    assert merged.exit_code == 0
    after = json.loads(runner.invoke(app, ["actors", "show", "lbn-hezbollah", "--db", db, "--json"]).stdout)
    assert after["documents"][0]["mentions"] == 3 and "Hezb" in after["aliases"]["en"]
    assert runner.invoke(app, ["actors", "show", "nobody-at-all", "--db", db]).exit_code == 1


def test_phoenix_import_and_ftm_round_trip(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    dic = tmp_path / "Test.actors.txt"
    dic.write_text(PHOENIX, encoding="utf-8")
    result = runner.invoke(app, ["actors", "import", "phoenix", str(dic), "--db", db])
    assert result.exit_code == 0 and "imported 3 actors" in result.stdout
    ftm = tmp_path / "out.ftm.json"
    assert runner.invoke(app, ["actors", "export", "ftm", "-o", str(ftm), "--db", db]).exit_code == 0
    entities = [json.loads(line) for line in ftm.read_text(encoding="utf-8").splitlines()]
    assert {e["schema"] for e in entities} >= {"Person", "PublicBody"}
    db2 = str(tmp_path / "t.db")
    assert runner.invoke(app, ["actors", "import", "ftm", str(ftm), "--db", db2]).exit_code == 0
    names = {r["name"] for r in json.loads(runner.invoke(app, ["actors", "list", "--db", db2, "--json"]).stdout)}
    assert "Hojatolislam Example Cleric" in names


def test_gazetteer_export_has_memberships(tmp_path: Path) -> None:
    result = runner.invoke(app, ["actors", "export", "ftm", "--gazetteer"])
    entities = [json.loads(line) for line in result.stdout.splitlines()]
    memberships = [e for e in entities if e["schema"] == "Membership"]
    assert any(m["properties"]["member"] == ["sitroom-irn-qassem-soleimani"] for m in memberships)


def test_phoenix_dictionaries_import_without_errors(shared_data: Path) -> None:
    from sitroom.actors_io.phoenix import read

    paths = sorted((shared_data / "actor_dicts").glob("Phoenix.*actors.txt"))
    assert paths, "no Phoenix actor dictionaries in shared data"
    for path in paths:
        report = ImportReport()
        actors = list(read(path, report))
        assert len(actors) > 500
        assert len(report.skipped_lines) < 0.01 * report.actors
