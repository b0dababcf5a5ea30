"""Reviews of a plan are logged with a coach, a leader at the teacher's school or a
coordinator — by the teacher, or by a reviewer she shared the plan with. Sharing and
reviews are audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.grants import live_grant
from uptake.accounts.models import Role
from uptake.audit.models import AuditAction, AuditEvent
from uptake.learning import actions
from uptake.learning.models import PlanReview

from .conftest import _person_at

pytestmark = pytest.mark.django_db


def _review(**overrides: Any) -> dict[str, Any]:
    data = {"reviewed_on": timezone.localdate().isoformat(),
            "notes": "Looked at the talk tallies together.", "next_steps": "Observe again."}
    data.update(overrides)
    return data


def test_it_logs_a_review_the_teacher_had_with_her_principal(login: Any, world: Any,
                                                             plan: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:review_new", args=[plan.pk]),
                           _review(reviewer=world.people["leader"].pk))
    assert response.status_code == 302
    review = PlanReview.objects.get(plan=plan)
    assert review.reviewer == world.people["leader"]
    assert review.logged_by == world.people["teacher"]
    event = AuditEvent.objects.get(action=AuditAction.PLAN_REVIEWED)
    assert event.object_id == str(plan.pk) and event.district == world.district
    page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "Looked at the talk tallies together." in page and "Lee Principal" in page


def test_it_lets_a_coach_she_shared_with_log_her_own_review(login: Any, world: Any,
                                                            plan: Any) -> None:
    coach = world.people["coach"]
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=coach)
    client = login(coach)
    page = client.get(reverse("learning:review_new", args=[plan.pk])).content.decode()
    assert 'name="reviewer"' not in page  # she logs her own review
    response = client.post(reverse("learning:review_new", args=[plan.pk]), _review())
    assert response.status_code == 302
    assert PlanReview.objects.get(plan=plan).reviewer == coach


@pytest.mark.parametrize("who", ["colleague", "birch_leader", "other_coordinator"])
def test_it_refuses_a_reviewer_who_is_not_the_teachers_coach_leader_or_coordinator(
        login: Any, world: Any, plan: Any, who: str) -> None:
    person = (_person_at(world, "bo@maple.test", Role.SCHOOL_LEADER, world.birch)
              if who == "birch_leader" else world.people[who])
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:review_new", args=[plan.pk]),
                           _review(reviewer=person.pk))
    assert response.status_code == 400 and 'href="#id_reviewer"' in response.content.decode()
    with pytest.raises(actions.LearningRuleError):
        actions.do_log_review(plan, actor=world.people["teacher"], reviewer=person,
                              reviewed_on=timezone.localdate(), notes="n")
    assert not PlanReview.objects.exists()


def test_it_refuses_a_review_dated_in_the_future(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("learning:review_new", args=[plan.pk]),
                           _review(reviewer=world.people["coach"].pk, reviewed_on=tomorrow))
    assert response.status_code == 400 and "after it has taken place" in response.content.decode()


def test_it_keeps_a_coach_without_sharing_from_logging_reviews(login: Any, world: Any,
                                                               plan: Any) -> None:
    client = login(world.people["coach"])
    response = client.post(reverse("learning:review_new", args=[plan.pk]), _review())
    assert response.status_code == 404
    with pytest.raises(actions.LearningRuleError):
        actions.do_log_review(plan, actor=world.people["coach"],
                              reviewer=world.people["coach"],
                              reviewed_on=timezone.localdate(), notes="n")


def test_it_audits_sharing_and_unsharing(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    coordinator = world.people["coordinator"]
    client.post(reverse("learning:plan_share", args=[plan.pk]), {"reviewer": coordinator.pk})
    assert live_grant(plan, coordinator) is not None
    client.post(reverse("learning:plan_unshare", args=[plan.pk, coordinator.pk]))
    assert live_grant(plan, coordinator) is None
    events = list(AuditEvent.objects.filter(object_type="learning.LearningPlan",
                                            object_id=str(plan.pk))
                  .order_by("at", "pk").values_list("action", flat=True))
    assert events == [AuditAction.PLAN_SHARED, AuditAction.PLAN_UNSHARED]


def test_it_lets_a_coordinator_she_shared_with_read_the_whole_plan(login: Any, world: Any,
                                                                   plan: Any) -> None:
    actions.do_share_plan(plan, actor=world.people["teacher"],
                          reviewer=world.people["coordinator"])
    client = login(world.people["coordinator"])
    page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "Private focus words" in page
