"""Deleting an inquiry (its owner), a measure (its editors) and a data point (a teacher of
the class): a confirmation page that says exactly what goes, then POST deletes, audited."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.actions import (
    InquiryRuleError,
    do_create_measure,
    do_create_team,
    do_delete_inquiry,
    do_delete_measure,
    do_share_inquiry,
    do_update_inquiry,
)
from uptake.inquiry.models import Inquiry, Measure, Occasion, StudentValue
from uptake.inquiry.tests.conftest import fill


@pytest.fixture
def with_data(world: Any, inquiry: Any, measure: Any) -> Any:
    """Three weekly occasions of 12 students; one student absent on the first."""
    fill(world.people["teacher"], measure, world.section, [50, 60, 70], world.students)
    first = Occasion.objects.filter(measure=measure).order_by("date").first()
    assert first is not None
    StudentValue.objects.filter(occasion=first, student=world.students[0]).update(value=None)
    return measure


@pytest.fixture
def links(world: Any, inquiry: Any) -> None:
    """A piece of evidence and a learning source linked to the inquiry."""
    from uptake.evidence.models import Artifact
    from uptake.learning.actions import SourceFields, do_add_source

    Artifact.objects.create(district=world.district, owner=world.people["teacher"],
                            kind="text", title="Anchor chart", guskey_level=4,
                            identifies_students=False, body="notes", inquiry=inquiry)
    do_add_source(owner=world.people["teacher"], fields=SourceFields(
        kind="book", title="Making Number Talks Matter", learned_on=date(2026, 8, 20),
        inquiries=(inquiry,)))


@pytest.fixture
def team_inquiry(world: Any, inquiry: Any) -> Any:
    team = do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["colleague"]])
    return do_update_inquiry(world.people["teacher"], inquiry, team=team)


def _occasion(measure: Any) -> Any:
    return Occasion.objects.filter(measure=measure).order_by("date").first()


# ------------------------------------------------------------------------------ access

PERSONAS = ["teacher", "colleague", "outsider", "coach", "leader", "other_coordinator"]


@pytest.mark.parametrize(("persona", "shared", "inquiry_page", "measure_page", "point_page"), [
    ("teacher", False, 200, 200, 200),  # the owner, who teaches the class
    ("colleague", False, 404, 200, 404),  # team member: measures yes, not Jamie's class
    ("outsider", False, 404, 404, 404),  # another school
    ("coach", True, 404, 404, 404),  # reads it (shared), never deletes
    ("coach", False, 404, 404, 404),
    ("leader", False, 404, 404, 404),
    ("other_coordinator", False, 404, 404, 404),  # another district
])
def test_it_offers_each_deletion_only_to_those_who_may_delete(
        world: Any, login: Any, team_inquiry: Any, with_data: Any, persona: str,
        shared: bool, inquiry_page: int, measure_page: int, point_page: int) -> None:
    if shared:
        do_share_inquiry(world.people["teacher"], team_inquiry, world.people[persona],
                         share=True)
    client = login(world.people[persona])
    urls = [reverse("inquiry:delete", args=[team_inquiry.pk]),
            reverse("inquiry:measure_delete", args=[with_data.pk]),
            reverse("inquiry:occasion_delete", args=[_occasion(with_data).pk])]
    assert [client.get(u).status_code for u in urls] == [inquiry_page, measure_page,
                                                         point_page]
    for url, allowed in zip(urls, (inquiry_page, measure_page, point_page), strict=True):
        if allowed == 404:
            assert client.post(url).status_code == 404
    assert Inquiry.objects.filter(pk=team_inquiry.pk).exists()
    assert Measure.objects.filter(pk=with_data.pk).exists()
    assert Occasion.objects.filter(measure=with_data).count() == 3


@pytest.fixture
def asha_data(world: Any, team_inquiry: Any, with_data: Any) -> Any:
    """Asha, on Jamie's team, teaches the other class and has one data point of it on the
    measure that holds Jamie's data."""
    from uptake.roster.models import TeacherAssignment

    asha = world.people["colleague"]
    TeacherAssignment.objects.create(section=world.other_section, teacher=asha)
    with_data.sections.add(world.other_section)
    fill(asha, with_data, world.other_section, [3], [])
    return asha


def test_it_lets_a_team_member_delete_a_data_point_of_her_own_class(
        world: Any, login: Any, asha_data: Any, with_data: Any) -> None:
    asha = asha_data
    theirs = Occasion.objects.get(measure=with_data, section=world.other_section)
    r = login(asha).post(reverse("inquiry:occasion_delete", args=[theirs.pk]))
    assert r.status_code == 302
    assert not Occasion.objects.filter(pk=theirs.pk).exists()
    assert Occasion.objects.filter(measure=with_data, section=world.section).count() == 3


def test_a_team_member_cannot_delete_a_measure_holding_a_colleagues_data(
        world: Any, login: Any, team_inquiry: Any, with_data: Any) -> None:
    client = login(world.people["colleague"])
    url = reverse("inquiry:measure_delete", args=[with_data.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "You cannot delete this measure" in page
    assert f"data from 1 class you do not teach ({world.section.title})" in page
    assert "Only the inquiry's owner, Jamie Nguyen, can delete it" in page
    assert "Delete the measure</button>" not in page
    before = AuditEvent.objects.count()
    r = client.post(url)
    assert r.status_code == 403 and "You cannot delete this measure" in r.content.decode()
    assert Occasion.objects.filter(measure=with_data).count() == 3
    assert StudentValue.objects.filter(occasion__measure=with_data).count() == 36
    assert AuditEvent.objects.count() == before
    with pytest.raises(InquiryRuleError, match="you do not teach"):
        do_delete_measure(world.people["colleague"], with_data)
    assert Measure.objects.filter(pk=with_data.pk).exists()


def test_a_team_member_deletes_a_measure_holding_only_her_own_data(
        world: Any, login: Any, team_inquiry: Any) -> None:
    from uptake.roster.models import TeacherAssignment

    asha = world.people["colleague"]
    TeacherAssignment.objects.create(section=world.other_section, teacher=asha)
    hers = do_create_measure(asha, team_inquiry, name="Asha's exit ticket", kind="score",
                             sections=[world.other_section, world.section])
    fill(asha, hers, world.other_section, [3, 4], [])
    r = login(asha).post(reverse("inquiry:measure_delete", args=[hers.pk]))
    assert r.status_code == 302
    assert not Measure.objects.filter(pk=hers.pk).exists()


def test_the_owner_deletes_a_measure_with_her_colleagues_data_on_it(
        world: Any, login: Any, asha_data: Any, with_data: Any) -> None:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:measure_delete", args=[with_data.pk]))
    assert r.status_code == 302
    assert not Occasion.objects.filter(measure_id=with_data.pk).exists()


def test_it_refuses_an_inquiry_deletion_by_anyone_but_its_owner(
        world: Any, team_inquiry: Any) -> None:
    with pytest.raises(InquiryRuleError, match="owner"):
        do_delete_inquiry(world.people["colleague"], team_inquiry)
    assert Inquiry.objects.filter(pk=team_inquiry.pk).exists()


# ---------------------------------------------------------------------- the inquiry


def test_it_says_exactly_what_deleting_an_inquiry_loses(
        world: Any, login: Any, inquiry: Any, with_data: Any, links: None) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:delete", args=[inquiry.pk])).content.decode()
    assert "Delete the inquiry “Math talk in Grade 3”?" in page
    assert "1 PDSA cycle with its plan" in page and "0 Do-log entries" in page
    assert "1 measure</li>" in page
    assert "3 data points (a date of one class)" in page
    assert "36 student values: 35 present, 1 recorded as missing" in page
    assert "Grade 3 ELA - Room 12</th><td class=\"num\">3</td>" in page
    kept = page.split('id="kept-h"', 1)[1]
    assert "1 piece of evidence linked" in kept and "1 learning source that informed" in kept
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()  # GET deletes nothing


def test_it_deletes_an_inquiry_with_its_data_and_keeps_linked_evidence_and_sources(
        world: Any, login: Any, inquiry: Any, with_data: Any, links: None) -> None:
    from uptake.evidence.models import Artifact
    from uptake.learning.models import LearningSource

    r = login(world.people["teacher"]).post(reverse("inquiry:delete", args=[inquiry.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("inquiry:list")
    assert not Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert not StudentValue.objects.exists() and not Measure.objects.exists()
    assert Artifact.objects.get().inquiry is None
    assert not LearningSource.objects.get().inquiries.exists()
    event = AuditEvent.objects.get(action="deletion", object_type="inquiry.Inquiry")
    assert event.object_id == str(inquiry.pk) and event.actor == world.people["teacher"]
    assert "3 data points" in event.summary
    assert event.details["values"] == 35 and event.details["evidence_links"] == 1
    assert set(event.subjects) == {s.pseudonym for s in world.students}


# ----------------------------------------------------------------------- a measure


def test_it_says_what_deleting_a_measure_loses_and_deletes_only_that_measure(
        world: Any, login: Any, inquiry: Any, with_data: Any) -> None:
    other = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                              name="Explained thinking", kind="proportion")
    fill(world.people["teacher"], other, world.section, [4], world.students)
    client = login(world.people["teacher"])
    url = reverse("inquiry:measure_delete", args=[with_data.pk])
    page = client.get(url).content.decode()
    assert "Delete the measure “Exit ticket”?" in page
    assert "3 data points" in page and "35 present, 1 recorded as missing" in page
    assert "PDSA cycle" not in page  # the cycles stay
    r = client.post(url)
    assert r["Location"] == reverse("inquiry:detail", args=[inquiry.pk])
    assert list(Measure.objects.all()) == [other]
    assert Occasion.objects.filter(measure=other).count() == 1
    event = AuditEvent.objects.get(action="deletion")
    assert event.object_type == "inquiry.Measure" and event.details["occasions"] == 3


# --------------------------------------------------------------------- a data point


def test_it_deletes_one_data_point_of_one_class(world: Any, login: Any,
                                                with_data: Any) -> None:
    occasion = _occasion(with_data)
    client = login(world.people["teacher"])
    url = reverse("inquiry:occasion_delete", args=[occasion.pk])
    page = client.get(url).content.decode()
    assert "Delete the data point “Grade 3 ELA - Room 12, 2026-09-07”?" in page
    assert "12 student values: 11 present, 1 recorded as missing" in page
    r = client.post(url)
    assert r["Location"] == reverse("inquiry:measure", args=[with_data.pk])
    assert not Occasion.objects.filter(pk=occasion.pk).exists()
    assert Occasion.objects.filter(measure=with_data).count() == 2
    assert StudentValue.objects.count() == 24
    event = AuditEvent.objects.get(action="deletion")
    assert event.object_type == "inquiry.Occasion"
    assert "2026-09-07" in event.summary and len(event.subjects) == 12


def test_it_names_the_class_total_a_deleted_point_held(world: Any, login: Any,
                                                       inquiry: Any) -> None:
    measure = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                                name="Explained thinking", kind="proportion")
    fill(world.people["teacher"], measure, world.section, [7], world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:occasion_delete", args=[_occasion(measure).pk])).content.decode()
    assert "the class total (7 of 12)" in page


def test_it_links_each_deletion_from_the_pages_it_concerns(
        world: Any, login: Any, inquiry: Any, with_data: Any) -> None:
    client = login(world.people["teacher"])
    detail = client.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert reverse("inquiry:delete", args=[inquiry.pk]) in detail
    measure_page = client.get(reverse("inquiry:measure", args=[with_data.pk])).content.decode()
    occasion = _occasion(with_data)
    assert reverse("inquiry:measure_delete", args=[with_data.pk]) in measure_page
    assert reverse("inquiry:occasion_delete", args=[occasion.pk]) in measure_page
    entry = client.get(reverse("inquiry:occasion", args=[occasion.pk])).content.decode()
    assert reverse("inquiry:occasion_delete", args=[occasion.pk]) in entry


def test_it_hides_the_inquiry_deletion_link_from_a_team_member(
        world: Any, login: Any, team_inquiry: Any) -> None:
    page = login(world.people["colleague"]).get(
        reverse("inquiry:detail", args=[team_inquiry.pk])).content.decode()
    assert "Edit inquiry" in page
    assert reverse("inquiry:delete", args=[team_inquiry.pk]) not in page
