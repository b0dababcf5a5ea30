"""An inquiry's page lists the evidence linked to it or its cycles, and only the pieces the
reader may see: a team colleague sees what was shared, never the private notes of another
member or a piece that identifies students; a coach whose access lapsed sees none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.evidence import actions
from uptake.inquiry.actions import do_create_inquiry, do_create_team, do_share_inquiry

pytestmark = pytest.mark.django_db


def _text(owner: Any, inquiry: Any, title: str, *, identifies: bool = False) -> Any:
    return actions.do_add_artifact(owner, kind="text", title=title, guskey_level=2,
                                   identifies_students=identifies, body="b", inquiry=inquiry)


def _evidence(client: Any, inquiry: Any) -> str:
    response = client.get(reverse("inquiry:detail", args=[inquiry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="inquiry-evidence-h"' not in html:
        return ""
    return html.split('id="inquiry-evidence-h"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def team_inquiry(world: Any) -> Any:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    team = do_create_team(jamie, name="Grade 3", kind="grade_level", school=world.cedar,
                          members=[asha])
    return do_create_inquiry(jamie, team=team, title="Common exit tickets")


def test_it_lists_the_owner_s_evidence_with_a_way_to_add_more(
        login: Any, world: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    _text(jamie, team_inquiry, "Lesson notes week 1")
    section = _evidence(login(jamie), team_inquiry)
    assert "Lesson notes week 1" in section
    assert f"?inquiry={team_inquiry.pk}" in section


def test_it_shows_a_colleague_only_shared_pieces_that_name_no_student(
        login: Any, world: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    private = _text(jamie, team_inquiry, "Private draft")
    shared = _text(jamie, team_inquiry, "Shared anchor chart")
    named = _text(jamie, team_inquiry, "Work with names", identifies=True)
    actions.do_share_artifact(shared, actor=jamie)
    actions.do_share_artifact(named, actor=jamie)
    section = _evidence(login(world.people["colleague"]), team_inquiry)
    assert "Shared anchor chart" in section
    assert private.title not in section and named.title not in section


def test_a_coach_whose_access_lapsed_sees_none_of_it(login: Any, world: Any) -> None:
    jamie, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(jamie, title="Talk moves")
    piece = _text(jamie, inquiry, "Talk-move tally", identifies=True)
    actions.do_share_artifact(piece, actor=jamie, coaches=[coach])
    do_share_inquiry(jamie, inquiry, coach, share=True)
    client = login(coach)
    assert "Talk-move tally" in _evidence(client, inquiry)
    assert f"?inquiry={inquiry.pk}" not in _evidence(client, inquiry)
    coach.roles.update(school=world.birch)
    assert client.get(reverse("inquiry:detail", args=[inquiry.pk])).status_code == 404


def test_it_prefills_the_inquiry_on_the_evidence_form(login: Any, world: Any,
                                                      team_inquiry: Any) -> None:
    client = login(world.people["teacher"])
    form = client.get(reverse("evidence:upload") + f"?inquiry={team_inquiry.pk}")
    assert f'value="{team_inquiry.pk}" selected' in form.content.decode()
