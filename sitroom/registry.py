"""One shape for every extension point: a registry of named things, filled by our own
modules when they are imported and by other packages through a Python entry-point group.

Used by analysis stages (`sitroom.nlp.stages`, group `sitroom.stages`), corpus steps
(`sitroom.corpus`, group `sitroom.corpus_steps`) and export formats (`sitroom.exports`,
group `sitroom.exporters`). A name is taken once, so a plugin cannot silently replace a
built-in. A plugin that fails to load is one line in `problems()`. A built-in module that
fails to import is an error by default (a stage quietly missing would change the output);
a registry whose entries are independent (export formats) can report it as a problem
instead, so one broken module does not hide the others.

An entry point names one thing to register (under the entry point's name, or under the
name the registry reads from the thing itself), or a module that registers its own when
imported.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Registry(Generic[T]):
    def __init__(self, what: str, group: str, package: str, accept: Callable[[Any], bool],
                 recursive: bool = False, *, name_of: Callable[[T], str] | None = None,
                 builtins_may_fail: bool = False, log_problems: bool = True) -> None:
        self.what = what  # "analysis stage", in messages
        self.group = group  # the entry-point group
        self.package = package  # whose modules register the built-ins
        self.accept = accept  # what an entry point may name
        self.recursive = recursive  # built-ins also in subpackages
        self.name_of = name_of  # an entry point's thing goes under this name (default: the entry point's)
        self.builtins_may_fail = builtins_may_fail  # a broken built-in module: a problem, not an error
        self.log_problems = log_problems  # False where the caller shows problems() itself
        self._items: dict[str, T] = {}
        self._problems: list[str] = []
        self._loaded = False

    def register(self, name: str, item: T) -> T:
        current = self._items.get(name)
        if current is not None and current is not item:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._items[name] = item
        return item

    def _problem(self, line: str) -> None:
        self._problems.append(line)
        if self.log_problems:
            log.warning("%s %s", self.what, line)

    def _load_package_modules(self) -> None:
        package = importlib.import_module(self.package)
        walk = pkgutil.walk_packages if self.recursive else pkgutil.iter_modules
        for info in walk(package.__path__, f"{self.package}."):
            if info.name.rsplit(".", 1)[-1].startswith("_"):
                continue
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                if not self.builtins_may_fail:
                    raise
                self._problem(f"{info.name}: {type(exc).__name__}: {exc}")

    def _load_entry_point(self, ep: EntryPoint) -> None:
        loaded = ep.load()
        if not self.accept(loaded):
            raise TypeError(f"{loaded!r} is no {self.what}")
        if isinstance(loaded, ModuleType):
            return  # a module that registered its own when imported
        self.register(self.name_of(loaded) if self.name_of else ep.name, loaded)

    def load_entry_points(self) -> None:
        for ep in entry_points(group=self.group):
            try:
                self._load_entry_point(ep)
            except Exception as exc:
                self._problem(f"plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}")

    def items(self) -> dict[str, T]:
        if not self._loaded:
            self._loaded = True
            self._load_package_modules()
            self.load_entry_points()
        return dict(self._items)

    def problems(self) -> list[str]:
        self.items()
        return list(self._problems)
