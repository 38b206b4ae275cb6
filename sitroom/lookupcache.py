"""Read-only lookups built from packaged data, kept on disk between runs.

Building the GeoNames place index and the packaged actor gazetteer costs about two CPU
seconds at the start of every ingest, every CLI command and every worker process that does
not inherit them; reading them back costs a tenth of that. An entry is keyed by a digest of
sitroom's code, of the data files its builder reads and of the versions of the libraries it
reads, so any change to one of them builds it again; an entry that is missing, unreadable,
corrupt or not safely owned is built again too, and the cache is never required.

The cache lives outside the repository (`SITROOM_CACHE`, default a directory under the
system's temporary directory), next to the parse cache (`sitroom.train.parsecache`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from importlib import metadata
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
KEEP = 3  # entries kept per name (several checkouts of different code may share the cache)
log = logging.getLogger(__name__)


def cache_root() -> Path:
    """The folder of every on-disk cache (`SITROOM_CACHE`); not created here."""
    return Path(os.environ.get("SITROOM_CACHE") or Path(tempfile.gettempdir()) / "sitroom-cache")


@cache
def _code_digest() -> str:
    """Every module of the package: a builder may call any of them (a changed key function
    must not meet an index built with the old one)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _add_files(h: Any, node: Traversable) -> None:
    if node.is_dir():
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name != "__pycache__":
                _add_files(h, child)
    elif node.is_file():
        h.update(node.name.encode())
        h.update(node.read_bytes())


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _key(name: str, data: Sequence[Traversable], packages: Sequence[str], code: bool, extra: str = "") -> str:
    h = hashlib.sha256(f"{name}\n{sys.version}\n{pickle.HIGHEST_PROTOCOL}\n{_code_digest() if code else ''}\n{extra}".encode())
    for node in data:
        _add_files(h, node)
    for package in packages:
        h.update(f"\n{package}={_version(package)}".encode())
    return f"{name}-{h.hexdigest()[:20]}.pickle"


def _trusted(path: Path) -> bool:
    """Unpickling runs code: read only a file (and folder) this user owns and nobody else may
    write, so a shared temporary directory cannot hand us someone else's pickle."""
    if not hasattr(os, "getuid"):
        return True
    for p in (path.parent, path):
        st = p.stat()
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _read(path: Path) -> object | None:
    try:
        if not path.exists() or not _trusted(path):
            return None
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception as exc:  # noqa: BLE001 - any unreadable entry is only a miss: build it again
        log.info("lookup cache %s unreadable (%s); building it again", path.name, exc)
        return None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written aside and renamed: a process reading at the same time never sees half a file.
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        with part.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
        _prune(path)
    except OSError as exc:  # a read-only or full disk costs the next run the build, nothing else
        log.info("lookup cache %s not written (%s)", path.name, exc)


def _prune(path: Path) -> None:
    """Keep the KEEP newest entries of a name: every edit of the code keys a new one."""
    name = path.name.rsplit("-", 1)[0]
    others = sorted((p for p in path.parent.glob(f"{name}-*.pickle") if p != path),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP - 1:]:
        old.unlink(missing_ok=True)


def cached(name: str, build: Callable[[], T], data: Sequence[Traversable] = (), packages: Sequence[str] = (),
           code: bool = True, extra: str = "") -> T:
    """`build()`, or what an earlier run's `build()` gave for the same code (unless `code` is
    False: a build of a library's own data only), `data` (files or folders it reads) and
    `packages` (libraries it reads) and `extra` (a digest of what else it reads, such as
    data built at run time). Each call returns a fresh object, so a caller may extend what it
    gets."""
    path = cache_root() / "lookups" / _key(name, data, packages, code, extra)
    value = _read(path)
    if value is not None:
        return value  # type: ignore[return-value]
    value = build()
    _write(path, value)
    return value
