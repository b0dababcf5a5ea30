"""Background work of inquiries, run by ``manage.py db_worker`` (django.tasks).

``refresh_summaries`` recomputes the per-series summaries of measures whose data changed
(``uptake.inquiry.summaries.mark_stale`` queues it once the change commits). Arguments
are ids (the queue stores JSON); it returns how many measures it refreshed. A worker lost
mid-way leaves nothing to undo: rows not yet rewritten stay stale, and the next reader
(or the next change) refreshes them.
"""

from __future__ import annotations

from django.tasks import task

from uptake.inquiry.summaries import refresh_measures


@task()
def refresh_summaries(measure_ids: list[int]) -> int:
    """Recompute these measures' summaries (measures deleted meanwhile are skipped)."""
    return refresh_measures(measure_ids)
