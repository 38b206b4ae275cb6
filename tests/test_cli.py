"""The sitroom command line over a temporary store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.contract import validate

runner = CliRunner()

ARTICLE = """<!doctype html><html><head><title>Hezbollah fighters deploy near Qusayr</title>
<meta name="author" content="A. Reporter"><meta property="article:published_time" content="2016-03-02">
</head><body><article><h1>Hezbollah fighters deploy near Qusayr</h1>
<p>Hezbollah has deployed hundreds of fighters to the countryside of Homs, a commander of the group told
reporters on Tuesday. The Syrian army said the reinforcements would support an offensive against rebels.</p>
<p>Rebel officials said they had repelled two attacks and accused Iran of directing the operation.</p>
<script>alert("x")</script></article></body></html>"""


def _files(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "article.html").write_text(ARTICLE, encoding="utf-8")
    (src / "junk.html").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    return src


def test_ingest_reports_skips_and_exits_nonzero_but_stores_the_rest(tmp_path: Path) -> None:
    src = _files(tmp_path)
    db = str(tmp_path / "s.db")
    result = runner.invoke(app, ["ingest", str(src), "--db", db, "--quiet"])
    assert result.exit_code == 1
    assert "junk.html" in result.output
    stats = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert json.loads(stats.stdout)["documents"] == 1


def test_docs_search_show_and_stats(tmp_path: Path) -> None:
    src = _files(tmp_path)
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", str(src / "article.html"), "--db", db, "--quiet"])
    listed = runner.invoke(app, ["docs", "--db", db, "--json"])
    rows = json.loads(listed.stdout)
    assert len(rows) == 1
    found = runner.invoke(app, ["docs", "Qusayr", "--db", db, "--json"])
    assert json.loads(found.stdout)[0]["id"] == rows[0]["id"]
    missing = runner.invoke(app, ["docs", "Vladivostok", "--db", db, "--json"])
    assert json.loads(missing.stdout) == []
    shown = runner.invoke(app, ["show", rows[0]["id"][:8], "--db", db, "--json"])
    record = json.loads(shown.stdout)
    validate(record)
    assert "alert(" not in record["document"]["text"]
    assert runner.invoke(app, ["show", "nosuchdoc", "--db", db]).exit_code == 1


def test_extract_prints_one_valid_object_per_document(tmp_path: Path) -> None:
    src = _files(tmp_path)
    result = runner.invoke(app, ["extract", str(src / "article.html"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    validate(lines[0])
    assert lines[0]["document"]["title"].startswith("Hezbollah fighters")


def test_extract_csv_with_field_mapping(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("ref,headline,body,when,outlet\n"
                   "1,Strike on Idlib,Jets struck a market in Idlib on Monday killing 9 people.,2016-01-04,Wire A\n"
                   "2,Talks in Geneva,Delegations met in Geneva on Friday to discuss a truce.,2016-01-08,Wire B\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["extract", str(csv), "--text-field", "body", "--title-field", "headline",
                                 "--date-field", "when", "--source-field", "outlet", "--id-field", "ref"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line)["document"] for line in result.stdout.splitlines() if line.strip()]
    assert [d["title"] for d in docs] == ["Strike on Idlib", "Talks in Geneva"]
    assert docs[0]["site"] == "Wire A" and docs[0]["published"].startswith("2016-01-04")


def test_bad_store_url_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2
    assert "cannot open store" in result.output
