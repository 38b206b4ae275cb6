"""One shape for every extension point: a registry of named things, filled by our own
modules when they are imported and by other packages through a Python entry-point group.

Used by analysis stages (`sitroom.nlp.stages`, group `sitroom.stages`), corpus steps
(`sitroom.corpus`, group `sitroom.corpus_steps`) and export formats (`sitroom.exports`,
group `sitroom.exporters`). A name is taken once, so a plugin cannot silently replace a
built-in. A built-in module that fails to import is an error (a stage quietly missing
would change the output); a plugin that fails to load is one line in `problems()`.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Registry(Generic[T]):
    def __init__(self, what: str, group: str, package: str, accept: Callable[[Any], bool],
                 recursive: bool = False) -> None:
        self.what = what  # "analysis stage", in messages
        self.group = group  # the entry-point group
        self.package = package  # whose modules register the built-ins
        self.accept = accept  # what an entry point may name
        self.recursive = recursive  # built-ins also in subpackages
        self._items: dict[str, T] = {}
        self._problems: list[str] = []
        self._loaded = False

    def register(self, name: str, item: T) -> T:
        current = self._items.get(name)
        if current is not None and current is not item:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._items[name] = item
        return item

    def _load_package_modules(self) -> None:
        package = importlib.import_module(self.package)
        walk = pkgutil.walk_packages if self.recursive else pkgutil.iter_modules
        for info in walk(package.__path__, f"{self.package}."):
            if not info.name.rsplit(".", 1)[-1].startswith("_"):
                importlib.import_module(info.name)

    def load_entry_points(self) -> None:
        for ep in entry_points(group=self.group):
            try:
                loaded = ep.load()
                if not self.accept(loaded):
                    raise TypeError(f"not a {self.what}: {loaded!r}")
                self.register(ep.name, loaded)
            except Exception as exc:
                self._problems.append(f"plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}")
                log.warning("%s %s", self.what, self._problems[-1])

    def items(self) -> dict[str, T]:
        if not self._loaded:
            self._loaded = True
            self._load_package_modules()
            self.load_entry_points()
        return dict(self._items)

    def problems(self) -> list[str]:
        self.items()
        return list(self._problems)
