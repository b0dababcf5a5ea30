"""``manage.py rq_worker``: runs the tasks queued in Redis (``TASK_BACKEND=rq``).

The counterpart of ``db_worker`` for uptake.operations.tasks_rq, with the same guarantees:
it holds a lease with a heartbeat (uptake.operations.workers) under its RQ worker name, so
that a worker killed in the middle of a task is found (at once on the same machine, after
WORKER_LOST_AFTER_SECONDS elsewhere) and the task's work recovered; and it reaps the tasks
of dead workers when it starts and at every heartbeat.

It runs each task in its own process, one at a time (RQ's ``SimpleWorker``, like
``db_worker``): forking a work horse per task from a process with a heartbeat thread and
open database connections is what Python warns against. Run several for more throughput.

It refuses a Redis that may evict keys (``maxmemory-policy`` other than ``noeviction``):
a queued job exists only there, and an evicted one would leave its import queued for ever.
Where ``CONFIG`` is disabled (some managed Redis services) it cannot tell, and warns.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.tasks import task_backends
from redis import Redis, ResponseError
from rq.job import Job
from rq.queue import Queue
from rq.serializers import JSONSerializer
from rq.worker import SimpleWorker

from uptake.operations import workers
from uptake.operations.tasks_rq import RQBackend


class LeasedWorker(SimpleWorker):
    """An RQ worker whose heartbeat thread keeps the running job's registry entry alive."""

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        # RQ takes a job as abandoned when its entry outlives this: the same silence after
        # which our reapers take a worker elsewhere as lost.
        return int(settings.WORKER_LOST_AFTER_SECONDS)

    def perform_job(self, job: Job, queue: Queue, execution: Any) -> bool:
        close_old_connections()  # as Django does around a request
        try:
            return bool(super().perform_job(job, queue, execution))
        finally:
            close_old_connections()

    def beat_for_running_job(self) -> None:
        execution = self.execution
        if execution is not None:
            job = self.get_current_job()
            if job is not None:
                self.maintain_heartbeats(job, execution)


class RQHeartbeat(workers.Heartbeat):
    def __init__(self, worker: LeasedWorker, *, interval: float) -> None:
        super().__init__(worker.name, interval=interval)
        self.worker = worker

    def beat(self) -> None:
        try:
            self.worker.beat_for_running_job()
        except Exception:
            workers.logger.warning("Worker %s could not beat in Redis; trying again",
                                   self.worker_id, exc_info=True)
        super().beat()


def eviction_policy(connection: Redis) -> str:
    """The server's ``maxmemory-policy``, or '' when it will not say (CONFIG disabled)."""
    try:
        reply = connection.config_get("maxmemory-policy")
    except ResponseError:  # CONFIG renamed or refused: managed services often do
        return ""
    return str(reply.get("maxmemory-policy", ""))


class Command(BaseCommand):
    help = ("Run the background worker for tasks queued in Redis (TASK_BACKEND=rq); it keeps "
            "a lease and recovers the tasks of workers that died")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", action="append", dest="queue_names",
                            help="A queue to take tasks from (repeatable; default: all of "
                                 "the backend's)")
        parser.add_argument("--backend", default="default",
                            help="The TASKS alias of the RQ backend (default: default)")
        parser.add_argument("--batch", action="store_true",
                            help="Run what is queued, then stop (RQ's burst mode)")
        parser.add_argument("--worker-id", default="",
                            help="This worker's name (default: host, process and a random part)")

    def handle(self, *args: Any, queue_names: list[str] | None, backend: str, batch: bool,
               worker_id: str, **options: Any) -> None:
        rq = task_backends[backend]
        if not isinstance(rq, RQBackend):
            raise CommandError(f"TASKS[{backend!r}] is not the RQ backend "
                               f"(TASK_BACKEND=rq); run `manage.py db_worker` instead.")
        policy = eviction_policy(rq.connection)
        if not policy:
            self.stderr.write(self.style.WARNING(
                "Could not read the task Redis's maxmemory-policy (CONFIG GET is disabled "
                "there): make sure it is noeviction, or queued tasks may be evicted and "
                "their imports stay queued for ever."))
        elif policy != "noeviction":
            raise CommandError(
                f"The task Redis (TASK_REDIS_URL) has maxmemory-policy {policy}: it may evict "
                "queued tasks, and their imports would stay queued for ever. Set "
                "maxmemory-policy noeviction on it (a Redis of its own, not the cache's), "
                "then start the worker.")
        names = queue_names or sorted(rq.queues)
        worker = LeasedWorker([rq.queue(name) for name in names], connection=rq.connection,
                              serializer=JSONSerializer,
                              name=worker_id or f"{workers.this_machine().split('|')[0]}"
                                                f".{uuid.uuid4().hex[:12]}")
        workers.hold_lease(worker.name)
        workers.reap_lost_tasks()
        heartbeat = RQHeartbeat(worker, interval=settings.WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        try:
            worker.work(burst=batch, with_scheduler=True,
                        logging_level="INFO" if int(options["verbosity"]) > 1 else "WARNING")
        finally:
            heartbeat.stop()
            workers.release_lease(worker.name)
