"""Leases that background workers hold while they run, so a dead worker's task is found."""

from __future__ import annotations

from django.db import models


class WorkerLease(models.Model):
    """One running ``manage.py db_worker`` process: where it runs, and when it last spoke.

    ``machine`` names the host and its process namespace, so that a reaper on the same
    machine can ask the operating system whether ``pid`` (started at ``process_start``)
    still runs instead of waiting for the lease to go stale.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    machine = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    process_start = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker {self.worker_id} (pid {self.pid} on {self.machine})"
