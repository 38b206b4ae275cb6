"""Where an event happened: "in Aleppo", "from Syria", "in this country".

Cities come from the offline GeoNames index (sitroom.nlp.places); countries from the state
mentions the actors stage resolved; "this country" is the last state mentioned before.
"""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.nlp import places
from sitroom.nlp.view import DocView
from sitroom.records import Actor, Mention, Place

PLACE_PREPS = ("in", "at", "near", "from", "into", "inside", "across", "outside", "around", "over", "to", "during")
ANAPHORIC = ("country", "city", "town", "region", "area")
STREET_NOUNS = ("street", "st", "road", "rd", "avenue", "ave", "square", "highway", "boulevard", "lane", "roundabout",
                "bridge", "hospital", "school", "mosque", "church", "market", "airport", "stadium", "university")


def _state_mention(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor]) -> Mention | None:
    view = DocView.of(tok.doc)
    left, right = view.edges(tok.i)
    for i in range(left, right + 1):
        m = by_char.get(view.starts[i])
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
    if tok.lemma_.lower() in ANAPHORIC:
        place = _place_named_on_anaphor(tok, by_char, actors, states_before)
        if place is not None:
            return place
        if _determined(tok):  # "this country", "the city": nothing else names a place here
            return _this_country(tok, actors, states_before)
    place = _state_place(tok, by_char, actors)
    if place is None and (tok.ent_type_ in ("GPE", "LOC", "FAC") or tok.pos_ == "PROPN"):
        place = _gazetteer_place(tok)
        state = _bracketed_state(tok, by_char, actors)
        if state is not None and (place is None or place.country != state.country):
            # "in Borno (Nigeria)": the text says the country; a namesake elsewhere is not it
            names = _name_tokens(tok)
            place = Place(name=" ".join(t.text for t in names), country=state.country, start=names[0].idx,
                          end=names[-1].idx + len(names[-1].text))
    return place


def _bracketed_state(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor]) -> Actor | None:
    """The state named in brackets right after a place name ("Borno (Nigeria)"), or None."""
    doc, last = tok.doc, _name_tokens(tok)[-1]
    if last.i + 2 >= len(doc) or doc[last.i + 1].text != "(":
        return None
    m = by_char.get(doc[last.i + 2].idx)
    actor = actors.get(m.actor or "") if m is not None else None
    return actor if actor is not None and actor.kind == "state" and actor.country else None


def _place_named_on_anaphor(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor],
                            states_before: list[Mention]) -> Place | None:
    """"the town of Samarra", else "Aleppo city", "Hama province": the name on a place noun."""
    named = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    if named:
        place = place_of(named[0], by_char, actors, states_before)
        if place is not None:
            return place
    compound = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    return place_of(compound[-1], by_char, actors, states_before) if compound else None


def _determined(tok: Token) -> bool:
    return any(c.lower_ in ("this", "that", "the") for c in tok.children if c.dep_ == "det")


def _this_country(tok: Token, actors: dict[str, Actor], states_before: list[Mention]) -> Place | None:
    """"in this country": the last state mentioned before."""
    if tok.lemma_.lower() != "country" or not states_before:
        return None
    a = actors[states_before[-1].actor or ""]
    return Place(name=a.name, country=a.country, start=tok.idx, end=tok.idx + len(tok.text))


def _state_place(tok: Token, by_char: dict[int, Mention], actors: dict[str, Actor]) -> Place | None:
    """The state a phrase's state mention names."""
    state = _state_mention(tok, by_char, actors)
    if state is None:
        return None
    a = actors[state.actor or ""]
    return Place(name=a.name, country=a.country, start=state.start, end=state.end)


def _name_tokens(tok: Token) -> list[Token]:
    """The whole entity ("Deir ez-Zor"), else the compound name."""
    if tok.ent_type_:
        ent = next((e for e in DocView.of(tok.doc).entities if e.start <= tok.i < e.end), None)
        return list(ent) if ent is not None else [tok]
    return [t for t in tok.subtree if t.dep_ == "compound" or t is tok]


def _street_name(name_tokens: list[Token]) -> bool:
    """"Iskandaron Street" in Aleppo is not the Turkish city."""
    last = name_tokens[-1]
    following = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    return last.lower_ in STREET_NOUNS or (following is not None and following.lower_ in STREET_NOUNS)


def _gazetteer_place(tok: Token) -> Place | None:
    """A city or region the offline GeoNames index knows by the token's name."""
    name_tokens = _name_tokens(tok)
    if _street_name(name_tokens):
        return None
    entry = places.lookup(" ".join(t.text for t in name_tokens if t.lower_ != "the"))
    if entry is None:
        return None
    return Place(name=entry.name, country=entry.country, lat=entry.lat, lon=entry.lon,
                 geonames_id=entry.geonames_id, start=name_tokens[0].idx,
                 end=name_tokens[-1].idx + len(name_tokens[-1].text))
