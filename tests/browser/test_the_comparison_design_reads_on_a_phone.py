"""The comparison design on a team inquiry's study page, at 390 and 1280 px: its table
fits the screen (or scrolls inside its own region), its effect size is named, and axe
finds nothing.

Set UPTAKE_SHOTS to a directory to keep a screenshot of each size there."""

from __future__ import annotations

import os
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _team_study(world: Any) -> str:
    from uptake.inquiry.actions import (
        do_create_inquiry,
        do_create_measure,
        do_create_team,
        do_update_measure,
    )
    from uptake.inquiry.tests.conftest import fill, weekly
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    teacher, colleague = world.people["teacher"], world.people["colleague"]
    team = do_create_team(teacher, name="Grade 3 PLC", kind="plc", school=world.cedar,
                          members=[colleague])
    inquiry = do_create_inquiry(teacher, team=team, title="Math talk in Grade 3")
    measure = do_create_measure(teacher, inquiry, sections=[world.section], name="Exit ticket",
                                kind="score", scale_min=0, scale_max=100, direction="up",
                                change_date=weekly(9)[8])
    hers = Section.objects.create(district=world.district, school=world.cedar,
                                  sourced_id="cls-3c", title="Grade 3 ELA - Room 16")
    TeacherAssignment.objects.create(section=hers, teacher=colleague)
    kids = []
    for i in range(12):
        kid = Student.objects.create(district=world.district, sourced_id=f"c-{i}",
                                     given_name=f"C{i}", family_name="Room16")
        Enrollment.objects.create(section=hers, student=kid)
        kids.append(kid)
    do_update_measure(colleague, measure, add_sections=[hers], comparison=[hers])
    fill(teacher, measure, world.section, [50, 51, 49, 50, 52, 48, 50, 50,
                                           54, 55, 53, 56, 55, 54, 56, 55], world.students)
    fill(colleague, measure, hers, [50, 50, 51, 49, 50, 51, 50, 49,
                                    51, 50, 52, 50, 51, 51, 50, 52], kids)
    return f"/inquiries/measures/{measure.pk}/study/"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_comparison_design_fits_the_screen_and_passes_axe(
        world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int]) -> None:
    path = _team_study(world)
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is injected
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(live_server.url + path)
    heading = page.get_by_role("heading", name="Classes trying the change against "
                                               "comparison classes")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert page.get_by_text("baseline equivalence is satisfied").first.is_visible()
    assert page.get_by_text("(corrected for classes)").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    assert run_axe(page) == []
    shots = os.environ.get("UPTAKE_SHOTS")
    if shots:
        heading.evaluate("h => h.scrollIntoView()")
        page.screenshot(path=f"{shots}/comparison-{viewport['width']}.png")
