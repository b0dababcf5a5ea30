"""Background workers that die in the middle of a task: found, rolled back, people told.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the worker finishes it. A worker killed outright (SIGKILL, out of memory, a host that
went away) finishes nothing: the task stays RUNNING for ever, and whatever the task was
doing stays "in progress" for the person who asked for it. The database has rolled back
the task's open transaction; what is left is to say so.

So every worker (``manage.py db_worker``, our override) holds a ``WorkerLease``: where it
runs, its process, and a heartbeat every ``WORKER_HEARTBEAT_SECONDS``. A RUNNING task is
*lost* when its worker

- ran on this machine and its process is gone (asked of the operating system: at once), or
- ran elsewhere and has been silent for ``WORKER_LOST_AFTER_SECONDS``, or
- held no lease at all and the task started that long ago.

``reap_lost_tasks`` marks each lost task FAILED and calls what its task module registered
with ``@when_worker_lost(task)``, which puts the work back into a state a person can act
on (retry, or roll back and tell them). Workers reap when they start and at every
heartbeat; pages that wait on a task may reap too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from uptake.operations.models import WorkerLease

logger = logging.getLogger(__name__)

# What a lost task's record says instead of a traceback.
WORKER_LOST = "uptake.operations.workers.WorkerLost"

LostHandler = Callable[[list[Any], dict[str, Any]], None]
_handlers: dict[str, LostHandler] = {}


def when_worker_lost(task: Any) -> Callable[[LostHandler], LostHandler]:
    """Register ``handler(args, kwargs)`` to recover what ``task`` left half-done.

    It runs in a transaction with the task's record being marked failed, with the
    arguments the task was queued with.
    """
    def register(handler: LostHandler) -> LostHandler:
        _handlers[task.module_path] = handler
        return handler
    return register


# ------------------------------------------------------------------ who is running

def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def this_machine() -> str:
    """The host, its boot and its process namespace: where a pid means one process."""
    namespace = ""
    with contextlib.suppress(OSError):
        namespace = os.readlink("/proc/self/ns/pid")
    return "|".join(part for part in (socket.gethostname(),
                                      _read("/proc/sys/kernel/random/boot_id"), namespace)
                    if part)[:255]


def process_start(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot ('' when unknown or gone).

    Told apart from a later process that got the same pid.
    """
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return ""
    return stat[stat.rindex(")") + 2:].split()[19]


def _process_runs(pid: int, started: str) -> bool:
    if started:
        return process_start(pid) == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def hold_lease(worker_id: str) -> WorkerLease:
    """Record that this process is worker ``worker_id``, alive now."""
    now = timezone.now()
    pid = os.getpid()
    lease, _ = WorkerLease.objects.update_or_create(worker_id=worker_id, defaults={
        "machine": this_machine(), "pid": pid, "process_start": process_start(pid),
        "started_at": now, "seen_at": now})
    return lease


def renew_lease(worker_id: str) -> None:
    if not WorkerLease.objects.filter(pk=worker_id).update(seen_at=timezone.now()):
        hold_lease(worker_id)  # a reaper took it for dead (a long lock); it is not


def release_lease(worker_id: str) -> None:
    WorkerLease.objects.filter(pk=worker_id).delete()


def _lost_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)


def lease_is_alive(lease: WorkerLease, *, now: datetime) -> bool:
    if lease.machine == this_machine():
        return _process_runs(lease.pid, lease.process_start)
    return lease.seen_at >= now - _lost_after()


def leases_of(worker_ids: set[str]) -> dict[str, WorkerLease]:
    return {lease.pk: lease for lease in WorkerLease.objects.filter(pk__in=worker_ids)}


def task_worker_alive(lease: WorkerLease | None, *, started_at: datetime | None,
                      now: datetime) -> bool:
    """Whether the worker running a task (holding ``lease``, or none) may still finish it."""
    if lease is not None:
        return lease_is_alive(lease, now=now)
    return started_at is not None and started_at >= now - _lost_after()


# ------------------------------------------------------------------ reaping

def lost_tasks(*, now: datetime | None = None) -> list[DBTaskResult]:
    """RUNNING tasks whose worker is gone."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running())
    leases = leases_of({r.worker_ids[-1] for r in running if r.worker_ids})
    return [result for result in running if not task_worker_alive(
        leases.get(result.worker_ids[-1]) if result.worker_ids else None,
        started_at=result.started_at, now=now)]


def reap_lost_tasks(*, now: datetime | None = None) -> list[str]:
    """Fail every lost task and recover what it left; returns their ids.

    Each in its own transaction, claimed by a conditional UPDATE, so two reapers (two
    workers, a worker and a page) never recover one task twice. Tasks queued in Redis
    (``TASK_BACKEND=rq``) are judged by the same leases (uptake.operations.tasks_rq).
    """
    from uptake.operations.tasks_rq import reap_lost_jobs

    now = now or timezone.now()
    reaped = []
    for result in lost_tasks(now=now):
        try:
            if _reap(result, now=now):
                reaped.append(str(result.pk))
        except Exception:
            logger.exception("Could not recover task %s of a lost worker", result.pk)
    reaped += reap_lost_jobs(now=now)
    _forget_dead_leases(now=now)
    return reaped


def recover_lost(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """Run, in a transaction, what ``task_path`` registered for a lost worker (if anything).

    For queues outside the database, which mark the task failed themselves."""
    handler = _handler_for(task_path)
    if handler is None:
        return False
    with transaction.atomic():
        handler(args, kwargs)
    return True


def _reap(result: DBTaskResult, *, now: datetime) -> bool:
    worker = result.worker_ids[-1] if result.worker_ids else "(unknown)"
    with transaction.atomic():
        claimed = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED", finished_at=now, return_value=None,
            exception_class_path=WORKER_LOST,
            traceback=(f"Worker {worker} stopped while running this task (killed, out of "
                       f"memory, or its machine went away); found {now.isoformat()}.\n"))
        if not claimed:
            return False
        handler = _handler_for(result.task_path)
        if handler is not None:
            handler(result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {}))
    logger.error("Task %s (%s) was lost with worker %s; marked failed%s", result.pk,
                 result.task_path, worker, " and recovered" if handler else "")
    return True


def _handler_for(task_path: str) -> LostHandler | None:
    if task_path not in _handlers:
        try:
            import_string(task_path)  # a task module registers its handler on import
        except ImportError:
            return None
    return _handlers.get(task_path)


def _forget_dead_leases(*, now: datetime) -> None:
    dead = [lease.pk for lease in WorkerLease.objects.all()
            if not lease_is_alive(lease, now=now)]
    WorkerLease.objects.filter(pk__in=dead).delete()


class Heartbeat(threading.Thread):
    """Renews a worker's lease and reaps other workers' lost tasks, until stopped.

    On SQLite the write waits while a task holds the database's write lock; a beat that
    times out is skipped (same-machine workers are judged by their process, not the beat).
    """

    def __init__(self, worker_id: str, *, interval: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connections

    def beat(self) -> None:
        try:
            renew_lease(self.worker_id)
            reap_lost_tasks()
        except DatabaseError:
            logger.warning("Worker %s could not renew its lease; trying again", self.worker_id,
                           exc_info=True)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=self.interval + 30)
