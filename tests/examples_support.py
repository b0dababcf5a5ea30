"""Gathering an app's examples for the project-wide access matrices when each part of the
app keeps its own module (``examples_<part>.py``)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any


def gather(package: str, parts: Sequence[str]
           ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """``URL_EXAMPLES``, ``API_EXAMPLES`` and ``LAPSE_EXAMPLES`` of the modules
    ``<package>.examples_<part>`` (a part not written yet is skipped), merged: tables
    are joined, and two parts' functions (each part's ``ids`` for the lapse walk) are
    both called, their answers joined."""
    urls: dict[str, Any] = {}
    apis: dict[str, list[dict[str, Any]]] = {}
    lapses: dict[Any, Any] = {}
    for part in parts:
        name = f"{package}.examples_{part}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        urls.update(getattr(module, "URL_EXAMPLES", {}))
        apis.update(getattr(module, "API_EXAMPLES", {}))
        _merge(lapses, getattr(module, "LAPSE_EXAMPLES", {}))
    return urls, apis, lapses


def _merge(into: dict[Any, Any], more: dict[Any, Any]) -> None:
    """Join ``more`` into ``into``: tables key by key (all the way down), sets by union,
    tuples (the object types two parts name by one id) joined, functions by calling
    both."""
    for key, value in more.items():
        had = into.get(key)
        if isinstance(value, dict) and isinstance(had, dict):
            _merge(had, value)
        elif isinstance(value, set | frozenset) and isinstance(had, set | frozenset):
            into[key] = had | value
        elif isinstance(value, tuple) and isinstance(had, tuple):
            into[key] = had + tuple(v for v in value if v not in had)
        elif callable(value) and callable(had):
            into[key] = _both(had, value)
        elif isinstance(value, dict):
            into[key] = {}
            _merge(into[key], value)
        else:
            into[key] = value


def _both(first: Any, second: Any) -> Any:
    def both(*args: Any) -> Any:
        return {**first(*args), **second(*args)}

    return both
