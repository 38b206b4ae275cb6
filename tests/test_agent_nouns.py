"""The converter of PETRARCH's agents dictionary and the shipped table it made."""

from __future__ import annotations

from sitroom.nlp.events.agent_nouns import convert, sector_of

# Written for this test in the dictionary's format: a macro, a regular plural, an irregular
# one in braces, a null plural, a phrase with a trailing "_", a gapped phrase, an entry
# with no code.
FIXTURE = """# comment
!PERSON! = MAN, MEN
BOAT!PERSON! [~CVL]
FERRY_PILOT [~CVL]
GOOSE_HERD {GEESE_HERDS} [~AGR]
RIOT_POLICE {} [~COP]
ELDERS_ [~REL]
CHIEF WARDEN [~GOV]
NO_CODE_HERE
"""


def test_convert_reads_plurals_macros_and_counts_what_it_skips() -> None:
    table, stats = convert(FIXTURE)
    assert table["boatman"] == table["boatmen"] == "CVL" and "boatmen s" not in table
    assert table["ferry pilot"] == table["ferry pilots"] == "CVL"
    assert table["geese herds"] == "AGR" and "goose herds" not in table
    assert table["riot police"] == "COP" and "riot polices" not in table
    assert "elders" in table and "elderss" not in table
    assert table["chief warden"] == "GOV"
    assert stats["skipped: no agent code"] == 1 and stats["macros"] == 1


def test_sector_of_reads_the_longest_known_ending() -> None:
    assert sector_of(["teachers"]) == "EDU"
    assert sector_of(["riot", "police"]) == "COP"
    assert sector_of(["seven", "teachers"]) == "EDU"
    assert sector_of(["houses"]) is None


def test_phoenix_agents_expand_macros() -> None:
    # the one reader of PETRARCH's agents dictionary (actors_io.phoenix had a second one)
    agents, _stats = convert("\n".join(["!PERSON! = MAN, WOMAN", "FISHER!PERSON! [~AGR]", "POLICE_OFFICER [~COP]"]))
    assert agents == {"fisherman": "AGR", "fisherwoman": "AGR", "police officer": "COP", "police officers": "COP"}
