"""The district's results page counts measures by their latest verdict, school by school,
for the coordinator, the researcher and the assessor; nobody else reaches it, and no name,
title or student row appears on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.tests.conftest import fill

pytestmark = pytest.mark.django_db

IMPROVING = [50, 52, 49, 51, 50, 48, 51, 50, 60, 61, 62, 60, 61, 63, 62, 61]


@pytest.fixture
def measured(world: Any, measure: Any) -> Any:
    fill(world.people["teacher"], measure, world.section, IMPROVING, world.students)
    return measure


@pytest.mark.parametrize("persona", ["coordinator", "researcher", "assessor"])
def test_it_counts_each_school_s_measures_by_verdict(
        login: Any, world: Any, measured: Any, persona: str) -> None:
    response = login(world.people[persona]).get(reverse("inquiry:results"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.school == "Cedar Elementary" and row.measures == 1
    assert row.counts == (1, 0, 0, 0, 0, 0)
    html = response.content.decode()
    assert "Math talk in Grade 3" not in html and "Jamie" not in html
    assert "Kid0" not in html


def test_it_hides_a_school_whose_measures_rest_on_few_students(
        login: Any, world: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import do_create_measure

    outsider = world.people["outsider"]
    from uptake.inquiry.actions import do_create_inquiry

    theirs = do_create_inquiry(outsider, title="Ratios", prediction="More")
    do_create_measure(outsider, theirs, sections=[world.other_section], name="Quiz",
                      kind="score", scale_min=0, scale_max=10)
    rows = login(world.people["coordinator"]).get(reverse("inquiry:results")).context["rows"]
    assert [(r.school, r.measures, r.counts) for r in rows] == [("Birch Middle", 1, None)]


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "other_coordinator"])
def test_it_is_not_there_for_anyone_else(login: Any, world: Any, measured: Any,
                                         persona: str) -> None:
    client = login(world.people[persona])
    if persona == "other_coordinator":
        assert client.get(reverse("inquiry:results")).context["rows"] == []
        return
    assert client.get(reverse("inquiry:results")).status_code == 404
    assert client.get(reverse("inquiry:results_csv")).status_code == 404


def test_it_closes_when_the_researcher_loses_her_role(login: Any, world: Any,
                                                      measured: Any) -> None:
    rosa = world.people["researcher"]
    client = login(rosa)
    assert client.get(reverse("inquiry:results")).status_code == 200
    rosa.roles.all().delete()
    assert client.get(reverse("inquiry:results")).status_code == 404


def test_it_records_each_csv_download(login: Any, world: Any, measured: Any) -> None:
    response = login(world.people["researcher"]).get(reverse("inquiry:results_csv"))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("school,measures,sustained_improvement")
    assert lines[1] == "Cedar Elementary,1,1,0,0,0,0,0"
    event = AuditEvent.objects.get(action="export")
    assert event.actor == world.people["researcher"]
    assert event.details["what"] == "district_results_csv"
