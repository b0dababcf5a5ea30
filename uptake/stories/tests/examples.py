"""The stories app's examples for the project-wide access matrices (pages, lapses, API).

Each part of the app keeps its own in a module of its own (``examples_<part>.py``: the
builder's pages, the share view, the PDF, the API); this gathers them under the names the
matrices read."""

from __future__ import annotations

import importlib
from typing import Any

URL_EXAMPLES: dict[str, Any] = {}
API_EXAMPLES: dict[str, list[dict[str, Any]]] = {}
LAPSE_EXAMPLES: dict[str, Any] = {}

for _part in ("builder", "share", "pdf", "api"):
    try:
        _module = importlib.import_module(f"uptake.stories.tests.examples_{_part}")
    except ModuleNotFoundError as missing:
        if missing.name != f"uptake.stories.tests.examples_{_part}":
            raise
        continue
    URL_EXAMPLES.update(getattr(_module, "URL_EXAMPLES", {}))
    API_EXAMPLES.update(getattr(_module, "API_EXAMPLES", {}))
    for _key, _value in getattr(_module, "LAPSE_EXAMPLES", {}).items():
        if isinstance(_value, dict):
            LAPSE_EXAMPLES.setdefault(_key, {}).update(_value)
        elif isinstance(_value, set):
            LAPSE_EXAMPLES.setdefault(_key, set()).update(_value)
        else:
            LAPSE_EXAMPLES[_key] = _value
