"""The owner may give a share a last day ("until when"): the coach reads the inquiry through
that day and not after, the page says until when, sharing again moves the end, and a day
that is not ahead of today is refused with a message saying so. Plans offer the same."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant
from uptake.audit.models import AuditEvent
from uptake.learning.actions import do_create_plan

TODAY = date(2026, 10, 5)


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _share(client: Any, inquiry: Any, person: Any, until: str) -> Any:
    return client.post(reverse("inquiry:share", args=[inquiry.pk]),
                       {"person": person.pk, "share": "1", "until": until}, follow=True)


def test_a_coach_reads_the_inquiry_through_the_last_day_and_not_after(
        world: Any, login: Any, inquiry: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    page = reverse("inquiry:detail", args=[inquiry.pk])
    with time_machine.travel(_at(TODAY), tick=False):
        response = _share(login(teacher), inquiry, coach, "2026-10-20")
        assert "until 20 Oct 2026" in response.content.decode()
        assert login(coach).get(page).status_code == 200
    with time_machine.travel(_at(date(2026, 10, 20), 23), tick=False):
        assert login(coach).get(page).status_code == 200
    with time_machine.travel(_at(date(2026, 10, 21), 0) + timedelta(minutes=1), tick=False):
        assert login(coach).get(page).status_code == 404
        owner_page = login(teacher).get(page).content.decode()
        assert "lapsed: expired on 21 Oct 2026" in owner_page


def test_sharing_again_with_another_day_moves_the_end_and_is_audited(
        world: Any, login: Any, inquiry: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    with time_machine.travel(_at(TODAY), tick=False):
        client = login(teacher)
        _share(client, inquiry, coach, "2026-10-20")
        _share(client, inquiry, coach, "2026-12-18")
    grants = Grant.objects.filter(content_type=content_type_of(inquiry), object_id=inquiry.pk)
    assert grants.count() == 1
    assert timezone.localtime(grants.get().expires_at).date() == date(2026, 12, 19)
    assert AuditEvent.objects.filter(summary__contains="now ends after 2026-12-18").exists()


@pytest.mark.parametrize("until, message", [
    ("2026-10-05", "Choose a day after today for the share to end."),
    ("2026-09-01", "Choose a day after today for the share to end."),
    ("2031-01-01", "Choose a day within three years"),
    ("5 Oct", "Enter a valid date."),
])
def test_a_last_day_that_is_not_ahead_is_refused_with_a_message(
        world: Any, login: Any, inquiry: Any, until: str, message: str) -> None:
    with time_machine.travel(_at(TODAY), tick=False):
        response = _share(login(world.people["teacher"]), inquiry, world.people["coach"], until)
    assert message in response.content.decode()
    assert not Grant.objects.filter(object_id=inquiry.pk,
                                    content_type=content_type_of(inquiry)).exists()


def test_a_plan_shared_until_a_day_lapses_after_it(world: Any, login: Any) -> None:
    with time_machine.travel(_at(TODAY), tick=False):
        plan = do_create_plan(owner=world.people["teacher"], title="Math talk",
                              start_year=2026, end_year=2027)
        url = reverse("learning:plan", args=[plan.pk])
        response = login(world.people["teacher"]).post(
            reverse("learning:plan_share", args=[plan.pk]),
            {"reviewer": world.people["coach"].pk, "until": "2026-11-30"}, follow=True)
        assert "until 30 Nov 2026" in response.content.decode()
        assert "<td>30 Nov 2026</td>" in response.content.decode()
        assert login(world.people["coach"]).get(url).status_code == 200
    with time_machine.travel(_at(date(2026, 12, 1)), tick=False):
        assert login(world.people["coach"]).get(url).status_code == 404
