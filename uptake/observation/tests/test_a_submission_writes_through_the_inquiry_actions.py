"""Build 3 of issue 9: a submitted observation's point is written by the inquiry's action
(one write path for a measure's points), so data entry's rules hold for it too: the same
clash rule for an occasion already there (before, observation re-implemented it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.inquiry import actions as inquiry_actions
from uptake.inquiry.actions import OccasionData, do_save_occasion
from uptake.inquiry.models import Occasion
from uptake.observation.models import ObservationRequest
from uptake.observation.tests.conftest import Setup

pytestmark = pytest.mark.django_db


def _submit(login: Any, world: Any, setup: Setup, k: int, n: int) -> Any:
    return login(world.people["colleague"]).post(
        reverse("observation:submit", args=[setup.obs.pk]),
        {"present": str(n), f"prompt-{setup.obs.prompt_id}": str(k)}, follow=True)


def test_it_writes_the_point_with_the_inquiry_action(world: Any, setup: Setup, login: Any,
                                                     monkeypatch: Any) -> None:
    calls: list[OccasionData] = []
    real = inquiry_actions.do_add_class_total

    def spy(actor: Any, measure: Any, section: Any, data: OccasionData) -> Any:
        calls.append(data)
        return real(actor, measure, section, data)

    monkeypatch.setattr("uptake.observation.actions.do_add_class_total", spy)
    assert _submit(login, world, setup, 6, 20).status_code == 200
    assert [(d.total, d.label) for d in calls] == [((6, 20), f"Peer observation {setup.obs.pk}")]
    assert Occasion.objects.get(measure=setup.measure).total.numerator == 6


def test_it_refuses_a_point_that_clashes_with_one_entered_by_hand(
        world: Any, setup: Setup, login: Any) -> None:
    do_save_occasion(world.people["teacher"], setup.measure, world.section, OccasionData(
        when=timezone.localdate(), label=f"Peer observation {setup.obs.pk}", total=(1, 2)))
    page = _submit(login, world, setup, 6, 20).content.decode()
    assert "already has an occasion" in page
    setup.obs.refresh_from_db()
    assert setup.obs.status == ObservationRequest.Status.OPEN
    assert Occasion.objects.filter(measure=setup.measure).count() == 1

