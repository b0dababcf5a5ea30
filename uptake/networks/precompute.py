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

A shared cache out of reach (Redis down) is a miss, logged, never an error. The database
cache is different: its failure is the database's, within the caller's transaction, so a
``DatabaseError`` goes up as any other would (the person is told nothing was saved and to
try again; uptake.operations.faults), rather than letting a save go on over a connection
that was lost.
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

SECONDS = 7 * 24 * 3600


def _shared_version() -> int:
    """The installed code's version (``settings.CODE_VERSION``): a slot computed by other
    code (an earlier deploy sharing the cache) is never read. The page cache carries it as
    its ``VERSION``; the default cache is shared with other uses, so the slots here pass it."""
    return int(settings.CODE_VERSION)


def get(slot: str) -> Any:
    """The value of ``slot`` from this process's page cache, else the shared cache (and
    kept in the page cache for the next request). A shared cache that cannot be reached is
    a miss: the caller computes."""
    found = caches["pages"].get(slot)
    if found is not None:
        return found
    try:
        found = caches["default"].get(slot, version=_shared_version())
    except DatabaseError:
        raise  # the cache is in the database: its failure is the database's (module doc)
    except Exception:
        logger.warning("The shared cache could not be read (%s)", slot, exc_info=True)
        return None
    if found is not None:
        caches["pages"].set(slot, found, SECONDS)
    return found


def put(slot: str, value: Any, *, shared: bool = True) -> None:
    """Keep ``value`` in this process's page cache and, when ``shared``, in the shared one
    (what the worker computes must be shared; what only a later view asked for need not).
    A shared cache that cannot be reached only loses the copy."""
    caches["pages"].set(slot, value, SECONDS)
    if shared and caches["default"] is not caches["pages"]:
        try:
            caches["default"].set(slot, value, SECONDS, version=_shared_version())
        except DatabaseError:
            raise
        except Exception:
            logger.warning("The shared cache could not be written (%s)", slot, exc_info=True)


# Districts whose token this process failed to move or remove (the shared cache could not
# be reached): until it can, this process keys their map by content alone.
_doubtful: set[int] = set()


def change_token(district_id: int) -> str | None:
    """The district's network change token (in the shared cache): a new random value each
    time the networks actions or a save of the rows the map is drawn from say the network
    changed, so a map cached under an older token is never read again. A token that was
    lost (evicted, the cache emptied) is replaced by a fresh one, never by one used before.
    None when the shared cache keeps nothing, cannot be reached, or this process could not
    move the token at the last change (and still cannot): the map then keys by content."""
    if district_id in _doubtful and not _new_token(district_id):
        return None
    cache, slot = caches["default"], _token_slot(district_id)
    try:
        found = cache.get(slot)
        if found is None:
            cache.add(slot, uuid.uuid4().hex, SECONDS)
            found = cache.get(slot)
    except DatabaseError:
        raise  # the cache is in the database: its failure is the database's (module doc)
    except Exception:
        logger.warning("The map's change token could not be read", exc_info=True)
        return None
    return found if isinstance(found, str) else None


def bump(district_id: int | None) -> None:
    """Replace the district's change token, now and again once the caller's transaction
    commits (a view that read the old rows under the token given now must not have its
    figures found by the next view).

    Never stale, and never a failed save: the cache being unreachable must not turn a saved
    profile or a granted role into an error, so a failed write is logged, not raised, and
    the commit-time move is ``robust`` (later callbacks, such as the precompute's enqueue,
    still run). What a failed write must not do is leave the old token to be found, since
    figures measured before the change are keyed by it. So: if the new token cannot be set,
    the old one is deleted (the next read then adds a fresh random token: a miss, never a
    token used before); if even the delete fails, this process marks the district doubtful
    and keys its map by content alone until a later move succeeds (``change_token``), and
    the commit-time move tries once more. What is left: both writes failing means the
    cache was out of this process's reach; another process that reaches it before any
    later move of the token (the commit-time retry, this process's next map view of the
    district, the next change) can still find the old one. Closing that too needs the
    token in the database, written in the saving transaction."""
    if district_id is None:
        return
    _new_token(district_id)
    transaction.on_commit(partial(_new_token, district_id), robust=True)


def _token_slot(district_id: int) -> str:
    return f"networks:changes:{district_id}"


def _new_token(district_id: int) -> bool:
    """Move the district's token (else remove it); whether the old token is gone."""
    cache, slot = caches["default"], _token_slot(district_id)
    try:
        cache.set(slot, uuid.uuid4().hex, SECONDS)
    except DatabaseError:
        raise  # the cache is in the database: its failure is the database's (module doc)
    except Exception:
        logger.warning("Could not move the map's change token of district %s", district_id,
                       exc_info=True)
        try:
            cache.delete(slot)
        except DatabaseError:
            raise
        except Exception:
            logger.warning("Could not remove it either: this process keys district %s's "
                           "map by content until it can", district_id, exc_info=True)
            _doubtful.add(district_id)
            return False
    _doubtful.discard(district_id)
    return True


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
