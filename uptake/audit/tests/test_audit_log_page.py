"""Coordinators browse their own district's audit log, filtered and paginated."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from uptake.audit.actions import record
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def history(world: Any) -> dict[str, AuditEvent]:
    """A few events on known days (district time), in both districts."""
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


def _shown(client: Any, **params: str) -> list[int]:
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    return [e.pk for e in response.context["page"]]


def test_it_shows_only_the_coordinators_own_district(login: Any, world: Any,
                                                     history: dict[str, AuditEvent]) -> None:
    client = login(world.people["coordinator"])
    shown = _shown(client)
    assert history["other"].pk not in shown
    assert {history["read"].pk, history["grant"].pk} <= set(shown)


def test_it_filters_by_event(login: Any, world: Any, history: dict[str, AuditEvent]) -> None:
    client = login(world.people["coordinator"])
    assert _shown(client, action="role_granted") == [history["grant"].pk]


def test_it_filters_by_person_acting_or_acted_upon(login: Any, world: Any,
                                                   history: dict[str, AuditEvent]) -> None:
    client = login(world.people["coordinator"])
    assert set(_shown(client, person="nguyen", action="student_data_read")) == {
        history["read"].pk, history["read2"].pk}
    # Jamie was the person a role was granted to.
    assert history["grant"].pk in _shown(client, person="jamie")
    assert history["grant"].pk in _shown(client, person="renata")


def test_it_filters_by_dates_in_the_districts_time_zone(login: Any, world: Any,
                                                        history: dict[str, AuditEvent]) -> None:
    client = login(world.people["coordinator"])
    # 23:30 on 2 September in Los Angeles is 3 September in UTC; the filter uses local days.
    assert _shown(client, date_from="2026-09-02", date_to="2026-09-02") == [history["grant"].pk]
    assert _shown(client, date_to="2026-09-01") == [history["read"].pk]


def test_it_rejects_a_backwards_date_range_with_a_message(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    html = client.get(reverse("audit:log"), {"date_from": "2026-09-05",
                                             "date_to": "2026-09-01"}).content.decode()
    assert "The end date is before the start date." in html


def test_it_filters_by_exact_student_pseudonym(login: Any, world: Any,
                                               history: dict[str, AuditEvent]) -> None:
    client = login(world.people["coordinator"])
    assert _shown(client, student="s-aaaa1111") == [history["read"].pk]
    assert _shown(client, student="S-AAAA11110") == [history["read2"].pk]


def test_it_paginates(login: Any, world: Any) -> None:
    for i in range(60):
        record(AuditAction.EXPORT, actor=world.people["coordinator"], summary=f"e{i}")
    client = login(world.people["coordinator"])
    first = client.get(reverse("audit:log"), {"action": "export"})
    assert len(first.context["page"]) == 50
    assert "page=2" in first.content.decode()
    second = client.get(reverse("audit:log"), {"action": "export", "page": "2"})
    assert len(second.context["page"]) == 10


@pytest.mark.parametrize("persona", ["teacher", "coach", "assessor", "leader", "researcher"])
def test_it_hides_the_log_from_everyone_but_coordinators(login: Any, world: Any,
                                                         persona: str) -> None:
    client = login(world.people[persona])
    assert client.get(reverse("audit:log")).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    for url in (reverse("audit:log"), reverse("audit:export")):
        assert client.get(url)["Location"].startswith("/accounts/login/")
