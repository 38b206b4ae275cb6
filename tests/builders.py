"""Hand-built analyses for tests that need records without running the analyzer: one catalog
of actors and one way to place a mention or a span by the words it covers, instead of
offsets and actor literals copied from file to file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sitroom.records import Actor, Affiliation, Mention, Span

# The actors tests use most, as the gazetteer would give them (ids, kinds, countries, codes).
_CATALOG: dict[str, Actor] = {a.id: a for a in (
    Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN", aliases={"en": ["Iran"]}),
    Actor(id="syr", name="Syria", kind="state", country="SYR", code="SYR", aliases={"en": ["Syria"]}),
    Actor(id="isr", name="Israel", kind="state", country="ISR", code="ISR"),
    Actor(id="rus", name="Russia", kind="state", country="RUS", aliases={"en": ["Russia"]}),
    Actor(id="syr-government", name="Government of Syria", kind="government", country="SYR", code="SYRGOV"),
    Actor(id="lbn-hezbollah", name="Hezbollah", kind="armed_group", country="LBN", code="LBNREB",
          aliases={"en": ["Hezbollah"]}, affiliations=[Affiliation(type="allied_with", target="irn")]),
    Actor(id="irn-qassem-soleimani", name="Qassem Soleimani", kind="person", country="IRN", code="IRNMIL"),
    Actor(id="irn-quds-force", name="Quds Force", kind="military", country="IRN", code="IRNMIL"),
    Actor(id="syr-assad", name="Bashar al-Assad", kind="person", country="SYR", aliases={"en": ["Assad"]}),
    Actor(id="x-rebels", name="rebels", kind="armed_group", origin="discovered", aliases={"en": ["rebels"]}),
)}


def actor(actor_id: str, **changes: Any) -> Actor:
    """A fresh copy of a catalog actor, with the fields a test needs changed."""
    base = _CATALOG[actor_id]
    fresh = replace(base, aliases={k: list(v) for k, v in base.aliases.items()},
                    affiliations=list(base.affiliations))
    return replace(fresh, **changes) if changes else fresh


def span(text: str, words: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of `words` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Span(start, start + len(words), words)


def mention(text: str, words: str, actor_id: str | None, label: str = "GPE", nth: int = 0) -> Mention:
    """A gazetteer mention of `actor_id` at the nth occurrence of `words`."""
    s = span(text, words, nth)
    return Mention(start=s.start, end=s.end, text=words, label=label, actor=actor_id, method="gazetteer")
