"""A fixed one-minute window of requests per key, counted in Django's default cache.

The first request of a window ``add``\\ s its counter and every request ``incr``\\ s it, so
the count holds across processes (Redis: atomic; the database cache: close to it, a burst
across processes may slip a few requests past the limit). Used by the API's per-credential
limits (``uptake.api.throttle``) and the share links' per-address limit
(``uptake.stories.share_views``).
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def count_request(key: str, limit: int) -> float | None:
    """Count one request under ``key``: None while it is within ``limit`` requests this
    minute, else the seconds until the window ends (for ``Retry-After``)."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    counter = f"{key}:{window}"
    cache.add(counter, 0, WINDOW_SECONDS * 2)
    try:
        count = cache.incr(counter)
    except ValueError:  # evicted between add and incr
        cache.add(counter, 1, WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        return float(max(1, math.ceil((window + 1) * WINDOW_SECONDS - now)))
    return None
