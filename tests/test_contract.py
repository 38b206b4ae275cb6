"""The extract contract is versioned and enforced by its JSON Schema."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from sitroom.contract import SCHEMA_VERSION, to_contract, validate
from sitroom.records import (
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Quantity,
    Relation,
    Span,
    Speaker,
    document_id,
)
from tests.builders import actor, mention


def _analysis() -> Analysis:
    text = "The agency reported that Iran cut its forces from 7000 to 700."
    doc = Document(text=text, published="2015-12-20", url="http://example.org/a")
    iran = actor("irn")
    q = Quantity(kind="troops", from_value=7000, to_value=700, text="from 7000 to 700", start=46, end=62)
    event = Event(id="e1", type="RETREAT", source=["irn"], start=25, end=62, text=text[25:62],
                  quantities=[q], modality="reported", claim="c1",
                  date=EventDate(value="2015-12-15", precision="day", text="December 15th"))
    claim = Claim(id="c1", speaker=Speaker(actor=None, text="The agency", start=0, end=10),
                  cue=Span(11, 19, "reported"), content=Span(25, 62, text[25:62]), events=["e1"], quantities=[q])
    return Analysis(document=doc, actors=[iran],
                    mentions=[mention(text, "Iran", "irn")],
                    events=[event], claims=[claim],
                    relations=[Relation(type="supports", source="irn", target="syr", evidence=[{"kind": "event", "id": "e1"}])])


def test_contract_validates_and_carries_the_version() -> None:
    record = to_contract(_analysis())
    validate(record)
    assert record["schema"] == SCHEMA_VERSION
    assert record["events"][0]["quantities"][0]["from"] == 7000


def test_document_id_ignores_whitespace_and_case() -> None:
    assert document_id("Iran  withdrew\nforces.") == document_id("iran withdrew forces.")
    assert document_id("Iran withdrew forces.") != document_id("Iran deployed forces.")


@pytest.mark.parametrize(
    "path,value",
    [(("events", 0, "type"), "ATTACK"), (("actors", 0, "country"), "Iran"), (("mentions", 0, "start"), -1)],
)
def test_schema_rejects_broken_records(path: tuple, value: object) -> None:
    record = copy.deepcopy(to_contract(_analysis()))
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate(record)


def test_the_example_in_docs_schema_md_is_valid() -> None:
    import json
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", doc, re.S)
    assert block is not None
    example = json.loads(block.group(1))
    validate(example)
    text = example["document"]["text"]
    for m in example["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    for c in example["claims"]:
        assert text[c["content"]["start"]:c["content"]["end"]] == c["content"]["text"]
