"""Where an event happened: "in Aleppo", "from Syria", "in this country".

Cities come from the offline GeoNames index (sitroom.nlp.places); countries from the state
mentions the actors stage resolved; "this country" is the last state mentioned before.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sitroom.nlp import places
from sitroom.records import Actor, Mention, Place

PLACE_PREPS = ("in", "at", "near", "from", "into", "inside", "across", "outside", "around", "over", "to", "during")
ANAPHORIC = ("country", "city", "town", "region", "area")
STREET_NOUNS = ("street", "st", "road", "rd", "avenue", "ave", "square", "highway", "boulevard", "lane", "roundabout",
                "bridge", "hospital", "school", "mosque", "church", "market", "airport", "stadium", "university")


def _ents(doc: Doc) -> tuple[Span, ...]:
    """The document's entities, built once (spaCy builds the tuple anew on each Doc.ents)."""
    ents = doc.user_data.get("sitroom_ents")
    if ents is None:
        ents = doc.user_data["sitroom_ents"] = tuple(doc.ents)
    return tuple(ents)


def _state_mention(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor]) -> Mention | None:
    for i in range(tok.left_edge.i, tok.right_edge.i + 1):
        m = by_char.get(tok.doc[i].idx)
        if m is not None and m.actor and actors.get(m.actor) is not None and actors[m.actor].kind == "state" \
                and m.start <= tok.idx < m.end + 1:
            return m
    m = by_char.get(tok.idx)
    if m is not None and m.actor and actors.get(m.actor) is not None and actors[m.actor].kind == "state":
        return m
    return None


def place_of(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor],
             states_before: list[Mention]) -> Place | None:
    """The place a prepositional object names, or None."""
    named = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    if tok.lemma_.lower() in ANAPHORIC and named:  # "the town of Samarra"
        place = place_of(named[0], by_char, actors, states_before)
        if place is not None:
            return place
    compound = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if tok.lemma_.lower() in ANAPHORIC and compound:  # "Aleppo city", "Hama province"
        place = place_of(compound[-1], by_char, actors, states_before)
        if place is not None:
            return place
    if tok.lemma_.lower() in ANAPHORIC and any(c.lower_ in ("this", "that", "the") for c in tok.children
                                              if c.dep_ == "det"):
        if tok.lemma_.lower() == "country" and states_before:
            m = states_before[-1]
            a = actors[m.actor or ""]
            return Place(name=a.name, country=a.country, start=tok.idx, end=tok.idx + len(tok.text))
        return None
    state = _state_mention(tok, by_char, actors)
    if state is not None:
        a = actors[state.actor or ""]
        return Place(name=a.name, country=a.country, start=state.start, end=state.end)
    if tok.ent_type_ in ("GPE", "LOC", "FAC") or tok.pos_ == "PROPN":
        # The whole entity ("Deir ez-Zor"), else the compound name.
        if tok.ent_type_:
            ent = next((e for e in _ents(tok.doc) if e.start <= tok.i < e.end), None)
            name_tokens = list(ent) if ent is not None else [tok]
        else:
            name_tokens = [t for t in tok.subtree if t.dep_ == "compound" or t is tok]
        name = " ".join(t.text for t in name_tokens if t.lower_ != "the")
        following = tok.doc[name_tokens[-1].i + 1] if name_tokens[-1].i + 1 < len(tok.doc) else None
        if name_tokens[-1].lower_ in STREET_NOUNS or (following is not None and following.lower_ in STREET_NOUNS):
            return None  # "Iskandaron Street" in Aleppo is not the Turkish city
        entry = places.lookup(name)
        if entry is not None:
            start = name_tokens[0].idx
            return Place(name=entry.name, country=entry.country, lat=entry.lat, lon=entry.lon,
                         geonames_id=entry.geonames_id, start=start, end=name_tokens[-1].idx + len(name_tokens[-1].text))
    return None
