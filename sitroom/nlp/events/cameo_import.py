"""Convert PETRARCH-2's CAMEO verb dictionary and discard list into sitroom's data format.

The verb dictionary (CAMEO.2.0.txt, Open Event Data Alliance, MIT) holds synonym sets
(`&NAME` then `+word` lines), then verb blocks: a `--- NAME [code] ---` header, the block's
verbs (irregular forms in `{...}`, the isolated verb's own code in `[...]`, a `+` marking
the verb word of a multi-word verb, `_` joining consecutive words) and its patterns
`- PRE-VERB * POST-VERB [code]`. Post-verb parts are an optional particle, the object head
(`{MOD HEAD}` for a phrase, its last word the head) and prepositional phrases `(PREP NOUN)`;
`$`, `+` and `^` stand for the source, the target and any noun phrase.

The conversion keeps what our dependency matcher can check (sitroom/nlp/events/cameo.py):
the verb lemma, a subject head or adverb before the verb, particle, object head and its
modifiers, prepositions and their objects, and a `+` prepositional object as the target.
Everything else is counted, with the reason, in the report. Facts only: the output is our
own data layout, written by this code.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

# Words after the verb that are particles of a phrasal verb, not its object ("set out").
PARTICLES = frozenset({"up", "down", "out", "off", "back", "over", "away", "forward", "aside", "in", "on",
                       "through", "along", "around", "together", "apart", "ahead"})


def generic_verbs() -> frozenset[str]:
    """Verbs whose bare use codes nothing (data/lexicons/cameo_generic_verbs.yaml)."""
    from sitroom.yamlio import load_yaml
    raw = (resources.files("sitroom") / "data" / "lexicons" / "cameo_generic_verbs.yaml").read_text("utf-8")
    return frozenset(str(v) for v in load_yaml(raw)["verbs"])


CODE_RE = re.compile(r"\[([^\]]*)\]")
FORMS_RE = re.compile(r"\{([^}]*)\}")
PLAIN_WORD = re.compile(r"^[A-Z][A-Z'\-]*$")


@dataclass
class Report:
    """What the conversion kept and what it left out, with reasons."""
    synsets: int = 0
    blocks: int = 0
    verbs: int = 0
    irregular_forms: int = 0
    multiword_verbs: int = 0
    patterns_read: int = 0
    patterns_converted: int = 0
    null_patterns: int = 0  # converted, code --- (the phrase is not an event: a blocker)
    patterns_verb_specific: int = 0  # restricted to the verb their comment names
    verb_codes: int = 0
    generic_verb_codes_dropped: int = 0
    transformations_skipped: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    discards_story: int = 0
    discards_sentence: int = 0
    discards_history: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["skipped"] = dict(self.skipped.most_common())
        return out

    def lines(self) -> list[str]:
        out = [f"synonym sets: {self.synsets}", f"verb blocks: {self.blocks}",
               f"verbs: {self.verbs} ({self.multiword_verbs} multi-word, {self.irregular_forms} irregular forms)",
               f"isolated-verb codes: {self.verb_codes} kept, {self.generic_verb_codes_dropped} dropped "
               "(generic verbs: say, have, control, lead, ...)",
               f"patterns: {self.patterns_read} read, {self.patterns_converted} converted "
               f"({self.null_patterns} of them null-coded blockers), "
               f"{self.patterns_read - self.patterns_converted} not converted; "
               f"{self.patterns_verb_specific} restricted to the block verb their comment names"]
        out += [f"  not converted: {n} {why}" for why, n in self.skipped.most_common()]
        out.append(f"verb-verb transformations (~ lines): {self.transformations_skipped} not converted "
                   "(the coder's commitment rules cover 'X said X will attack Y')")
        if self.discards_story or self.discards_sentence:
            out.append(f"discards: {self.discards_story} story-level, {self.discards_sentence} sentence-level, "
                       f"{self.discards_history} historical-chronology markers kept but not applied")
        return out


class Skip(Exception):
    """A pattern the matcher cannot check; the message is the reason."""


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _word(raw: str) -> str:
    return raw.strip().lower().replace("_", " ").strip()


def singular(word: str) -> str:
    """A crude singular for pattern nouns ("sanctions" → "sanction"); tokens are matched on
    their lemma and their own form, so both spellings are kept."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _code(raw: str) -> str | None:
    """The pattern's code; `[A:B]` codes A for source→target (B is the reverse reading, which
    the matcher does not produce); `---` is the null code."""
    first = raw.split(":", 1)[0].strip()
    digits = "".join(ch for ch in first if ch.isdigit())  # "080!" is a typo for 080
    return digits or None


def _slot(token: str) -> str:
    """A noun slot: a word, or a synset reference kept by name (&WEAPON)."""
    if token.startswith("&"):
        return token.upper()
    return _word(token)


def _phrase(tokens: list[str], i: int) -> tuple[dict[str, Any], int]:
    """A noun or a braced phrase at tokens[i]: {head, mods}; returns the next index."""
    tok = tokens[i]
    if tok.startswith("{"):
        words: list[str] = []
        while True:
            words.append(tokens[i].strip("{}"))
            if tokens[i].endswith("}"):
                break
            i += 1
            if i >= len(tokens):
                raise Skip("unclosed brace")
        words = [w for w in words if w]
        if not words:
            raise Skip("empty phrase")
        for w in words:
            _check_word(w)
        return {"head": _slot(words[-1]), "mods": [_slot(w) for w in words[:-1]]}, i + 1
    _check_word(tok)
    return {"head": _slot(tok), "mods": []}, i + 1


def _check_word(w: str) -> None:
    if w in ("$", "+", "%", "^"):
        raise Skip(f"role marker {w} outside a prepositional phrase or subject slot")
    if not (w.startswith("&") or PLAIN_WORD.match(w.upper().replace("_", "-"))):
        raise Skip("unreadable token")


def _tokens(text: str) -> list[str]:
    # "(FOR {FINANCIAL AID})" → "(", "FOR", "{FINANCIAL", "AID}", ")"
    return text.replace("(", " ( ").replace(")", " ) ").split()


BARE_PREPS = frozenset({"to", "for", "with", "against", "on", "in", "into", "at", "from", "by", "of", "over",
                        "toward", "towards", "between", "about", "under", "after"})


def _bracketed_group(toks: list[str], i: int, out: list[str]) -> int | None:
    """A group already in brackets, "(ON X)" or "{ARMS EMBARGO}": copied as it is."""
    t = toks[i]
    if not t.startswith(("(", "{")):
        return None
    close = ")" if t.startswith("(") else "}"
    j = i
    while j < len(toks) and not toks[j].endswith(close):
        j += 1
    out += toks[i:j + 1]
    return j + 1


def _bare_prep(toks: list[str], i: int, out: list[str]) -> bool:
    """A bare preposition after something ("DEBATE ON X")."""
    return toks[i].lower() in BARE_PREPS and bool(out)


def _bare_prep_phrase(toks: list[str], i: int, out: list[str]) -> int | None:
    """A bare preposition and its object ("ON X", "ON {A B}") → "( ON X )"."""
    if not _bare_prep(toks, i, out) or i + 1 >= len(toks) or toks[i + 1] in ("(", ")"):
        return None
    j = i + 1
    if toks[j].startswith("{"):
        while j < len(toks) and not toks[j].endswith("}"):
            j += 1
    out += ["(", *toks[i:j + 1], ")"]
    return j + 1


def _trailing_bare_prep(toks: list[str], i: int, out: list[str]) -> int | None:
    """A bare preposition ending the pattern ("THREAT AGAINST") → "( AGAINST )"."""
    if not _bare_prep(toks, i, out) or i + 1 != len(toks):
        return None
    out += ["(", toks[i], ")"]
    return i + 1


def _run_word(tok: str) -> bool:
    """A word that continues a bare run: no bracket, no bare preposition."""
    return tok not in ("(", ")") and not tok.startswith(("(", "{")) and tok.lower() not in BARE_PREPS


def _bare_run(toks: list[str], i: int, out: list[str]) -> int:
    """Bare words up to the next bracket or preposition: one phrase (its last word the
    head), after a particle if the run starts with one ("OUT FOREIGN DIPLOMATS")."""
    run = [toks[i]]
    while i + len(run) < len(toks) and _run_word(toks[i + len(run)]):
        run.append(toks[i + len(run)])
    if len(run) > 1 and run[0].lower() not in PARTICLES:
        out += ["{" + run[0], *run[1:-1], run[-1] + "}"]
    elif len(run) > 2:
        out += [run[0], "{" + run[1], *run[2:-1], run[-1] + "}"]
    else:
        out += run
    return i + len(run)


# Tried in order at each position; the first that applies consumes tokens (_bare_run always does).
BARE_READERS = (_bracketed_group, _bare_prep_phrase, _trailing_bare_prep)


def _bracket_bare(toks: list[str]) -> list[str]:
    """TABARI-style leftovers written without brackets: "ARMS EMBARGO" is the phrase {ARMS
    EMBARGO}, "DEBATE ON X" the object then (ON X); a trailing + is the default target."""
    while toks and toks[-1] == "+":
        toks = toks[:-1]
    out: list[str] = []
    i = 0
    while i < len(toks):
        nxt = next((n for n in (read(toks, i, out) for read in BARE_READERS) if n is not None), None)
        i = nxt if nxt is not None else _bare_run(toks, i, out)
    return out


def _subject_phrase(pre: str) -> dict[str, Any] | None:
    """What stands before the verb marker: a subject head or an adverb on the verb ("ABRUPTLY
    *"); "$" (the source) is dropped, the subject is the source anyway."""
    pre_toks = _tokens(pre)
    if "(" in pre_toks:
        raise Skip("prepositional phrase before the verb")
    if "%" in pre_toks:
        raise Skip("compound actor % (source and target in one phrase)")
    pre_words = [t for t in pre_toks if t != "$"]
    if "+" in pre_words or "^" in pre_words:
        raise Skip("target + or skip ^ before the verb")
    if not pre_words:
        return None
    if len(pre_words) > 1 and not pre_words[0].startswith("{"):
        raise Skip("several words before the verb")
    phrase, _ = _phrase(pre_words, 0)
    return phrase


def _particle(toks: list[str], i: int) -> tuple[str | None, int]:
    """A particle right after the verb ("* OUT ..."), unless it closes a phrase."""
    if i < len(toks) and toks[i].lower() in PARTICLES and (i + 1 >= len(toks) or toks[i + 1] != ")"):
        return toks[i].lower(), i + 1
    return None, i


def _object_phrase(toks: list[str], i: int) -> tuple[dict[str, Any] | None, int]:
    """The object after the verb (and particle); "+" is the default target, no constraint."""
    if i >= len(toks) or toks[i] in ("(", ")"):
        return None, i
    if toks[i] == "+":
        return None, i + 1
    if toks[i] in ("$", "%", "^"):
        raise Skip(f"role marker {toks[i]} as the object")
    return _phrase(toks, i)


def _paren_group(toks: list[str], i: int) -> tuple[list[str], int]:
    """The words inside the parenthesis opening at toks[i], and the index after it."""
    if toks[i] != "(":
        raise Skip("words after the object outside a prepositional phrase")
    if ")" not in toks[i:]:
        raise Skip("unclosed parenthesis")
    j = toks.index(")", i)
    inner = toks[i + 1:j]
    if not inner:
        raise Skip("empty prepositional phrase")
    return inner, j + 1


def _prep_phrase(inner: list[str]) -> tuple[dict[str, Any], bool]:
    """"(PREP ...)" → {prep, obj?} and whether its object is the target ("(TO +)")."""
    prep: dict[str, Any] = {"prep": _word(inner[0])}
    rest = inner[1:]
    if rest == ["+"]:
        return prep, True
    if rest == ["$"]:
        raise Skip("source role $ inside a prepositional phrase")
    if not rest or rest == ["^"]:
        return prep, False
    if "+" in rest or "$" in rest or "^" in rest:
        raise Skip("role marker inside a phrase with other words")
    phrase, k = _phrase(rest, 0)
    if k != len(rest):
        raise Skip("several phrases inside one preposition")
    prep["obj"] = phrase
    return prep, False


def parse_pattern(body: str) -> dict[str, Any]:
    """`PRE * POST` → {subj, adv, prt, obj, preps, target_prep}; raises Skip."""
    if body.count("*") != 1:
        raise Skip("no single verb marker *")
    pre, post = body.split("*")
    out: dict[str, Any] = {}
    subj = _subject_phrase(pre)
    if subj is not None:
        out["subj"] = subj
    toks = _bracket_bare(_tokens(post))
    prt, i = _particle(toks, 0)
    if prt is not None:
        out["prt"] = prt
    obj, i = _object_phrase(toks, i)
    if obj is not None:
        out["obj"] = obj
    preps: list[dict[str, Any]] = []
    while i < len(toks):
        inner, i = _paren_group(toks, i)
        prep, target = _prep_phrase(inner)
        if target:
            out["target_prep"] = prep["prep"]
        preps.append(prep)
    if preps:
        out["preps"] = preps
    return out


def _specificity(p: dict[str, Any]) -> int:
    """How many words a pattern constrains: PETRARCH prefers the longest match."""
    n = len(p.get("preps", [])) + sum(1 for pp in p.get("preps", []) if "obj" in pp)
    for key in ("obj", "subj"):
        if key in p:
            n += 1 + len(p[key]["mods"])
    return n + (1 if "prt" in p else 0)


def _verb_entry(raw: str, block_code: str | None, report: Report) -> tuple[list[dict[str, Any]], bool]:
    """One verb line → entries {lemma, before, after, code, code_set} and whether it is multi-word."""
    code_match = CODE_RE.search(raw)
    own = code_match is not None
    code = _code(code_match.group(1)) if code_match else block_code
    forms_match = FORMS_RE.search(raw)
    head = CODE_RE.sub("", FORMS_RE.sub("", raw)).strip()
    if not head:
        return [], False
    words = head.split()[0].split("_")
    verb_i = next((k for k, w in enumerate(words) if w.startswith("+")), 0)
    words = [w.lstrip("+").lower() for w in words]
    lemma = words[verb_i]
    entry = {"lemma": lemma, "before": words[:verb_i], "after": words[verb_i + 1:], "code": code,
             "own_code": own}
    entries = [entry]
    if forms_match:
        for form in forms_match.group(1).split():
            fw = form.split("_")
            fi = next((k for k, w in enumerate(fw) if w.startswith("+")), 0)
            fword = fw[fi].lstrip("+").lower() if fi < len(fw) else ""
            if fword and fword != lemma:
                entries.append({"form_of": lemma, "form": fword})
                report.irregular_forms += 1
    return entries, len(words) > 1


def _pattern_line(raw_line: str, line: str, report: Report) -> dict[str, Any] | None:
    """One '- pattern [code]' line -> the pattern, or None when it is not converted (the
    report counts why)."""
    report.patterns_read += 1
    found = list(CODE_RE.finditer(line))
    m = found[-1] if found else None
    if m is None:
        report.skipped["no code"] += 1
        return None
    body = line[1:m.start()]
    if ")" in body and body.count("(") < body.count(")"):
        report.skipped["unbalanced parentheses"] += 1
        return None
    codes = m.group(1)
    if codes.strip().startswith(":"):
        report.skipped["reverse-only code [:X] (the object acts on the subject)"] += 1
        return None
    try:
        pat = parse_pattern(body)
    except Skip as why:
        report.skipped[str(why)] += 1
        return None
    if not pat:
        report.skipped["no constraint (same as the isolated verb)"] += 1
        return None
    code = _code(codes)
    pat["code"] = code
    # The comment names the verb the pattern was written for (the file's header says so);
    # kept to restrict it to that verb of the synonym block.
    pat["written_for"] = [_word(w) for w in re.split(r"[ ,]+", raw_line.split("#", 1)[1])
                          if w.strip()] if "#" in raw_line else []
    if code is None:
        report.null_patterns += 1
    report.patterns_converted += 1
    return pat


class _VerbReader:
    """Reads the verb dictionary line by line: synonym sets, then blocks of verbs and their
    patterns; a block is written out (`flush`) when the next one starts."""

    def __init__(self) -> None:
        self.report = Report()
        self.synsets: dict[str, list[str]] = {}
        self.verbs: dict[str, list[dict[str, Any]]] = {}
        self.forms: dict[str, str] = {}
        self.blocks: dict[str, list[dict[str, Any]]] = {}
        self.generic = generic_verbs()
        self.current: str | None = None  # the synonym set being read
        self.in_patterns = False
        self.block_name = ""
        self.block_code: str | None = None
        self.block_verbs: list[dict[str, Any]] = []
        self.block_patterns: list[dict[str, Any]] = []
        self.order = 0

    def read(self, raw_line: str) -> None:
        if raw_line.startswith("####### VERB PATTERNS"):
            self.in_patterns, self.current = True, None
            return
        if raw_line.startswith("~"):
            self.report.transformations_skipped += 1
            return
        line = _strip_comment(raw_line)
        if not line.strip():
            return
        if not self.in_patterns:
            self._synonym_line(line)
        elif line.startswith("---"):
            self._block_header(line)
        elif line.startswith("-"):
            self._pattern(raw_line, line)
        else:
            self._verb_line(line)

    def _synonym_line(self, line: str) -> None:
        if line.startswith("&"):
            self.current = line.strip().upper()
            self.synsets[self.current] = []
            self.report.synsets += 1
        elif line.startswith("+") and self.current:
            self.synsets[self.current].append(_word(line[1:]))

    def _block_header(self, line: str) -> None:
        self.flush()
        self.report.blocks += 1
        m = CODE_RE.search(line)
        self.block_code = _code(m.group(1)) if m else None
        name = line.strip("- ").split("[")[0].strip().lower() or f"block{self.report.blocks}"
        self.block_name = name if name not in self.blocks else f"{name}#{self.report.blocks}"
        self.block_verbs, self.block_patterns = [], []

    def _pattern(self, raw_line: str, line: str) -> None:
        pat = _pattern_line(raw_line, line, self.report)
        if pat is not None:
            pat["rank"] = self.order
            self.order += 1
            self.block_patterns.append(pat)

    def _verb_line(self, line: str) -> None:
        entries, multi = _verb_entry(line, self.block_code, self.report)
        for e in entries:
            if "form_of" in e:
                if e["form"].isalpha():
                    self.forms[e["form"]] = e["form_of"]
            else:
                self.block_verbs.append(e)
                self.report.verbs += 1
                self.report.multiword_verbs += multi

    def flush(self) -> None:
        """Write out the block read so far (nothing when it has no verbs)."""
        if not self.block_verbs:
            return
        self._flush_patterns()
        for v in self.block_verbs:
            self.verbs.setdefault(v["lemma"], []).append(self._verb_item(v))

    def _flush_patterns(self) -> None:
        # Most specific first (PETRARCH's longest match); file order breaks ties.
        names = {" ".join([*v["before"], v["lemma"], *v["after"]]): v["lemma"] for v in self.block_verbs}
        for p in self.block_patterns:
            named = sorted({names[w] for w in p.pop("written_for", []) if w in names})
            if named and len(named) < len(set(names.values())):
                p["verbs"] = named
                self.report.patterns_verb_specific += 1
        self.blocks[self.block_name] = [{k: v for k, v in p.items() if k != "rank"}
                                        for p in sorted(self.block_patterns, key=lambda p: (-_specificity(p), p["rank"]))]

    def _verb_item(self, v: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {"block": self.block_name}
        if v["before"]:
            item["before"] = v["before"]
        if v["after"]:
            item["after"] = v["after"]
        bare = not v["after"] and not v["before"]
        if v["code"] and bare and v["lemma"] in self.generic:
            self.report.generic_verb_codes_dropped += 1
        elif v["code"]:
            item["code"] = v["code"]
            self.report.verb_codes += 1
        return item


def convert_verbs(text: str) -> tuple[dict[str, Any], Report]:
    """The whole verb dictionary → {synsets, verbs, blocks, forms} and the report."""
    reader = _VerbReader()
    for raw_line in text.splitlines():
        reader.read(raw_line)
    reader.flush()
    return {"synsets": reader.synsets, "verbs": reader.verbs, "blocks": reader.blocks,
            "forms": reader.forms}, reader.report


# Discard entries that are PETRARCH's historical-chronology heuristic (a year, "months ago"),
# not a topic: in conflict reporting "since 2011" is routine, so these are kept, not applied.
HISTORY_RE = re.compile(r"^(\d{4}|(weeks|months|years) (later|ago)|fifty years ago|april 1942|.*world war.*|napoleonic wars"
                        r"|attack on pearl harbor)$")


def convert_discards(text: str, report: Report) -> dict[str, Any]:
    story: list[str] = []
    sentence: list[str] = []
    history: list[str] = []
    for raw_line in text.splitlines():
        line = _strip_comment(raw_line).strip()
        if not line:
            continue
        whole = line.lstrip("+").strip()
        phrase = " ".join(whole.lower().split())
        if not phrase:
            continue
        if line.startswith("+"):
            story.append(phrase)
        elif HISTORY_RE.match(phrase.rstrip("_")):
            history.append(phrase)
        else:
            sentence.append(phrase)
    report.discards_story, report.discards_sentence, report.discards_history = len(story), len(sentence), len(history)
    return {"story": sorted(set(story)), "sentence": sorted(set(sentence)), "history": sorted(set(history))}


NOTICE = ("Converted by sitroom (sitroom lexicon import-petrarch) from PETRARCH-2's CAMEO verb dictionary "
          "CAMEO.2.0.txt and Phoenix.discards.txt, Copyright (c) 2014-2015 Open Event Data Alliance "
          "(PETRARCH/Phoenix authors), MIT License; see NOTICE.cameo beside this file.")


def import_petrarch(verbs_file: Path, out_dir: Path, discards_file: Path | None = None) -> Report:
    """Convert the dictionary (and the discard list) and write cameo_verbs.json.gz (and
    cameo_discards.json) into out_dir."""
    data, report = convert_verbs(verbs_file.read_text(encoding="utf-8", errors="replace"))
    data = {"notice": NOTICE, "source": verbs_file.name, **data}
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(out_dir / "cameo_verbs.json.gz", "wb", mtime=0) as fh:
        fh.write(payload)
    if discards_file is not None:
        discards = convert_discards(discards_file.read_text(encoding="utf-8", errors="replace"), report)
        (out_dir / "cameo_discards.json").write_text(
            json.dumps({"notice": NOTICE, "source": discards_file.name, **discards}, indent=1) + "\n",
            encoding="utf-8")
    return report
