"""Scopes: what a token may do, per API area: ``<area>:read`` and ``<area>:write``.

The areas are the ones the apps declare (``uptake.registry.api_areas``). Reading is any
GET or HEAD; anything else writes. A browser session holds every scope: it is the person
herself, limited only by what her roles let her see and do.
"""

from __future__ import annotations

from uptake import registry

READ, WRITE = "read", "write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def scope(area: str, method: str) -> str:
    """The scope a request with this method needs in this area."""
    return f"{area}:{READ if method.upper() in SAFE_METHODS else WRITE}"


def always() -> frozenset[str]:
    """What every credential may do whatever its scopes: read whom it acts for."""
    return frozenset(f"{area.key}:{READ}" for area in registry.api_areas if area.every_token)


def known() -> list[str]:
    """Every scope a token may carry, in the areas' order."""
    found: list[str] = []
    for area in registry.api_areas:
        if area.every_token:
            continue
        found.append(f"{area.key}:{READ}")
        if area.writes:
            found.append(f"{area.key}:{WRITE}")
    return found


def unknown(scopes: list[str]) -> list[str]:
    valid = set(known())
    return [s for s in scopes if s not in valid]
