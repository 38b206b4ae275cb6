"""`sitroom eval events`: PLOVER event coding against the PLOVER gold standard records.

The gold file (PLOVER_GSR_CAMEO.json, a JSON array) holds one record per coded event: the
sentence `text`, the `event` type in PLOVER's 2016 draft (18 types), and `source`/`target`
lists of {actorText, code, sector}. DOCUMENT records are documentation and are skipped.
Draft types are mapped to the current 16 with data/lexicons/plover_gsr_map.yaml.

Records are grouped by sentence text (a few sentences carry two gold events). Each
sentence runs through the real analyzer (actors + events stages, `nlp.pipe` batches, the
record's date as publication date). Only events that happened and have a participant count:
negated events, events under modality (future, hypothetical, conditional, possible) and
events with neither a source nor a target actor are not scored. (A commitment such as
"will visit" is coded by the coder as an asserted AGREE, CAMEO 03x, which is scored.)

Scores per sentence (micro-averaged over sentences):
- type P/R/F1: the set of coded types vs the set of gold types;
- joint P/R/F1: the set of (source country, target country, type) triples;
- source/target accuracy: for gold records whose type we coded, the share where one of our
  events of that type has the gold country (and the gold sector, when the gold gives one);
  the gold's few non-ISO country codes (JAP, ITL, VTN) are normalised and IGO/NGO compare as
  one class (plover_gsr_map.yaml);
- PETRARCH rule: a sentence passes when its coded triples equal the gold triples one to one;
- a confusion table of types (gold type → coded types in the same sentence).

Split: sentence groups are numbered in file order; every 5th (index % 5 == 4) is held out.
The lexicon and coder were tuned looking only at the other four fifths ("tune"); the
held-out fifth is reported separately and was never inspected record by record.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.eval.metrics import scores
from sitroom.nlp.events.lexicon import gsr_codes, gsr_map
from sitroom.records import Analysis, Document, Event, is_statement

GOLD_FILE = "PLOVER_GSR_CAMEO.json"
HELD_OUT_EVERY = 5
NONE = "-"  # no actor on that side
Triple = tuple[str, str, str]


@dataclass
class Sentence:
    text: str
    date: str | None
    index: int
    gold: list[dict[str, Any]] = field(default_factory=list)  # the gold records

    @property
    def split(self) -> str:
        return "heldout" if self.index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 else "tune"


def _actors(value: Any) -> list[dict[str, Any]]:
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def load_gold(data_dir: Path) -> list[Sentence]:
    path = data_dir / GOLD_FILE if data_dir.is_dir() else data_dir
    records = json.loads(path.read_text(encoding="utf-8"))
    by_text: dict[str, Sentence] = {}
    for rec in records:
        if rec.get("event") == "DOCUMENT" or not rec.get("text"):
            continue
        text = rec["text"].strip()
        sent = by_text.get(text)
        if sent is None:
            sent = by_text[text] = Sentence(text=text, date=rec.get("date"), index=len(by_text))
        sent.gold.append(rec)
    return list(by_text.values())


def split_code(code: str | None) -> tuple[str, str | None]:
    """A CAMEO-style actor code as (country, sector): IRNMIL → (IRN, MIL), IGOUNO → (IGO, None).

    International and non-governmental bodies are compared on their 3-letter class (IGO,
    NGO, IMG...), as the gold does."""
    code = (code or "").upper()
    if not code:
        return NONE, None
    country = code[:3]
    sector = code[3:6] or None
    orgs = gsr_codes()[1]
    if country in orgs or country in ("MNC", "UIS"):
        return orgs.get(country, country), None
    return country, sector


def gold_code(actor: dict[str, Any]) -> tuple[str, str | None]:
    countries, orgs = gsr_codes()
    country = str(actor.get("code") or "").upper()[:3] or NONE
    country = orgs.get(country) or countries.get(country, country)
    sector = str(actor.get("sector") or "").upper()[:3] or None
    return country, (None if sector in (None, "***") else sector)


def gold_type(rec: dict[str, Any]) -> str:
    return gsr_map().get(rec["event"], rec["event"])


def gold_triples(rec: dict[str, Any]) -> set[Triple]:
    etype = gold_type(rec)
    sources = [gold_code(a)[0] for a in _actors(rec.get("source"))] or [NONE]
    targets = [gold_code(a)[0] for a in _actors(rec.get("target"))] or [NONE]
    return {(s, t, etype) for s in sources for t in targets}


def counted(ev: Event) -> bool:
    """Whether an event is scored as coded: it happened (asserted, not negated), someone took
    part in it, and it has a PLOVER type (a public statement, CAMEO 01x, has none)."""
    return not ev.negated and ev.modality == "asserted" and bool(ev.source or ev.target) and not is_statement(ev)


def event_triples(ev: Event) -> set[Triple]:
    sources = [split_code(c)[0] for c in ev.source_codes if c] or [NONE]
    targets = [split_code(c)[0] for c in ev.target_codes if c] or [NONE]
    return {(s, t, ev.type) for s in sources for t in targets}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    s = scores(tp, n_pred, tp, n_gold)
    return {k: round(v, 4) for k, v in s.items()} | {"tp": tp, "predicted": n_pred, "gold": n_gold}


def _side_hit(gold_actors: list[dict[str, Any]], codes: Iterable[str]) -> tuple[bool, bool]:
    """(country matches, country and sector match) for a gold side against our codes."""
    ours = [split_code(c) for c in codes if c]
    country = any(gold_code(g)[0] == o[0] for g in gold_actors for o in ours)
    full = any(gold_code(g)[0] == o[0] and (gold_code(g)[1] is None or gold_code(g)[1] == o[1])
               for g in gold_actors for o in ours)
    return country, full


@dataclass
class Tally:
    type_tp: int = 0
    type_pred: int = 0
    type_gold: int = 0
    joint_tp: int = 0
    joint_pred: int = 0
    joint_gold: int = 0
    sentences: int = 0
    records: int = 0
    passed: int = 0
    side: Counter = field(default_factory=Counter)
    confusion: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    per_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, sent: Sentence, events: list[Event]) -> None:
        events = [e for e in events if counted(e)]
        gold_types = {gold_type(r) for r in sent.gold}
        ours = {e.type for e in events}
        self.sentences += 1
        self.records += len(sent.gold)
        self.type_tp += len(gold_types & ours)
        self.type_pred += len(ours)
        self.type_gold += len(gold_types)
        for t in gold_types:
            self.per_type[t]["gold"] += 1
            self.per_type[t]["tp"] += t in ours
            for o in ours or {"(none)"}:
                self.confusion[t][o] += 1
        for o in ours:
            self.per_type[o]["predicted"] += 1
        gold_set: set[Triple] = set().union(*(gold_triples(r) for r in sent.gold))
        our_set: set[Triple] = set().union(*(event_triples(e) for e in events)) if events else set()
        self.joint_tp += len(gold_set & our_set)
        self.joint_pred += len(our_set)
        self.joint_gold += len(gold_set)
        self.passed += gold_set == our_set
        for rec in sent.gold:
            same = [e for e in events if e.type == gold_type(rec)]
            if not same:
                continue
            self.side["typed"] += 1
            for side, codes_of in (("source", "source_codes"), ("target", "target_codes")):
                gold_actors = _actors(rec.get(side))
                if not gold_actors:
                    continue
                self.side[f"{side}_gold"] += 1
                country, full = _side_hit(gold_actors, (c for e in same for c in getattr(e, codes_of)))
                self.side[f"{side}_country"] += country
                self.side[f"{side}_full"] += full

    def result(self) -> dict[str, Any]:
        def acc(key: str, side: str) -> float:
            n = self.side[f"{side}_gold"]
            return round(self.side[key] / n, 4) if n else 0.0

        return {
            "sentences": self.sentences, "records": self.records,
            "type": _prf(self.type_tp, self.type_pred, self.type_gold),
            "joint": _prf(self.joint_tp, self.joint_pred, self.joint_gold),
            "source": {"gold": self.side["source_gold"], "country": acc("source_country", "source"),
                       "country_sector": acc("source_full", "source")},
            "target": {"gold": self.side["target_gold"], "country": acc("target_country", "target"),
                       "country_sector": acc("target_full", "target")},
            "typed_records": self.side["typed"],
            "petrarch_pass": round(self.passed / self.sentences, 4) if self.sentences else 0.0,
            "per_type": {t: _prf(c["tp"], c["predicted"], c["gold"]) for t, c in sorted(self.per_type.items())},
            "confusion": {t: dict(c.most_common()) for t, c in sorted(self.confusion.items())},
        }


def analyse(sentences: list[Sentence], cameo_lexicon: bool = True) -> list[Analysis]:
    """Run the sentences through the analyzer: actors and events stages only (claims and
    relations do not change events), in nlp.pipe batches. `cameo_lexicon=False` codes with
    the curated lexicon alone (without the imported PETRARCH dictionary and discards)."""
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(stages=["actors", "events"], options={"cameo_lexicon": cameo_lexicon}))
    docs = [Document(text=s.text, published=s.date, language="en") for s in sentences]
    return list(analyzer.pipe(docs, batch_size=64))


def score(sentences: list[Sentence], analyses: list[Analysis]) -> dict[str, Any]:
    tallies = {"all": Tally(), "tune": Tally(), "heldout": Tally()}
    for sent, analysis in zip(sentences, analyses, strict=True):
        for key in ("all", sent.split):
            tallies[key].add(sent, analysis.events)
    return {k: t.result() for k, t in tallies.items()}


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    sentences = load_gold(data_dir)
    if limit is not None:
        sentences = sentences[:limit]
    result = score(sentences, analyse(sentences))
    # the same sentences with the curated lexicon alone: what the imported CAMEO dictionary adds
    result["curated_only"] = score(sentences, analyse(sentences, cameo_lexicon=False))
    result["gold_file"] = GOLD_FILE
    return result


def _metrics_row(name: str, r: dict[str, Any]) -> str:
    t, j = r["type"], r["joint"]
    return (f"| {name} | {r['sentences']} | {r['records']} | {t['precision']:.3f} | {t['recall']:.3f} | "
            f"{t['f1']:.3f} | {r['source']['country']:.3f} | {r['source']['country_sector']:.3f} | "
            f"{r['target']['country']:.3f} | {r['target']['country_sector']:.3f} | {j['precision']:.3f} | "
            f"{j['recall']:.3f} | {j['f1']:.3f} | {r['petrarch_pass']:.3f} |")


def format_report(result: dict[str, Any]) -> str:
    lines = ["PLOVER gold standard records (draft types mapped to PLOVER 16; every 5th sentence held out)", "",
             "| split | sentences | records | type P | type R | type F1 | source country | source country+sector "
             "| target country | target country+sector | joint P | joint R | joint F1 | PETRARCH pass |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("all", "tune", "heldout"):
        if name in result and result[name]["sentences"]:
            lines.append(_metrics_row(name, result[name]))
    for name in ("all", "tune", "heldout"):
        curated = result.get("curated_only", {}).get(name)
        if curated and curated["sentences"]:
            lines.append(_metrics_row(f"{name}, curated lexicon only", curated))
    full = result["all"]
    lines += ["", "Per type (all sentences):", "", "| type | gold | coded | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for t, m in full["per_type"].items():
        lines.append(f"| {t} | {m['gold']} | {m['predicted']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    types = sorted(full["confusion"])
    cols = [*types, "(none)"]
    lines += ["", "Confusion (rows: gold type; columns: types coded in the same sentence; all sentences):", "",
              "| gold \\ coded | " + " | ".join(c[:4] for c in cols) + " | other |",
              "|---|" + "---:|" * (len(cols) + 1)]
    for t in types:
        row = full["confusion"][t]
        other = sum(v for k, v in row.items() if k not in cols)
        lines.append(f"| {t} | " + " | ".join(str(row.get(c, 0) or "") for c in cols) + f" | {other or ''} |")
    return "\n".join(lines)
