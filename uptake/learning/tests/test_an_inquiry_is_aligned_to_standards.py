"""An inquiry is aligned to framework elements, directly or through the plan goals that
cite it; only those who may edit it align it, and only to their own district's elements."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.actions import do_create_inquiry
from uptake.learning import actions
from uptake.learning.actions import LearningRuleError, do_align_inquiry
from uptake.learning.models import FrameworkElement
from uptake.learning.queries import elements_of_inquiry, inquiry_ids_by_element
from uptake.learning.tests.conftest import element, goal_fields


@pytest.fixture
def inquiry(world: Any) -> Any:
    return do_create_inquiry(world.people["teacher"], title="Math talk")


def test_the_owner_aligns_her_inquiry_and_it_is_audited(world: Any, inquiry: Any) -> None:
    teacher = world.people["teacher"]
    da, ld = element(world.district, "DA"), element(world.district, "LD")
    do_align_inquiry(teacher, inquiry, [da, ld])
    assert elements_of_inquiry(inquiry.pk) == {da.pk, ld.pk}
    event = AuditEvent.objects.filter(action="inquiry_changed").latest("pk")
    assert "aligned to" in event.summary and event.details["elements"] == sorted([da.pk,
                                                                                  ld.pk])
    do_align_inquiry(teacher, inquiry, [ld])
    assert elements_of_inquiry(inquiry.pk) == {ld.pk}


def test_a_team_member_may_align_the_teams_inquiry(world: Any, team_inquiry: Any) -> None:
    da = element(world.district, "DA")
    do_align_inquiry(world.people["teacher"], team_inquiry, [da])  # Jamie is on Asha's team
    assert elements_of_inquiry(team_inquiry.pk) == {da.pk}


@pytest.mark.parametrize("who", ["colleague", "coach", "leader", "coordinator"])
def test_someone_who_may_not_edit_the_inquiry_cannot_align_it(world: Any, inquiry: Any,
                                                              who: str) -> None:
    with pytest.raises(LearningRuleError, match="owner and its team"):
        do_align_inquiry(world.people[who], inquiry, [element(world.district, "DA")])
    assert elements_of_inquiry(inquiry.pk) == set()


def test_an_element_of_another_district_is_refused(world: Any, inquiry: Any) -> None:
    from uptake.learning.actions import do_seed_frameworks

    do_seed_frameworks(world.other_district)
    theirs = FrameworkElement.objects.filter(framework__district=world.other_district).first()
    assert theirs is not None
    with pytest.raises(LearningRuleError, match="own district") as refused:
        do_align_inquiry(world.people["teacher"], inquiry, [theirs])
    assert refused.value.field == "elements"
    assert elements_of_inquiry(inquiry.pk) == set()


def test_an_element_an_inquiry_aligns_to_is_retired_not_deleted(world: Any,
                                                                inquiry: Any) -> None:
    teacher = world.people["teacher"]
    da, ld = element(world.district, "DA"), element(world.district, "LD")
    do_align_inquiry(teacher, inquiry, [da, ld])
    assert actions.do_remove_element(ld, actor=world.people["coordinator"]) == "retired"
    ld.refresh_from_db()
    do_align_inquiry(teacher, inquiry, [da, ld])  # kept where it was aligned already
    assert elements_of_inquiry(inquiry.pk) == {da.pk, ld.pk}
    other = do_create_inquiry(teacher, title="Another")
    with pytest.raises(LearningRuleError, match="retired"):
        do_align_inquiry(teacher, other, [ld])


def test_goals_that_cite_the_inquiry_align_it_too(world: Any, plan: Any,
                                                 inquiry: Any) -> None:
    teacher = world.people["teacher"]
    goal = plan.goals.get()  # aligned to DA
    actions.do_update_goal(goal, actor=teacher, fields=goal_fields(
        elements=(element(world.district, "DA"),), inquiries=(inquiry,)))
    ld = element(world.district, "LD")
    do_align_inquiry(teacher, inquiry, [ld])
    da = element(world.district, "DA")
    assert elements_of_inquiry(inquiry.pk) == {da.pk, ld.pk}
    other = do_create_inquiry(teacher, title="Not aligned")
    by_element = inquiry_ids_by_element(world.district.pk)
    assert by_element == {da.pk: {inquiry.pk}, ld.pk: {inquiry.pk}}
    assert other.pk not in set().union(*by_element.values())
    assert inquiry_ids_by_element(world.other_district.pk) == {}


def test_a_goal_of_someone_who_left_the_team_no_longer_aligns_it(
        world: Any, team_inquiry: Any) -> None:
    from uptake.inquiry.actions import do_leave_team
    from uptake.learning.tests.conftest import this_year

    jamie = world.people["teacher"]
    made = actions.do_create_plan(owner=jamie, title="Talk", start_year=this_year(),
                                  end_year=this_year() + 2)
    actions.do_add_goal(made, actor=jamie, fields=goal_fields(
        elements=(element(world.district, "DA"),), inquiries=(team_inquiry,)))
    da = element(world.district, "DA")
    assert elements_of_inquiry(team_inquiry.pk) == {da.pk}
    assert inquiry_ids_by_element(world.district.pk) == {da.pk: {team_inquiry.pk}}
    assert team_inquiry.team is not None
    do_leave_team(jamie, team_inquiry.team)
    assert elements_of_inquiry(team_inquiry.pk) == set()
    assert inquiry_ids_by_element(world.district.pk) == {}


def test_the_inquiry_page_offers_the_form_to_its_editors_only(world: Any, login: Any,
                                                             inquiry: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    teacher, coach = world.people["teacher"], world.people["coach"]
    do_share_inquiry(teacher, inquiry, coach, share=True)
    url = reverse("inquiry:detail", args=[inquiry.pk])
    page = login(teacher).get(url).content.decode()
    assert "Standards and practices it works on" in page and "Save alignment" in page
    da = element(world.district, "DA")
    done = login(teacher).post(reverse("learning:inquiry_alignment", args=[inquiry.pk]),
                               {"elements": [da.pk]})
    assert done.status_code == 302 and done["Location"].endswith("#alignment-h")
    assert elements_of_inquiry(inquiry.pk) == {da.pk}
    page = login(coach).get(url).content.decode()
    assert f"{da.code} {da.title}" in page and "Save alignment" not in page
    refused = login(coach).post(reverse("learning:inquiry_alignment", args=[inquiry.pk]),
                                {"elements": []})
    assert refused.status_code in (403, 404)
    assert elements_of_inquiry(inquiry.pk) == {da.pk}


def test_the_form_refuses_another_districts_element(world: Any, login: Any,
                                                   inquiry: Any) -> None:
    from uptake.learning.actions import do_seed_frameworks

    do_seed_frameworks(world.other_district)
    theirs = FrameworkElement.objects.filter(framework__district=world.other_district).first()
    assert theirs is not None
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:inquiry_alignment", args=[inquiry.pk]),
                           {"elements": [theirs.pk]}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert elements_of_inquiry(inquiry.pk) == set()
