"""A roster import whose worker was killed mid-step is not "being applied" for ever.

Killed outright (SIGKILL, out of memory), the worker marks nothing: its task stays
RUNNING and the import *applying*, which refuses cancel and apply. Once the worker is
found dead (its process gone, or its lease silent), the import goes back to where the
coordinator can act, and its page says what happened. The database rolled the apply's
transaction back when the worker died, so nothing was half-saved.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from uptake.operations.models import WorkerLease
from uptake.operations.testing import DATABASE_TASKS
from uptake.operations.workers import WORKER_LOST, process_start, this_machine
from uptake.roster.actions import do_preview_import
from uptake.roster.models import RosterImport
from uptake.roster.tasks import APPLY_LOST, CHECK_LOST, apply_roster_import, check_roster_import
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    """These tests set the database queue's task rows by hand, whichever queue the run
    uses (``UPTAKE_TEST_TASKS=rq``); on Redis the same is tested in
    tests/test_tasks_on_redis.py."""
    settings.TASKS = DATABASE_TASKS


def _dead_pid() -> int:
    """The pid of a process that has ended (its start time is recorded as "-1" below, so
    even a later process given the same pid is not taken for it)."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           check=True, capture_output=True, text=True)
    return int(ended.stdout)


def _claimed_by(task_result: Any, lease: WorkerLease, *, minutes_ago: int = 2) -> None:
    """What db_worker's claim leaves in the task row: RUNNING, by this worker."""
    DBTaskResult.objects.filter(pk=task_result.id).update(
        status="RUNNING", worker_ids=[lease.worker_id],
        started_at=timezone.now() - timedelta(minutes=minutes_ago))


def _killed_worker() -> WorkerLease:
    long_ago = timezone.now() - timedelta(minutes=3)
    return WorkerLease.objects.create(worker_id="killed-worker", machine=this_machine(),
                                      pid=_dead_pid(), process_start="-1",
                                      started_at=long_ago, seen_at=long_ago)


def _applying_when_killed(maple: Any, importer: Any, make_zip: Any) -> RosterImport:
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    result = apply_roster_import.enqueue(ri.pk, importer.pk, False)
    _claimed_by(result, _killed_worker())
    RosterImport.objects.filter(pk=ri.pk).update(status=RosterImport.Status.APPLYING)
    return ri


def _page(client: Any, ri: RosterImport) -> str:
    return client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()


def test_it_tells_the_coordinator_the_worker_stopped_and_lets_her_apply_again(
        maple, importer, login, make_zip):
    ri = _applying_when_killed(maple, importer, make_zip)
    before = roster_snapshot()
    client = login(importer)

    page = _page(client, ri)

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.PREVIEWED
    assert "stopped while applying this file" in page
    assert "Nothing was saved" in page and "Apply it again" in page
    assert "Apply this import" in page and "Cancel this import" in page
    assert 'hx-trigger="every 3s"' not in page
    task = DBTaskResult.objects.get()
    assert (task.status, task.exception_class_path) == ("FAILED", WORKER_LOST)
    assert "killed-worker" in task.traceback
    assert roster_snapshot() == before
    assert Path(ri.stored_file.path).exists()  # kept, to apply again

    client.post(reverse("roster:import_apply", args=[ri.pk]))
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLY_QUEUED
    assert ri.message == ""


def test_it_lets_the_coordinator_cancel_an_import_whose_worker_died(maple, importer, login,
                                                                    make_zip):
    ri = _applying_when_killed(maple, importer, make_zip)
    client = login(importer)
    _page(client, ri)

    response = client.post(reverse("roster:import_cancel", args=[ri.pk]), follow=True)

    assert "nothing was changed" in response.content.decode()
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.CANCELLED


def test_it_fails_a_check_whose_worker_died_and_drops_the_file(maple, importer, login,
                                                              make_zip, monkeypatch):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    stored = Path(ri.stored_file.path)
    RosterImport.objects.filter(pk=ri.pk).update(status=RosterImport.Status.CHECKING,
                                                 report={})
    _claimed_by(check_roster_import.enqueue(ri.pk, importer.pk), _killed_worker())

    page = _page(login(importer), ri)

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.FAILED
    assert ri.message == CHECK_LOST
    assert "stopped while checking this file" in page
    assert not stored.exists()


def test_it_leaves_an_apply_alone_while_its_worker_runs(maple, importer, login, make_zip):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    now = timezone.now()
    # This test's own process stands for a worker that is alive on this machine, busy
    # with an apply for far longer than the lease would allow a silent remote worker.
    alive = WorkerLease.objects.create(
        worker_id="busy-worker", machine=this_machine(), pid=os.getpid(),
        process_start=process_start(os.getpid()), started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(hours=1))
    _claimed_by(apply_roster_import.enqueue(ri.pk, importer.pk, False), alive, minutes_ago=59)
    RosterImport.objects.filter(pk=ri.pk).update(status=RosterImport.Status.APPLYING)

    page = _page(login(importer), ri)

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLYING
    assert "Applying the file…" in page
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_it_recovers_when_the_worker_is_started_again(maple, importer, make_zip, worker):
    ri = _applying_when_killed(maple, importer, make_zip)

    worker()  # a restarted worker reaps before it takes new work

    ri.refresh_from_db()
    assert (ri.status, ri.message) == (RosterImport.Status.PREVIEWED, APPLY_LOST)
    assert list(WorkerLease.objects.values_list("worker_id", flat=True)) == []


def test_it_keeps_the_import_from_anyone_outside_the_district(maple, importer, make_zip,
                                                              login):
    from uptake.accounts.models import District, Role, RoleAssignment, User

    ri = _applying_when_killed(maple, importer, make_zip)
    oak = District.objects.create(name="Oak Ridge Schools", slug="oak-ridge")
    stranger = User.objects.create_user(email="coord@oak.test", password="x" * 12,
                                        district=oak)
    RoleAssignment.objects.create(user=stranger, district=oak, role=Role.COORDINATOR)

    response = login(stranger).get(reverse("roster:import_detail", args=[ri.pk]))

    assert response.status_code == 404


def test_it_shows_nothing_to_a_coordinator_who_is_no_longer_one(maple, importer, make_zip,
                                                                login):
    ri = _applying_when_killed(maple, importer, make_zip)
    importer.roles.all().delete()

    response = login(importer).get(reverse("roster:import_detail", args=[ri.pk]))

    assert response.status_code in (403, 404)
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLYING  # nothing recovered on her visit
