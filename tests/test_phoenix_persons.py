"""The packaged Phoenix persons layer: which aliases identify a person, date-ranged codes,
curated actors winning, and the shipped file itself."""

from __future__ import annotations

from pathlib import Path

from sitroom.actors_io.phoenix import (
    PERSONS_FILE,
    PersonsReport,
    in_force,
    person_actor,
    person_rows,
    read_persons,
    write_persons,
)
from sitroom.nlp.actors import gazetteer
from sitroom.nlp.actors.gazetteer import Gazetteer, _add_phoenix_persons, normalise
from sitroom.records import Actor

# written for these tests; names are invented
COUNTRIES = """FREEDONIA_  [FRE]
+FREEDONIAN_REPUBLIC_
ZORAN_EXAMPLOV_  # two offices, one country
+Z._EXAMPLOV_
+EXAMPLOV_
\t[FREGOVEDU 030101-051031]
\t[FREGOVHLH 051101-060430]
DRAGA_SWITCHOVA_  # changed sides: a minister of one state, then of another
\t[FREGOV 900101-991231]
\t[SYLGOV >000101]
ALI_HASSAN_  # common given names only
\t[FREGOV 010101-020101]
ALI_HASSAN_QUIRKSTONE_
\t[FREGOV 010101-020101]
MOHAMMED_BORROWDALE_
+FREEDONIAN_REPUBLIC_
\t[SYLGOV 010101-020101]
LUCA_TWINNAME_  # two persons of one name
\t[FREGOV 010101-020101]
LUCA_TWINNAME_
\t[SYLGOV 010101-020101]
SANTA_CLARITA_  # a place
\t[FREGOV 010101-020101]
KAMAL_VOTARIAN_
\t[SYLELI 460101-900208]
"""
# every given name of COUNTRIES' "Ali Hassan" is a common one: enough persons share them
FILLER = "".join(f"ALI_HASSAN_FILLER{c}_\n\t[FREGOV 010101-020101]\n" for c in "ABCDEFGHIJ")


def _rows(tmp_path: Path, report: PersonsReport | None = None) -> dict[str, dict]:
    path = tmp_path / "Phoenix.Countries.actors.txt"
    path.write_text(COUNTRIES + FILLER, encoding="utf-8")
    rows = person_rows(path, is_place=lambda name: name == "Santa Clarita", report=report)
    return {r["id"]: r for r in rows}


def test_only_aliases_that_identify_one_person_are_kept(tmp_path: Path) -> None:
    report = PersonsReport()
    rows = _rows(tmp_path, report)
    # not the bare surname, nor an initial and the surname
    assert rows["phx-zoran-examplov"]["aliases"] == ["Zoran Examplov"]
    assert "phx-ali-hassan" not in rows  # given names only
    assert rows["phx-ali-hassan-quirkstone"]["aliases"] == ["Ali Hassan Quirkstone"]
    assert rows["phx-mohammed-borrowdale"]["aliases"] == ["Mohammed Borrowdale"]  # not the state's name
    assert "phx-luca-twinname" not in rows and "phx-santa-clarita" not in rows
    assert report.dropped["one name word"] >= 1 and report.dropped["names a place"] == 1


def test_codes_choose_by_the_documents_date(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    examplov = person_actor(rows["phx-zoran-examplov"])
    assert (examplov.code, examplov.country) == ("FREGOV", "FRE")  # what both offices agree on
    assert in_force(examplov, "2004-05-01").code == "FREGOVEDU"
    assert in_force(examplov, "2006-02-01T10:00:00Z").code == "FREGOVHLH"
    assert in_force(examplov, "2015-01-01").code is None  # out of office: the text's role decides
    switch = person_actor(rows["phx-draga-switchova"])
    assert switch.country is None and switch.code is None  # no date: the ranges disagree
    assert in_force(switch, "1995-06-01").country == "FRE"
    assert in_force(switch, "2003-06-01").code == "SYLGOV"
    assert in_force(switch, None) is switch
    ben = person_actor({"id": "phx-b", "name": "Ben Example", "aliases": ["Ben Example"],
                        "codes": [["DZAGOV", "1962-09-27", "1963-09-20"], ["DZAELI", None, None]]})
    assert (ben.code, in_force(ben, "1962-12-01").code, in_force(ben, "1990-01-01").code) == ("DZA", "DZAGOV", "DZAELI")
    # a two-digit year before the pivot's century: 1946, not 2046
    assert rows["phx-kamal-votarian"]["codes"] == [["SYLELI", "1946-01-01", "1990-02-08"]]


def test_curated_actors_win(tmp_path: Path) -> None:
    rows = list(_rows(tmp_path).values())
    path = tmp_path / PERSONS_FILE
    write_persons(rows, path)
    assert path.read_bytes() == (write_persons(rows, tmp_path / "again.gz") or (tmp_path / "again.gz").read_bytes())
    gaz = Gazetteer()
    gaz.add(Actor(id="fre-zoran", name="Zoran Examplov", kind="person", country="FRE", aliases={"en": ["Examplov"]}))
    gaz.add(Actor(id="fre-quirk-party", name="Quirkstone", kind="party", aliases={"en": ["Ali Hassan Quirkstone"]}))
    _add_phoenix_persons(gaz, path)
    assert "phx-zoran-examplov" not in gaz.actors  # a curated person has that name
    assert "phx-ali-hassan-quirkstone" not in gaz.actors  # its only alias is another actor's
    assert gaz.by_key[normalise("Mohammed Borrowdale")] == ["phx-mohammed-borrowdale"]
    assert gaz.actors["phx-mohammed-borrowdale"].kind == "person"


def test_the_shipped_layer_loads_under_the_curated_gazetteer() -> None:
    from importlib import resources

    rows = read_persons(resources.files("sitroom") / "data" / "actors" / PERSONS_FILE)
    assert len(rows) > 10000
    assert all(len(a.split()) >= 2 for r in rows for a in r["aliases"])
    gaz = gazetteer.load()
    phoenix = [a for a in gaz.actors.values() if a.origin == "import:phoenix"]
    assert len(phoenix) > 10000 and all(a.kind == "person" for a in phoenix)
    # a curated person keeps his names: no imported person shares one
    for actor in gaz.actors.values():
        if actor.origin == "gazetteer" and actor.kind == "person":
            ids = gaz.by_key.get(normalise(actor.name), [])
            assert not any(i.startswith("phx-") for i in ids), actor.name


def test_the_imported_layer_is_never_reached_by_a_near_spelling(tmp_path: Path) -> None:
    from sitroom.nlp.actors.resolve import Resolver

    path = tmp_path / PERSONS_FILE
    write_persons(list(_rows(tmp_path).values()), path)
    gaz = Gazetteer()
    gaz.add(Actor(id="fre-karim", name="Karim Testerman", kind="person", country="FRE"))
    _add_phoenix_persons(gaz, path)
    resolver = Resolver(gaz, None)
    assert resolver.lookup("Mohammed Borrowdale", fuzzy=True) == (["phx-mohammed-borrowdale"], "alias")
    # one letter off a curated name is still that person; one letter off an imported one is nobody
    assert resolver.lookup("Karim Testerxan", fuzzy=True) == (["fre-karim"], "fuzzy")
    assert resolver.lookup("Mohammed Borowdale", fuzzy=True) is None
    # an analyst's own (loose) entry of that name makes it reachable again
    gaz.add(Actor(id="user-borrowdale", name="Mohammed Borrowdale", kind="person"))
    assert normalise("Mohammed Borrowdale") not in gaz.exact_only
