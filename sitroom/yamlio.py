"""Reading the packaged YAML data files (gazetteers, places)."""

from __future__ import annotations

from typing import Any

import yaml

# The C loader reads the large gazetteer and place files several times faster than the
# pure-Python one; both are safe loaders.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
