"""Alert rules, read from a YAML file and evaluated over the documents a poll stored.

```yaml
actors: [lbn-hezbollah, Quds Force]   # watched actors: ids or names (any alias)
places: [Aleppo, Idlib]               # watched places, by name
alerts:
  contested: true    # a claim group that independent sources contradict, new since the watch began
  relation: true     # a relation between two watched actors that no earlier document had
  fatalities: 10     # an event with at least this many people killed (null: off)
  mention: true      # a watched actor or place named in a new document
webhook: http://127.0.0.1:9000/hook   # optional; --webhook on the command line wins
```

Each rule gives alerts with a stable key, so re-evaluating the same documents (a restart, a
re-run) raises nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

from sitroom.names import normalise_alias
from sitroom.store import Store
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    ClaimGroup,
    ClaimGroupMember,
    DocumentRow,
    EventRow,
    MentionRow,
    RelationEvidence,
    RelationRow,
)
from sitroom.watch.alerts import Alert
from sitroom.yamlio import load_yaml

RULES = ("contested", "relation", "fatalities", "mention")
PLACE_LABELS = ("GPE", "LOC", "FAC")


def killed(quantities: list[dict[str, Any]] | None) -> int | None:
    """People killed by an event from its counts, for events stored before the `fatalities`
    column was filled: the largest whole killed count, parts of a larger count left out."""
    counts = [q.get("value") for q in quantities or []
              if q.get("kind") == "killed" and not q.get("subset") and isinstance(q.get("value"), int | float)]
    return int(max(counts)) if counts else None


class RulesError(ValueError):
    """A rules file that cannot be used, in one line."""


@dataclass
class Rules:
    actors: list[str] = field(default_factory=list)  # as written: ids or names
    places: list[str] = field(default_factory=list)
    contested: bool = True
    relation: bool = True
    fatalities: int | None = None
    mention: bool = True
    webhook: str | None = None
    known_contested: set[str] = field(default_factory=set)  # groups contested before the watch began

    @classmethod
    def load(cls, path: Path) -> Rules:
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except Exception as exc:
            raise RulesError(f"cannot read rules {path}: {str(exc).splitlines()[0]}") from exc
        if not isinstance(data, dict):
            raise RulesError(f"rules {path}: expected a mapping with actors, places, alerts")
        unknown = set(data) - {"actors", "places", "alerts", "webhook"}
        alerts = data.get("alerts") or {}
        if unknown or not isinstance(alerts, dict) or set(alerts) - set(RULES):
            bad = sorted(unknown | (set(alerts) - set(RULES) if isinstance(alerts, dict) else {"alerts"}))
            raise RulesError(f"rules {path}: unknown key(s) {', '.join(bad)}")
        fatalities = alerts.get("fatalities")
        if fatalities is not None and (isinstance(fatalities, bool) or not isinstance(fatalities, int)
                                       or fatalities < 1):
            raise RulesError(f"rules {path}: alerts.fatalities must be a whole number of at least 1")
        return cls(actors=[str(a) for a in data.get("actors") or []], places=[str(p) for p in data.get("places") or []],
                   contested=bool(alerts.get("contested", True)), relation=bool(alerts.get("relation", True)),
                   fatalities=fatalities, mention=bool(alerts.get("mention", True)),
                   webhook=str(data["webhook"]) if data.get("webhook") else None)

    # --- evaluation --------------------------------------------------------------------

    def prime(self, store: Store) -> None:
        """Remember what is contested already, so only groups contested later alert."""
        with store.session() as s:
            self.known_contested = set(s.scalars(select(ClaimGroup.key).where(ClaimGroup.status == "contested")))

    def watched_actor_ids(self, store: Store) -> dict[str, str]:
        """Watched actors found in the store: id -> name. Names resolve through any alias."""
        found: dict[str, str] = {}
        with store.session() as s:
            for key in self.actors:
                row = s.get(ActorRow, key)
                if row is None:
                    row = s.scalar(select(ActorRow).join(ActorAlias, ActorAlias.actor_id == ActorRow.id)
                                   .where(ActorAlias.normalised == normalise_alias(key)).limit(1))
                if row is not None:
                    found[row.id] = row.name
        return found

    def evaluate(self, store: Store, document_ids: list[str]) -> list[Alert]:
        """The alerts the rules raise for these (newly stored) documents."""
        if not document_ids:
            return []
        watched = self.watched_actor_ids(store) if (self.relation or self.mention) else {}
        out: list[Alert] = []
        with store.session() as s:
            titles = dict(s.execute(select(DocumentRow.id, DocumentRow.title).where(DocumentRow.id.in_(document_ids))).all())
            if self.contested:
                out += self._contested(s, document_ids)
            if self.relation and len(watched) >= 2:
                out += self._relations(s, document_ids, watched)
            if self.fatalities:
                out += self._fatalities(s, document_ids, titles)
            if self.mention:
                out += self._mentions(s, document_ids, watched, titles)
        return out

    def _contested(self, s: Any, doc_ids: list[str]) -> list[Alert]:
        rows = s.execute(select(ClaimGroup.key, ClaimGroup.label, ClaimGroup.n_independent).distinct()
                         .join(ClaimGroupMember, ClaimGroupMember.group_id == ClaimGroup.id)
                         .where(ClaimGroup.status == "contested", ClaimGroupMember.document_id.in_(doc_ids))).all()
        return [Alert(key=f"contested:{key}", rule="contested", title=f"Contested: {label}",
                      detail=f"{n} independent sources disagree", link="/contested",
                      payload={"group": key, "independent_sources": n})
                for key, label, n in rows if key not in self.known_contested]

    def _relations(self, s: Any, doc_ids: list[str], watched: dict[str, str]) -> list[Alert]:
        ids = list(watched)
        rows = s.execute(select(RelationRow.id, RelationRow.source_id, RelationRow.type, RelationRow.target_id).distinct()
                         .join(RelationEvidence, RelationEvidence.relation_id == RelationRow.id)
                         .where(RelationRow.source_id.in_(ids), RelationRow.target_id.in_(ids),
                                RelationEvidence.document_id.in_(doc_ids))).all()
        out = []
        for rid, src, rtype, tgt in rows:
            older = s.scalar(select(func.count()).select_from(RelationEvidence)
                             .where(RelationEvidence.relation_id == rid, RelationEvidence.document_id.not_in(doc_ids)))
            if older:
                continue  # known before these documents
            out.append(Alert(key=f"relation:{src}:{rtype}:{tgt}", rule="relation",
                             title=f"New relation: {watched[src]} {rtype.replace('_', ' ')} {watched[tgt]}",
                             link=f"/relations/{rid}", payload={"source": src, "type": rtype, "target": tgt}))
        return out

    def _fatalities(self, s: Any, doc_ids: list[str], titles: dict[str, str | None]) -> list[Alert]:
        rows = s.execute(select(EventRow.id, EventRow.document_id, EventRow.type, EventRow.fatalities,
                                EventRow.quantities, EventRow.text, EventRow.place)
                         .where(EventRow.document_id.in_(doc_ids), EventRow.negated.is_(False))).all()
        out = []
        for eid, doc, etype, fatalities, quantities, text, place in rows:
            n = fatalities if fatalities is not None else killed(quantities)
            if n is None or n < (self.fatalities or 0):
                continue
            where = f" in {place['name']}" if isinstance(place, dict) and place.get("name") else ""
            out.append(Alert(key=f"fatalities:{eid}", rule="fatalities", title=f"{n} killed{where} ({etype})",
                             detail=text[:300], document_id=doc, link=f"/docs/{doc}",
                             payload={"event": eid, "fatalities": n, "document_title": titles.get(doc)}))
        return out

    def _mentions(self, s: Any, doc_ids: list[str], watched: dict[str, str],
                  titles: dict[str, str | None]) -> list[Alert]:
        out = []
        if watched:
            rows = s.execute(select(MentionRow.document_id, MentionRow.actor_id).distinct()
                             .where(MentionRow.document_id.in_(doc_ids), MentionRow.actor_id.in_(list(watched)))).all()
            for doc, actor in rows:
                out.append(Alert(key=f"mention:{doc}:{actor}", rule="mention",
                                 title=f"{watched[actor]} mentioned: {titles.get(doc) or doc}", document_id=doc,
                                 link=f"/docs/{doc}", payload={"actor": actor}))
        places = {normalise_alias(p): p for p in self.places}
        if places:
            rows = s.execute(select(MentionRow.document_id, MentionRow.text).distinct()
                             .where(MentionRow.document_id.in_(doc_ids), MentionRow.label.in_(PLACE_LABELS))).all()
            hits = {(doc, places[normalise_alias(text)]) for doc, text in rows if normalise_alias(text) in places}
            # events carry the place they happened at, whether or not it was a mention
            for doc, place in s.execute(select(EventRow.document_id, EventRow.place)
                                        .where(EventRow.document_id.in_(doc_ids), EventRow.place.is_not(None))):
                name = normalise_alias(place.get("name") or "") if isinstance(place, dict) else ""
                if name in places:
                    hits.add((doc, places[name]))
            for doc, place in sorted(hits):
                out.append(Alert(key=f"place:{doc}:{normalise_alias(place)}", rule="mention",
                                 title=f"{place} mentioned: {titles.get(doc) or doc}", document_id=doc,
                                 link=f"/places/{quote(place)}", payload={"place": place}))
        return out
