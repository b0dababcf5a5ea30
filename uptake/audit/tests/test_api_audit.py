"""The district's audit log through the API: what a coordinator's data team pulls into its
own store, newest first, her own district's only, and nothing more than the page shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from uptake.accounts.models import Role, RoleAssignment
from uptake.audit.actions import record
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def history(world: Any) -> dict[str, AuditEvent]:
    """A few events at known moments, in both districts."""
    teacher, renata = world.people["teacher"], world.people["coordinator"]
    events = {}
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=LA), tick=False):
        events["read"] = record(AuditAction.STUDENT_DATA_READ, actor=teacher,
                                subjects=["S-AAAA1111", "S-BBBB2222"], summary="Class list")
    with time_machine.travel(datetime(2026, 9, 2, 23, 30, tzinfo=LA), tick=False):
        events["grant"] = record(AuditAction.ROLE_GRANTED, actor=renata, obj=teacher,
                                 summary="Granted coach to Jamie")
    with time_machine.travel(datetime(2026, 9, 3, 8, 0, tzinfo=LA), tick=False):
        events["other"] = record(AuditAction.LOGIN, actor=world.people["other_coordinator"])
        events["read2"] = record(AuditAction.STUDENT_DATA_READ, actor=teacher,
                                 subjects=["S-AAAA11110"], summary="Another student")
    return events


# Making a test's token is itself logged; the tests look at the other events.
TOKEN_MADE = "api_token_created"


def _events(client: Any, **query: Any) -> list[dict[str, Any]]:
    response = client.get("/audit/events", query)
    assert response.status_code == 200, response.content
    return [e for e in response.json()["results"] if e["action"] != TOKEN_MADE]


def _ids(client: Any, **query: Any) -> list[int]:
    return [e["id"] for e in _events(client, **query)]


def test_a_coordinator_reads_her_district_s_log_newest_first(world, api, history):
    events = _events(api(world.people["coordinator"]))

    assert [e["id"] for e in events] == [history[k].pk for k in ("read2", "grant", "read")]
    read = events[-1]
    assert read["action"] == "student_data_read"
    assert read["action_label"] == "Student data viewed"
    assert read["actor_label"] == "jamie@maple.test"
    assert read["students"] == ["S-AAAA1111", "S-BBBB2222"]
    assert "ip_address" not in read and "details" not in read  # as on the page


def test_the_log_is_paginated_without_losing_or_repeating_an_event(world, api, history):
    client = api(world.people["coordinator"])  # its token's event is the newest
    first = client.get("/audit/events", {"page_size": 2}).json()
    second = client.get(first["next"].removeprefix("http://testserver")).json()

    assert [e["id"] for e in first["results"] + second["results"]][1:] == [
        history[k].pk for k in ("read2", "grant", "read")]
    assert second["next"] is None


def test_filters_narrow_by_kind_actor_time_object_and_student(world, api, history):
    client = api(world.people["coordinator"])
    teacher = world.people["teacher"]

    assert _ids(client, action="role_granted") == [history["grant"].pk]
    assert _ids(client, actor=teacher.pk) == [history["read2"].pk, history["read"].pk]
    assert _ids(client, since="2026-09-02T00:00:00-07:00",
                until="2026-09-03T00:00:00-07:00") == [history["grant"].pk]
    assert _ids(client, object_type="accounts.User", object_id=str(teacher.pk)) == [
        history["grant"].pk]
    # The exact pseudonym, not one that merely starts the same way.
    assert _ids(client, student="s-aaaa1111") == [history["read"].pk]


def test_a_time_without_an_offset_is_the_district_s_time(world, api, history, settings):
    settings.TIME_ZONE = "America/Los_Angeles"

    assert _ids(api(world.people["coordinator"]), since="2026-09-02T23:00:00",
                until="2026-09-03T00:00:00") == [history["grant"].pk]


@pytest.mark.parametrize(("query", "field"), [
    ({"action": "no_such_kind"}, "action"),
    ({"since": "2026-09-03T00:00:00Z", "until": "2026-09-01T00:00:00Z"}, "until"),
    ({"since": "yesterday"}, "since"),
    ({"since": "0001-01-01T00:00:00+14:00"}, "since"),
])
def test_a_filter_that_cannot_be_used_is_refused_by_name(world, api, history, query, field):
    response = api(world.people["coordinator"]).get("/audit/events", query)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "assessor", "researcher"])
def test_only_coordinators_read_the_log(world, api, history, persona):
    response = api(world.people[persona]).get("/audit/events")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_another_district_s_coordinator_reads_only_her_own_district_s_events(world, api,
                                                                            history):
    assert _ids(api(world.people["other_coordinator"])) == [history["other"].pk]


def test_a_coordinator_whose_role_was_revoked_reads_nothing(world, api, history):
    renata = world.people["coordinator"]
    client = api(renata)
    assert _ids(client)
    RoleAssignment.objects.filter(user=renata, role=Role.COORDINATOR).delete()

    assert client.get("/audit/events").status_code == 404


def test_a_token_s_reads_of_students_appear_in_the_log_with_the_token_not_its_secret(world,
                                                                                    api):
    teacher = api(world.people["teacher"])
    teacher.get(f"/classes/{world.section.pk}/students")

    response = api(world.people["coordinator"]).get("/audit/events",
                                                    {"action": "student_data_read"})

    [event] = response.json()["results"]
    assert sorted(event["students"]) == sorted(s.pseudonym for s in world.students)
    assert event["page"].startswith(f"/api/v1/classes/{world.section.pk}/students")
    assert teacher.secret not in response.content.decode()
    assert AuditEvent.objects.get(pk=event["id"]).details["credential"].startswith(
        "personal token")


def test_reading_the_log_changes_nothing_in_it(world, api, history):
    client = api(world.people["coordinator"])
    before = AuditEvent.objects.count()

    client.get("/audit/events")

    assert AuditEvent.objects.count() == before
