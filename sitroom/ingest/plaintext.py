"""Plain text pages: title line, page leftovers (comment forms, share buttons, author boxes).

Leftover patterns are data (sitroom/data/lexicons/boilerplate.yaml). Useful leftovers are
harvested into metadata (categories, tags, author bio); the rest is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.ingest.langid import detect
from sitroom.yamlio import load_yaml

_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF][\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\s،؛.,]*")


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[re.Pattern[str]]]:
    raw = load_yaml(resources.files("sitroom.data").joinpath("lexicons/boilerplate.yaml").read_text("utf-8"))
    return {k: [re.compile(p, re.IGNORECASE) for p in v] for k, v in raw.items()}


def _first(kind: str, line: str) -> re.Match[str] | None:
    for pat in _rules()[kind]:
        m = pat.match(line)
        if m:
            return m
    return None


def _split_list(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip(" .") for v in re.split(r"[,،]", value) if v.strip(" .")]


def split_title(text: str) -> tuple[str | None, str]:
    """A short first line without final punctuation, followed by a blank line, is the title."""
    m = re.match(r"\s*([^\n]{1,200})\n[ \t]*\n", text)
    if not m:
        return None, text
    line = m.group(1).strip()
    if not line or line[-1] in ".!?;:,…" or len(line.split()) > 25:
        return None, text
    return line, text[m.end():]


def bio_languages(bio: str) -> list[dict[str, str | None]]:
    """Split a mixed-script bio into script runs, each with its language."""
    parts: list[dict[str, str | None]] = []
    pos = 0
    for m in _ARABIC_RUN.finditer(bio):
        before = bio[pos:m.start()].strip()
        if before:
            parts.append({"text": before, "language": detect(before)})
        if m.group(0).strip():
            parts.append({"text": m.group(0).strip(), "language": detect(m.group(0))})
        pos = m.end()
    rest = bio[pos:].strip()
    if rest:
        parts.append({"text": rest, "language": detect(rest)})
    return parts


def clean_text(text: str, find_title: bool = True) -> Cleaned:
    title = None
    if find_title:
        title, text = split_title(text)
    out = Cleaned(text="", title=title)
    body: list[str] = []
    ended = False  # page chrome began: keep harvesting metadata, stop keeping text
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            if not ended:
                body.append("")
            continue
        cat = _first("categories", line)
        if cat:
            out.categories += _split_list(cat.groupdict().get("cats"))
            out.tags += _split_list(cat.groupdict().get("tags"))
            ended = True
            continue
        tag = _first("tags", line)
        if tag:
            out.tags += _split_list(tag.group("tags"))
            continue
        box = _first("author_box", line) if len(line.split()) <= 8 else None
        if box:
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i < len(lines) and not _first("cut_after", lines[i].strip()):
                bio = lines[i].strip()
                i += 1
                out.extra["author_bio"] = bio
                runs = bio_languages(bio)
                out.extra["author_bio_parts"] = runs
                langs = [r["language"] for r in runs if r["language"]]
                out.extra["bio_languages"] = sorted(set(langs))
                out.extra["bio_language"] = detect(bio)
            name = (box.groupdict().get("author") or "").strip()
            if name:
                out.author = out.author or name
            ended = True
            continue
        if _first("cut_after", line):
            ended = True
            continue
        tagline = _first("author_tagline", line)
        if tagline:
            out.extra["author_tagline"] = line
            out.author = out.author or tagline.group("author")
            continue
        if ended or _first("drop", line):
            continue
        body.append(lines[i - 1].rstrip())
    out.text = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    glued = _first("glued_caption", out.text)
    if glued:
        out.extra["removed_prefix"] = glued.group(0)
        out.text = out.text[glued.end():]
    out.categories = list(dict.fromkeys(out.categories))
    out.tags = list(dict.fromkeys(out.tags))
    return out
