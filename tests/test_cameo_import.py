"""The PETRARCH CAMEO dictionary importer (sitroom/nlp/events/cameo_import.py) on dictionary
text written for these tests in PETRARCH's format, and the shipped converted data."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.nlp.events.cameo_import import Report, convert_discards, convert_verbs, parse_pattern

DICTIONARY = """\
# a made-up dictionary in PETRARCH's format
####### SYNONYM SETS #######

&ARMY_
+SOLDIER
+TROOP

&GUN
+RIFLE
+HEAVY_MACHINE_GUN

####### VERB PATTERNS #######

---  SHOVE   [170]  ---
SHOVE
NUDGE {NUDGES NUDGING NUDGED }
+PUSH_BACK {+PUSHES_BACK +PUSHING_BACK +PUSHED_BACK } [0874]
- * &GUN                                    [1711]   # SHOVE
- * OUT {FOREIGN DIPLOMATS}                 [161]    # SHOVE
- &ARMY * (TOWARD BORDER)                   [154]    # NUDGE
- * AID (TO +)                              [070]
- * (FROM $)                                [120]
- * WARNING                                 [:130]   # SHOVE
- * RUMOUR                                  [---]    # NUDGE

---  UTTER   [---]  ---
SAY [010]
UTTER
- * THREAT (AGAINST)                        [130]
~ a (a b SHOVE) UTTER = a b 130
"""


def test_pattern_parts() -> None:
    assert parse_pattern(" * OUT {FOREIGN DIPLOMATS} ") == {
        "prt": "out", "obj": {"head": "diplomats", "mods": ["foreign"]}}
    assert parse_pattern(" * AID (TO +) ") == {
        "obj": {"head": "aid", "mods": []}, "preps": [{"prep": "to"}], "target_prep": "to"}
    assert parse_pattern(" &ARMY * (TOWARD BORDER) ") == {
        "subj": {"head": "&ARMY", "mods": []}, "preps": [{"prep": "toward", "obj": {"head": "border", "mods": []}}]}
    # written without brackets (TABARI leftovers): a phrase and a bare preposition
    assert parse_pattern(" * ARMS EMBARGO ") == {"obj": {"head": "embargo", "mods": ["arms"]}}


def test_dictionary_conversion_and_report() -> None:
    data, report = convert_verbs(DICTIONARY)
    assert data["synsets"]["&GUN"] == ["rifle", "heavy machine gun"]
    assert {e["block"] for e in data["verbs"]["shove"]} == {"shove"}
    assert data["forms"]["nudged"] == "nudge" and data["forms"]["pushed"] == "push"
    [push] = data["verbs"]["push"]
    assert push["after"] == ["back"] and push["code"] == "0874"  # its own code beats the block's
    assert data["verbs"]["nudge"][0]["code"] == "170"  # the block's code
    assert "code" not in data["verbs"]["say"][0]  # a generic verb alone codes nothing
    assert report.generic_verb_codes_dropped == 1
    pats = data["blocks"]["shove"]
    # most specific first; a null-coded pattern is kept as a blocker
    assert pats[0]["code"] == "161" and pats[0]["verbs"] == ["shove"]
    assert any(p["code"] is None and p["verbs"] == ["nudge"] for p in pats)
    assert report.patterns_read == 8 and report.patterns_converted == 6
    assert report.skipped["source role $ inside a prepositional phrase"] == 1
    assert report.skipped["reverse-only code [:X] (the object acts on the subject)"] == 1
    assert report.transformations_skipped == 1
    lines = "\n".join(report.lines())
    assert "8 read, 6 converted" in lines and "2 not converted" in lines


def test_discards_keep_history_markers_apart() -> None:
    report = Report()
    out = convert_discards("+WORLD CUP  # story\nBOXING\n1999\nYEARS AGO\nGROUP A_\n", report)
    assert out == {"story": ["world cup"], "sentence": ["boxing", "group a_"], "history": ["1999", "years ago"]}
    assert (report.discards_story, report.discards_sentence, report.discards_history) == (1, 2, 2)


def _shipped() -> dict:
    blob = (resources.files("sitroom") / "data" / "lexicons" / "cameo_verbs.json.gz").read_bytes()
    return json.loads(gzip.decompress(blob))


def _table() -> dict:
    raw = (resources.files("sitroom") / "data" / "lexicons" / "cameo_plover.yaml").read_text("utf-8")
    return yaml.safe_load(raw)["codes"]


def test_every_code_in_the_converted_dictionary_maps_to_plover() -> None:
    data, table = _shipped(), _table()
    codes = {p["code"] for pats in data["blocks"].values() for p in pats if p["code"]}
    codes |= {e["code"] for entries in data["verbs"].values() for e in entries if e.get("code")}
    assert len(codes) > 200
    assert not codes - set(table), sorted(codes - set(table))
    plover = yaml.safe_load((resources.files("sitroom") / "data" / "lexicons" / "plover.yaml").read_text("utf-8"))
    for code, value in table.items():
        if value is None:
            assert code.startswith("01"), code  # only public statements have no PLOVER type
            continue
        etype, mode = value.split()
        assert etype in plover["types"], (code, etype)
    assert {c[:2] for c in table} == {f"{r:02d}" for r in range(1, 21)}  # all 20 roots


def test_shipped_data_carries_the_notice() -> None:
    assert "Open Event Data Alliance" in _shipped()["notice"]
    notice = (resources.files("sitroom") / "data" / "lexicons" / "NOTICE.cameo").read_text("utf-8")
    assert "MIT" in notice and "Open Event Data Alliance" in notice


def test_cli_import(tmp_path: Path) -> None:
    src = tmp_path / "verbs.txt"
    src.write_text(DICTIONARY, encoding="utf-8")
    result = CliRunner().invoke(app, ["lexicon", "import-petrarch", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "8 read, 6 converted" in result.output
    assert (tmp_path / "out" / "cameo_verbs.json.gz").is_file()
    missing = CliRunner().invoke(app, ["lexicon", "import-petrarch", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output


@pytest.mark.shared
def test_whole_dictionary_converts_to_the_shipped_data(shared_data: Path, tmp_path: Path) -> None:
    from sitroom.nlp.events.cameo_import import import_petrarch

    folder = shared_data / "petrarch_dicts"
    if not (folder / "CAMEO.2.0.txt").is_file():
        pytest.skip("PETRARCH dictionaries absent")
    report = import_petrarch(folder / "CAMEO.2.0.txt", tmp_path, folder / "Phoenix.discards.txt")
    assert report.patterns_converted > 4000
    assert report.patterns_read == report.patterns_converted + sum(report.skipped.values())
    fresh = json.loads(gzip.decompress((tmp_path / "cameo_verbs.json.gz").read_bytes()))
    assert fresh == _shipped()  # the shipped file is what the importer makes


@pytest.mark.parametrize("bare,bracketed", [
    ("ARMS EMBARGO", ["{ARMS", "EMBARGO}"]),  # a bare run is one phrase, its last word the head
    ("OUT FOREIGN DIPLOMATS", ["OUT", "{FOREIGN", "DIPLOMATS}"]),  # after a particle
    ("DEBATE ON ISSUE", ["DEBATE", "(", "ON", "ISSUE", ")"]),  # a bare preposition and its object
    ("THREAT AGAINST", ["THREAT", "(", "AGAINST", ")"]),  # a bare preposition at the end
    ("AID ( TO + )", ["AID", "(", "TO", "+", ")"]),  # groups already bracketed are copied
    ("AID +", ["AID"]),  # a trailing + is the default target
    ("ON ISSUE", ["ON", "ISSUE"]),  # a preposition first is a particle, not a phrase
])
def test_bare_words_are_bracketed(bare: str, bracketed: list[str]) -> None:
    from sitroom.nlp.events.cameo_import import _bracket_bare
    assert _bracket_bare(bare.split()) == bracketed


def test_pattern_pieces() -> None:
    from sitroom.nlp.events.cameo_import import Skip, _object_phrase, _particle, _prep_phrase, _subject_phrase
    assert _subject_phrase(" $ ") is None  # the subject is the source anyway
    assert _subject_phrase(" {HEAVY TROOP} ") == {"head": "troop", "mods": ["heavy"]}
    with pytest.raises(Skip, match="several words"):
        _subject_phrase(" HEAVY TROOP ")
    assert _particle(["OUT", "AID"], 0) == ("out", 1)
    assert _particle(["(", "OUT", ")"], 1) == (None, 1)  # "(OUT)" is a preposition, not a particle
    assert _object_phrase(["+", "(", "TO", ")"], 0) == (None, 1)
    with pytest.raises(Skip, match="as the object"):
        _object_phrase(["$"], 0)
    assert _prep_phrase(["TO", "+"]) == ({"prep": "to"}, True)
    assert _prep_phrase(["TOWARD", "BORDER"]) == ({"prep": "toward", "obj": {"head": "border", "mods": []}}, False)
    with pytest.raises(Skip, match="several phrases"):
        _prep_phrase(["ON", "A", "B"])
