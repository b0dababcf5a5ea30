"""The teacher's peer-observation and Looking-at-Student-Work pages have no axe violations
at phone and desktop sizes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_serves_the_teachers_pages_with_no_axe_violations(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.observation.tests.conftest import make_observation
    from uptake.studentwork.actions import (
        do_add_group,
        do_add_intervention,
        do_assign,
        do_score,
    )
    from uptake.studentwork.tests.conftest import make_set

    teacher = world.people["teacher"]
    obs = make_observation(world)
    work = make_set(world)
    low = work.levels.first()
    do_score(teacher, work, {world.students[0].pk: low.pk, world.students[1].pk: None})
    group = do_add_group(teacher, work, name="Unit fractions", next_step="Paper strips")
    do_assign(teacher, work, {world.students[0].pk: group.pk})
    do_add_intervention(teacher, group, what="Small-group lesson", when=dt.date(2026, 10, 7))
    paths = ["/observations/", f"/observations/{obs.pk}/",
             f"/observations/inquiries/{obs.inquiry_id}/new", "/student-work/",
             f"/student-work/{work.pk}/", f"/student-work/inquiries/{work.inquiry_id}/new"]
    for viewport in (PHONE, DESKTOP):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, teacher.email, PASSWORD)
        for path in paths:
            page.goto(live_server.url + path)
            assert run_axe(page) == [], f"{path} at {viewport['width']}px"


def test_it_serves_the_coordinators_protocol_page_with_no_axe_violations(
        world: Any, live_server: Any, page_factory: Any) -> None:
    page = page_factory(viewport=PHONE, bypass_csp=True)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    page.goto(live_server.url + "/observations/protocols/")
    assert run_axe(page) == []
