"""The packaged gazetteer is valid data: schema, unique ids, known targets, coverage."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import jsonschema
import pytest
import yaml

DATA = resources.files("sitroom") / "data"
FILES = sorted(f for f in (DATA / "actors").iterdir() if f.name.endswith(".yaml"))


def _load(f) -> list[dict]:
    return yaml.safe_load(f.read_text(encoding="utf-8")) or []


ALL = [(f.name, a) for f in FILES for a in _load(f)]


@pytest.mark.parametrize("f", FILES, ids=lambda f: f.name)
def test_file_matches_the_schema(f) -> None:
    schema = json.loads((DATA / "schema" / "actors.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_load(f), schema)


def test_ids_are_unique_across_files() -> None:
    counts = Counter(a["id"] for _f, a in ALL)
    assert [i for i, n in counts.items() if n > 1] == []


def test_affiliation_targets_exist() -> None:
    ids = {a["id"] for _f, a in ALL}
    missing = [(a["id"], aff["target"]) for _f, a in ALL for aff in a.get("affiliations", []) if aff["target"] not in ids]
    assert missing == []


def test_dated_affiliations_are_ordered() -> None:
    bad = [(a["id"], aff) for _f, a in ALL for aff in a.get("affiliations", [])
           if aff.get("start") and aff.get("end") and str(aff["start"]) > str(aff["end"])]
    assert bad == []


def test_codes_agree_with_countries() -> None:
    bad = [a["id"] for _f, a in ALL if a.get("country") and a.get("code") and not a["code"].startswith(a["country"])
           and a["kind"] != "state"]
    assert bad == []


def test_the_actors_of_the_seed_genre_are_present() -> None:
    ids = {a["id"] for _f, a in ALL}
    required = {"irn", "syr", "rus", "lbn", "yem", "irq", "irn-irgc", "irn-quds-force", "irn-qassem-soleimani",
                "lbn-hezbollah", "yem-houthis", "irq-nouri-al-maliki", "syr-bashar-al-assad", "rus-vladimir-putin",
                "irn-ali-khamenei", "irn-mohammad-ali-jafari", "syr-free-syrian-army", "usa-bloomberg",
                "sau-asharq-al-awsat", "irn-ncri", "rus-defence-ministry", "int-isis"}
    assert required <= ids


def test_every_state_has_a_demonym_file_entry_or_is_minor() -> None:
    demonyms = yaml.safe_load((DATA / "lexicons" / "demonyms.yaml").read_text(encoding="utf-8"))
    states = {a["country"] for _f, a in ALL if a["kind"] == "state"}
    assert set(demonyms) <= states
    assert len(demonyms) >= 110


def test_people_and_groups_have_arabic_or_english_aliases() -> None:
    for _f, a in ALL:
        if a["kind"] != "state":
            assert a.get("aliases", {}).get("en") or a.get("aliases", {}).get("ar"), a["id"]
