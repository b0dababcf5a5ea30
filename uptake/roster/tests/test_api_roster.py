"""Classes, their students by pseudonymous ID, and roster imports through the API: the same
people see the same classes as on the pages, students never by name, and an upload is
checked exactly as the page's is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Role, RoleAssignment
from uptake.api.testing import ApiClient
from uptake.audit.models import AuditAction, AuditEvent
from uptake.operations.middleware import body_limit
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.models import AcademicSession, RosterImport, Section, TeacherAssignment
from uptake.roster.tests.conftest import build_zip, fixture_files, roster_snapshot

pytestmark = pytest.mark.django_db


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert body["error"]["status"] == response.status_code
    return body["error"]


def _results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _titles(client: ApiClient, **query: Any) -> set[str]:
    return {c["title"] for c in _results(client.get("/classes", query))}


# ------------------------------------------------------------------------------ classes

GRADE_3 = "Grade 3 ELA - Room 12"
MATH_7 = "Math 7 - Period 2"


@pytest.mark.parametrize(("persona", "seen"), [
    ("teacher", {GRADE_3}),          # the class she teaches
    ("colleague", set()),            # teaches at Cedar, not this class
    ("outsider", {MATH_7}),          # her own class at Birch
    ("coach", {GRADE_3}),            # Cedar's classes
    ("leader", {GRADE_3}),
    ("coordinator", {GRADE_3, MATH_7}),
    ("other_coordinator", set()),    # another district
])
def test_each_person_lists_the_classes_the_classes_page_shows_her(world, api, persona, seen):
    assert _titles(api(world.people[persona])) == seen


@pytest.mark.parametrize("persona", ["assessor", "researcher"])
def test_roles_without_a_classes_page_get_no_classes(world, api, persona):
    client = api(world.people[persona])

    assert client.get("/classes").status_code == 404
    assert client.get(f"/classes/{world.section.pk}").status_code == 404


def test_a_class_carries_its_current_teachers_and_students(world, api):
    [row] = _results(api(world.people["teacher"]).get("/classes"))

    assert row["school_name"] == "Cedar Elementary"
    assert [t["name"] for t in row["teachers"]] == ["Jamie Nguyen"]
    assert row["students"] == 12


def test_classes_filter_by_school_session_and_status(world, api):
    client = api(world.people["coordinator"])
    term = AcademicSession.objects.create(
        district=world.district, sourced_id="as-1", title="Fall", type="term",
        start_date=dt.date(2026, 8, 1), end_date=dt.date(2026, 12, 20), school_year=2027)
    world.section.terms.add(term)
    Section.objects.filter(pk=world.other_section.pk).update(active=False)

    assert _titles(client, school=world.birch.pk) == set()  # inactive: not listed
    assert _titles(client, school=world.birch.pk, show="all") == {MATH_7}
    assert _titles(client, academic_session=term.pk) == {GRADE_3}
    assert _titles(client, q="math", show="all") == {MATH_7}


def test_a_class_shows_its_students_per_grade_as_its_page_does(world, api):
    response = api(world.people["coach"]).get(f"/classes/{world.section.pk}")

    assert response.status_code == 200
    assert response.json()["students_by_grade"] == [{"grade": "03", "students": 12}]


def test_a_teacher_whose_assignment_ended_no_longer_reaches_the_class(world, api):
    client = api(world.people["teacher"])
    assert _titles(client) == {GRADE_3}
    TeacherAssignment.objects.filter(teacher=world.people["teacher"]).update(
        end_date=timezone.localdate() - dt.timedelta(days=1))

    assert _titles(client) == set()
    assert client.get(f"/classes/{world.section.pk}").status_code == 404
    assert client.get(f"/classes/{world.section.pk}/students").status_code == 404


def test_another_district_s_coordinator_gets_404_for_maple_s_class(world, api):
    client = api(world.people["other_coordinator"])

    assert client.get(f"/classes/{world.section.pk}").status_code == 404
    response = client.get(f"/classes/{world.section.pk}/students")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()


# ----------------------------------------------------------------------------- students

def test_a_teacher_reads_her_students_by_pseudonym_only_and_the_read_is_audited(world, api):
    client = api(world.people["teacher"])

    response = client.get(f"/classes/{world.section.pk}/students")

    rows = _results(response)
    assert {r["pseudonym"] for r in rows} == {s.pseudonym for s in world.students}
    assert {r["grade"] for r in rows} == {"03"}
    assert {r["status"] for r in rows} == {"enrolled"}
    body = response.content.decode()
    for student in world.students:
        assert student.given_name not in body and f'"{student.sourced_id}"' not in body
    assert "english_learner" not in body  # never a per-student equity flag
    [event] = AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ)
    assert event.actor == world.people["teacher"]
    assert sorted(event.subjects) == sorted(s.pseudonym for s in world.students)
    assert event.details["credential"].startswith("personal token")
    assert event.page.startswith("/api/v1/classes/")


def test_each_page_of_students_is_audited_with_the_students_it_showed(world, api):
    client = api(world.people["coordinator"])

    first = client.get(f"/classes/{world.section.pk}/students", {"page_size": 5}).json()
    client.get(first["next"].removeprefix("http://testserver"))

    events = AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).order_by("pk")
    assert [len(e.subjects) for e in events] == [5, 5]
    assert sorted(events[0].subjects) == sorted(r["pseudonym"] for r in first["results"])
    assert not set(events[0].subjects) & set(events[1].subjects)


def test_school_staff_see_pseudonymous_rows_without_the_grade_the_class_page_keeps(world,
                                                                                   api):
    rows = _results(api(world.people["coach"]).get(f"/classes/{world.section.pk}/students"))

    assert len(rows) == 12
    assert {r["grade"] for r in rows} == {None}


def test_students_who_left_or_were_switched_off_say_so(world, api):
    left, off = world.students[0], world.students[1]
    left.enrollments.update(end_date=timezone.localdate() - dt.timedelta(days=3))
    off.enabled = False
    off.save()
    client = api(world.people["teacher"])

    rows = {r["pseudonym"]: r["status"] for r in _results(
        client.get(f"/classes/{world.section.pk}/students"))}
    enrolled = _results(client.get(f"/classes/{world.section.pk}/students",
                                   {"status": "enrolled"}))

    assert rows[left.pseudonym] == "left" and rows[off.pseudonym] == "disabled"
    assert len(enrolled) == 10


# ------------------------------------------------------------------------------ imports

def _zip_upload(raw: bytes, name: str = "roster.zip") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, raw, content_type="application/zip")}


def _session_client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _upload(client: ApiClient, raw: bytes, name: str = "roster.zip") -> Any:
    """A multipart upload with the client's token (ApiClient sends JSON only)."""
    return client.client.post("/api/v1/roster-imports", _zip_upload(raw, name),
                              headers={"Authorization": f"Bearer {client.secret}"})


@pytest.mark.parametrize("persona", ["teacher", "leader", "coach", "researcher"])
def test_imports_are_for_coordinators_only(world, api, persona):
    client = api(world.people[persona])

    assert client.get("/roster-imports").status_code == 404
    response = _upload(client, build_zip(fixture_files("v1p1-bulk")))
    assert response.status_code == 404
    assert not RosterImport.objects.exists()


def test_an_upload_is_queued_checked_in_the_background_and_reported(maple, importer, api,
                                                                    worker):
    client = api(importer)

    response = _upload(client, build_zip(fixture_files("v1p1-bulk")), "maple.zip")

    assert response.status_code == 201
    made = response.json()
    assert made["status"] == "queued" and made["in_progress"] is True
    assert made["file_name"] == "maple.zip"
    worker()
    report = client.get(f"/roster-imports/{made['id']}").json()
    assert report["status"] == "previewed" and report["can_apply"] is True
    assert report["report"]["changes"] > 0
    assert {f["file"] for f in report["report"]["files"]} >= {"users.csv", "classes.csv"}
    assert [i["id"] for i in _results(client.get("/roster-imports"))] == [made["id"]]


def test_a_bad_row_is_reported_by_file_row_and_column_and_nothing_changes(maple, importer,
                                                                          api, worker):
    files = fixture_files("v1p1-bulk")
    files["academicSessions.csv"] = files["academicSessions.csv"].replace(
        b"2026-12-18", b"2026-13-18", 1)
    before = roster_snapshot()
    client = api(importer)

    made = _upload(client, build_zip(files)).json()
    worker()

    ri = client.get(f"/roster-imports/{made['id']}").json()
    assert ri["status"] == "rejected" and ri["can_apply"] is False
    assert ri["report"]["errors"] == [{
        "file": "academicSessions.csv", "row": 3, "column": "endDate",
        "message": "'2026-13-18' is not a real date"}]
    assert roster_snapshot() == before
    assert not RosterImport.objects.get(pk=made["id"]).stored_file  # not kept
    refused = client.post(f"/roster-imports/{made['id']}/apply", {"confirm_removals": True})
    assert refused.status_code == 409
    assert _error(refused)["code"] == "conflict"
    assert _error(refused)["rows"] == [{
        "row": 3, "column": "endDate",
        "message": "academicSessions.csv: '2026-13-18' is not a real date"}]


def test_a_zip_bomb_is_rejected_and_nothing_changes(maple, importer, api, worker):
    files: dict[str, Any] = dict(fixture_files("v1p1-bulk"))
    header = files["users.csv"].split(b"\n")[0] + b"\n"
    files["users.csv"] = header + b"a" * (8 * 1024 * 1024)
    before = roster_snapshot()
    client = api(importer)

    made = _upload(client, build_zip(files)).json()
    worker()

    ri = client.get(f"/roster-imports/{made['id']}").json()
    assert ri["status"] == "rejected"
    assert any("compressed more than 200 to 1" in e["message"]
               for e in ri["report"]["errors"])
    assert roster_snapshot() == before


def test_a_file_that_is_not_a_zip_is_refused_at_once_and_nothing_is_stored(maple, importer,
                                                                           api):
    response = _upload(api(importer), b"sourcedId,name\norg-1,Maple\n", "orgs.csv")

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid" and "is not a zip file" in error["message"]
    assert error["fields"] == {"file": [error["message"]]}
    assert not RosterImport.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_the_limit(maple, importer, api,
                                                               settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 2048

    response = _upload(api(importer), build_zip(fixture_files("v1p1-bulk")))

    assert response.status_code == 400
    error = _error(response)
    assert "the most this server accepts is 2,048" in error["message"]
    assert error["rows"][0]["column"] == "file"
    assert not RosterImport.objects.exists()


def test_the_upload_may_be_as_large_as_the_page_s_and_no_larger(maple, importer, api,
                                                               settings):
    assert body_limit("/api/v1/roster-imports") == body_limit(reverse("roster:import"))
    assert body_limit("/api/v1/roster-imports") > body_limit("/api/v1/classes")
    settings.REQUEST_MAX_BYTES_BY_URL = {"api-1:roster_imports": 4096}

    response = _upload(api(importer), b"PK" + b"\0" * 10_000)

    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"
    assert not RosterImport.objects.exists()


def test_a_browser_session_uploads_with_its_csrf_token(maple, importer):
    client = _session_client(importer)
    client.handler.enforce_csrf_checks = True

    refused = client.post("/api/v1/roster-imports",
                          _zip_upload(build_zip(fixture_files("v1p1-bulk"))))

    assert refused.status_code == 403
    assert not RosterImport.objects.exists()


@pytest.fixture
def previewed(maple: Any, importer: Any, make_zip: Any) -> RosterImport:
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    assert ri.status == RosterImport.Status.PREVIEWED
    return ri


def _without_a_student_and_a_class(files: dict[str, Any]) -> None:
    """The next bulk export no longer lists Eli, nor Math 7 period 5 and its enrollments."""
    def drop(name: str, *prefixes: str) -> None:
        files[name] = b"\n".join(line for line in files[name].split(b"\n")
                                 if not line.startswith(tuple(p.encode() for p in prefixes)))

    drop("users.csv", "usr-s6,")
    drop("demographics.csv", "usr-s6,")
    drop("classes.csv", "cls-m7-p5,")
    drop("enrollments.csv", "enr-9,", "enr-10,", "enr-11,")


@time_machine.travel("2026-11-20 12:00:00Z", tick=False)
def test_removals_must_be_confirmed_before_an_apply_is_queued(maple, importer, api,
                                                              make_zip, previewed):
    do_apply_import(previewed, actor=importer)
    again = do_preview_import(maple, make_zip(edit=_without_a_student_and_a_class), actor=importer)
    assert again.report["removals_to_confirm"] > 0
    client = api(importer)

    refused = client.post(f"/roster-imports/{again.pk}/apply", {})

    assert refused.status_code == 409
    assert "confirm_removals" in _error(refused)["fields"]
    assert RosterImport.objects.get(pk=again.pk).status == RosterImport.Status.PREVIEWED
    queued = client.post(f"/roster-imports/{again.pk}/apply", {"confirm_removals": True})
    assert queued.status_code == 200
    assert queued.json()["status"] == "apply_queued"


def test_an_import_is_cancelled_once_and_its_zip_is_dropped(importer, api, previewed):
    client = api(importer)
    stored = Path(previewed.stored_file.path)

    response = client.post(f"/roster-imports/{previewed.pk}/cancel")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert not stored.exists()
    again = client.post(f"/roster-imports/{previewed.pk}/cancel")
    assert again.status_code == 409


def test_a_coordinator_whose_role_was_revoked_reaches_no_import(maple, importer, api,
                                                                previewed):
    client = api(importer)
    assert client.get(f"/roster-imports/{previewed.pk}").status_code == 200
    RoleAssignment.objects.filter(user=importer, role=Role.COORDINATOR).delete()

    assert client.get(f"/roster-imports/{previewed.pk}").status_code == 404
    assert client.post(f"/roster-imports/{previewed.pk}/apply",
                       {"confirm_removals": True}).status_code == 404
    assert RosterImport.objects.get(pk=previewed.pk).status == RosterImport.Status.PREVIEWED


def test_another_district_s_coordinator_gets_404_for_maple_s_import(world, api, make_zip):
    ri = do_preview_import(world.district, make_zip("v1p1-bulk"),
                           actor=world.people["coordinator"])
    client = api(world.people["other_coordinator"])

    assert client.get(f"/roster-imports/{ri.pk}").status_code == 404
    assert client.post(f"/roster-imports/{ri.pk}/cancel").status_code == 404
    assert _results(client.get("/roster-imports")) == []


def test_the_document_describes_a_class_s_student_rows_as_pseudonymous(client):
    """Two apps' schemas of one name would share one component, and the document would
    describe another app's rows here."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    ok = doc["paths"]["/api/v1/classes/{class_id}/students"]["get"]["responses"]["200"]
    page = schemas[ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    row = schemas[page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]

    assert set(row["properties"]) == {"pseudonym", "grade", "status", "begin_date",
                                      "end_date"}
