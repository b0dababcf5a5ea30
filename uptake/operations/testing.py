"""For tests: run what the pages queued, as the worker of the configured backend would.

``manage.py db_worker --batch`` on the database backend, ``manage.py rq_worker --batch`` on
Redis (``UPTAKE_TEST_TASKS=rq``). Workers install their own SIGINT/SIGTERM handlers; they
are put back afterwards so that Ctrl-C still stops the test run.
"""

from __future__ import annotations

import io
import signal

from django.core.management import call_command
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, task_backends
from django_tasks_db.models import DBTaskResult

from uptake.operations.tasks_rq import RQBackend

# For tests about the database queue's own rows (their Redis counterparts are in
# tests/test_tasks_on_redis.py): ``settings.TASKS = DATABASE_TASKS``.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def on_redis() -> bool:
    """Whether the default task backend is the Redis one."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], RQBackend)


def run_queued_tasks(**options: object) -> None:
    """Run every queued task, then stop."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {s: signal.getsignal(s) for s in signals}
    try:
        if on_redis():
            call_command("rq_worker", batch=True, verbosity=0, stdout=io.StringIO(), **options)
        else:
            call_command("db_worker", batch=True, interval=0, startup_delay=False,
                         reload=False, verbosity=0, stdout=io.StringIO(), **options)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def flush_task_queue() -> None:
    """Empty the Redis database of the task queue (tests only: it drops every job)."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, RQBackend):
        backend.connection.flushdb()


def task_results() -> list[TaskResult]:
    """Every task the default backend holds, oldest first, whichever backend it is."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, RQBackend):
        ids = [key.decode().removeprefix("rq:job:")
               for key in backend.connection.scan_iter(match="rq:job:*")]
        ids = [job_id for job_id in ids if ":" not in job_id]
    else:
        ids = [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)]
    results = [backend.get_result(job_id) for job_id in ids]
    return sorted(results, key=lambda r: (r.enqueued_at is None, r.enqueued_at))
