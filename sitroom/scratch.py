"""Temporary folders that do not outlive their process.

A folder is named `sitroom-<kind>-<pid>-<random>`. It is removed when its block ends (normal
exit, exception, Ctrl-C) or, for folders that live as long as the process, at interpreter
exit. A process killed outright (kill -9, OOM) cannot clean up, so every new folder first
sweeps the folders of its kind left by processes of this user that no longer run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def sweep(kind: str) -> int:
    """Remove leftover `sitroom-<kind>-<pid>-*` folders of dead processes; how many."""
    removed = 0
    for path in Path(tempfile.gettempdir()).glob(f"sitroom-{kind}-*"):
        parts = path.name.split("-")
        try:
            pid = int(parts[2])
            mine = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except (IndexError, ValueError, OSError):
            continue
        if mine and pid != os.getpid() and not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def make_dir(kind: str) -> str:
    """A folder removed at interpreter exit (for state kept as long as the process runs)."""
    sweep(kind)
    path = tempfile.mkdtemp(prefix=f"sitroom-{kind}-{os.getpid()}-")
    atexit.register(shutil.rmtree, path, True)
    return path


@contextmanager
def scratch_dir(kind: str) -> Iterator[str]:
    """A folder removed when the block ends, whichever way it ends."""
    sweep(kind)
    path = tempfile.mkdtemp(prefix=f"sitroom-{kind}-{os.getpid()}-")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
