from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.models import Team
from uptake.studentwork.models import (
    GroupMember,
    Intervention,
    StudentGroup,
    WorkSampleSet,
    WorkScore,
)

pytestmark = pytest.mark.django_db


def _levels(work_set: Any) -> list[Any]:
    return list(work_set.levels.all())


def test_it_creates_a_set_with_an_ordered_rubric(world: Any, login: Any) -> None:
    from uptake.inquiry.models import Inquiry

    inquiry = Inquiry.objects.create(district=world.district, owner=world.people["teacher"],
                                     title="Talk")
    response = login(world.people["teacher"]).post(
        reverse("studentwork:new", args=[inquiry.pk]),
        {"title": "Task 1", "date": "2026-10-01", "section": world.section.pk,
         "rubric": "Not yet: no reasoning\nPartly: some\nFully: all steps"})
    assert response.status_code == 302
    work_set = WorkSampleSet.objects.get(inquiry=inquiry)
    assert [(lv.position, lv.label) for lv in work_set.levels.all()] == [
        (1, "Not yet"), (2, "Partly"), (3, "Fully")]


@pytest.mark.parametrize(("rubric", "message"), [
    ("Only one level", "at least two levels"),
    ("A\nA", "same name"),
    (": no name", "Rubric line 1"),
])
def test_it_refuses_a_bad_rubric_and_saves_nothing(world: Any, login: Any, rubric: str,
                                                   message: str) -> None:
    from uptake.inquiry.models import Inquiry

    inquiry = Inquiry.objects.create(district=world.district, owner=world.people["teacher"],
                                     title="Talk")
    response = login(world.people["teacher"]).post(
        reverse("studentwork:new", args=[inquiry.pk]),
        {"title": "Task", "date": "2026-10-01", "section": world.section.pk, "rubric": rubric})
    assert response.status_code == 400 and message in response.content.decode()
    assert not WorkSampleSet.objects.filter(inquiry=inquiry).exists()


def test_it_refuses_a_class_the_teacher_does_not_teach(world: Any, login: Any) -> None:
    from uptake.inquiry.models import Inquiry

    inquiry = Inquiry.objects.create(district=world.district, owner=world.people["teacher"],
                                     title="Talk")
    response = login(world.people["teacher"]).post(
        reverse("studentwork:new", args=[inquiry.pk]),
        {"title": "T", "date": "2026-10-01", "section": world.other_section.pk,
         "rubric": "a\nb"})
    assert response.status_code == 400 and "classes you teach" in response.content.decode()


def test_it_scores_with_missing_allowed_and_audits_the_names_shown(
        world: Any, work_set: Any, login: Any) -> None:
    low, mid, _ = _levels(work_set)
    kids = world.students
    client = login(world.people["teacher"])
    client.post(reverse("studentwork:scores", args=[work_set.pk]),
                {f"score-{kids[0].pk}": low.pk, f"score-{kids[1].pk}": mid.pk,
                 f"score-{kids[2].pk}": ""})
    scores = {s.student_id: s.level_id for s in WorkScore.objects.all()}
    assert scores == {kids[0].pk: low.pk, kids[1].pk: mid.pk, kids[2].pk: None}
    page = client.get(reverse("studentwork:detail", args=[work_set.pk]) + "?step=score")
    assert "Cedar, Kid0" in page.content.decode()
    read = AuditEvent.objects.filter(action="student_data_read").latest("at")
    assert kids[0].pseudonym in read.subjects and len(read.subjects) == 12


def test_it_refuses_a_score_for_a_stranger_or_another_rubric(
        world: Any, work_set: Any, login: Any) -> None:
    from uptake.roster.models import Student

    stranger = Student.objects.create(district=world.district, sourced_id="x", given_name="X",
                                      family_name="Y")
    client = login(world.people["teacher"])
    low = _levels(work_set)[0]
    response = client.post(reverse("studentwork:scores", args=[work_set.pk]),
                           {f"score-{world.students[0].pk}": low.pk,
                            f"score-{stranger.pk}": low.pk}, follow=True)
    assert "not in the class" in response.content.decode()
    response = client.post(reverse("studentwork:scores", args=[work_set.pk]),
                           {f"score-{world.students[0].pk}": 999999}, follow=True)
    assert "not one of this rubric" in response.content.decode()
    assert not WorkScore.objects.exists()


def test_it_groups_students_and_tracks_interventions_and_what_followed(
        world: Any, work_set: Any, login: Any) -> None:
    low, mid, high = _levels(work_set)
    kids = world.students
    client = login(world.people["teacher"])
    client.post(reverse("studentwork:scores", args=[work_set.pk]),
                {f"score-{kids[0].pk}": low.pk, f"score-{kids[1].pk}": low.pk,
                 f"score-{kids[2].pk}": high.pk})
    client.post(reverse("studentwork:group_add", args=[work_set.pk]),
                {"name": "Unit fractions", "next_step": "Fold paper strips into equal parts"})
    client.post(reverse("studentwork:group_add", args=[work_set.pk]),
                {"name": "Extend", "next_step": "Compare fractions on two lines"})
    unit, extend = StudentGroup.objects.order_by("pk")
    client.post(reverse("studentwork:assign", args=[work_set.pk]),
                {f"group-{kids[0].pk}": unit.pk, f"group-{kids[1].pk}": unit.pk,
                 f"group-{kids[2].pk}": extend.pk, f"group-{kids[3].pk}": ""})
    assert set(unit.members.values_list("student_id", flat=True)) == {kids[0].pk, kids[1].pk}
    # Moving a student to the other group keeps her in exactly one.
    client.post(reverse("studentwork:assign", args=[work_set.pk]),
                {f"group-{kids[1].pk}": extend.pk})
    assert GroupMember.objects.get(student=kids[1]).group == extend
    client.post(reverse("studentwork:intervention_add", args=[unit.pk]),
                {"what": "Small-group lesson with strips", "when": "2026-10-07"})
    intervention = Intervention.objects.get()
    response = client.post(reverse("studentwork:outcome", args=[intervention.pk]),
                           {"outcome_date": "2026-10-14", "outcome": "Placed unit fractions",
                            f"rescore-{kids[0].pk}": mid.pk})
    assert response.status_code == 302
    url = reverse("studentwork:detail", args=[work_set.pk])
    page = client.get(url + "?step=outcome").content.decode()
    assert "Small-group lesson with strips" in page and "Placed unit fractions" in page
    page = client.get(url).content.decode()
    tracking = page[page.index('id="tracking-h"'):]
    assert '<td class="num">1</td><td class="num">1</td>' in tracking  # re-scored, moved up


@pytest.mark.parametrize(("data", "message"), [
    ({"outcome_date": "2026-10-01", "outcome": "x"}, "cannot come before"),
    ({"outcome_date": "2026-10-20", "outcome": " "}, "Describe what followed"),
    ({"outcome_date": "nope", "outcome": "x"}, "YYYY-MM-DD"),
])
def test_it_refuses_a_bad_outcome(world: Any, work_set: Any, login: Any,
                                  data: dict[str, str], message: str) -> None:
    import datetime as dt

    from uptake.studentwork.actions import do_add_group, do_add_intervention

    group = do_add_group(world.people["teacher"], work_set, name="G", next_step="S")
    intervention = do_add_intervention(world.people["teacher"], group, what="W",
                                       when=dt.date(2026, 10, 7))
    response = login(world.people["teacher"]).post(
        reverse("studentwork:outcome", args=[intervention.pk]), data, follow=True)
    assert message in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.outcome == ""


@pytest.mark.parametrize(("persona", "status"), [
    ("teacher", 200), ("colleague", 404), ("outsider", 404), ("coach", 404),
    ("coordinator", 404), ("other_coordinator", 404),
])
def test_it_shows_names_only_to_the_inquirys_editors(
        world: Any, work_set: Any, login: Any, persona: str, status: int) -> None:
    response = login(world.people[persona]).get(
        reverse("studentwork:detail", args=[work_set.pk]))
    assert response.status_code == status


def test_it_lets_a_team_member_who_co_teaches_the_class_in(world: Any, work_set: Any,
                                                          login: Any) -> None:
    from uptake.roster.models import TeacherAssignment

    TeacherAssignment.objects.create(section=world.section, teacher=world.people["colleague"])
    team = Team.objects.create(district=world.district, name="Grade 3 PLC")
    team.members.set([world.people["teacher"], world.people["colleague"]])
    work_set.inquiry.team = team
    work_set.inquiry.save()
    response = login(world.people["colleague"]).get(
        reverse("studentwork:detail", args=[work_set.pk]))
    assert response.status_code == 200


def test_it_sends_anonymous_visitors_to_sign_in(work_set: Any, client: Any) -> None:
    response = client.get(reverse("studentwork:detail", args=[work_set.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
