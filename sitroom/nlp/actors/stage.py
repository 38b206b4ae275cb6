"""Actors stage: gazetteer matching, resolution, coreference and discovered actors.

Fills `Analysis.mentions` and `Analysis.actors` (every actor a mention refers to) and
`ctx.scratch["coref"]` for the event and claim stages.
"""

from __future__ import annotations

from spacy.language import Language

from sitroom.actors_io.phoenix import in_force
from sitroom.nlp import places
from sitroom.nlp.actors import coref
from sitroom.nlp.actors.bio import bio_affiliations
from sitroom.nlp.actors.gazetteer import load
from sitroom.nlp.actors.matcher import GazetteerMatcher
from sitroom.nlp.actors.resolve import Resolver
from sitroom.nlp.stages import Context, Settings, Stage, register_stage
from sitroom.nlp.view import DocView


class ActorsStage(Stage):
    name = "actors"
    order = 10

    def __init__(self) -> None:
        # One resolver per pipeline language ("en" model, "xx" blank), built in setup and
        # held here: analyzers with different settings in one process (a server with
        # analysts' reviewed actors) each own theirs.
        self.resolvers: dict[str, Resolver] = {}

    def setup(self, nlp: Language, settings: Settings) -> None:
        gaz = load(tuple(settings.extra_actor_files))
        self.resolvers[nlp.lang] = Resolver(gaz, GazetteerMatcher(nlp, gaz))
        places.index()  # the place index (seconds to build) loads with the pipeline, not on its first document

    def run(self, ctx: Context) -> None:
        resolver = self.resolvers.get(ctx.doc.lang_)
        if resolver is None:  # a pipeline set up without this stage: resolve with names only
            resolver = Resolver(load(tuple(ctx.settings.extra_actor_files)), None)
        annotate(ctx, resolver)


register_stage(ActorsStage)


def annotate(ctx: Context, resolver: Resolver) -> None:
    view = DocView.of(ctx.doc, ctx.english)
    mentions, actors = resolver.resolve(view, ctx.document.published, ctx.english)
    # an imported person is coded as on the document's date (a minister then, an opposition leader later)
    actors = {aid: in_force(a, ctx.document.published) for aid, a in actors.items()}
    links: dict = {}
    if ctx.english:
        extra, links = coref.resolve(view, mentions, actors)
        mentions = sorted(mentions + extra, key=lambda m: (m.start, m.end))
    ctx.analysis.mentions.extend(mentions)
    ctx.analysis.actors.extend(sorted(actors.values(), key=lambda a: a.id))
    ctx.scratch["coref"] = links
    if bio := ctx.document.extra.get("author_bio"):
        ctx.document.extra["author_affiliations"] = bio_affiliations(resolver.gaz, str(bio))
