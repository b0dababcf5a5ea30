"""Sharing an inquiry records the owner's consent (a grant); whether the person reads it is
decided at every read by who she is now: a coach or leader at a school where the owner
works. Per-student rows go only to the class's school staff and the district's
coordinators, whoever else may read the inquiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant, Role, RoleAssignment, User
from uptake.inquiry.actions import (
    InquiryRuleError,
    do_create_team,
    do_share_inquiry,
    do_update_inquiry,
)
from uptake.inquiry.tests.conftest import fill


@pytest.fixture
def filled(world: Any, measure: Any) -> Any:
    fill(world.people["teacher"], measure, world.section,
         [40, 42, 41, 43, 40, 42, 41, 43, 55, 57, 58, 60],
         world.students)
    return measure


def _move(person: User, role: str, school: Any) -> None:
    """What a roster import does when a coach or leader changes school."""
    RoleAssignment.objects.filter(user=person, role=role).update(school=school)


def _other_schools_leader(world: Any) -> User:
    leader = User.objects.create_user(email="bea@maple.test", first_name="Bea",
                                      last_name="Birch", district=world.district)
    RoleAssignment.objects.create(user=leader, district=world.district, school=world.birch,
                                  role=Role.SCHOOL_LEADER)
    return leader


def _pages(inquiry: Any, measure: Any) -> list[str]:
    return [reverse("inquiry:detail", args=[inquiry.pk]),
            reverse("inquiry:study", args=[measure.pk]),
            reverse("inquiry:cycle", args=[inquiry.cycles.get().pk])]


def test_it_stops_showing_a_shared_inquiry_to_a_coach_moved_to_another_school(
        world: Any, login: Any, inquiry: Any, filled: Any) -> None:
    coach = world.people["coach"]
    do_share_inquiry(world.people["teacher"], inquiry, coach, share=True)
    client = login(coach)
    study = client.get(reverse("inquiry:study", args=[filled.pk])).content.decode()
    assert world.students[0].pseudonym in study

    _move(coach, Role.COACH, world.birch)
    client = login(User.objects.get(pk=coach.pk))
    for url in _pages(inquiry, filled):
        assert client.get(url).status_code == 404, url
    assert inquiry.title not in client.get("/").content.decode()
    assert inquiry.title not in client.get(reverse("inquiry:list")).content.decode()

    # The consent is still on record: back at the teacher's school, she reads it again.
    _move(coach, Role.COACH, world.cedar)
    assert login(User.objects.get(pk=coach.pk)).get(_pages(inquiry, filled)[0]) \
        .status_code == 200


def test_it_refuses_to_share_an_inquiry_with_a_leader_of_another_school(
        world: Any, login: Any, inquiry: Any, filled: Any) -> None:
    leader = _other_schools_leader(world)
    owner = login(world.people["teacher"])
    form = owner.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert "Bea Birch" not in form and "Cora Coach" in form
    response = owner.post(reverse("inquiry:share", args=[inquiry.pk]),
                          {"person": leader.pk, "share": "1"}, follow=True)
    assert "only with a coach or school leader at a school where you work" in \
        response.content.decode()
    with pytest.raises(InquiryRuleError, match="not a coach or school leader at your school"):
        do_share_inquiry(world.people["teacher"], inquiry, leader, share=True)
    assert not Grant.objects.exists()


def test_a_grant_to_a_leader_of_another_school_opens_nothing(
        world: Any, login: Any, inquiry: Any, filled: Any) -> None:
    leader = _other_schools_leader(world)
    Grant.objects.create(district=world.district, content_type=content_type_of(inquiry),
                         object_id=inquiry.pk, grantee=leader, reason="coaching")
    client = login(leader)
    for url in _pages(inquiry, filled):
        response = client.get(url)
        assert response.status_code == 404, url
        assert world.students[0].pseudonym not in response.content.decode()


def test_it_shows_the_owner_a_share_that_has_lapsed(world: Any, login: Any,
                                                   inquiry: Any) -> None:
    coach = world.people["coach"]
    do_share_inquiry(world.people["teacher"], inquiry, coach, share=True)
    owner = login(world.people["teacher"])
    page = owner.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert "Cora Coach, since" in page and "lapsed" not in page
    _move(coach, Role.COACH, world.birch)
    page = owner.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert "Cora Coach, since" in page and "(lapsed: no longer sees it" in page
    # She can still withdraw it; the row stays as history.
    owner.post(reverse("inquiry:share", args=[inquiry.pk]), {"person": coach.pk, "share": "0"})
    grant = Grant.objects.get()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == world.people["teacher"]
    page = owner.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert "Cora Coach, since" not in page


def test_an_expired_grant_opens_nothing_and_sharing_again_renews_it(
        world: Any, login: Any, inquiry: Any) -> None:
    coach = world.people["coach"]
    do_share_inquiry(world.people["teacher"], inquiry, coach, share=True)
    Grant.objects.update(expires_at=timezone.now() - timedelta(days=1))
    url = reverse("inquiry:detail", args=[inquiry.pk])
    assert login(coach).get(url).status_code == 404
    do_share_inquiry(world.people["teacher"], inquiry, coach, share=True)
    assert login(coach).get(url).status_code == 200
    assert Grant.objects.count() == 2 and Grant.objects.filter(withdrawn_at=None).count() == 1


def test_a_deleted_inquiry_leaves_its_grants_withdrawn(world: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import do_delete_inquiry

    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    do_delete_inquiry(world.people["teacher"], inquiry)
    assert Grant.objects.get().withdrawn_at is not None


def test_a_team_member_from_another_school_sees_no_student_rows(
        world: Any, login: Any, inquiry: Any, filled: Any) -> None:
    team = do_create_team(world.people["teacher"], name="Cross-school PLC", kind="plc",
                          school=None, members=[world.people["outsider"]])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    page = login(world.people["outsider"]).get(
        reverse("inquiry:study", args=[filled.pk])).content.decode()
    # The class-level chart and verdict stay (the before/after is held back here only
    # because four points after the change are "not enough data").
    assert "Run chart of 12 points" in page and "Verdict:" in page
    assert world.students[0].pseudonym not in page
    assert "Growth by student group" not in page
    assert "shown to the class's teachers, the school's staff" in page


@pytest.mark.parametrize(("persona", "rows"), [
    ("teacher", True), ("colleague", True), ("coach", True), ("leader", True),
    ("coordinator", True), ("outsider", False), ("assessor", False), ("researcher", False),
    ("other_coordinator", False),
])
def test_one_rule_says_who_sees_a_classs_student_rows(world: Any, persona: str,
                                                      rows: bool) -> None:
    from uptake.roster.access import may_see_student_rows

    assert may_see_student_rows(world.people[persona], world.section) is rows
