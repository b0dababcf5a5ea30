"""A goal's card on the plan page names the goal once, as its heading, and lists the rest
of the SMART goal as label/value rows (issue 10, seen 7: the card repeated the goal under a
"Goal" label). How the rows look at phone and desktop size is
test_the_goal_card_reads_as_labels_and_values.py's to check."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.learning import actions
from uptake.learning.models import LearningPlan

from .conftest import goal_fields

pytestmark = pytest.mark.django_db

LONG_GOAL = ("Every student in my fourth-period class explains, aloud or in writing, why a "
             "strategy works before moving on, in at least three lessons a week, so that I "
             "can hear their reasoning and not only their answers.")  # 40 words


def _card(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start:page.index("</article>", start)]


def test_it_names_the_goal_once_in_full_as_the_cards_heading(
        login: Any, world: Any, plan: LearningPlan) -> None:
    jamie = world.people["teacher"]
    long = actions.do_add_goal(plan, actor=jamie, fields=goal_fields(statement=LONG_GOAL))
    page = login(jamie).get(reverse("learning:plan", args=[plan.pk])).content.decode()
    card = _card(page, f"goal-{long.pk}-h")
    assert card.count(LONG_GOAL) == 1, "the goal is repeated or cut short"
    assert card.index(LONG_GOAL) < card.index("</h3>")
    assert "<dt>Goal</dt>" not in page
    for label in ("Measure of success", "Steps", "Why it matters", "Aligned to", "Sources"):
        assert f"<dt>{label}</dt>" in card


def test_it_shows_a_colleague_the_plan_it_was_shared_with_the_same_way(
        login: Any, world: Any, plan: LearningPlan) -> None:
    from uptake.learning.models import Goal

    coach = world.people["coach"]
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=coach)
    goal = Goal.objects.get(plan=plan)
    page = login(coach).get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert _card(page, f"goal-{goal.pk}-h").count(goal.statement) == 1
