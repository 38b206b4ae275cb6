"""Parsed documents cached on disk, so training runs parse each text once.

The cache lives outside the repository (`SITROOM_CACHE`, default a directory under the
system's temporary directory), keyed by the text's name and a hash of its content and of
the spaCy model, so a changed text or model is parsed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from spacy.tokens import Doc, DocBin

from sitroom.lookupcache import cache_root
from sitroom.nlp import model


def cache_dir() -> Path:
    path = cache_root() / "parsed"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(name: str, text: str) -> str:
    nlp = model.load_english()
    digest = hashlib.sha1(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}\n{text}".encode()).hexdigest()[:16]
    # A name may be a path: keep it one file name, so the cache never writes outside its folder.
    safe = name.replace("/", "_").replace("\\", "_")
    return f"{safe}-{digest}.spacy"


def parsed(items: Sequence[tuple[str, str]], batch_size: int = 16) -> Iterator[Doc]:
    """The parsed Doc of each (name, text), from the cache or parsed now and stored; in order."""
    nlp = model.load_english()
    folder = cache_dir()
    todo = [(i, name, text) for i, (name, text) in enumerate(items) if not (folder / _key(name, text)).exists()]
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        for (_, name, text), doc in zip(chunk, nlp.pipe([t for _, _, t in chunk]), strict=True):
            # Written aside and renamed, so a run reading the cache at the same time never
            # sees half a file.
            target = folder / _key(name, text)
            part = target.with_name(f"{target.name}.{os.getpid()}.part")
            DocBin(docs=[doc], store_user_data=False).to_disk(part)
            os.replace(part, target)
    for name, text in items:
        yield next(iter(DocBin().from_disk(folder / _key(name, text)).get_docs(nlp.vocab)))
