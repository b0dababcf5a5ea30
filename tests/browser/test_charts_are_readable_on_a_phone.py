"""A study chart a teacher can read on her phone: as rendered at 390 px its axis text is
at least 12 px and the chart fits the screen; at 1280 px it uses the column's width with
text no smaller. A teacher's note is written on it.

Set UPTAKE_SHOTS to a directory to keep a screenshot of each size there."""

from __future__ import annotations

import os
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIES = [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64, 63]

# The shown chart's axis labels and its width, as rendered: font-size is in the SVG's
# own units, so it is multiplied by the scale the page draws the SVG at.
MEASURE = """() => {
  const svg = [...document.querySelectorAll('.chart svg[role=img]')]
    .find(s => s.getBoundingClientRect().width > 0);
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('.role-axis-label text')]
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {sizes, width: svg.getBoundingClientRect().width,
          text: svg.textContent};
}"""


def _study(world: Any) -> str:
    from datetime import date

    from uptake.inquiry.actions import (
        AnnotationData,
        do_add_annotation,
        do_create_inquiry,
        do_create_measure,
    )
    from uptake.inquiry.tests.conftest import fill, weekly

    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk in Grade 3")
    measure = do_create_measure(teacher, inquiry, sections=[world.section], name="Exit ticket",
                                kind="score", scale_min=0, scale_max=100, direction="up",
                                change_date=weekly(9)[8])
    fill(teacher, measure, world.section, SERIES, world.students)
    do_add_annotation(teacher, measure, AnnotationData(date(2026, 11, 12), "snow day"))
    return f"/inquiries/measures/{measure.pk}/study/"


@pytest.mark.parametrize(("viewport", "least_width"), [(PHONE, 300), (DESKTOP, 900)])
def test_the_charts_axis_text_is_at_least_12_px_as_rendered(
        world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int],
        least_width: int) -> None:
    path = _study(world)
    page = page_factory(viewport=viewport)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(live_server.url + path)
    got = page.evaluate(MEASURE)
    assert got["sizes"] and min(got["sizes"]) >= 12, got["sizes"]
    assert least_width <= got["width"] <= viewport["width"]
    assert "snow day" in got["text"]
    shots = os.environ.get("UPTAKE_SHOTS")
    if shots:
        page.screenshot(path=f"{shots}/study-{viewport['width']}.png", full_page=True)


def test_the_study_cycle_and_notes_pages_have_no_axe_violations(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.inquiry.models import Cycle

    study = _study(world)
    notes = study.replace("/study/", "/notes/")
    cycle = f"/inquiries/cycles/{Cycle.objects.get().pk}/"  # its chart of all classes
    for viewport in (PHONE, DESKTOP):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
        for path in (study, cycle, notes):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            assert run_axe(page) == [], f"{path} at {viewport['width']}px"
        page.get_by_role("button", name="Add the note").click()  # nothing filled in
        assert "Give the day the note is about." in page.content()
        assert run_axe(page) == [], f"refused note at {viewport['width']}px"
        shots = os.environ.get("UPTAKE_SHOTS")
        if shots:
            page.screenshot(path=f"{shots}/notes-{viewport['width']}.png", full_page=True)
