"""Source independence, defined once: who a report or a piece of evidence comes from
(its source key) and which camp that source speaks for.

- **Source key**: the innermost *named* origin a report is attributed to — the claim's
  speaker when it is a resolved actor, else the nearest resolved actor of its relay chain
  (`via`) — and otherwise its outlet: the media actor the outlet's name resolves to (so SANA
  itself and an article citing SANA share `actor:syr-sana`), else `site:<name>`, else the
  document. Unnamed speakers ("activists") are not assumed to be the same across outlets.
- **One document, one source at most**: sources are counted as groups of documents joined
  by a shared key (`independent_count`), so one article relaying two speakers is still one
  source, and two outlets citing SOHR are one.
- **Camp**: sources speaking for one side. An actor's camp is the root of its organ
  affiliations in the gazetteer (a committee -> its council; state media, ministries and
  armed forces -> the state; a spokesman -> the body he speaks for); an author's own
  assertions belong to the organisations his bio names (`extra["author_affiliations"]`,
  written by the per-document step); `sitroom/data/sources/camps.yaml` and analysts'
  reviews (an `in_camp` affiliation) add what those rules cannot know.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitroom.corpus import merges
from sitroom.names import normalise_alias
from sitroom.nlp.actors.gazetteer import load
from sitroom.store.models import ActorAlias, ActorRow, AffiliationRow, DocumentRow
from sitroom.yamlio import load_yaml

ORGAN_LINKS = ("part_of", "member_of", "leads", "commands")  # affiliations that make X speak for Y
STATE_ORGAN_KINDS = ("government", "military", "state")  # roots that stand for their state
CAMP_LINK = "in_camp"  # an analyst's camp for an actor (a stored affiliation, from a review)
MAX_HOPS = 6


def generic(actor_id: str | None) -> bool:
    """No actor, or a generic agent ("rebels", "activists"): not a named origin."""
    return not actor_id or actor_id.startswith("agent:")


@cache
def camp_file() -> dict[str, str]:
    """Source key -> camp id, from the packaged camps file."""
    raw = load_yaml((resources.files("sitroom") / "data" / "sources" / "camps.yaml").read_text("utf-8")) or {}
    return {str(m): str(c["id"]) for c in raw.get("camps") or [] for m in c.get("members") or []}


def _open_first(affs: list[Any]) -> list[Any]:
    """Current affiliations first (no end date), then the most recently ended."""
    return sorted(affs, key=lambda a: (a.end is not None, "" if a.end is None else "~" + a.end), reverse=False)


@cache
def actor_camp(actor_id: str) -> str:
    """The camp an actor speaks for, from the gazetteer's organ affiliations (itself when none)."""
    gaz = load()
    cur, seen = actor_id, {actor_id}
    for _ in range(MAX_HOPS):
        actor = gaz.actors.get(cur)
        if actor is None:
            break
        nxt = next((a.target for a in _open_first([a for a in actor.affiliations if a.type in ORGAN_LINKS])
                    if a.target in gaz.actors and a.target not in seen), None)
        if nxt is None:
            break
        seen.add(nxt)
        cur = nxt
    root = gaz.actors.get(cur)
    if root is not None and root.kind in STATE_ORGAN_KINDS and (state := gaz.state_of(cur)):
        return f"actor:{state}"
    return f"actor:{cur}"


class SourceKeys:
    """Source keys and camps for one corpus update (merges and lookups cached)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.merged = merges.all_merges(s)
        self._outlets: dict[str, str | None] = {}
        self._known: dict[str, bool] = {}
        self._authors: dict[str, list[str]] = {}
        self._reviewed: dict[str, str] | None = None

    def actor(self, actor_id: str) -> str:
        return merges.follow(self.merged, actor_id)

    def outlet(self, site: str | None, document_id: str) -> str:
        """An outlet's key: the media actor its name resolves to (so 'sana' = SANA cited), or its name."""
        if not site:
            return f"doc:{document_id}"
        norm = normalise_alias(site)
        if norm not in self._outlets:
            hit = self.s.scalar(select(ActorAlias.actor_id).join(ActorRow, ActorRow.id == ActorAlias.actor_id)
                                .where(ActorAlias.normalised == norm[:300], ActorRow.kind == "media")
                                .order_by(ActorAlias.actor_id).limit(1))
            self._outlets[norm] = self.actor(hit) if hit else None
        hit = self._outlets[norm]
        return f"actor:{hit}" if hit else f"site:{norm}"

    def _known_actor(self, item: Any) -> bool:
        if not isinstance(item, str) or generic(item) or " " in item:
            return False
        if item not in self._known:
            self._known[item] = self.s.get(ActorRow, item) is not None
        return self._known[item]

    def key(self, claim: Any | None, site: str | None, document_id: str) -> str:
        """The innermost named origin of an attributed report (a claim row with kind,
        speaker_actor_id and via), else its outlet."""
        if claim is not None and claim.kind == "attributed":
            if not generic(claim.speaker_actor_id):
                return f"actor:{self.actor(claim.speaker_actor_id or '')}"
            for item in reversed(claim.via or []):
                if self._known_actor(item):
                    return f"actor:{self.actor(item)}"
        return self.outlet(site, document_id)

    def _reviewed_camps(self) -> dict[str, str]:
        if self._reviewed is None:
            self._reviewed = {f"actor:{a}": t for a, t in self.s.execute(
                select(AffiliationRow.actor_id, AffiliationRow.target_id).where(AffiliationRow.type == CAMP_LINK))}
        return self._reviewed

    def author_affiliations(self, document_id: str) -> list[str]:
        if document_id not in self._authors:
            self.read_authors([document_id])
        return self._authors[document_id]

    def read_authors(self, document_ids: Iterable[str]) -> None:
        """Read the authors' stated affiliations of many documents at once (one query per
        few hundred documents, not one per document)."""
        todo = sorted({d for d in document_ids if d not in self._authors})
        for i in range(0, len(todo), 400):
            chunk = todo[i:i + 400]
            self._authors.update(dict.fromkeys(chunk, []))
            for doc_id, extra in self.s.execute(select(DocumentRow.id, DocumentRow.extra)
                                                .where(DocumentRow.id.in_(chunk))):
                self._authors[doc_id] = [str(a) for a in (extra or {}).get("author_affiliations") or []]

    def camp(self, key: str, document_id: str, own: bool = False) -> str:
        """The camp of a source key; `own`: the key stands for the document's author or outlet
        (not a speaker it quotes), so the author's stated affiliation decides."""
        for table in (self._reviewed_camps(), camp_file()):
            if key in table:
                return table[key]
        if own and (affs := self.author_affiliations(document_id)):
            return self.camp(f"actor:{self.actor(affs[0])}", document_id)
        if key.startswith("actor:"):
            actor = key[6:]
            camp = actor_camp(actor)
            return self._reviewed_camps().get(camp) or camp_file().get(camp) or camp
        return key


    def report_camp(self, claim: Any | None, key: str, site: str | None, document_id: str) -> str:
        """The camp of a report with source key `key`: an unnamed speaker with a stated
        affiliation ("a Russian news agency", "an FSA officer") speaks for that affiliation's
        camp; a report keyed by its outlet is the author's own voice (his bio decides)."""
        affiliation = getattr(claim, "affiliation_id", None) if claim is not None else None
        own = key == self.outlet(site, document_id)
        if own and claim is not None and claim.kind == "attributed" and affiliation and not generic(affiliation):
            return self.camp(f"actor:{self.actor(affiliation)}", document_id)
        return self.camp(key, document_id, own=own)


def independent_count(members: Iterable[tuple[str, str]]) -> int:
    """How many independent sources (document id, key) pairs make: documents sharing a key
    are one source, and a document is one source at most however many keys it carries."""
    pairs = list(members)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc, key in pairs:
        a, b = find(f"d|{doc}"), find(f"k|{key}")
        if a != b:
            parent[a] = b
    return len({find(f"d|{doc}") for doc, _ in pairs})
