"""A background task whose worker died is found, marked failed and recovered.

django-tasks-db leaves the task of a killed worker RUNNING for ever. A worker keeps a
lease; a task is lost when its worker's process is gone (same machine), or its lease has
been silent for WORKER_LOST_AFTER_SECONDS (another machine), or it had no lease and
started that long ago.
"""

from __future__ import annotations

import io
import os
import signal
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from uptake.operations import workers
from uptake.operations.models import WorkerLease
from uptake.operations.testing import DATABASE_TASKS
from uptake.operations.workers import (
    WORKER_LOST,
    Heartbeat,
    process_start,
    reap_lost_tasks,
    this_machine,
    when_worker_lost,
)

recovered: list[tuple[list[Any], dict[str, Any]]] = []


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    """These tests set the database queue's task rows by hand, whichever queue the run
    uses (``UPTAKE_TEST_TASKS=rq``); on Redis the same is tested in
    tests/test_tasks_on_redis.py."""
    settings.TASKS = DATABASE_TASKS


@task()
def count_to(n: int) -> int:
    return n


@task()
def report_leases() -> list[str]:
    return list(WorkerLease.objects.values_list("worker_id", flat=True))


@when_worker_lost(count_to)
def count_again(args: list[Any], kwargs: dict[str, Any]) -> None:
    recovered.append((args, kwargs))


@pytest.fixture(autouse=True)
def _nothing_recovered_yet() -> None:
    recovered.clear()


def _running(worker_id: str | None, *, started_minutes_ago: float = 1) -> DBTaskResult:
    result = count_to.enqueue(7)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[worker_id] if worker_id else [],
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago))
    return DBTaskResult.objects.get(pk=result.id)


def _lease(worker_id: str, *, machine: str, pid: int = 1, started: str = "-1",
           silent_for: timedelta = timedelta(0)) -> WorkerLease:
    seen = timezone.now() - silent_for
    return WorkerLease.objects.create(worker_id=worker_id, machine=machine, pid=pid,
                                      process_start=started, started_at=seen, seen_at=seen)


@pytest.mark.django_db
def test_it_fails_and_recovers_the_task_of_a_worker_killed_on_this_machine():
    # pid 1 always runs, but not since the start time recorded: the worker's process is gone.
    _lease("killed", machine=this_machine(), pid=1, started="-1")
    lost = _running("killed")

    assert reap_lost_tasks() == [str(lost.pk)]

    lost.refresh_from_db()
    assert (lost.status, lost.exception_class_path) == ("FAILED", WORKER_LOST)
    assert lost.finished_at is not None
    assert recovered == [([7], {})]
    assert not WorkerLease.objects.filter(pk="killed").exists()
    assert reap_lost_tasks() == []  # once only
    assert recovered == [([7], {})]


@pytest.mark.django_db
def test_it_leaves_alone_a_worker_whose_process_still_runs_on_this_machine():
    _lease("busy", machine=this_machine(), pid=os.getpid(),
           started=process_start(os.getpid()), silent_for=timedelta(hours=2))
    running = _running("busy", started_minutes_ago=120)

    assert reap_lost_tasks() == []
    running.refresh_from_db()
    assert running.status == "RUNNING"


@pytest.mark.django_db
def test_it_waits_for_a_worker_elsewhere_to_be_silent_long_enough(settings):
    settings.WORKER_LOST_AFTER_SECONDS = 300
    _lease("elsewhere", machine="another-host", silent_for=timedelta(seconds=200))
    task_result = _running("elsewhere", started_minutes_ago=30)

    assert reap_lost_tasks() == []
    assert reap_lost_tasks(now=timezone.now() + timedelta(seconds=150)) == [str(task_result.pk)]


@pytest.mark.django_db
def test_it_gives_a_worker_without_a_lease_the_same_time_from_the_task_start(settings):
    settings.WORKER_LOST_AFTER_SECONDS = 300
    recent = _running("no-lease", started_minutes_ago=2)
    old = _running("no-lease", started_minutes_ago=6)

    assert reap_lost_tasks() == [str(old.pk)]
    recent.refresh_from_db()
    assert recent.status == "RUNNING"


@pytest.mark.django_db
def test_it_renews_the_lease_at_each_heartbeat():
    lease = _lease("beating", machine="another-host", silent_for=timedelta(minutes=10))

    Heartbeat("beating", interval=15).beat()

    lease.refresh_from_db()
    assert timezone.now() - lease.seen_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_it_takes_the_lease_again_when_a_reaper_dropped_it():
    workers.renew_lease("dropped")

    lease = WorkerLease.objects.get(pk="dropped")
    assert (lease.machine, lease.pid) == (this_machine(), os.getpid())


def test_it_holds_a_lease_while_the_worker_runs_and_drops_it_after(transactional_db):
    queued = report_leases.enqueue()
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False,
                     worker_id="the-worker", verbosity=0, stdout=io.StringIO())
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)

    result = DBTaskResult.objects.get(pk=queued.id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", ["the-worker"])
    assert WorkerLease.objects.count() == 0
