"""Exporters: one registry of output formats, name -> `Exporter` (`sitroom.registry.Registry`,
the shape of every extension point).

A format is an `Exporter` (a name, a one-line description, a `write(job)` function) passed
to `register` when its module is imported. Two ways in, and no list to edit:

- a module of this package (`sitroom/exports/acled.py`) that calls `register(...)` at import
  time: `available()` imports every module of the package once;
- a third-party package that declares an entry point in the group `sitroom.exporters`
  pointing at an `Exporter` object, or at a module that registers its own (the plugin hook
  of datasette and spaCy's registered factories work the same way).

`ExportJob` carries what every exporter needs (the store, the filters, the output, the
tables) and opens the output with the same rules for all: stdout unless `-o` names a file,
never creating parent directories, and every I/O failure as an `ExportError` of one line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from sitroom.registry import Registry

if TYPE_CHECKING:
    from sitroom.exports.tables import Filters

ENTRY_POINT_GROUP = "sitroom.exporters"
Progress = Callable[[str, int], None]


class ExportError(Exception):
    """A one-line reason why an export cannot be written (bad output path, unwritable file)."""


def _noop(table: str, n: int) -> None:
    return None


@dataclass
class ExportJob:
    store: Any
    filters: Filters
    out: str | None = None  # None or "-": stdout; else a file (or a folder for several tables)
    tables: list[str] = field(default_factory=list)  # table formats: the tables asked for
    progress: Progress = _noop

    @property
    def to_stdout(self) -> bool:
        return self.out in (None, "-")

    @contextmanager
    def text(self) -> Iterator[tuple[TextIO, str]]:
        """The text stream to write to and its name for the summary ("stdout" or the path)."""
        if self.to_stdout:
            yield sys.stdout, "stdout"
            sys.stdout.flush()
            return
        path = self.file_path(self.out or "")
        try:
            fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
        with fh:
            yield fh, str(path)

    def file_path(self, target: str) -> Path:
        """`target` as a file to create: its folder must exist (exports never create folders
        on their own: a typo in a path should fail, not leave a new tree behind)."""
        path = Path(target)
        if path.is_dir():
            raise ExportError(f"cannot write {path}: it is a directory")
        if not path.parent.is_dir():
            raise ExportError(f"cannot write {path}: no such directory {path.parent}")
        return path

    def folder(self) -> Path:
        """`--out` as a folder for one file per table: an existing folder, or a new one whose
        parent exists."""
        if self.to_stdout:
            raise ExportError(f"{len(self.tables)} tables are written one file each: give -o FOLDER, "
                              "or --table NAME to write one table to stdout")
        path = Path(self.out or "")
        if path.is_dir():
            return path
        if path.exists():
            raise ExportError(f"cannot write tables into {path}: it is a file; give a folder or --table NAME")
        if not path.parent.is_dir():
            raise ExportError(f"cannot create {path}: no such directory {path.parent}")
        try:
            path.mkdir()
        except OSError as exc:
            raise ExportError(f"cannot create {path}: {exc.strerror or exc}") from exc
        return path


@dataclass(frozen=True)
class Exporter:
    name: str  # what users type: `sitroom export NAME`
    description: str  # one line, shown by `sitroom export` without a format
    write: Callable[[ExportJob], str]  # writes the export; returns the summary ("wrote 12 records to x")
    tables: bool = False  # writes the flat tables (honours --table)


EXPORTERS: Registry[Exporter] = Registry(
    "export format", ENTRY_POINT_GROUP, __name__, lambda loaded: isinstance(loaded, (Exporter, ModuleType)),
    name_of=lambda exporter: exporter.name,
    builtins_may_fail=True,  # one broken module must not hide the other formats
    log_problems=False)  # `sitroom export` shows problems() itself


def register(exporter: Exporter) -> Exporter:
    """Add a format; a name is taken once (a plugin cannot silently replace a built-in)."""
    return EXPORTERS.register(exporter.name, exporter)


def available() -> dict[str, Exporter]:
    """Every registered format by name (built-in modules and plugins, loaded once)."""
    return dict(sorted(EXPORTERS.items().items()))


def problems() -> list[str]:
    """Modules or plugins that failed to load, one line each."""
    return EXPORTERS.problems()
