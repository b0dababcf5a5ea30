"""Seen 3 of issue 9: a team member who asked for an observation on the team's inquiry
manages it only while she may still edit the inquiry. Once removed from the team (or once
the owner takes the inquiry off the team) her request gives the same 404 as a missing one,
for reading and for withdrawing; the owner keeps it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.actions import do_remove_team_member
from uptake.inquiry.models import Team
from uptake.observation.models import ObservationRequest
from uptake.observation.tests.conftest import make_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ashas_request(world: Any) -> Any:
    """Asha, on the team of Jamie's inquiry, asked Miguel to observe Jamie's class."""
    obs = make_observation(world)
    team = Team.objects.create(district=world.district, name="Grade 3 PLC")
    team.members.set([world.people["teacher"], world.people["colleague"]])
    obs.inquiry.team = team
    obs.inquiry.save(update_fields=["team"])
    ObservationRequest.objects.filter(pk=obs.pk).update(
        requested_by=world.people["colleague"], observer=world.people["outsider"])
    return obs


def test_it_lets_her_manage_it_while_she_is_on_the_team(world: Any, ashas_request: Any,
                                                        login: Any) -> None:
    url = reverse("observation:detail", args=[ashas_request.pk])
    assert login(world.people["colleague"]).get(url).status_code == 200


def test_it_refuses_her_once_she_is_removed_from_the_team(world: Any, ashas_request: Any,
                                                          login: Any) -> None:
    do_remove_team_member(world.people["teacher"], ashas_request.inquiry.team,
                          world.people["colleague"])
    asha = login(world.people["colleague"])
    assert asha.get(reverse("observation:detail", args=[ashas_request.pk])).status_code == 404
    assert asha.post(reverse("observation:cancel", args=[ashas_request.pk])).status_code == 404
    assert ashas_request not in asha.get(reverse("observation:list")).context["asked"]
    ashas_request.refresh_from_db()
    assert ashas_request.status == ObservationRequest.Status.OPEN


def test_it_refuses_her_once_the_inquiry_leaves_the_team(world: Any, ashas_request: Any,
                                                         login: Any) -> None:
    ashas_request.inquiry.team = None
    ashas_request.inquiry.save(update_fields=["team"])
    url = reverse("observation:detail", args=[ashas_request.pk])
    assert login(world.people["colleague"]).get(url).status_code == 404
    assert login(world.people["teacher"]).get(url).status_code == 200
