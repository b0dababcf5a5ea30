"""Seen 2 of issue 9: a set's pages show the class's names and take scores, so a team
member who does not teach the class, and a teacher whose assignment to it has ended, get
the same 404 as for a missing set on every page and change; the set's title stays on the
inquiry page, which carries no student identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.models import Team
from uptake.roster.models import TeacherAssignment
from uptake.studentwork.actions import do_add_group, do_add_intervention
from uptake.studentwork.models import WorkScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_set(world: Any, work_set: Any) -> Any:
    """Jamie's set on her class, on an inquiry shared with a team Asha belongs to."""
    team = Team.objects.create(district=world.district, name="Grade 3 PLC")
    team.members.set([world.people["teacher"], world.people["colleague"]])
    work_set.inquiry.team = team
    work_set.inquiry.save(update_fields=["team"])
    return work_set


def _urls(work_set: Any) -> list[tuple[str, str]]:
    group = do_add_group(work_set.created_by, work_set, name="Needs models",
                         next_step="Model one")
    intervention = do_add_intervention(work_set.created_by, group, what="Modelled",
                                       when=dt.date(2026, 10, 6))
    return [("get", reverse("studentwork:detail", args=[work_set.pk])),
            ("post", reverse("studentwork:scores", args=[work_set.pk])),
            ("post", reverse("studentwork:group_add", args=[work_set.pk])),
            ("post", reverse("studentwork:assign", args=[work_set.pk])),
            ("post", reverse("studentwork:intervention_add", args=[group.pk])),
            ("post", reverse("studentwork:outcome", args=[intervention.pk]))]


def _refused_everywhere(client: Any, work_set: Any, kid: Any) -> None:
    for method, url in _urls(work_set):
        assert getattr(client, method)(url).status_code == 404, url
    client.post(reverse("studentwork:scores", args=[work_set.pk]),
                {f"score-{kid.pk}": work_set.levels.first().pk})
    assert not WorkScore.objects.filter(sample_set=work_set).exists()
    listing = client.get(reverse("studentwork:list")).content.decode()
    assert work_set.title not in listing


def test_it_refuses_a_team_member_who_does_not_teach_the_class(
        world: Any, team_set: Any, login: Any) -> None:
    _refused_everywhere(login(world.people["colleague"]), team_set, world.students[0])


def test_it_shows_her_the_set_s_title_on_the_inquiry_page_only(
        world: Any, team_set: Any, login: Any) -> None:
    page = login(world.people["colleague"]).get(
        reverse("inquiry:detail", args=[team_set.inquiry.pk])).content.decode()
    assert team_set.title in page
    assert reverse("studentwork:detail", args=[team_set.pk]) not in page  # no dead link
    assert world.students[0].given_name not in page
    jamies = login(world.people["teacher"]).get(
        reverse("inquiry:detail", args=[team_set.inquiry.pk])).content.decode()
    assert reverse("studentwork:detail", args=[team_set.pk]) in jamies


def test_it_refuses_the_teacher_once_her_assignment_to_the_class_has_ended(
        world: Any, work_set: Any, login: Any) -> None:
    TeacherAssignment.objects.filter(section=world.section, teacher=world.people["teacher"]
                                     ).update(end_date=dt.date(2020, 6, 30))
    _refused_everywhere(login(world.people["teacher"]), work_set, world.students[0])


def test_it_lets_the_class_s_current_teacher_in(world: Any, team_set: Any, login: Any
                                                ) -> None:
    page = login(world.people["teacher"]).get(
        reverse("studentwork:detail", args=[team_set.pk]) + "?step=score")
    assert page.status_code == 200 and world.students[0].given_name in page.content.decode()


def test_it_refuses_her_scores_and_groups_even_through_the_actions(
        world: Any, team_set: Any) -> None:
    from uptake.studentwork.actions import StudentWorkRuleError, do_assign, do_score

    asha, kid = world.people["colleague"], world.students[0]
    with pytest.raises(StudentWorkRuleError, match="current teacher of this class"):
        do_score(asha, team_set, {kid.pk: team_set.levels.first().pk})
    with pytest.raises(StudentWorkRuleError, match="current teacher of this class"):
        do_assign(asha, team_set, {kid.pk: None})
    assert not WorkScore.objects.filter(sample_set=team_set).exists()


def test_it_refuses_a_set_on_a_class_she_does_not_teach(world: Any, team_set: Any) -> None:
    from uptake.studentwork.actions import StudentWorkRuleError, do_create_set

    with pytest.raises(StudentWorkRuleError, match="current teacher of this class"):
        do_create_set(world.people["colleague"], team_set.inquiry, section=world.section,
                      title="Asha's look", when=dt.date(2026, 10, 9), rubric="a\nb")
