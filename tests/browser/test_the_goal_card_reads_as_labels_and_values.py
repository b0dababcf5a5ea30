"""A learning-plan goal's card reads as label/value rows, at 390 px and at 1280 px.

Issue 10 (seen 7): the card's label/value grid wrapped (labels and values drifted into
separate cells, a label at the end of one row and its value at the start of the next), and
everything was bold. Now only the labels are bold; on a phone each label stands above its
value, full width; at 1280 px each label sits beside its value on one line. axe passes.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = """() => [...document.querySelectorAll('article.goal dl dt')].map(dt => {
    const dd = dt.nextElementSibling, card = dt.closest('article').getBoundingClientRect();
    const box = e => e.getBoundingClientRect(), style = e => getComputedStyle(e);
    return {label: dt.textContent, dt: box(dt).toJSON(), dd: box(dd).toJSON(),
            card_left: card.left, card_right: card.right,
            dt_weight: Number(style(dt).fontWeight), dd_weight: Number(style(dd).fontWeight),
            dt_line: parseFloat(style(dt).lineHeight)}; })"""


def _plan_page(world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int]) -> Any:
    from uptake.learning import actions
    from uptake.learning.models import LearningPlan
    from uptake.learning.tests.conftest import element, goal_fields, this_year

    jamie = world.people["teacher"]
    plan = LearningPlan.objects.filter(owner=jamie).first() or actions.do_create_plan(
        owner=jamie, title="Math talk", start_year=this_year(), end_year=this_year() + 2)
    if not plan.goals.exists():
        actions.do_add_goal(plan, actor=jamie, fields=goal_fields(
            elements=(element(world.district, "DA"), element(world.district, "3.2"))))
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, jamie.email, PASSWORD)
    page.goto(f"{live_server.url}/learning/plans/{plan.pk}/")
    return page


def test_it_stacks_each_label_above_its_value_on_a_phone(
        world: Any, live_server: Any, page_factory: Any) -> None:
    page = _plan_page(world, live_server, page_factory, PHONE)
    rows = page.evaluate(ROWS)
    labels = [r["label"] for r in rows]
    assert "Goal" not in labels, "the heading already names the goal"
    assert {"Measure of success", "Steps", "Why it matters", "Aligned to"} <= set(labels)
    for row in rows:
        assert row["dt_weight"] >= 600 and row["dd_weight"] <= 400, row["label"]
        assert row["dd"]["top"] >= row["dt"]["bottom"] - 1, f"{row['label']}: value not below"
        assert abs(row["dd"]["left"] - row["dt"]["left"]) <= 1, row["label"]
        assert row["dd"]["right"] <= row["card_right"], f"{row['label']}: value overflows"
        assert row["dt"]["height"] <= row["dt_line"] + 1, f"{row['label']} wraps"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert run_axe(page) == []


def test_it_sets_each_label_beside_its_value_at_1280_px(
        world: Any, live_server: Any, page_factory: Any) -> None:
    page = _plan_page(world, live_server, page_factory, DESKTOP)
    rows = page.evaluate(ROWS)
    assert len(rows) >= 4
    lefts = {round(r["dd"]["left"]) for r in rows}
    assert len(lefts) == 1, f"the values do not line up in one column: {lefts}"
    for row in rows:
        assert row["dt_weight"] >= 600 and row["dd_weight"] <= 400, row["label"]
        assert abs(row["dd"]["top"] - row["dt"]["top"]) <= 2, f"{row['label']}: not beside"
        assert row["dd"]["left"] > row["dt"]["right"], row["label"]
        assert row["dt"]["height"] <= row["dt_line"] + 1, f"{row['label']} wraps"
    assert run_axe(page) == []
