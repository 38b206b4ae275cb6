"""The record vocabulary of sitroom (see docs/design.md).

These dataclasses are the contract between the per-document step (`analyze`) and the
per-corpus step (the store). They are plain data: picklable (they cross process
boundaries), JSON-serialisable through `sitroom.contract`, and free of any spaCy or
database object. Every record that states a fact carries character offsets into
`Document.text`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

ActorKind = Literal[
    "state",
    "government",  # ministries, presidencies, parliaments, government bodies
    "military",  # armed forces, branches, security and intelligence services
    "armed_group",  # non-state armed groups, militias, rebels, terrorist groups
    "party",  # political parties and movements, opposition coalitions
    "media",  # outlets and news agencies
    "igo",  # international organisations
    "ngo",  # monitors, NGOs, think tanks, rescue groups
    "person",
    "population",  # ethnic, religious or civilian population groups
    "unknown",
]
ACTOR_KINDS: tuple[str, ...] = ActorKind.__args__  # type: ignore[attr-defined]

Modality = Literal["asserted", "reported", "presupposed", "future", "hypothetical", "conditional", "possible"]
# "month-day": a day whose year the text does not give and no publication date fixes
# (value "--09-30"); a year-less month is "month" with value "--09".
DatePrecision = Literal["day", "month-day", "month", "year", "range", "unknown"]


def normalise_text(text: str) -> str:
    """Normal form used for document identity: NFC, collapsed whitespace, casefolded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.casefold()


def document_id(text: str) -> str:
    """Stable document id: the first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def stable_id(*parts: object) -> str:
    """Deterministic short id for records derived from a document (events, claims...)."""
    raw = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Span:
    """A character span of `Document.text` and the text it covers."""

    start: int
    end: int
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    language: str | None = None


@dataclass(slots=True)
class Document:
    """One ingested text with its metadata and where it came from."""

    text: str
    id: str = ""
    external_id: str | None = None  # the source's own id (CSV/JSONL --id-field, feed guid)
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Where the text came from: a path, URL, "stdin", or "file.csv#row=12".
    origin: str | None = None
    # Byte offset of the WARC record (or CSV row number) inside `origin`, when relevant.
    origin_offset: int | None = None
    source_format: str | None = None  # html, text, csv, jsonl, warc, rss, url
    # Page leftovers worth keeping (author bio, comment counts...), never in `text`.
    extra: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)


@dataclass(slots=True)
class Affiliation:
    type: str  # member_of, part_of, commands, leads, allied_with, supports...
    target: str  # actor id
    start: str | None = None  # ISO date, None = open
    end: str | None = None
    title: str | None = None  # "Chief Commander", "Foreign Minister"


@dataclass(slots=True)
class Actor:
    id: str  # stable slug, e.g. "irn-irgc", or "x-<fingerprint>" for unknown actors
    name: str
    kind: str = "unknown"
    country: str | None = None  # ISO 3166 alpha-3
    code: str | None = None  # CAMEO-style code, e.g. IRNMIL
    aliases: dict[str, list[str]] = field(default_factory=dict)  # language -> names
    affiliations: list[Affiliation] = field(default_factory=list)
    wikidata: str | None = None
    description: str | None = None
    # "gazetteer", "user", "import:<name>" or "discovered" (unknown actor from text).
    origin: str = "gazetteer"
    confidence: float = 1.0


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, NORP, LOC, FAC, EVENT... (spaCy-style) or AGENT
    actor: str | None = None  # resolved actor id
    # How it was resolved: gazetteer, alias, acronym, demonym, title, agent, coref, ner, unknown
    method: str = "ner"
    sentence: int | None = None  # index of the sentence in the document
    confidence: float = 1.0
    # For generic agents ("the regime", "rebels"): sector code and country from context.
    sector: str | None = None


@dataclass(slots=True)
class Quantity:
    kind: str  # killed, wounded, captured, troops, money, fighters, ...
    value: float | None = None
    unit: str | None = None  # people, USD, ...
    approximate: bool = False
    from_value: float | None = None  # "from 7000 to 700"
    to_value: float | None = None
    text: str = ""
    start: int | None = None
    end: int | None = None
    subject: str | None = None  # actor id the count is about (e.g. Iran's forces)
    counted: str | None = None  # the class counted: "civilians", "rebels", "children", "people"
    subset: bool = False  # part of the count before it ("6 civilians, including 2 women": the 2)


@dataclass(slots=True)
class Place:
    name: str
    country: str | None = None  # ISO alpha-3
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class EventDate:
    value: str | None  # ISO date (or start of range)
    precision: str = "unknown"  # DatePrecision
    end: str | None = None  # end of a range
    text: str = ""
    start_char: int | None = None
    end_char: int | None = None


@dataclass(slots=True)
class AcledType:
    """ACLED's reading of an event (docs/events.md, "ACLED"): its event type and sub-event
    type (ACLED's six and twenty-five, plus our classes for organised crime, disasters,
    diplomacy and accusations), the actor-type codes of both sides (1 state forces ... 8
    external forces) and their interaction code ("17": state forces against civilians)."""

    event_type: str
    sub_event_type: str
    inter1: int | None = None
    inter2: int | None = None
    interaction: str | None = None


# CAMEO root 01 (make a public statement: 010-019) has no PLOVER type: such an event carries
# this marker as its type so that PLOVER's consumers (eval events, relations, the PLOVER and
# ACLED exports, claim groups) pass over it while the CAMEO ones keep it (docs/events.md).
STATEMENT = "STATEMENT"


def is_statement(e: Event) -> bool:
    return e.type == STATEMENT


@dataclass(slots=True)
class Event:
    id: str
    type: str  # PLOVER event type, e.g. ASSAULT; STATEMENT for a CAMEO 01x public statement
    mode: str | None = None  # PLOVER mode, e.g. aerial
    cameo: str | None = None  # CAMEO code for compatibility
    source: list[str] = field(default_factory=list)  # actor ids
    target: list[str] = field(default_factory=list)
    source_codes: list[str] = field(default_factory=list)  # CAMEO-style actor codes
    target_codes: list[str] = field(default_factory=list)
    date: EventDate | None = None
    place: Place | None = None
    quantities: list[Quantity] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"
    claim: str | None = None  # id of the claim it is reported under
    start: int = 0  # span of the sentence (or clause) carrying the event
    end: int = 0
    text: str = ""
    trigger: Span | None = None
    contexts: list[str] = field(default_factory=list)  # PLOVER contexts
    confidence: float = 1.0
    acled: AcledType | None = None
    fatalities: int | None = None  # people killed in this event, from its killed counts
    after_publication: bool = False  # dated after the document's publication date


@dataclass(slots=True)
class Speaker:
    actor: str | None  # actor id, or None for an unresolved descriptor
    text: str
    start: int | None = None
    end: int | None = None
    descriptor: str | None = None  # "a senior regional official"
    affiliation: str | None = None  # actor id the descriptor belongs to, if known


@dataclass(slots=True)
class Claim:
    id: str
    speaker: Speaker
    cue: Span | None
    content: Span
    direct: bool = False
    date: EventDate | None = None
    via: list[str] = field(default_factory=list)  # chain: author/outlet -> ... (actor ids or names)
    parent: str | None = None  # id of the claim it is nested in
    quantities: list[Quantity] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # ids of events inside the content
    kind: str = "attributed"  # attributed | author (the author's own assertion)
    confidence: float = 1.0
    # What the cue says about the content (cues.yaml `classes`): speech (said, told), report
    # (reported, according to), accusation (accused, denied) or belief (believes, wants,
    # plans); None for the author's own assertions.
    cue_class: str | None = None


# Cue classes that make a claim reported speech: what the claims list, contested groups and
# chains use by default. Beliefs and intentions ("Iran wants …") are shown only on request, and
# so is hearsay: a speech noun no one is named for ("allegations that …", "the suggestion that …"),
# and what a negated cue says was not said ("did not specify the nature of the attack").
# "aid workers, who said …": a relative pronoun's claim keeps the pronoun as its speaker span (as
# PolNeAR marks it) and the antecedent as its descriptor; lists and chains name the antecedent.
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def shown_speaker(text: str | None, descriptor: str | None) -> str:
    """The speaker as lists and chains show it: the antecedent of a relative pronoun, else the text."""
    if descriptor and (text or "").strip().lower() in RELATIVE_PRONOUNS:
        return descriptor
    return text or descriptor or ""


CUE_CLASSES = ("speech", "report", "accusation", "belief", "hearsay", "negated")
# The classes a claim's construction gives whatever its cue word (nlp/claims/classes.py), so
# cues.yaml lists no words for them.
CONSTRUCTION_CLASSES = ("hearsay", "negated")
REPORTED_SPEECH = ("speech", "report", "accusation")


def is_stance(claim: Any) -> bool:
    """Whether a claim states a belief or intention ("Iran wants …"), shown only on request in
    the claims list and left out of claim groups; the author's own assertions are not stances."""
    cue_class = getattr(claim, "cue_class", None)
    return cue_class is not None and cue_class not in REPORTED_SPEECH


def is_reported_speech(claim: Any) -> bool:
    """Whether a claim (a `Claim`, or a stored row with `kind` and `cue_class`) is something
    someone said, reported, alleged or denied, rather than a belief or intention. A claim
    stored before cue classes existed (`cue_class` None) counts as speech."""
    cue_class = getattr(claim, "cue_class", None)
    return getattr(claim, "kind", "attributed") == "attributed" and (cue_class is None or cue_class in REPORTED_SPEECH)


@dataclass(slots=True)
class Relation:
    type: str  # supports, allied_with, opposes, fights, funds, commands, member_of, part_of, leads
    source: str
    target: str
    evidence: list[dict[str, Any]] = field(default_factory=list)  # {kind, id, start, end, text}


@dataclass(slots=True)
class Analysis:
    """Everything the per-document step found in one document."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
