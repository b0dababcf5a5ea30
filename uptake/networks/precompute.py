"""The map's measures, layout and drawing computed in the background when ties change, so a
coordinator's first view of the district's network is a cache hit (docs/network-map.md).

Everything is keyed by the network's content (``figures.content_key``: the nodes, the ties,
the grouping) and by who may read it (``audience``), never invalidated: a key that matches
was computed from exactly what the page would compute from. The task only warms the cache;
a page that comes before the worker (or when no worker runs) computes inline.

Two tiers: ``caches["pages"]`` (each process's memory, or Redis when ``REDIS_URL`` is set)
and the default cache (the database cache, or Redis), which every process and the worker
share: with memory-only page caches, what the worker computed reaches the web processes
through the default cache.
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from typing import Any

from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

SECONDS = 7 * 24 * 3600


def get(slot: str) -> Any:
    """The value of ``slot`` from this process's page cache, else the shared cache (and
    kept in the page cache for the next request)."""
    found = caches["pages"].get(slot)
    if found is not None:
        return found
    found = caches["default"].get(slot)
    if found is not None:
        caches["pages"].set(slot, found, SECONDS)
    return found


def put(slot: str, value: Any, *, shared: bool = True) -> None:
    """Keep ``value`` in this process's page cache and, when ``shared``, in the shared one
    (what the worker computes must be shared; what only a later view asked for need not)."""
    caches["pages"].set(slot, value, SECONDS)
    if shared and caches["default"] is not caches["pages"]:
        caches["default"].set(slot, value, SECONDS)


def change_token(district_id: int) -> str | None:
    """The district's network change token (in the shared cache): a new random value each
    time the networks actions or a save of the rows the map is drawn from say the network
    changed, so a map cached under an older token is never read again. A token that was
    lost (evicted, the cache emptied) is replaced by a fresh one, never by one used before.
    None when the shared cache keeps nothing: the map then keys by content alone."""
    cache, slot = caches["default"], f"networks:changes:{district_id}"
    found = cache.get(slot)
    if found is None:
        cache.add(slot, uuid.uuid4().hex, SECONDS)
        found = cache.get(slot)
    return found if isinstance(found, str) else None


def bump(district_id: int | None) -> None:
    """Replace the district's change token, now and again once the caller's transaction
    commits (a view that read the old rows under the token given now must not have its
    figures found by the next view)."""
    if district_id is None:
        return
    _new_token(district_id)
    transaction.on_commit(partial(_new_token, district_id))


def _new_token(district_id: int) -> None:
    caches["default"].set(f"networks:changes:{district_id}", uuid.uuid4().hex, SECONDS)


def row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A saved or deleted row the map is drawn from (a person, a role, a school, a tie, a
    contact, an import): the district's token moves. A sign-in's ``last_login`` does not."""
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return
    bump(getattr(instance, "district_id", None))


def network_changed(district_id: int) -> None:
    """The district's ties (or what its map shows of them) changed: move its change token
    and, once the caller's transaction commits, queue the map's precompute for the default
    selection."""
    bump(district_id)
    transaction.on_commit(partial(_enqueue, district_id))


def _enqueue(district_id: int) -> None:
    from uptake.networks.tasks import precompute_map

    try:
        precompute_map.enqueue(district_id)
    except Exception:
        # The page computes what is missing itself; a lost task only makes it slower.
        logger.exception("Could not queue the network map of district %s", district_id)


def warm(district_id: int) -> str:
    """Measure and draw the district's network under the default filters, and render its
    table in the default order; its key."""
    from uptake.networks import drawing, figures
    from uptake.networks.views_map import DEFAULT_SORT, table_body

    f = figures.whole_network(district_id, figures.Filters())
    drawing.network_svg(f)
    table_body(f, DEFAULT_SORT, descending=False)
    return f.key
