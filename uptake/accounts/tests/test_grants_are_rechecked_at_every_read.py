"""One grant model for "let this person see that": consent recorded once, eligibility
decided at every read from who the grantee is now (roles, school, account, district),
at most one live grant per object and person, withdrawn rows kept as history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from uptake.accounts.actions import AccountRuleError, do_grant, do_withdraw_grants
from uptake.accounts.grants import GrantRule, content_type_of, granted_q, grants_on
from uptake.accounts.models import Grant, Role, RoleAssignment, User
from uptake.learning.models import LearningPlan

READERS = GrantRule(school_roles=frozenset({Role.COACH, Role.SCHOOL_LEADER}))
WITH_COORDINATORS = GrantRule(school_roles=READERS.school_roles, coordinators=True)


@pytest.fixture
def plan(world: Any) -> LearningPlan:
    return LearningPlan.objects.create(owner=world.people["teacher"], district=world.district,
                                       title="Talk moves", start_year=2026, end_year=2027)


def _sees(person: User, rule: GrantRule = READERS) -> bool:
    person = User.objects.get(pk=person.pk)  # who she is now, not a cached role set
    return LearningPlan.objects.filter(granted_q(person, LearningPlan, rule)).exists()


def _grant(world: Any, plan: LearningPlan, person: str, rule: GrantRule = READERS) -> Grant:
    return do_grant(plan, actor=world.people["teacher"], grantee=world.people[person],
                    rule=rule, reason="review", audit=None)


@pytest.mark.parametrize(("lapse", "still_sees"), [
    ("nothing", True),
    ("moved to another school", False),
    ("role ended", False),
    ("account deactivated", False),
    ("owner moved away", False),
    ("withdrawn", False),
    ("expired", False),
])
def test_it_lets_a_grant_work_only_while_the_grantee_is_eligible(
        world: Any, plan: LearningPlan, lapse: str, still_sees: bool) -> None:
    coach, teacher = world.people["coach"], world.people["teacher"]
    grant = _grant(world, plan, "coach")
    assert _sees(coach)
    mine = RoleAssignment.objects.filter(user=coach)
    if lapse == "moved to another school":
        mine.update(school=world.birch)
    elif lapse == "role ended":
        mine.delete()
    elif lapse == "account deactivated":
        User.objects.filter(pk=coach.pk).update(is_active=False)
    elif lapse == "owner moved away":
        RoleAssignment.objects.filter(user=teacher).update(school=world.birch)
    elif lapse == "withdrawn":
        do_withdraw_grants(plan, actor=teacher, grantee=coach, audit=None)
    elif lapse == "expired":
        Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(1))
    assert _sees(coach) is still_sees


def test_it_admits_a_coordinator_only_where_the_object_allows_it(
        world: Any, plan: LearningPlan) -> None:
    with pytest.raises(AccountRuleError, match="not someone you can share this with"):
        _grant(world, plan, "coordinator")
    _grant(world, plan, "coordinator", WITH_COORDINATORS)
    assert _sees(world.people["coordinator"], WITH_COORDINATORS)
    assert not _sees(world.people["coordinator"], READERS)


@pytest.mark.parametrize("person", ["colleague", "outsider", "assessor", "researcher",
                                    "other_coordinator"])
def test_it_refuses_to_grant_to_someone_who_may_not_hold_one(
        world: Any, plan: LearningPlan, person: str) -> None:
    with pytest.raises(AccountRuleError):
        _grant(world, plan, person, WITH_COORDINATORS)
    assert not Grant.objects.exists()


def test_a_grant_written_to_someone_ineligible_opens_nothing(world: Any,
                                                             plan: LearningPlan) -> None:
    for person in ("colleague", "outsider", "other_coordinator"):
        Grant.objects.create(district=world.district, content_type=content_type_of(plan),
                             object_id=plan.pk, grantee=world.people[person], reason="review")
        assert not _sees(world.people[person], WITH_COORDINATORS)


def test_it_keeps_one_live_grant_per_object_and_person(world: Any,
                                                        plan: LearningPlan) -> None:
    first = _grant(world, plan, "coach")
    assert _grant(world, plan, "coach") == first
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(district=world.district, content_type=content_type_of(plan),
                             object_id=plan.pk, grantee=world.people["coach"], reason="review")
    do_withdraw_grants(plan, actor=world.people["teacher"], audit=None)
    second = _grant(world, plan, "coach")
    assert second != first and Grant.objects.count() == 2
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawn_by == world.people["teacher"]


def test_only_the_owner_grants(world: Any, plan: LearningPlan) -> None:
    with pytest.raises(AccountRuleError, match="Only its owner"):
        do_grant(plan, actor=world.people["colleague"], grantee=world.people["coach"],
                 rule=READERS, reason="review", audit=None)


def test_it_tells_the_owner_which_grants_have_lapsed_and_why(world: Any,
                                                              plan: LearningPlan) -> None:
    _grant(world, plan, "coach")
    leader = _grant(world, plan, "leader")
    Grant.objects.filter(pk=leader.pk).update(expires_at=timezone.now() - timedelta(1))
    RoleAssignment.objects.filter(user=world.people["coach"]).update(school=world.birch)
    standing = {s.grantee.email: s.lapsed for s in grants_on(plan, plan.owner, READERS)}
    assert standing["cora@maple.test"].startswith("no longer sees it")
    assert standing["lee@maple.test"].startswith("expired on")
