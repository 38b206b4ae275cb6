"""Removing page leftovers from extracted text while keeping the useful ones as metadata.

Works on plain text (copies of web pages, or trafilatura's output) line by line, with
patterns from data/lexicons/boilerplate.yaml: the comment-form footer is cut, share
buttons are dropped, and category lists and author boxes become metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    author: str | None = None
    author_bio: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Patterns:
    cut_from: tuple[re.Pattern[str], ...]
    drop_lines: tuple[re.Pattern[str], ...]
    categories: tuple[re.Pattern[str], ...]
    tags: tuple[re.Pattern[str], ...]
    about_author: tuple[re.Pattern[str], ...]
    bio_paragraph: tuple[re.Pattern[str], ...]


@cache
def patterns() -> Patterns:
    raw = yaml.safe_load((resources.files("sitroom") / "data" / "lexicons" / "boilerplate.yaml").read_text("utf-8"))

    def comp(key: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in raw.get(key, []))

    return Patterns(comp("cut_from"), comp("drop_lines"), comp("categories"), comp("tags"),
                    comp("about_author"), comp("bio_paragraph", 0))


def _split_list(value: str) -> list[str]:
    return [v.strip(" .") for v in re.split(r"\s*[,،|]\s*", value) if v.strip(" .")]


# A file name or image caption glued to the first word ("imagecaptionDictators are..."):
# a run of lowercase letters directly followed by a capitalised word.
_GLUED_PREFIX = re.compile(r"^[a-z0-9_-]{4,}(?=[A-Z][a-z]{2,}\b)")


def _first_line_title(lines: list[str]) -> str | None:
    if len(lines) >= 3 and lines[0].strip() and not lines[1].strip():
        first = lines[0].strip()
        if len(first) <= 200 and not first.endswith((".", "!", "?", ":", ";", ",")) and len(first.split()) <= 25:
            return first
    return None


def clean(text: str, detect_title: bool = True) -> Cleaned:
    pats = patterns()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = Cleaned(text="")
    if detect_title:
        out.title = _first_line_title(lines)
        if out.title:
            lines = lines[2:]
    # The footer starts at the first cut marker in the second half... or anywhere after
    # the first paragraph, since short posts have short bodies.
    body_chars = 0
    cut_at = len(lines)
    for i, line in enumerate(lines):
        s = line.strip()
        if body_chars > 200 and any(p.match(s) for p in pats.cut_from):
            cut_at = i
            break
        body_chars += len(s)
    if cut_at < len(lines):
        out.removed.append("comment-form footer")
    kept: list[str] = []
    expect_bio = False
    for line in lines[:cut_at]:
        s = line.strip()
        if not s:
            kept.append("")
            continue
        if expect_bio:
            out.author_bio = s if not out.author_bio else out.author_bio + "\n" + s
            expect_bio = False
            continue
        m = next((m for p in pats.categories if (m := p.match(s))), None)
        if m:
            out.categories += _split_list(m.group("cats"))
            if m.groupdict().get("tags"):
                out.tags += _split_list(m.group("tags"))
            continue
        m = next((m for p in pats.tags if (m := p.match(s))), None)
        if m:
            out.tags += _split_list(m.group("tags"))
            continue
        m = next((m for p in pats.about_author if (m := p.match(s))), None)
        if m and len(s) < 80:
            out.author = out.author or m.group("name").strip()
            expect_bio = True
            continue
        m = next((m for p in pats.bio_paragraph if (m := p.match(s))), None)
        if m:
            out.author = out.author or m.group("name")
            out.author_bio = s if not out.author_bio else s + "\n" + out.author_bio
            continue
        if any(p.match(s) for p in pats.drop_lines):
            continue
        kept.append(line.rstrip())
    body = "\n".join(kept).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    glued = _GLUED_PREFIX.match(body)
    if glued:
        out.removed.append(f"glued caption {glued.group(0)!r}")
        body = body[glued.end():]
    out.text = body
    return out
