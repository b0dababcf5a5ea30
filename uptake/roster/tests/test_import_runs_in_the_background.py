"""Checking and applying a roster run in the background worker, not in the web request.

A district's file takes about a minute; gunicorn kills a request after 30 s. The pages
store what the coordinator asked for and queue it; ``manage.py db_worker`` does the work;
the import's page says what is happening and reloads itself when there is news.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from uptake.audit.models import AuditAction, AuditEvent
from uptake.operations.testing import task_results
from uptake.roster import actions
from uptake.roster.actions import do_preview_import, do_queue_apply
from uptake.roster.models import RosterImport, Student
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")


def _upload_through_the_page(client: Any, path: Path) -> RosterImport:
    response = client.post(reverse("roster:import"), {"file": _upload(path)})
    ri = RosterImport.objects.get()
    assert response["Location"] == reverse("roster:import_detail", args=[ri.pk])
    return ri


def _poll(client: Any, ri: RosterImport, shown: str) -> Any:
    return client.get(reverse("roster:import_detail", args=[ri.pk]), {"shown": shown},
                      HTTP_HX_REQUEST="true")


def _audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _task_statuses() -> list[str]:
    return [result.status for result in task_results()]


def test_it_answers_the_upload_before_checking_the_file(maple, importer, login, make_zip,
                                                        worker, monkeypatch):
    checks = []
    check = actions._check
    monkeypatch.setattr(actions, "_check", lambda *a: checks.append(1) or check(*a))
    client = login(importer)

    ri = _upload_through_the_page(client, make_zip("v1p1-bulk"))

    assert checks == []
    assert ri.status == RosterImport.Status.QUEUED
    assert ri.report == {}
    assert Path(ri.stored_file.path).exists()
    assert _task_statuses() == ["READY"]
    assert _audited(AuditAction.IMPORT_PREVIEWED) == []
    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "Checking the file…" in page
    assert "waiting for its turn" in page
    assert 'hx-trigger="every 3s"' in page
    assert "Apply this import" not in page
    assert "Cancel this import" in page

    worker()

    ri.refresh_from_db()
    assert checks == [1]
    assert ri.status == RosterImport.Status.PREVIEWED
    assert ri.report["changes"] > 0
    assert _task_statuses() == ["SUCCESSFUL"]
    [checked] = _audited(AuditAction.IMPORT_PREVIEWED)
    assert checked.actor == importer
    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "What would change" in page
    assert "Apply this import" in page
    assert "hx-trigger" not in page


def test_it_reloads_the_page_only_when_there_is_news(maple, importer, login, make_zip,
                                                     worker):
    client = login(importer)
    ri = _upload_through_the_page(client, make_zip("v1p1-bulk"))

    waiting = _poll(client, ri, "queued")

    assert waiting.status_code == 204
    assert "HX-Refresh" not in waiting

    worker()
    done = _poll(client, ri, "queued")

    assert done.status_code == 200
    assert done["HX-Refresh"] == "true"


def test_it_says_so_when_the_worker_seems_not_to_be_running(maple, importer, login,
                                                            make_zip, worker):
    client = login(importer)
    ri = _upload_through_the_page(client, make_zip("v1p1-bulk"))
    RosterImport.objects.filter(pk=ri.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11))

    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()

    assert "This is taking much longer than usual" in page
    assert "background worker may not be running" in page
    # A page that showed the import before it became late reloads to say so.
    assert _poll(client, ri, "queued")["HX-Refresh"] == "true"
    assert _poll(client, ri, "queued-late").status_code == 204


def test_it_marks_the_import_failed_when_the_check_crashes(maple, importer, login, make_zip,
                                                           worker, monkeypatch):
    def crash(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "build_plan", crash)
    client = login(importer)
    ri = _upload_through_the_page(client, make_zip("v1p1-bulk"))
    stored = Path(ri.stored_file.path)

    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.FAILED
    assert ri.message == actions.CHECK_FAILED
    assert not ri.stored_file and not stored.exists()  # student data kept for nothing
    assert _task_statuses() == ["FAILED"]
    [task] = task_results()
    assert task.errors[-1].exception_class_path == "builtins.RuntimeError"
    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "This import failed" in page
    assert "an error in Uptake, not in your file" in page
    assert "disk on fire" not in page  # the details are for the server's log
    assert "Apply this import" not in page and "hx-trigger" not in page


def test_it_rolls_back_an_apply_that_crashes_and_marks_it_failed(maple, importer, make_zip,
                                                                 worker, monkeypatch):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    before = roster_snapshot()

    def crash(*args: Any) -> None:
        raise RuntimeError("connection lost")

    # Schools, classes, staff and students are written by then; enrollments come last.
    monkeypatch.setattr(actions, "_write_enrollments", crash)
    do_queue_apply(ri, actor=importer)
    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.FAILED
    assert ri.message == actions.APPLY_FAILED
    assert "Nothing was changed" in ri.message
    assert roster_snapshot() == before
    assert _audited(AuditAction.IMPORT_APPLIED) == []
    assert _task_statuses() == ["FAILED"]


def test_it_cancels_an_upload_still_waiting_for_the_worker(maple, importer, login, make_zip,
                                                           worker):
    client = login(importer)
    ri = _upload_through_the_page(client, make_zip("v1p1-bulk"))
    stored = Path(ri.stored_file.path)

    response = client.post(reverse("roster:import_cancel", args=[ri.pk]), follow=True)
    worker()

    assert "nothing was changed" in response.content.decode()
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.CANCELLED
    assert ri.report == {}
    assert not stored.exists()
    assert _audited(AuditAction.IMPORT_PREVIEWED) == []
    [task] = task_results()
    assert task.return_value == "not queued"


def test_it_cancels_an_apply_still_waiting_for_the_worker(maple, importer, login, make_zip,
                                                          worker):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    before = roster_snapshot()
    do_queue_apply(ri, actor=importer)

    login(importer).post(reverse("roster:import_cancel", args=[ri.pk]))
    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.CANCELLED
    assert roster_snapshot() == before


def test_it_will_not_cancel_an_import_being_applied(maple, importer, login, make_zip):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    RosterImport.objects.filter(pk=ri.pk).update(status=RosterImport.Status.APPLYING)
    client = login(importer)

    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    response = client.post(reverse("roster:import_cancel", args=[ri.pk]), follow=True)

    assert "Cancel this import" not in page
    assert "This import is being applied." in response.content.decode()
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLYING and ri.stored_file


def test_it_audits_each_step_as_the_coordinator_who_asked_for_it(maple, importer, make_zip,
                                                                 worker):
    from uptake.accounts.models import Role, RoleAssignment, User

    colleague = User.objects.create_user(email="second@maple.test", district=maple)
    RoleAssignment.objects.create(user=colleague, district=maple, role=Role.COORDINATOR)
    ri = actions.do_queue_import(maple, str(make_zip("v1p1-bulk")), actor=importer)
    worker()
    ri.refresh_from_db()

    do_queue_apply(ri, actor=colleague)
    worker()

    [checked] = _audited(AuditAction.IMPORT_PREVIEWED)
    [applied] = _audited(AuditAction.IMPORT_APPLIED)
    assert (checked.actor, checked.actor_label) == (importer, "coord@maple.test")
    assert (applied.actor, applied.actor_label) == (colleague, "second@maple.test")


def test_it_asks_again_when_removals_appeared_after_the_check(maple, importer, login,
                                                              make_zip, worker):
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    assert ri.report["removals_to_confirm"] == 0
    # Someone adds a student the export does not list: a bulk apply would switch her off.
    Student.objects.create(district=maple, sourced_id="stray", given_name="Stray",
                           family_name="Student")
    before = roster_snapshot()

    do_queue_apply(ri, actor=importer)
    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.PREVIEWED
    assert ri.report["removals_to_confirm"] == 1
    assert roster_snapshot() == before
    page = login(importer).get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "applying it now switches off 1 row(s)" in page
    assert "I understand that what the files no longer list will be switched off" in page


def test_it_explains_an_apply_rejected_because_the_district_changed(maple, importer, login,
                                                                    make_zip, worker):
    from uptake.accounts.models import District, User

    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    other = District.objects.create(name="Oak Ridge", slug="oak")
    User.objects.create_user(email="mgarcia@maplevalley.example.org", district=other)

    do_queue_apply(ri, actor=importer)
    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.REJECTED
    page = login(importer).get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "The district&#x27;s data changed since this file was checked" in page
    assert "already belongs to an account outside this district" in page
