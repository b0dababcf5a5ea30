"""The demo gives its first teachers a plan with aligned goals, sources and a coach's review;
loading it again changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.grants import live_grant
from uptake.learning.actions import DEMO_TEACHERS, do_load_learning_demo
from uptake.learning.models import LearningPlan, LearningSource, PlanReview

pytestmark = pytest.mark.django_db


def test_it_gives_demo_teachers_plans_goals_sources_and_a_review(world: Any,
                                                                 login: Any) -> None:
    made = do_load_learning_demo(world.district)
    assert len(made) == DEMO_TEACHERS
    for plan in made:
        assert plan.goals.count() == 2
        assert all(goal.elements.exists() for goal in plan.goals.all())
        assert LearningSource.objects.filter(owner=plan.owner).count() == 3
    review = PlanReview.objects.get()
    assert review.reviewer == world.people["coach"]
    assert live_grant(review.plan, world.people["coach"]) is not None
    client = login(world.people["coach"])
    assert client.get(reverse("learning:plan", args=[review.plan_id])).status_code == 200


def test_it_is_idempotent(world: Any) -> None:
    do_load_learning_demo(world.district)
    counts = (LearningPlan.objects.count(), LearningSource.objects.count(),
              PlanReview.objects.count())
    assert do_load_learning_demo(world.district) == []
    assert (LearningPlan.objects.count(), LearningSource.objects.count(),
            PlanReview.objects.count()) == counts
