"""Every export format parses back: CSV (csv module), Parquet (pyarrow), GraphML and GEXF
(xml.etree), FollowTheMoney and PLOVER (json), CAMEO TSV; filters narrow the output."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.corpus import relations as corpus_relations
from sitroom.records import (
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Relation,
    Span,
    Speaker,
)
from sitroom.store import Store
from tests.builders import actor

runner = CliRunner()

IRAN = actor("irn")
SYR = actor("syr-government")
HEZ = actor("lbn-hezbollah", name="Hezbollah & <Co>", aliases={}, affiliations=[])  # markup must come out escaped
SOL = actor("irn-qassem-soleimani")
QF = actor("irn-quds-force")
ISR = actor("isr")


def _analysis(text: str, site: str, published: str, relations: list[Relation],
              events: list[Event] | None = None, claims: list[Claim] | None = None) -> Analysis:
    doc = Document(text=text, site=site, published=published, title=text[:30], url=f"https://{site}/a")
    return Analysis(document=doc, actors=[IRAN, SYR, HEZ, SOL, QF, ISR], events=events or [], claims=claims or [],
                    relations=relations, sentences=[(0, len(text))])


def _ev(kind: str, rid: str, text: str) -> dict:
    return {"kind": kind, "id": rid, "start": 0, "end": len(text), "text": text}


@pytest.fixture
def store_path(db_url: str) -> str:
    """A small store on SQLite and on PostgreSQL (the exports' SQL must run on both)."""
    path = db_url
    store = Store.open(path)
    t1 = 'Iran spent billions on Assad\'s government, "sources" said.\tTabbed.'
    e1 = Event(id="e1", type="AID", mode="economic", source=["irn"], target=["syr-government"],
               source_codes=["IRN"], target_codes=["SYRGOV"], modality="reported", claim="c1", start=0,
               end=len(t1), text=t1, date=EventDate(value="2015-11-01", precision="month"))
    c1 = Claim(id="c1", speaker=Speaker(actor=None, text="sources"), cue=Span(0, 4, "said"),
               content=Span(0, 40, t1[:40]), events=["e1"], via=["(author)"])
    a = _analysis(t1, "wire.example", "2016-01-10", [
        Relation("funds", "irn", "syr-government", [_ev("event", "e1", t1) | {"claim": "c1"}])], [e1], [c1])
    t2 = "Quds Force commander Qassem Soleimani met Hezbollah, allied with Iran."
    b = _analysis(t2, "blog.example", "2017-06-01", [
        Relation("commands", "irn-qassem-soleimani", "irn-quds-force", [_ev("pattern", "between:commands", t2)]),
        Relation("allied_with", "irn", "lbn-hezbollah", [_ev("pattern", "between:allied_with", t2)])])
    t3 = "Hezbollah attacked Israel."
    e3 = Event(id="e3", type="ASSAULT", source=["lbn-hezbollah"], target=["isr"], start=0, end=len(t3), text=t3)
    c = _analysis(t3, "news.example", "2018-03-03", [
        Relation("fights", "lbn-hezbollah", "isr", [_ev("event", "e3", t3)])], [e3])
    for x in (a, b, c):
        store.save_analysis(x)
    corpus_relations.update(store, [x.document.id for x in (a, b, c)])
    store.close()
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_tables_parse_back(store_path: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    _run("export", "csv", "--db", store_path, "--out", str(out))
    tables = {p.stem: list(csv.DictReader(p.open(encoding="utf-8"))) for p in out.glob("*.csv")}
    assert set(tables) == {"events", "claims", "relations", "relation_evidence", "actors"}
    rels = {(r["source"], r["type"], r["target"]): r for r in tables["relations"]}
    assert set(rels) == {("irn", "funds", "syr-government"), ("irn-qassem-soleimani", "commands", "irn-quds-force"),
                         ("irn", "allied_with", "lbn-hezbollah"), ("lbn-hezbollah", "fights", "isr")}
    assert rels[("irn", "funds", "syr-government")]["first_seen"] == "2015-11-01"
    assert rels[("irn", "funds", "syr-government")]["source_name"] == "Iran"
    events = {e["id"].split(":")[1]: e for e in tables["events"]}
    assert events["e1"]["source"] == "irn" and events["e1"]["target_codes"] == "SYRGOV"
    assert events["e1"]["text"].endswith("\tTabbed.")  # quoting keeps tabs and quotes intact
    assert tables["claims"][0]["speaker_text"] == "sources"
    assert {a["id"] for a in tables["actors"]} >= {"irn", "lbn-hezbollah"}
    assert all(e["text"] for e in tables["relation_evidence"])


def test_csv_single_table_to_stdout_with_filters(store_path: str) -> None:
    text = _run("export", "csv", "--db", store_path, "--table", "relations", "--out", "-", "--actor", "irn")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["source"], r["type"]) for r in rows} == {("irn", "funds"), ("irn", "allied_with")}
    text = _run("export", "csv", "--db", store_path, "--table", "events", "--out", "-", "--since", "2018-01-01")
    assert [r["type"] for r in csv.DictReader(io.StringIO(text))] == ["ASSAULT"]
    text = _run("export", "csv", "--db", store_path, "--table", "relations", "--out", "-", "--until", "2016-12-31")
    assert [r["type"] for r in csv.DictReader(io.StringIO(text))] == ["funds"]
    text = _run("export", "csv", "--db", store_path, "--table", "relations", "--out", "-", "--type", "fights")
    assert [r["target"] for r in csv.DictReader(io.StringIO(text))] == ["isr"]


def test_parquet_parses_back(store_path: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    _run("export", "parquet", "--db", store_path, "--out", str(out))
    rel = pq.read_table(out / "relations.parquet").to_pylist()
    assert len(rel) == 4 and all(isinstance(r["n_sources"], int) for r in rel)
    events = pq.read_table(out / "events.parquet")
    assert events.schema.field("negated").type == "bool"
    assert sorted(events.column("type").to_pylist()) == ["AID", "ASSAULT"]
    single = tmp_path / "actors.parquet"
    _run("export", "parquet", "--db", store_path, "--table", "actors", "--out", str(single))
    assert "Iran" in pq.read_table(single).column("name").to_pylist()


def test_graphml_parses_back(store_path: str, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    _run("export", "graphml", "--db", store_path, "--out", str(out))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", ns)}
    assert {"kind", "country", "code", "type", "n_sources", "first_seen", "last_seen"} <= set(keys)
    nodes = {n.get("id"): {d.get("key"): d.text for d in n.findall("g:data", ns)}
             for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert nodes["lbn-hezbollah"]["label"] == "Hezbollah & <Co>"  # escaped and read back
    assert nodes["irn"]["kind"] == "state"
    edges = [(e.get("source"), e.get("target"), {d.get("key"): d.text for d in e.findall("g:data", ns)})
             for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(edges) == 4
    allied = next(e for e in edges if e[2]["type"] == "allied_with")
    assert allied[2]["symmetric"] == "true" and allied[2]["weight"] == "1.0"
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    networkx = pytest.importorskip("networkx")
    g = networkx.read_graphml(out)
    assert g.number_of_edges() == 4
    assert g.nodes["irn"]["kind"] == "state"


def test_gexf_parses_back_and_filters(store_path: str, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    _run("export", "gexf", "--db", store_path, "--out", str(out), "--type", "commands")
    ns = {"x": "http://gexf.net/1.3"}
    root = ET.parse(out).getroot()
    nodes = [n.get("id") for n in root.findall(".//x:nodes/x:node", ns)]
    edges = root.findall(".//x:edges/x:edge", ns)
    assert sorted(nodes) == ["irn-qassem-soleimani", "irn-quds-force"]
    assert len(edges) == 1 and edges[0].get("label") == "commands"
    values = {v.get("for"): v.get("value") for v in edges[0].findall(".//x:attvalue", ns)}
    assert values["n_sources"] == "1" and values["last_seen"] == "2017-06-01"
    full = tmp_path / "all.gexf"
    _run("export", "gexf", "--db", store_path, "--out", str(full))
    allied = [e for e in ET.parse(full).getroot().findall(".//x:edges/x:edge", ns) if e.get("label") == "allied_with"]
    assert [e.get("type") for e in allied] == ["mutual"]
    networkx = pytest.importorskip("networkx")
    g = networkx.read_gexf(full)
    assert g.number_of_edges() == 5 and g.nodes["irn"]["kind"] == "state"  # mutual: both directions


def test_ftm_entities(store_path: str) -> None:
    lines = [json.loads(x) for x in _run("export", "ftm", "--db", store_path, "--out", "-").splitlines()]
    by_schema: dict[str, list[dict]] = {}
    for e in lines:
        by_schema.setdefault(e["schema"], []).append(e)
    ids = {e["id"] for e in lines}
    assert len(by_schema["Directorship"]) == 1
    d = by_schema["Directorship"][0]["properties"]
    assert d["director"] == ["sitroom-irn-qassem-soleimani"] and d["role"] == ["commands"]
    links = by_schema["UnknownLink"]
    assert {link["properties"]["role"][0] for link in links} == {"funds", "allied with", "fights"}
    for e in by_schema["Directorship"] + links:  # every link points at an exported entity
        props = e["properties"]
        for key in ("director", "organization", "subject", "object"):
            for ref in props.get(key, []):
                assert ref in ids
    assert any(e["properties"].get("startDate") == ["2015-11-01"] for e in links)


def test_plover_and_cameo_or_a_clear_error(store_path: str) -> None:
    result = runner.invoke(app, ["export", "plover", "--db", store_path, "--out", "-"])
    try:
        import sitroom.exports.plover  # noqa: F401
    except ImportError:
        assert result.exit_code == 2 and "no plover exporter" in result.output
    else:
        assert result.exit_code == 0, result.output
        records = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
        assert records and all(isinstance(r, dict) for r in records)
    result = runner.invoke(app, ["export", "cameo", "--db", store_path, "--out", "-"])
    try:
        import sitroom.exports.cameo_tsv  # noqa: F401
    except ImportError:
        assert result.exit_code == 2 and "no cameo_tsv exporter" in result.output
    else:
        assert result.exit_code == 0, result.output
        rows = [x.split("\t") for x in result.stdout.splitlines()]
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1


def test_unknown_format_and_table(store_path: str) -> None:
    assert runner.invoke(app, ["export", "xlsx", "--db", store_path]).exit_code == 2
    assert runner.invoke(app, ["export", "csv", "--db", store_path, "--table", "nope"]).exit_code == 2


def test_relations_list_and_rebuild(store_path: str) -> None:
    rows = json.loads(_run("relations", "list", "--db", store_path, "--json", "--actor", "irn"))
    assert {(r["source"], r["type"], r["target"]) for r in rows} == {
        ("irn", "funds", "syr-government"), ("irn", "allied_with", "lbn-hezbollah")}
    assert all(r["n_sources"] == 1 for r in rows)
    result = runner.invoke(app, ["relations", "rebuild", "--db", store_path])
    assert result.exit_code == 0 and "rebuilt 4 relations" in result.output
    assert json.loads(_run("relations", "list", "--db", store_path, "--json", "--actor", "irn")) == rows
