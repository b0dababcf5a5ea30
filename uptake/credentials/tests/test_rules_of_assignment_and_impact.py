"""The rules the issue names, through the actions: who may read whose work, a stack's
prerequisites, versions that stay put under work in flight, and impact judged from the
teacher's own measures (never a re-typed claim)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def _make_coach_an_assessor(w: Any) -> Any:
    from uptake.accounts.models import Role, RoleAssignment

    coach = w.people["coach"]
    RoleAssignment.objects.create(user=coach, district=w.district, role=Role.ASSESSOR)
    coach._role_set = None
    return coach


def test_her_own_coach_is_not_given_her_work_by_default(world: Any) -> None:
    from uptake.credentials.actions import do_assign
    from uptake.credentials.assignment import eligible_assessors
    from uptake.rules import Invalid

    coach = _make_coach_an_assessor(world)
    submission = f.submitted(world)
    assert coach not in eligible_assessors(submission)
    review = submission.rounds.get().reviews.get()
    with pytest.raises(Invalid, match="other than her coach"):
        do_assign(submission, coach, actor=world.people["coordinator"], replace=review)
    review.refresh_from_db()
    assert review.open  # nothing changed


def test_a_district_may_let_coaches_assess(world: Any) -> None:
    from uptake.credentials.actions import do_update_policy
    from uptake.credentials.assignment import eligible_assessors

    coach = _make_coach_an_assessor(world)
    do_update_policy(actor=world.people["coordinator"], exclude_coaches=False)
    assert coach in eligible_assessors(f.learning_draft(world))


def test_nobody_assesses_her_own_work(world: Any) -> None:
    from uptake.accounts.models import Role, RoleAssignment
    from uptake.credentials.actions import do_assign
    from uptake.credentials.assignment import eligible_assessors
    from uptake.rules import Invalid

    teacher = world.people["teacher"]
    RoleAssignment.objects.create(user=teacher, district=world.district, role=Role.ASSESSOR)
    teacher._role_set = None
    submission = f.submitted(world)
    assert teacher not in eligible_assessors(submission)
    with pytest.raises(Invalid, match="her own work"):
        do_assign(submission, teacher, actor=world.people["coordinator"],
                  replace=submission.rounds.get().reviews.get())


def test_with_no_eligible_assessor_the_work_waits_and_coordinators_are_told(
        world: Any) -> None:
    from uptake.accounts.models import RoleAssignment
    from uptake.notifications.models import Notice

    RoleAssignment.objects.filter(user=world.people["assessor"]).delete()
    submission = f.submitted(world)
    assert submission.state == "submitted"
    assert Notice.objects.filter(recipient=world.people["coordinator"],
                                 kind="assessor_needed").exists()


def test_an_assessor_who_loses_her_role_loses_the_work_at_once(world: Any) -> None:
    from uptake.accounts.models import RoleAssignment
    from uptake.credentials.access import open_reviews, submissions_to_review

    assessor = world.people["assessor"]
    f.submitted(world)
    assert open_reviews(assessor).exists()
    RoleAssignment.objects.filter(user=assessor).delete()
    assessor._role_set = None
    assert not submissions_to_review(assessor).exists()
    assert not open_reviews(assessor).exists()


def test_two_readers_always_when_the_policy_says_so(world: Any) -> None:
    from uptake.credentials.actions import do_decide, do_update_policy

    blair = f.second_assessor(world)
    do_update_policy(actor=world.people["coordinator"], second_reader="always")
    submission = f.submitted(world)
    reviews = list(submission.rounds.get().reviews.order_by("reader"))
    assert {r.reader for r in reviews} == {"first", "second"}
    assert {r.assessor for r in reviews} == {world.people["assessor"], blair}
    first = next(r for r in reviews if r.reader == "first")
    do_decide(first, actor=first.assessor, decision="award", scores=f.scores(submission, 1),
              comment="")
    submission.refresh_from_db()
    assert submission.state == "in_review"  # waits for the second reader


def test_a_teacher_sees_only_her_own_submissions_and_coordinators_only_theirs(
        world: Any) -> None:
    from uptake.credentials.access import overseen_submissions, own_submissions

    submission = f.submitted(world)
    assert list(own_submissions(world.people["teacher"])) == [submission]
    assert not own_submissions(world.people["colleague"]).exists()
    assert list(overseen_submissions(world.people["coordinator"])) == [submission]
    assert not overseen_submissions(world.people["other_coordinator"]).exists()
    assert not overseen_submissions(world.people["assessor"]).exists()


def test_work_in_flight_stays_on_its_version(world: Any) -> None:
    from uptake.credentials.actions import (
        do_publish,
        do_save_tier,
        do_start_revision,
        do_start_submission,
        version_for,
    )

    coordinator = world.people["coordinator"]
    submission = f.submitted(world)
    v1 = submission.tier.version
    v2 = do_start_revision(v1.credential, actor=coordinator)
    do_save_tier(v2, actor=coordinator, tier=v2.tiers.get(kind="learning"),
                 stipend="100")
    do_publish(v2, actor=coordinator)
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert version_for(world.people["teacher"], v1.credential) == v1
    # Her next tier is on version 1 too; a colleague starting now is on version 2.
    impact = do_start_submission(v1.tiers.get(kind="impact"), actor=world.people["teacher"])
    assert impact.tier.version == v1
    assert version_for(world.people["colleague"], v1.credential) == v2
    assert v1.tiers.get(kind="learning").stipend == Decimal("75.00")


def test_a_stack_waits_for_the_credential_it_builds_on(world: Any) -> None:
    from uptake.credentials.actions import (
        do_add_item,
        do_create_credential,
        do_publish,
        do_set_links,
        do_start_submission,
        do_update_submission,
    )
    from uptake.credentials.precheck import precheck

    coordinator, teacher = world.people["coordinator"], world.people["teacher"]
    base = f.credential(world)
    advanced = do_create_credential(actor=coordinator, title="Discussion leader",
                                    competency="Coaches colleagues in discussion.",
                                    preset="social_media")
    do_set_links(advanced, actor=coordinator, requires=[base.credential])
    do_publish(advanced, actor=coordinator)
    work = do_start_submission(advanced.tiers.get(), actor=teacher)
    for source in f.sources(world):
        do_add_item(work, actor=teacher, kind="source", record_id=source.pk)
    do_update_submission(work, actor=teacher, reflection=f.REFLECTION)
    failing = [c for c in precheck(work) if not c.ok]
    assert any(c.key == "prerequisites" and "Academic conversations" in c.detail
               for c in failing)


def _impact_work(w: Any, rule: str, minimum: str | None = None) -> Any:
    from uptake.credentials.actions import (
        do_add_item,
        do_save_tier,
        do_start_revision,
        do_start_submission,
        do_update_submission,
    )
    from uptake.stories.tests.fixtures import inquiry_with_data

    coordinator, teacher = w.people["coordinator"], w.people["teacher"]
    version = f.credential(w, publish=False, title="Impact only")
    if not version.is_draft:
        version = do_start_revision(version.credential, actor=coordinator)
    tier = version.tiers.get(kind="impact")
    do_save_tier(version, actor=coordinator, tier=tier, impact_rule=rule,
                 impact_min_change=minimum)
    from uptake.credentials.actions import do_publish
    do_publish(version, actor=coordinator)
    work = do_start_submission(tier, actor=teacher)
    measure = inquiry_with_data(w).measures.get()
    do_add_item(work, actor=teacher, kind="measure", record_id=measure.pk)
    do_update_submission(work, actor=teacher, reflection=" ".join(["word"] * 300))
    return work


def test_impact_as_a_sustained_improvement_comes_from_her_run_chart(world: Any) -> None:
    from uptake.credentials.precheck import impact_rows, precheck

    work = _impact_work(world, "sustained_improvement")
    rows = impact_rows(work)
    assert rows and rows[0].verdict == "sustained_improvement"
    check = next(c for c in precheck(work) if c.key == "impact")
    assert check.ok and "Exit ticket" in check.detail and rows[0].reason in check.detail


def test_impact_as_a_minimum_paired_change_says_how_far_short_it_falls(world: Any) -> None:
    from uptake.credentials.precheck import impact_rows, precheck

    work = _impact_work(world, "min_paired_change", "5")
    best = max(r.improvement for r in impact_rows(work) if r.improvement is not None)
    assert 2.5 < best < 3.5  # the fixture's class moved up by about three points
    check = next(c for c in precheck(work) if c.key == "impact")
    assert not check.ok
    assert f"The largest change is {best:+.2f}" in check.detail
    assert "needs at least +5.00" in check.detail
