"""Background work of the networks app, run by ``manage.py db_worker`` (django.tasks).

``read_community_import`` reads an online community's export (a subreddit's year is a
million contributions: minutes, longer than a request may run) and saves its measures and
coding sample (``actions.community.run_import``). Arguments are ids (the queue stores
JSON); it returns the import's status afterwards.

A worker killed outright (SIGKILL, out of memory) cannot mark anything: the handler below
fails the import once the worker is found dead (uptake.operations.workers), with nothing
of it saved, and keeps the file so that its owner can have it read again.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from uptake.networks.actions import community
from uptake.networks.models import CommunityImport
from uptake.operations.workers import when_worker_lost


@task()
def read_community_import(import_id: int) -> str:
    """Read a queued community import and save what the measures made of it."""
    ci = community.run_import(import_id)
    return ci.status if ci is not None else "not queued"


@when_worker_lost(read_community_import)
def community_read_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """A read that died is failed, not retried at once: what killed it (memory) would
    again. Its owner reads it again from the import's page."""
    import_id = int(args[0] if args else kwargs["import_id"])
    if CommunityImport.objects.filter(pk=import_id, status__in=(
            CommunityImport.Status.QUEUED, CommunityImport.Status.RUNNING)).exists():
        community.worker_lost(import_id)


@task()
def precompute_map(district_id: int) -> str:
    """Measure and draw the district's network (default filters) into the page caches, so
    the next view of the map is a cache hit (uptake.networks.precompute)."""
    from uptake.networks.precompute import warm

    return warm(district_id)
