"""The task queue on Redis (``TASK_BACKEND=rq``): the key background flows run by a real RQ
worker (``manage.py rq_worker --batch``), and a worker killed mid-apply is found and its
work rolled back, as with the database queue.

The whole task-related suite also runs on Redis with ``UPTAKE_TEST_TASKS=rq``; this module
runs in every suite. It uses Redis database 13 on 127.0.0.1 (``UPTAKE_TEST_REDIS_URL``),
emptied before and after each test (one test at a time across test processes), and is
skipped when Redis is not reachable.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import task, task_backends
from django.tasks.exceptions import TaskResultDoesNotExist
from django.urls import reverse
from django.utils import timezone
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.serializers import JSONSerializer

# The same district, upload and apply as the database queue's killed-worker test.
from tests.test_a_killed_worker_leaves_nothing_half_saved import SETUP, _django
from uptake.operations import tasks_rq, workers
from uptake.operations.testing import run_queued_tasks
from uptake.roster.tests.conftest import build_zip, fixture_files

REDIS_URL = os.environ.get("UPTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
RQ_TASKS = {"default": {"BACKEND": "uptake.operations.tasks_rq.RQBackend",
                        "OPTIONS": {"URL": REDIS_URL}}}

lost: list[list[Any]] = []


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def fail() -> None:
    raise LookupError("no such thing")


@workers.when_worker_lost(add)
def add_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    lost.append(args)


def _reachable() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis is not reachable at {REDIS_URL}: {exc}"
    return ""


@pytest.fixture
def on_redis(settings: Any) -> Iterator[tasks_rq.RQBackend]:
    """The task queue in Redis, empty, and this test the only one using it (``make test``
    runs tests in several processes: they take turns)."""
    if why := _reachable():
        pytest.skip(why)
    settings.TASKS = RQ_TASKS
    backend = task_backends["default"]
    assert isinstance(backend, tasks_rq.RQBackend)
    with open(Path(tempfile.gettempdir()) / "uptake-tests-task-redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        backend.connection.flushdb()
        lost.clear()
        yield backend
        backend.connection.flushdb()


def test_it_runs_a_task_and_reads_its_result_back(on_redis, transactional_db):
    queued = add.enqueue(2, 3)
    assert add.get_result(queued.id).status == "READY"

    run_queued_tasks()

    result = add.get_result(queued.id)
    assert (result.status, result.return_value, result.args) == ("SUCCESSFUL", 5, [2, 3])
    assert result.started_at is not None and result.finished_at is not None
    assert len(result.worker_ids) == 1


def test_it_records_a_failure_with_its_exception(on_redis, transactional_db):
    queued = fail.enqueue()

    run_queued_tasks()

    result = fail.get_result(queued.id)
    assert result.status == "FAILED"
    assert result.errors[-1].exception_class_path == "builtins.LookupError"
    assert "no such thing" in result.errors[-1].traceback


def test_it_keeps_a_deferred_task_until_its_time(on_redis, transactional_db):
    later = add.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1, 1)

    run_queued_tasks()

    assert add.get_result(later.id).status == "READY"


def test_it_says_a_result_it_never_had_does_not_exist(on_redis):
    with pytest.raises(TaskResultDoesNotExist):
        add.get_result("no-such-task")


def test_it_recovers_a_job_rq_found_abandoned_once_whoever_finds_it(on_redis, db):
    queued = add.enqueue(4, 4)
    job = Job.fetch(queued.id, connection=on_redis.connection, serializer=JSONSerializer)

    tasks_rq.on_job_failure(job, on_redis.connection, AbandonedJobError, AbandonedJobError())
    tasks_rq.on_job_failure(job, on_redis.connection, AbandonedJobError, AbandonedJobError())
    tasks_rq.on_job_failure(job, on_redis.connection, LookupError, LookupError())

    assert lost == [[4, 4]]
    assert job.get_meta()["exception_class_paths"] == [workers.WORKER_LOST]


# ------------------------------------------------------------------ the product's flows


@pytest.fixture
def queue_db(on_redis, transactional_db, settings, tmp_path) -> None:
    """Tasks queued once a transaction commits, as in production; files in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_checks_and_applies_a_roster_through_the_pages(queue_db, login):
    from uptake.accounts.models import District, Role, RoleAssignment, User
    from uptake.roster.models import RosterImport, Student

    maple = District.objects.create(name="Maple Valley Unified", slug="maple-valley")
    coordinator = User.objects.create_user(email="coord@maple.test", password="x" * 12,
                                           district=maple)
    RoleAssignment.objects.create(user=coordinator, district=maple, role=Role.COORDINATOR)
    client = login(coordinator)
    zipped = build_zip(fixture_files("v1p1-bulk"))
    client.post(reverse("roster:import"), {"file": SimpleUploadedFile(
        "roster.zip", zipped, content_type="application/zip")})
    ri = RosterImport.objects.get()
    assert ri.status == RosterImport.Status.QUEUED

    run_queued_tasks()
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.PREVIEWED, ri.message
    client.post(reverse("roster:import_apply", args=[ri.pk]))
    run_queued_tasks()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLIED, ri.message
    assert Student.objects.filter(district=maple).exists()
    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "hx-trigger" not in page  # nothing left "in progress"


def test_a_measure_import_has_its_summaries_refreshed_by_the_worker(queue_db, world):
    from uptake.inquiry.actions import OccasionData, do_apply_import
    from uptake.inquiry.demo import load_demo_inquiries
    from uptake.inquiry.models import SeriesSummary

    teacher = world.people["teacher"]
    measure = load_demo_inquiries(teacher, world.section)[0].measures.get()
    run_queued_tasks()  # the demo's own refresh
    do_apply_import(teacher, measure, world.section, [
        OccasionData(when=date(2026, 11, day),
                     values={s.pk: 60.0 + day + i % 4 for i, s in enumerate(world.students)})
        for day in (2, 9, 16)], file_name="november.csv")
    assert SeriesSummary.objects.filter(measure=measure, stale=True).exists()

    run_queued_tasks()

    rows = SeriesSummary.objects.filter(measure=measure)
    assert rows.exists() and not rows.filter(stale=True).exists()


def test_a_community_import_is_read_by_the_worker(queue_db, world):
    from uptake.networks.models import CommunityImport
    from uptake.networks.tests.examples_community import started

    ci = started(world)
    assert ci.status == "queued"

    run_queued_tasks()

    ci = CommunityImport.objects.get(pk=ci.pk)
    assert (ci.status, ci.coding_items.count()) == ("done", 5)


# ------------------------------------------------------------------ a worker killed

KILLED_WORKER = """
import signal
from uptake.roster import actions
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
actions._write_enrollments = killed
call_command("rq_worker", batch=True, worker_id="doomed-worker", verbosity=0)
"""

STATE = """
from uptake.operations.testing import task_results
from uptake.roster.models import RosterImport, Section, Student
print(RosterImport.objects.get().status, "|".join(r.status for r in task_results()),
      Section.objects.count(), Student.objects.count())
"""

RECOVER_AND_APPLY_AGAIN = """
from django.test import Client
from django.urls import reverse
from uptake.accounts.models import User
from uptake.operations.testing import task_results
from uptake.roster.models import RosterImport, Section
ri = RosterImport.objects.get()
client = Client()
client.force_login(User.objects.get(email="coord@maple.test"),
                   backend="django.contrib.auth.backends.ModelBackend")
page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
ri.refresh_from_db()
print(ri.status, "stopped while applying" in page, "Nothing was saved" in page)
lost = task_results()[-1]
print(lost.status, lost.errors[-1].exception_class_path)
client.post(reverse("roster:import_apply", args=[ri.pk]))
call_command("rq_worker", batch=True, verbosity=0)
ri.refresh_from_db()
print(ri.status, Section.objects.count() > 0)
"""


def test_a_killed_worker_leaves_nothing_half_saved_and_the_apply_can_run_again(
        on_redis, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "MEDIA_ROOT", "UPTAKE_TEST_TASKS"}}
    env.update({"UPTAKE_TESTING": "1", "UPTAKE_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "uptake.settings",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'uptake.sqlite3'}",
                "TASK_BACKEND": "rq", "TASK_REDIS_URL": REDIS_URL})
    _django(env, "call_command('migrate', verbosity=0)")
    _django(env, SETUP)

    killed = _django(env, KILLED_WORKER, check=False)

    assert killed.returncode == -9, killed.stderr
    # The apply had written schools, classes, staff and students; none of it committed.
    assert _django(env, STATE).stdout.split() == ["applying", "RUNNING", "0", "0"]
    recovered, failed, applied = _django(env, RECOVER_AND_APPLY_AGAIN).stdout.splitlines()
    assert recovered.split() == ["previewed", "True", "True"]
    assert failed.split() == ["FAILED", workers.WORKER_LOST]
    assert applied.split() == ["applied", "True"]


# ------------------------------------------------------------------ configuration


@pytest.mark.parametrize(("env", "message"), [
    ({"TASK_BACKEND": "celery"}, "TASK_BACKEND must be database or rq, not 'celery'"),
    ({"TASK_BACKEND": "rq"}, "TASK_BACKEND=rq needs TASK_REDIS_URL, a redis://"),
    # Never the cache's Redis, which evicts keys (docs/production.md): no fall-back to it.
    ({"TASK_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/0"},
     "TASK_BACKEND=rq needs TASK_REDIS_URL, a redis://, rediss:// or unix:// URL of a Redis "
     "that keeps every key (maxmemory-policy noeviction, not the cache's REDIS_URL), not ''"),
    ({"TASK_BACKEND": "rq", "TASK_REDIS_URL": "127.0.0.1:6379"},
     "a redis://, rediss:// or unix:// URL of a Redis that keeps every key"),
])
def test_it_refuses_a_task_queue_it_cannot_use_with_a_clear_message(env, message, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import uptake.settings"], cwd=Path(__file__).parents[1],
        env={"UPTAKE_TESTING": "1", "UPTAKE_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
             **env}, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_redis_worker_refuses_to_run_on_the_database_queue(settings):
    from django.core.management import CommandError, call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(CommandError, match=r"run `manage\.py db_worker` instead"):
        call_command("rq_worker", batch=True)


@pytest.mark.parametrize("policy", ["allkeys-lru", "volatile-ttl"])
def test_the_redis_worker_refuses_a_redis_that_may_evict_tasks(on_redis, monkeypatch, policy):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr(on_redis.connection, "config_get",
                        lambda name: {"maxmemory-policy": policy})
    queued = add.enqueue(1, 2)
    with pytest.raises(CommandError, match=f"The task Redis \\(TASK_REDIS_URL\\) has "
                                           f"maxmemory-policy {policy}: it may evict queued "
                                           "tasks.*Set maxmemory-policy noeviction"):
        call_command("rq_worker", batch=True)
    assert add.get_result(queued.id).status == "READY"  # not run, still queued


def test_the_redis_worker_warns_when_the_redis_will_not_say_its_policy(on_redis, monkeypatch,
                                                                      transactional_db):
    from io import StringIO

    from django.core.management import call_command

    def config_disabled(name: str) -> None:
        raise redis.ResponseError("unknown command 'CONFIG'")

    monkeypatch.setattr(on_redis.connection, "config_get", config_disabled)
    queued = add.enqueue(1, 2)
    err = StringIO()
    call_command("rq_worker", batch=True, verbosity=0, stderr=err)
    assert "Could not read the task Redis's maxmemory-policy" in err.getvalue()
    assert add.get_result(queued.id).return_value == 3


def test_the_test_redis_keeps_every_key(on_redis):
    """The worker runs in these tests only because the test Redis is set up as production's
    task Redis must be."""
    assert on_redis.connection.config_get("maxmemory-policy") == {
        "maxmemory-policy": "noeviction"}
