"""Student-work sets through the API: the same people reach them as on the pages (the
class's current teachers who edit the inquiry), students appear only by pseudonym, and a
read of the scores is audited like the page's scoring step."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from uptake.audit.models import AuditAction, AuditEvent
from uptake.inquiry.models import Team
from uptake.roster.models import TeacherAssignment
from uptake.studentwork.actions import do_add_intervention, do_assign
from uptake.studentwork.tests import examples

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    """A ``next`` link is a full URL; the test client wants its path and query."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_every_persona_reaches_exactly_the_sets_declared(world: Any, api: Any) -> None:
    for key, cases in examples.API_EXAMPLES.items():
        method, path = key.split(" ", 1)
        for case in cases:
            for persona, user in [("anonymous", None), *world.people.items()]:
                url = path.format(**case["params"](world))
                status = getattr(api(user), method.lower())(url).status_code
                expected = (401 if persona == "anonymous"
                            else 200 if persona in case["allowed"] else 404)
                assert status == expected, (key, case["label"], persona, status)


def test_the_overview_counts_levels_and_groups_without_naming_anyone(world: Any,
                                                                      api: Any) -> None:
    made = examples.work_set(world)
    group = made.groups.get()
    do_assign(world.people["teacher"], made, {world.students[0].pk: group.pk,
                                              world.students[1].pk: group.pk})
    do_add_intervention(world.people["teacher"], group, what="Modelled",
                        when=dt.date(2026, 10, 6))
    response = api(world.people["teacher"]).get(f"/student-work/sets/{made.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["students"] == 12 and body["scored"] == 1
    assert [(lv["label"], lv["count"]) for lv in body["levels"]] == [
        ("Beginning", 1), ("Developing", 0), ("Secure", 0)]
    assert body["groups"][0]["size"] == 2
    assert body["groups"][0]["interventions"][0]["what"] == "Modelled"
    text = response.content.decode()
    assert not any(s.pseudonym in text or s.given_name in text for s in world.students)
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()


def test_scores_come_by_pseudonym_and_the_read_is_audited(world: Any, api: Any) -> None:
    made = examples.work_set(world)
    client = api(world.people["teacher"], ["studentwork:read"])
    response = client.get(f"/student-work/sets/{made.pk}/scores")
    assert response.status_code == 200
    rows = response.json()["scores"]
    assert {r["student"] for r in rows} == {s.pseudonym for s in world.students}
    scored = [r for r in rows if r["level_id"] is not None]
    assert [(r["student"], r["level_position"]) for r in scored] == [
        (world.students[0].pseudonym, 1)]
    text = response.content.decode()
    assert "Kid" not in text and "stu-" not in text
    event = AuditEvent.objects.get(action=AuditAction.STUDENT_DATA_READ)
    assert set(event.subjects) == {s.pseudonym for s in world.students}
    assert event.actor == world.people["teacher"]


def test_a_team_member_who_does_not_teach_the_class_gets_404(world: Any, api: Any) -> None:
    made = examples.work_set(world)
    team = Team.objects.create(district=world.district, name="Grade 3 PLC")
    team.members.set([world.people["teacher"], world.people["colleague"]])
    made.inquiry.team = team
    made.inquiry.save(update_fields=["team"])
    client = api(world.people["colleague"])
    for url in (f"/student-work/sets/{made.pk}", f"/student-work/sets/{made.pk}/scores"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/student-work/sets").json()["results"] == []


def test_a_teacher_whose_assignment_ended_loses_the_set(world: Any, api: Any) -> None:
    made = examples.work_set(world)
    client = api(world.people["teacher"])
    assert client.get(f"/student-work/sets/{made.pk}").status_code == 200
    TeacherAssignment.objects.filter(section=world.section,
                                     teacher=world.people["teacher"]).delete()
    assert client.get(f"/student-work/sets/{made.pk}").status_code == 404
    assert client.get(f"/student-work/sets/{made.pk}/scores").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()


def test_the_list_filters_by_date_and_inquiry_and_pages(world: Any, api: Any) -> None:
    first, second = examples.work_set(world), examples.work_set(world)
    second.date = dt.date(2026, 11, 2)
    second.save(update_fields=["date"])
    client = api(world.people["teacher"])
    listed = client.get("/student-work/sets", {"page_size": 1})
    assert [s["id"] for s in listed.json()["results"]] == [second.pk]
    following = client.get(_path(listed.json()["next"]))
    assert [s["id"] for s in following.json()["results"]] == [first.pk]
    since = client.get("/student-work/sets", {"date_from": "2026-11-01"}).json()["results"]
    assert [s["id"] for s in since] == [second.pk]
    by_inquiry = client.get("/student-work/sets", {"inquiry": first.inquiry_id})
    assert [s["id"] for s in by_inquiry.json()["results"]] == [first.pk]
    bad = client.get("/student-work/sets", {"date_from": "yesterday"})
    assert bad.status_code == 400 and "date_from" in bad.json()["error"]["fields"]


def test_a_token_without_the_scope_is_refused(world: Any, api: Any) -> None:
    made = examples.work_set(world)
    response = api(world.people["teacher"], ["inquiry:read"]).get(
        f"/student-work/sets/{made.pk}/scores")
    assert response.status_code == 403
    assert re.search("studentwork:read", response["WWW-Authenticate"])
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()
