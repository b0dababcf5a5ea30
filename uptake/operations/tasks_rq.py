"""A ``django.tasks`` backend on RQ (Redis Queue), for deployments with many workers.

The database backend (django-tasks-db) is the default: nothing to run beside PostgreSQL.
At state scale (many hosts, many workers) the queue can live in Redis instead:
``TASK_BACKEND=rq`` with ``TASK_REDIS_URL`` (docs/configuration.md). This module is that
backend, written on RQ itself rather than django-tasks-rq, whose 0.12 release is built on
the ``django_tasks`` backport: its results, exceptions and signals are the backport's, not
Django's (docs/decisions.md).

What it keeps from the database backend:

- arguments and return values are JSON (RQ's JSON serializer), as the database stores them;
- a result can be read back from any process (``get_result``), for as long as
  ``RESULT_TTL`` says;
- ``run_after`` (deferred tasks) through RQ's scheduler, which ``manage.py rq_worker``
  runs;
- the same guarantee when a worker dies: ``manage.py rq_worker`` holds the same lease as
  ``db_worker`` (uptake.operations.workers), and a job whose worker is gone is failed and
  what its task registered with ``@when_worker_lost`` recovers the work, exactly once,
  whether our reaper finds it first or RQ's own abandoned-job clean-up does.

Each job runs ``run_task(task_path, args, kwargs)``: it finds the ``django.tasks`` task by
its import path and calls it, so any RQ worker with Django set up can run it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, get_current_job
from rq.exceptions import AbandonedJobError, NoSuchJobError
from rq.job import Callback, Job, JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry
from rq.results import Result
from rq.serializers import JSONSerializer

from uptake.operations import workers

logger = logging.getLogger(__name__)

RUN_TASK = "uptake.operations.tasks_rq.run_task"
# Days a finished task's result (and a failed one's error) stays readable.
DEFAULT_RESULT_TTL = 30 * 24 * 3600
# Marks a job whose lost worker's work was recovered, so that it is recovered once only.
RECOVERED_KEY = "uptake:tasks:recovered:{}"

STATUS = {
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


class RQBackend(BaseTaskBackend):
    """``TASKS = {"default": {"BACKEND": "uptake.operations.tasks_rq.RQBackend",
    "OPTIONS": {"URL": "redis://..."}}}``; OPTIONS also take ``RESULT_TTL`` (seconds a
    result is kept) and ``JOB_TIMEOUT`` (seconds a task may run; -1, the default, is no
    limit, as with the database backend)."""

    supports_defer = True
    supports_async_task = True  # Task.call runs a coroutine to completion
    supports_get_result = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url: str = self.options.get("URL", "")
        self.result_ttl = int(self.options.get("RESULT_TTL", DEFAULT_RESULT_TTL))
        self.job_timeout = int(self.options.get("JOB_TIMEOUT", -1))

    @cached_property
    def connection(self) -> Redis:
        return Redis.from_url(self.url)

    def queue(self, name: str) -> Queue:
        return Queue(name, connection=self.connection, serializer=JSONSerializer)

    # ------------------------------------------------------------------ the API

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task, id=str(uuid.uuid4()), status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, finished_at=None, last_attempted_at=None, args=args,
            kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[])
        queue = self.queue(task.queue_name)
        job = queue.create_job(
            RUN_TASK, args=[task.module_path, result.args, result.kwargs], job_id=result.id,
            timeout=self.job_timeout, result_ttl=self.result_ttl,
            failure_ttl=self.result_ttl, meta={"backend": self.alias},
            description=task.module_path,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(on_job_failure))
        if task.run_after is None:
            job = queue.enqueue_job(job)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", _aware(job.enqueued_at) or timezone.now())
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        try:
            job = Job.fetch(result_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        if job.func_name != RUN_TASK:
            raise TaskResultDoesNotExist(result_id)
        return self._result(job)

    def _result(self, job: Job) -> TaskResult:
        task_path, args, kwargs = job.args
        task = _task(task_path)
        if job.origin != task.queue_name:
            task = task.using(queue_name=job.origin)
        status = STATUS.get(job.get_status(refresh=False), TaskResultStatus.READY)
        results = job.results()
        failed = [r for r in results if r.type == Result.Type.FAILED]
        classes = list(job.meta.get("exception_class_paths", []))
        errors = [TaskError(exception_class_path=(classes[i] if i < len(classes)
                                                  else "builtins.Exception"),
                            traceback=r.exc_string or "")
                  for i, r in enumerate(reversed(failed))]  # results() is newest first
        worker_ids = [r.worker_name for r in reversed(results) if r.worker_name]
        if status == TaskResultStatus.RUNNING and job.worker_name:
            worker_ids.append(job.worker_name)
        result: TaskResult = TaskResult(
            task=task, id=job.id, status=status, enqueued_at=_aware(job.enqueued_at),
            started_at=_aware(job.started_at), finished_at=_aware(job.ended_at),
            last_attempted_at=_aware(job.started_at), args=args, kwargs=kwargs,
            backend=job.meta.get("backend", self.alias), errors=errors,
            worker_ids=worker_ids)
        if status == TaskResultStatus.SUCCESSFUL and results:
            object.__setattr__(result, "_return_value", results[0].return_value)
        return result

    def check(self, **kwargs: Any) -> list[Any]:
        errors = list(super().check(**kwargs))
        if not self.url.startswith(("redis://", "rediss://", "unix://")):
            errors.append(checks.Error(
                f"The task backend {self.alias!r} needs OPTIONS['URL'], a redis://, rediss:// "
                f"or unix:// URL, not {self.url!r}", hint="Set TASK_REDIS_URL.",
                id="uptake.E301"))
        return errors

    # ------------------------------------------------------------------ lost workers

    def running_jobs(self) -> list[Job]:
        """Jobs RQ holds as started, on every queue of this backend."""
        jobs = []
        for name in self.queues:
            registry = StartedJobRegistry(queue=self.queue(name))
            ids = registry.get_job_ids(cleanup=False)
            for job in Job.fetch_many(ids, connection=self.connection,
                                      serializer=JSONSerializer):
                if job is not None and job.get_status(refresh=False) == JobStatus.STARTED:
                    jobs.append(job)
        return jobs

    def reap_lost(self, *, now: datetime) -> list[str]:
        """Fail and recover every started job whose worker is gone, judged by its lease as
        for the database backend; then let RQ clean what its registries hold as abandoned
        (a worker silent past its heartbeat: that comes back through ``on_job_failure``)."""
        jobs = self.running_jobs()
        leases = workers.leases_of({job.worker_name for job in jobs if job.worker_name})
        reaped = []
        for job in jobs:
            lease = leases.get(job.worker_name) if job.worker_name else None
            if workers.task_worker_alive(lease, started_at=_aware(job.started_at), now=now):
                continue
            try:
                if self._fail_lost(job, now=now):
                    reaped.append(job.id)
            except Exception:
                logger.exception("Could not recover task %s of a lost worker", job.id)
        for name in self.queues:
            StartedJobRegistry(queue=self.queue(name)).cleanup()
        return reaped

    def _fail_lost(self, job: Job, *, now: datetime) -> bool:
        if not recover(job):
            return False
        with self.connection.pipeline() as pipeline:
            job.started_job_registry.remove_executions(job, pipeline=pipeline)
            record_job_failure(job, _lost_message(job, now), pipeline)
            pipeline.execute()
        return True


# ------------------------------------------------------------------ in the worker


def run_task(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What every job runs: the ``django.tasks`` task at ``task_path``."""
    task = _task(task_path)
    job = get_current_job()
    backend = task.get_backend()
    result = backend.get_result(job.id) if job is not None else None
    if result is not None:
        task_started.send(type(backend), task_result=result)
    try:
        if task.takes_context:
            if result is None:
                raise RuntimeError(f"{task_path} takes a context: run it in an RQ job")
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
    except BaseException as exc:
        if job is not None:
            job.meta.setdefault("exception_class_paths", []).append(
                f"{type(exc).__module__}.{type(exc).__qualname__}")
            job.save_meta()
        _finished(backend, result, TaskResultStatus.FAILED)
        raise
    value = normalize_json(value)
    _finished(backend, result, TaskResultStatus.SUCCESSFUL, value)
    return value


def _finished(backend: Any, result: TaskResult | None, status: TaskResultStatus,
              value: Any = None) -> None:
    if result is None:
        return
    object.__setattr__(result, "status", status)
    object.__setattr__(result, "_return_value", value)
    task_finished.send(type(backend), task_result=result)


def on_job_failure(job: Job, connection: Any, exc_type: type[BaseException] | None,
                   *exc_info: Any) -> None:
    """RQ calls this when a job fails; a job it found abandoned (its worker stopped beating)
    is recovered as a lost task."""
    if exc_type is not None and issubclass(exc_type, AbandonedJobError):
        recover(job)


def recover(job: Job) -> bool:
    """Run the lost-worker handler of ``job``'s task, once for all reapers; True if this
    call did it."""
    connection = job.connection
    key = RECOVERED_KEY.format(job.id)
    if not connection.set(key, "1", nx=True, ex=DEFAULT_RESULT_TTL):
        return False
    try:
        task_path, args, kwargs = job.args
        job.meta.setdefault("exception_class_paths", []).append(workers.WORKER_LOST)
        job.save_meta()
        workers.recover_lost(task_path, args, kwargs)
    except BaseException:
        connection.delete(key)  # let the next reaper try again
        raise
    logger.error("Task %s (%s) was lost with worker %s; marked failed", job.id,
                 job.description, job.worker_name or "(unknown)")
    return True


# ------------------------------------------------------------------ helpers


def _task(task_path: str) -> Task:
    task = import_string(task_path)
    if not isinstance(task, Task):
        raise SuspiciousOperation(f"{task_path} is not a django.tasks task")
    return task


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=UTC)


def _lost_message(job: Job, now: datetime) -> str:
    return (f"Worker {job.worker_name or '(unknown)'} stopped while running this task "
            f"(killed, out of memory, or its machine went away); found {now.isoformat()}.\n")


def rq_backends() -> list[RQBackend]:
    """The configured task backends that are this one."""
    from django.tasks import task_backends

    return [b for b in task_backends.all() if isinstance(b, RQBackend)]


def reap_lost_jobs(*, now: datetime) -> list[str]:
    reaped: list[str] = []
    for backend in rq_backends():
        try:
            reaped += backend.reap_lost(now=now)
        except RedisError:
            logger.warning("Could not look for lost tasks in Redis", exc_info=True)
    return reaped
