"""Actors stage (baseline): spaCy NER mentions, unresolved.

The actor issue replaces this with gazetteer matching, resolution and coreference.
"""

from __future__ import annotations

from sitroom.nlp.stages import Context, register
from sitroom.records import Mention

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


@register("actors", order=10)
def run(ctx: Context) -> None:
    sent_index = {s.start: i for i, s in enumerate(ctx.doc.sents)}
    for ent in ctx.doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        ctx.analysis.mentions.append(
            Mention(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_,
                    actor=None, method="ner", sentence=sent_index.get(ent.sent.start))
        )
