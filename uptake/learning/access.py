"""Who may see which learning plans, goals, sources and frameworks.

- A plan, its goals, reviews and the sources linked to it belong to the teacher who owns
  it. She alone edits or deletes them, except a review: whoever logged it (she, or the
  reviewer she shared with) corrects or deletes it, while she may still read the plan.
- She may share a plan with a reviewer: a coach or school leader at one of her schools, or
  a coordinator of her district. Sharing records a grant (``uptake.accounts.grants``,
  reason review); a reviewer she shared with reads the whole plan (goals, reflections on
  linked sources, reviews) and may log a review, for as long as she still holds that role
  (checked at every read); the owner can stop sharing at any time.
- Coordinators see, for every plan in the district, only that it exists and how it is
  going (years, counts of goals by status, hours of learning, when it was last reviewed,
  which standards goals align to) — never goal text, reflections or review notes unless
  the owner shared the plan with them.
- Frameworks are edited by the district's coordinators.
- Nobody crosses districts. Missing and forbidden objects give the same 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.grants import GrantRule, eligible_grantees, granted_q, is_eligible
from uptake.accounts.models import Role, User
from uptake.learning.models import (
    Framework,
    FrameworkElement,
    Goal,
    LearningPlan,
    LearningSource,
    PlanReview,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    Person = User | AnonymousUser

REVIEWER_SCHOOL_ROLES = (Role.COACH, Role.SCHOOL_LEADER)
# A plan is shared with a coach or leader where its owner works now, or a coordinator.
PLAN_GRANTS = GrantRule(school_roles=frozenset(REVIEWER_SCHOOL_ROLES), coordinators=True)


def _signed_in_with_district(user: Person) -> TypeIs[User]:
    return in_a_district(user)


def eligible_reviewers(owner: User) -> QuerySet[User]:
    """Coaches and leaders at the owner's schools and her district's coordinators."""
    return eligible_grantees(owner, PLAN_GRANTS)


def is_eligible_reviewer(person: Person, owner: User) -> bool:
    return is_eligible(person, owner, PLAN_GRANTS)


def plans_granted_to(user: Person) -> QuerySet[LearningPlan]:
    """Plans shared with the person that she may still read (her role may have changed)."""
    return LearningPlan.objects.filter(granted_q(user, LearningPlan, PLAN_GRANTS))


def may_read_plan(user: Person, plan: LearningPlan) -> bool:
    if not _signed_in_with_district(user) or plan.district_id != user.district_id:
        return False
    if plan.owner_id == user.pk:
        return True
    return plans_granted_to(user).filter(pk=plan.pk).exists()


def access_plan(user: Person, plan_id: Any) -> LearningPlan:
    """A plan the person owns or that was shared with her (as an eligible reviewer)."""
    try:
        plan = LearningPlan.objects.select_related("owner").get(pk=plan_id)
    except (LearningPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None
    if not may_read_plan(user, plan):
        raise Http404("No such plan.")
    return plan


def access_own_plan(user: Person, plan_id: Any) -> LearningPlan:
    """A plan the person owns, for changing it."""
    plan = access_plan(user, plan_id)
    if plan.owner_id != user.pk:
        raise Http404("No such plan.")
    return plan


def plans_shared_with(user: Person) -> list[LearningPlan]:
    """Plans shared with the person that she may still read, by owner and newest first."""
    return list(plans_granted_to(user).select_related("owner")
                .order_by("owner__last_name", "-start_year"))


def access_own_review(user: Person, review_id: Any) -> PlanReview:
    """A review the person logged, on a plan she may still read, for correcting or deleting.

    Only whoever logged it (the owner, or the reviewer she shared with) changes it; a
    reviewer the owner stopped sharing with, or who left her school, no longer can."""
    if not _signed_in_with_district(user):
        raise Http404("No such review.")
    try:
        review = PlanReview.objects.select_related("plan", "plan__owner", "reviewer").get(
            pk=review_id, logged_by=user, plan__district_id=district_id_of(user))
    except (PlanReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None
    if not may_read_plan(user, review.plan):
        raise Http404("No such review.")
    return review


def access_own_goal(user: Person, goal_id: Any) -> Goal:
    if not _signed_in_with_district(user):
        raise Http404("No such goal.")
    try:
        return Goal.objects.select_related("plan").get(
            pk=goal_id, plan__owner=user, plan__district_id=district_id_of(user))
    except (Goal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such goal.") from None


def own_goals(user: Person) -> QuerySet[Goal]:
    """The goals of her own plans."""
    if not _signed_in_with_district(user):
        return Goal.objects.none()
    return Goal.objects.filter(plan__owner=user, plan__district_id=district_id_of(user))


def own_sources(user: Person) -> QuerySet[LearningSource]:
    if not _signed_in_with_district(user):
        return LearningSource.objects.none()
    return LearningSource.objects.filter(owner=user, district_id=district_id_of(user))


def access_own_source(user: Person, source_id: Any) -> LearningSource:
    try:
        return own_sources(user).get(pk=source_id)
    except (LearningSource.DoesNotExist, ValueError, TypeError):
        raise Http404("No such source.") from None


def _district_of_coordinator(user: Person, missing: str) -> int:
    """The coordinator's district id, or the 404 for ``missing``."""
    if not _signed_in_with_district(user) or not user.has_role(Role.COORDINATOR):
        raise Http404(missing)
    return district_id_of(user)


def access_framework(user: Person, framework_id: Any) -> Framework:
    """A framework of the coordinator's own district, for editing."""
    district_id = _district_of_coordinator(user, "No such framework.")
    try:
        return Framework.objects.get(pk=framework_id, district_id=district_id)
    except (Framework.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework.") from None


def access_element(user: Person, element_id: Any) -> FrameworkElement:
    district_id = _district_of_coordinator(user, "No such element.")
    try:
        return FrameworkElement.objects.select_related("framework", "parent").get(
            pk=element_id, framework__district_id=district_id)
    except (FrameworkElement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such element.") from None


def alignable_elements(district_id: int | None) -> QuerySet[FrameworkElement]:
    """Elements a goal in this district may align to: its own, not retired."""
    if district_id is None:
        return FrameworkElement.objects.none()
    return (FrameworkElement.objects.active()
            .filter(framework__district_id=district_id)
            .filter(Q(parent__isnull=True) | Q(parent__retired_at__isnull=True))
            .select_related("framework", "parent")
            .order_by("framework__kind", "framework__name", "framework_id",
                      "parent__order", "parent_id", "order", "pk"))
