"""``manage.py db_worker``: django-tasks-db's worker, holding a lease while it runs.

Overrides the command of the same name (uptake.operations comes before django_tasks_db in
INSTALLED_APPS), so that no worker can run without a lease: a worker without one would
have its long tasks taken for lost by the others (uptake.operations.workers).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from uptake.operations import workers


class Command(db_worker.Command):
    help = ("Run the background worker; it keeps a lease and recovers the tasks of "
            "workers that died")

    def handle(self, *args: Any, worker_id: str, reload: bool = False,
               **options: Any) -> None:
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only restarts the real worker (its child).
            super().handle(*args, worker_id=worker_id, reload=reload, **options)
            return
        workers.hold_lease(worker_id)
        workers.reap_lost_tasks()
        heartbeat = workers.Heartbeat(worker_id, interval=settings.WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, reload=reload, **options)
        finally:
            heartbeat.stop()
            workers.release_lease(worker_id)
