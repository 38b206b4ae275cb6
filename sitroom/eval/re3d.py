"""Dstl re3d's layout, read the same way by every re3d evaluation (entities, relations).

Each folder of the set (CENTCOM, UK Government, Wikipedia...) holds documents.json and its
annotations (entities.json, relations.json) as JSON lines; an annotation names its document
by `documentId`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Container
from pathlib import Path
from typing import Any

Annotated = tuple[dict[str, Any], list[dict[str, Any]]]  # (document, its gold annotations)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file; none when the folder has no such file."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def annotated_documents(data_dir: Path, annotations: str, types: Container[str]) -> list[Annotated]:
    """Every document of every folder (folders by name, documents in file order) with its
    annotations from the file `annotations` whose type is one of `types`; each document
    records its folder's name under "folder"."""
    out: list[Annotated] = []
    for folder in sorted(p for p in data_dir.iterdir() if (p / "documents.json").exists()):
        gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in read_jsonl(folder / annotations):
            if a.get("type") in types:
                gold[a["documentId"]].append(a)
        for doc in read_jsonl(folder / "documents.json"):
            doc["folder"] = folder.name
            out.append((doc, gold.get(doc["_id"], [])))
    return out
