"""The sync path of a district's assessment platform: PUT a date's scores by pseudonym.

A platform creates and updates a date's values, retries safely with an Idempotency-Key,
gets every bad item named by position and column with nothing saved, and loses the class
the moment its teacher does; a read-only token cannot write."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from uptake.audit.models import AuditAction, AuditEvent
from uptake.inquiry.models import Occasion, StudentValue

DAY = "2026-09-14"


def _url(measure: Any, day: str = DAY) -> str:
    return f"/measures/{measure.pk}/occasions/{day}"


def _values(students: Any, value: float | None = 7.0) -> list[dict[str, Any]]:
    return [{"student": s.pseudonym, "value": value} for s in students]


def _stored(measure: Any) -> dict[str, float | None]:
    return dict(StudentValue.objects.filter(occasion__measure=measure)
                .values_list("student__pseudonym", "value"))


def test_a_platform_creates_then_updates_a_dates_values(world: Any, api: Any,
                                                        measure: Any) -> None:
    teacher = api(world.people["teacher"])
    first = teacher.put(_url(measure), {"values": _values(world.students[:10], 60.0)})
    assert first.status_code == 201, first.content
    body = first.json()
    [cls] = body["classes"]
    assert cls["class_id"] == world.section.pk and cls["n_values"] == 10
    assert {v["student"]: v["value"] for v in cls["values"]} == {
        s.pseudonym: 60.0 for s in world.students[:10]}
    # An update: two values change, one becomes missing, a new student's value is added;
    # students not sent keep theirs.
    again = teacher.put(_url(measure), {"values": [
        {"student": world.students[0].pseudonym, "value": 75.5},
        {"student": world.students[1].pseudonym, "value": None},
        {"student": world.students[11].pseudonym, "value": 80}]})
    assert again.status_code == 200, again.content
    stored = _stored(measure)
    assert stored[world.students[0].pseudonym] == 75.5
    assert stored[world.students[1].pseudonym] is None
    assert stored[world.students[2].pseudonym] == 60.0
    assert stored[world.students[11].pseudonym] == 80.0
    assert Occasion.objects.filter(measure=measure).count() == 1
    # What a GET gives is what the PUT answered.
    read = teacher.get(_url(measure))
    assert read.status_code == 200
    assert read.json()["classes"][0]["values"] == again.json()["classes"][0]["values"]
    # Saving is audited once per request, naming the students; reading back is audited.
    saved = AuditEvent.objects.filter(action=AuditAction.MEASURE_DATA_SAVED).order_by("pk")
    assert saved.count() == 2
    last = saved.last()
    assert last is not None
    assert set(last.subjects) == {world.students[i].pseudonym for i in (0, 1, 11)}
    assert "credential" in last.details
    assert AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).count() == 3


def test_a_retry_with_the_same_key_saves_once_and_another_body_is_refused(
        world: Any, api: Any, measure: Any) -> None:
    teacher = api(world.people["teacher"])
    payload = {"values": _values(world.students, 50.0)}
    first = teacher.put(_url(measure), payload, **{"Idempotency-Key": "sync-2026-09-14"})
    retry = teacher.put(_url(measure), payload, **{"Idempotency-Key": "sync-2026-09-14"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action=AuditAction.MEASURE_DATA_SAVED).count() == 1
    other = teacher.put(_url(measure), {"values": _values(world.students, 51.0)},
                        **{"Idempotency-Key": "sync-2026-09-14"})
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert set(_stored(measure).values()) == {50.0}


def _other_class_student(world: Any) -> Any:
    from uptake.roster.models import Enrollment, Student

    student = Student.objects.create(district=world.district, school=world.birch,
                                     sourced_id="stu-b1", given_name="Bo", family_name="Birch",
                                     grade="07")
    Enrollment.objects.create(section=world.other_section, student=student)
    return student


def _attacks(world: Any) -> list[tuple[str, Any, list[tuple[int, str]] | None]]:
    good = _values(world.students[:3])
    s0 = world.students[0].pseudonym
    return [
        ("non-numeric", {"values": [*good, {"student": world.students[3].pseudonym,
                                            "value": "seven"}]}, [(4, "value")]),
        ("a number as text", {"values": [{"student": s0, "value": "7"}]}, [(1, "value")]),
        ("true is not a number", {"values": [{"student": s0, "value": True}]},
         [(1, "value")]),
        ("out of scale", {"values": [*good, {"student": world.students[3].pseudonym,
                                             "value": 101}]}, [(4, "value")]),
        ("below the scale", {"values": [{"student": s0, "value": -1}]}, [(1, "value")]),
        ("unknown student", {"values": [*good, {"student": "S-NOBODY", "value": 5}]},
         [(4, "student")]),
        ("student of another class", {"values": [
            *good, {"student": _other_class_student(world).pseudonym, "value": 5}]},
         [(4, "student")]),
        ("duplicate student", {"values": [*good, {"student": s0, "value": 9}]},
         [(4, "student")]),
        ("no student", {"values": [{"student": 12, "value": 9}]}, [(1, "student")]),
        ("several problems at once", {"values": [
            {"student": s0, "value": 500}, {"student": "S-NOBODY", "value": 5},
            {"student": s0, "value": 5}]}, [(1, "value"), (2, "student"), (3, "student")]),
        ("class totals for a per-student measure", {"totals": [
            {"class_id": world.section.pk, "numerator": 1, "denominator": 2}]}, None),
        ("nothing sent", {"values": []}, None),
        ("too many values", {"values": [{"student": s0, "value": 1}] * 10_001}, None),
        ("values not a list", {"values": {"student": s0}}, None),
        ("wrong JSON", '{"values": [', None),
        ("a label too long", {"label": "x" * 101, "values": good}, None),
    ]


ATTACKS = ["non-numeric", "a number as text", "true is not a number", "out of scale",
           "below the scale", "unknown student", "student of another class",
           "duplicate student", "no student", "several problems at once",
           "class totals for a per-student measure", "nothing sent", "too many values",
           "values not a list", "wrong JSON", "a label too long"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_malformed_payloads_are_refused_whole_with_the_items_named(
        world: Any, api: Any, measure: Any, attack: str) -> None:
    _, payload, rows = next(a for a in _attacks(world) if a[0] == attack)
    response = api(world.people["teacher"]).put(_url(measure), payload)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["status"] == 400 and error["message"]
    if rows is not None:
        assert [(r["row"], r["column"]) for r in error["rows"]] == rows
        assert all(r["message"] for r in error["rows"])
        assert "nothing was saved" in error["message"]
    assert not Occasion.objects.filter(measure=measure).exists()
    assert not StudentValue.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MEASURE_DATA_SAVED).exists()


def test_a_bad_item_in_an_update_leaves_the_stored_values_alone(world: Any, api: Any,
                                                                measure: Any) -> None:
    teacher = api(world.people["teacher"])
    assert teacher.put(_url(measure), {"values": _values(world.students, 40.0)}
                       ).status_code == 201
    refused = teacher.put(_url(measure), {"values": [
        *_values(world.students[:5], 90.0), {"student": "S-NOBODY", "value": 1}]})
    assert refused.status_code == 400
    assert set(_stored(measure).values()) == {40.0}


def test_class_totals_of_a_proportion_measure(world: Any, api: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import do_create_measure

    share = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                              name="Explains thinking", kind="proportion")
    teacher = api(world.people["teacher"])
    made = teacher.put(_url(share), {"totals": [
        {"class_id": world.section.pk, "numerator": 5, "denominator": 12}]})
    assert made.status_code == 201, made.content
    assert made.json()["classes"][0]["total"] == {"numerator": 5, "denominator": 12}
    assert made.json()["classes"][0]["values"] is None
    too_many = teacher.put(_url(share), {"totals": [
        {"class_id": world.section.pk, "numerator": 13, "denominator": 12}]})
    assert too_many.status_code == 400
    assert too_many.json()["error"]["rows"][0]["column"] == "numerator"
    not_mine = teacher.put(_url(share), {"totals": [
        {"class_id": world.other_section.pk, "numerator": 1, "denominator": 12}]})
    assert not_mine.status_code == 400
    assert not_mine.json()["error"]["rows"][0]["column"] == "class_id"
    assert Occasion.objects.get(measure=share).total.numerator == 5


def test_a_teacher_moved_off_the_class_can_no_longer_write_its_data(
        world: Any, api: Any, measure: Any) -> None:
    from uptake.roster.models import TeacherAssignment

    teacher = api(world.people["teacher"])
    assert teacher.put(_url(measure), {"values": _values(world.students)}).status_code == 201
    TeacherAssignment.objects.filter(section=world.section).update(
        end_date=timezone.localdate() - timedelta(days=1))
    put = teacher.put(_url(measure), {"values": _values(world.students, 1.0)})
    assert put.status_code == 404
    assert put.json()["error"]["code"] == "not_found"
    assert teacher.delete(_url(measure)).status_code == 404
    assert set(_stored(measure).values()) == {7.0}


def test_a_read_only_token_cannot_write(world: Any, api: Any, measure: Any) -> None:
    reader = api(world.people["teacher"], ["inquiry:read"])
    response = reader.put(_url(measure), {"values": _values(world.students)})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert not Occasion.objects.exists()
    assert reader.get(f"/measures/{measure.pk}/occasions").status_code == 200


def test_reading_a_dates_values_follows_who_may_see_student_rows(
        world: Any, api: Any, measure: Any) -> None:
    from uptake.inquiry.actions import (
        do_add_team_member,
        do_create_team,
        do_share_inquiry,
        do_update_inquiry,
    )

    do_share_inquiry(world.people["teacher"], measure.inquiry, world.people["coach"],
                     share=True)
    assert api(world.people["teacher"]).put(
        _url(measure), {"values": _values(world.students)}).status_code == 201
    # The coach it is shared with (staff of the class's school) sees the values.
    coach = api(world.people["coach"]).get(_url(measure))
    assert coach.status_code == 200 and len(coach.json()["classes"][0]["values"]) == 12
    # A team member from another school reads the inquiry but not the students' values.
    teacher = world.people["teacher"]
    team = do_create_team(teacher, name="Math PLC", kind="plc", school=world.cedar,
                          members=[])
    do_add_team_member(teacher, team, world.people["outsider"])
    do_update_inquiry(teacher, measure.inquiry, team=team)
    before = AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).count()
    other = api(world.people["outsider"]).get(_url(measure))
    assert other.status_code == 200
    [cls] = other.json()["classes"]
    assert cls["values"] is None and cls["values_withheld"] is True
    assert cls["n_values"] == 12
    assert AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).count() == before
    # The colleague it is not shared with gets the same 404 as for no data at all.
    assert api(world.people["colleague"]).get(_url(measure)).status_code == 404
    assert api(world.people["teacher"]).get(_url(measure, "2026-09-21")).status_code == 404


def test_the_list_of_occasions_filters_by_date_and_update_time(world: Any, api: Any,
                                                               measure: Any) -> None:
    teacher = api(world.people["teacher"])
    for day in ("2026-09-07", "2026-09-14", "2026-09-21"):
        assert teacher.put(_url(measure, day), {"values": _values(world.students)}
                           ).status_code == 201
    listed = teacher.get(f"/measures/{measure.pk}/occasions").json()["results"]
    assert [o["date"] for o in listed] == ["2026-09-07", "2026-09-14", "2026-09-21"]
    assert listed[0]["n_values"] == 12 and listed[0]["n_missing"] == 0
    assert "values" not in listed[0]
    ranged = teacher.get(f"/measures/{measure.pk}/occasions",
                         {"date_from": "2026-09-10", "date_to": "2026-09-21"}).json()
    assert [o["date"] for o in ranged["results"]] == ["2026-09-14", "2026-09-21"]
    mark = timezone.now()
    Occasion.objects.update(updated_at=mark - timedelta(hours=1))
    teacher.put(_url(measure, "2026-09-14"), {"values": _values(world.students[:1], 9.0)})
    since = teacher.get(f"/measures/{measure.pk}/occasions",
                        {"updated_since": mark.isoformat()}).json()
    assert [o["date"] for o in since["results"]] == ["2026-09-14"]
    assert teacher.get(f"/measures/{measure.pk}/occasions",
                       {"date_from": "not a date"}).status_code == 400


def test_deleting_a_dates_data(world: Any, api: Any, measure: Any) -> None:
    teacher = api(world.people["teacher"])
    teacher.put(_url(measure), {"values": _values(world.students)})
    assert teacher.delete(_url(measure)).status_code == 204
    assert not Occasion.objects.filter(measure=measure).exists()
    assert not StudentValue.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETION).count() == 1
    assert teacher.get(_url(measure)).status_code == 404
    assert teacher.delete(_url(measure)).status_code == 404


def test_the_body_limit_fits_ten_thousand_values() -> None:
    """10,000 values with long pseudonyms and decimals fit the default request limit."""
    from django.conf import settings

    body = json.dumps({"values": [{"student": "S-" + "X" * 14, "value": 123.456789}]
                       * 10_000})
    assert len(body.encode()) < settings.REQUEST_MAX_BYTES


def test_an_upsert_makes_as_many_queries_for_many_classes_as_for_one(
        world: Any, api: Any, inquiry: Any) -> None:
    """A district's sync of a date: the queries do not grow with the classes or values."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from uptake.inquiry.actions import do_create_measure
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    teacher = world.people["teacher"]
    classes = [world.section]
    for c in range(4):
        section = Section.objects.create(district=world.district, school=world.cedar,
                                         sourced_id=f"cls-x{c}", title=f"Room {c}")
        TeacherAssignment.objects.create(section=section, teacher=teacher)
        for i in range(20):
            student = Student.objects.create(district=world.district, school=world.cedar,
                                             sourced_id=f"stu-x{c}-{i}", given_name="K",
                                             family_name="X")
            Enrollment.objects.create(section=section, student=student)
        classes.append(section)
    small = do_create_measure(teacher, inquiry, sections=classes[:1], name="One class",
                              kind="score", scale_min=0, scale_max=10)
    large = do_create_measure(teacher, inquiry, sections=classes, name="Five classes",
                              kind="score", scale_min=0, scale_max=10)
    everyone = Student.objects.filter(enrollments__section__in=classes).distinct()
    client = api(teacher)
    counts = []
    for measure, students in ((small, world.students), (large, everyone)):
        for value in (5.0, 6.0):  # create, then update every value
            with CaptureQueriesContext(connection) as ctx:
                response = client.put(_url(measure), {"values": _values(students, value)})
            assert response.status_code in (200, 201), response.content
            counts.append(len(ctx))
    assert StudentValue.objects.filter(occasion__measure=large).count() == 92
    assert counts[2] <= counts[0] + 2 and counts[3] <= counts[1] + 2, counts
