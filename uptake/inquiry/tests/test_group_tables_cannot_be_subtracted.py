"""The study page's group tables hold their suppression together: the all-classes table
and one class's table do not give a group hidden in another class by subtraction, and a
page showing one class alone hides the same groups as the page showing it beside others.

Jamie (the teacher) has 3 English learners among 23 students in Room 12; Asha (her team
colleague) has 10 among 25 in Room 14. Cora (the coach) has the inquiry shared with her.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.tests.conftest import fill


def _student(world: Any, section: Any, key: str, *, english_learner: bool) -> Any:
    from uptake.roster.models import Enrollment, Student

    kid = Student.objects.create(district=world.district, school=world.cedar, sourced_id=key,
                                 given_name=key, family_name="Kid",
                                 english_learner=english_learner)
    Enrollment.objects.create(section=section, student=kid)
    return kid


@pytest.fixture
def page(world: Any, inquiry: Any, measure: Any) -> Any:
    """Room 12 (3 EL of 23) and Room 14 (10 EL of 25) on one measure of a team inquiry."""
    from uptake.inquiry.actions import (
        do_create_team,
        do_share_inquiry,
        do_update_inquiry,
        do_update_measure,
    )
    from uptake.roster.models import Section, TeacherAssignment

    teacher, colleague = world.people["teacher"], world.people["colleague"]
    team = do_create_team(teacher, name="PLC", kind="plc", school=world.cedar,
                          members=[colleague])
    do_update_inquiry(teacher, inquiry, team=team)
    do_share_inquiry(teacher, inquiry, world.people["coach"], share=True)
    for i, s in enumerate(world.students):
        s.english_learner = i < 3
        s.save()
    mine = list(world.students) + [_student(world, world.section, f"a-{i}",
                                            english_learner=False) for i in range(11)]
    room14 = Section.objects.create(district=world.district, school=world.cedar,
                                    sourced_id="cls-3b", title="Grade 3 ELA - Room 14")
    TeacherAssignment.objects.create(section=room14, teacher=colleague)
    hers = [_student(world, room14, f"b-{i}", english_learner=i < 10) for i in range(25)]
    do_update_measure(colleague, measure, add_sections=[room14])
    fill(teacher, measure, world.section, [50] * 8 + [52] * 8, mine)
    fill(colleague, measure, room14, [60] * 8 + [62] * 8, hers)
    return measure


def _groups(html: str, heading: str) -> dict[str, str]:
    """The English-learner rows of one block's group table: group -> what is shown."""
    html = re.sub(r">\s+<", "><", html)
    block = html.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]
    table = block.split("Growth by student group", 1)[1]
    rows = re.findall(r"English learners</th><td>([^<]+)</td>(.*?)</tr>", table)
    return {group: re.sub(r"<[^>]+>", " ", cells).split()[0] for group, cells in rows}


@pytest.mark.parametrize("persona", ["teacher", "colleague", "coach"])
def test_it_does_not_let_the_all_classes_table_minus_one_class_give_a_hidden_group(
        world: Any, login: Any, page: Any, persona: str) -> None:
    html = login(world.people[persona]).get(
        reverse("inquiry:study", args=[page.pk])).content.decode()
    assert _groups(html, "Grade 3 ELA - Room 12") == {"No": "hidden", "Yes": "hidden"}
    assert _groups(html, "Grade 3 ELA - Room 14") == {"No": "15", "Yes": "10"}
    # 13 together minus Room 14's 10 would be Room 12's 3.
    assert _groups(html, "All classes together") == {"No": "hidden", "Yes": "hidden"}


def test_it_says_groups_are_hidden_to_protect_small_groups_not_why_each_one_is(
        world: Any, login: Any, page: Any) -> None:
    html = login(world.people["colleague"]).get(
        reverse("inquiry:study", args=[page.pk])).content.decode()
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html.split("Growth by student group", 1)[1],
                        re.S)
    hidden = re.findall(r'<td colspan="2">([^<]*)</td>', "".join(bodies))
    assert hidden and set(hidden) == {"hidden to protect small groups"}
    assert "fewer than" not in "".join(bodies)
    assert "Some groups are hidden to protect small groups" in html


def test_it_hides_the_same_groups_of_a_class_on_a_page_that_shows_it_alone(
        world: Any, login: Any, inquiry: Any, page: Any) -> None:
    # Another measure on Room 12 alone, with the same students' scores: its table hides
    # what the two-class page hides, so the two pages cannot be set against each other.
    from uptake.inquiry.actions import do_create_measure
    from uptake.inquiry.tests.conftest import weekly
    from uptake.roster.models import Student

    teacher = world.people["teacher"]
    alone = do_create_measure(teacher, inquiry, sections=[world.section], name="Quiz",
                              kind="score", scale_min=0, scale_max=100, direction="up",
                              change_date=weekly(9)[8])
    fill(teacher, alone, world.section, [50] * 8 + [52] * 8,
         list(Student.objects.filter(enrollments__section=world.section).order_by("pk")))
    client = login(world.people["coach"])
    both = client.get(reverse("inquiry:study", args=[page.pk])).content.decode()
    one = client.get(reverse("inquiry:study", args=[alone.pk])).content.decode()
    assert "All classes together" not in one
    assert (_groups(one, "Grade 3 ELA - Room 12") == _groups(both, "Grade 3 ELA - Room 12")
            == {"No": "hidden", "Yes": "hidden"})


def test_it_withholds_every_group_of_a_class_too_small_to_split(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    # Four students with a first and a last score, all in one group: the table would say
    # "No" (hidden) beside a class of four, which is the four of them.
    for s in world.students[:4]:
        s.english_learner = False
        s.save()
    fill(world.people["teacher"], measure, world.section, [50] * 8 + [52] * 8, world.students[:4])
    html = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    table = re.sub(r">\s+<", "><", html.split("Growth by student group", 1)[1])
    assert "English learners</th><td>all groups</td>" in table
    assert "<td>No</td>" not in table


def test_it_shows_a_lapsed_coach_no_group_table(world: Any, login: Any, page: Any) -> None:
    # Access that has lapsed reaches nothing of the page: the inquiry unshared.
    from uptake.inquiry.actions import do_share_inquiry

    do_share_inquiry(world.people["teacher"], page.inquiry, world.people["coach"], share=False)
    response = login(world.people["coach"]).get(reverse("inquiry:study", args=[page.pk]))
    assert response.status_code == 404
