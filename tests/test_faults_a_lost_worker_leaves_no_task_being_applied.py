"""Every background task that writes data, its worker killed mid-way: found, and what it
was doing put back where a person can act (or left for the next reader), never "being
applied" for ever.

A real SIGKILL of a ``db_worker`` is tested once for the mechanism
(tests/test_a_killed_worker_leaves_nothing_half_saved.py, the roster apply; the roster
check and apply: uptake/roster/tests/test_an_import_whose_worker_died_can_be_applied_again.py).
Here each other kind of task is left RUNNING by a worker whose process has ended, as the
kill leaves it, and the reaper that every worker and the waiting pages run finds it.

The tasks that write data: ``roster.apply_roster_import`` and ``check_roster_import``
(above), ``networks.read_community_import`` and ``inquiry.refresh_summaries`` (here).
``surveys.remind_open_surveys_task`` and ``networks.precompute_map`` (a map drawn ahead
into the page cache; the page draws it itself when it is missing) leave nothing a person
waits on.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from uptake.operations.models import WorkerLease
from uptake.operations.workers import WORKER_LOST, reap_lost_tasks, this_machine

pytestmark = pytest.mark.django_db


def _left_running_by_a_killed_worker(task_result: Any) -> None:
    """What a SIGKILLed db_worker leaves: its task RUNNING, its lease naming a process
    that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           check=True, capture_output=True, text=True)
    long_ago = timezone.now() - timedelta(minutes=3)
    lease = WorkerLease.objects.create(worker_id="killed-worker", machine=this_machine(),
                                       pid=int(ended.stdout), process_start="-1",
                                       started_at=long_ago, seen_at=long_ago)
    DBTaskResult.objects.filter(pk=task_result.id).update(
        status="RUNNING", worker_ids=[lease.worker_id], started_at=long_ago)


def test_a_community_read_whose_worker_died_fails_keeps_its_file_and_reads_again(
        world: Any, login: Any, settings: Any, tmp_path: Any) -> None:
    from uptake.networks.actions.community import WORKER_LOST as READ_LOST
    from uptake.networks.actions.community import run_import
    from uptake.networks.models import CodingItem, CommunityImport
    from uptake.networks.tasks import read_community_import
    from uptake.networks.tests.examples_community import started

    settings.MEDIA_ROOT = tmp_path
    ci = started(world)
    task_result = read_community_import.enqueue(ci.pk)
    _left_running_by_a_killed_worker(task_result)
    CommunityImport.objects.filter(pk=ci.pk).update(status=CommunityImport.Status.RUNNING,
                                                    progress=0.4)

    assert reap_lost_tasks() == [str(task_result.id)]

    ci.refresh_from_db()
    assert (ci.status, ci.error) == (CommunityImport.Status.FAILED, READ_LOST)
    assert ci.upload.name and ci.upload.storage.exists(ci.upload.name)
    assert not CodingItem.objects.filter(community_import=ci).exists()
    assert DBTaskResult.objects.get(pk=task_result.id).exception_class_path == WORKER_LOST
    client = login(world.people["teacher"])
    page = client.get(reverse("networks:community", args=[ci.pk])).content.decode()
    assert "background worker stopped" in page and "Read the file again" in page
    client.post(reverse("networks:community_retry", args=[ci.pk]))
    run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == CommunityImport.Status.DONE


def test_a_summary_refresh_whose_worker_died_is_redone_by_the_next_reader(world: Any) -> None:
    from uptake.inquiry.actions import (
        OccasionData,
        do_create_inquiry,
        do_create_measure,
        do_save_occasion,
    )
    from uptake.inquiry.models import SeriesSummary
    from uptake.inquiry.queries import series_summaries
    from uptake.inquiry.summaries import refresh_measures
    from uptake.inquiry.tasks import refresh_summaries

    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk", status="active")
    measure = do_create_measure(teacher, inquiry, sections=[world.section], name="Exit",
                                kind="score", scale_min=0, scale_max=10, direction="up")
    refresh_measures([measure.pk])
    do_save_occasion(teacher, measure, world.section, OccasionData(
        when=timezone.localdate(), values={s.pk: 5.0 for s in world.students}))
    assert SeriesSummary.objects.filter(measure=measure, stale=True).exists()
    task_result = refresh_summaries.enqueue([measure.pk])
    _left_running_by_a_killed_worker(task_result)

    assert reap_lost_tasks() == [str(task_result.id)]

    assert DBTaskResult.objects.get(pk=task_result.id).status == "FAILED"
    series_summaries(world.district.pk)
    assert not SeriesSummary.objects.filter(measure=measure, stale=True).exists()
