"""Who reaches the notes on a measure's chart: its editors (the owner, her team) add,
change and delete them; a coach it is shared with reads them on the chart only; anyone
else, and a colleague removed from the team, gets a 404 whatever she sends."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.actions import (
    AnnotationData,
    do_add_annotation,
    do_create_measure,
    do_create_team,
    do_remove_team_member,
    do_share_inquiry,
    do_update_inquiry,
)
from uptake.inquiry.models import Annotation


@pytest.fixture
def team_measure(world: Any, inquiry: Any, measure: Any) -> Any:
    """Jamie's inquiry, shared by her team with Asha and with the coach to read."""
    team = do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["colleague"]])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    return measure


@pytest.fixture
def note(world: Any, team_measure: Any) -> Any:
    return do_add_annotation(world.people["teacher"], team_measure,
                             AnnotationData(date(2026, 11, 12), "snow day"))


def _url(measure: Any) -> str:
    return reverse("inquiry:annotations", args=[measure.pk])


@pytest.mark.parametrize(("persona", "status"), [
    ("teacher", 200), ("colleague", 200), ("coach", 404), ("leader", 404),
    ("outsider", 404), ("coordinator", 404), ("other_coordinator", 404),
])
def test_it_opens_the_notes_page_to_the_measures_editors_only(
        world: Any, login: Any, team_measure: Any, note: Any, persona: str,
        status: int) -> None:
    client = login(world.people[persona])
    assert client.get(_url(team_measure)).status_code == status
    client.post(_url(team_measure), {"op": "delete", "note": note.pk})
    assert Annotation.objects.filter(pk=note.pk).exists() == (status == 404)


def test_it_shows_the_note_to_a_reader_on_the_chart(world: Any, login: Any,
                                                    team_measure: Any, note: Any) -> None:
    from uptake.inquiry.tests.conftest import fill

    fill(world.people["teacher"], team_measure, world.section, [50, 52, 49, 51, 60, 62, 61, 60,
                                                                63, 64, 62, 63], world.students)
    page = login(world.people["coach"]).get(
        reverse("inquiry:study", args=[team_measure.pk])).content.decode()
    assert "note: snow day" in page and "Notes on the chart" not in page


def test_it_closes_the_notes_to_a_colleague_removed_from_the_team(
        world: Any, login: Any, team_measure: Any, note: Any) -> None:
    asha = login(world.people["colleague"])
    assert asha.get(_url(team_measure)).status_code == 200
    do_remove_team_member(world.people["teacher"], team_measure.inquiry.team,
                          world.people["colleague"])
    assert asha.get(_url(team_measure)).status_code == 404
    response = asha.post(_url(team_measure), {
        "op": "save", "note": note.pk, f"n{note.pk}-when": "2026-11-13",
        f"n{note.pk}-text": "changed", f"n{note.pk}-section": ""})
    assert response.status_code == 404
    assert asha.post(_url(team_measure), {"op": "add", "new-when": "2026-11-13",
                                          "new-text": "mine"}).status_code == 404
    assert list(Annotation.objects.values_list("text", flat=True)) == ["snow day"]


def test_it_never_reaches_a_note_of_another_measure_through_this_one(
        world: Any, login: Any, inquiry: Any, team_measure: Any, note: Any) -> None:
    other = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                              name="Talk tally", kind="score", scale_min=0, scale_max=10)
    response = login(world.people["teacher"]).post(_url(other), {"op": "delete",
                                                                 "note": note.pk})
    assert response.status_code == 404
    assert Annotation.objects.filter(pk=note.pk).exists()
