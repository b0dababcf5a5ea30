"""A Likert item's chart, whose y axis names the answers ("1 Strongly disagree"), still
fits a phone's screen (about 358 px inside the page's margins at 390 px) at its own size,
so that its text is not shrunk below what was written."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from uptake.inquiry.actions import do_create_measure
from uptake.inquiry.tests.conftest import fill, weekly

LABELS = "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree"


def test_it_draws_the_phone_chart_of_a_likert_item_within_the_screen(
        world: Any, login: Any, inquiry: Any) -> None:
    likert = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                               name="I can explain my thinking", kind="likert", scale_min=1,
                               scale_max=5, likert_labels=LABELS, direction="up",
                               change_date=weekly(9)[8])
    fill(world.people["teacher"], likert, world.section,
         [2.5, 2.7, 2.6, 2.8, 2.5, 2.6, 2.7, 2.6, 3.5, 3.6, 3.8, 3.7], world.students,
         spread=0.1)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[likert.pk])).content.decode()
    narrow = page.split('<div class="chart-narrow">', 1)[1].split("</svg>", 1)[0]
    width = int(re.search(r'<svg[^>]* width="(\d+)"', narrow).group(1))  # type: ignore[union-attr]
    assert ">1 Strongly disagree</text>" in narrow
    assert width <= 358
