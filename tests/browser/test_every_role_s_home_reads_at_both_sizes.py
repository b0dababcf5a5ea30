"""Each role's start page, the district's results and the steps of Looking at Student Work
have no axe violations at phone (390 px) and desktop (1280 px) width, and no page is wider
than the screen. Set UPTAKE_SCREENSHOTS to a folder to keep a full-page picture of each."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _content(world: Any) -> dict[str, str]:
    """Jamie's inquiries (shared with the coach and the leader), a plan and a piece of
    evidence shared with the coach, a goal linked to an inquiry, a set of student work,
    and Sam, invited to observe; returns the extra paths to look at."""
    from uptake.accounts.models import User
    from uptake.evidence.actions import do_add_artifact, do_share_artifact
    from uptake.inquiry.actions import do_share_inquiry
    from uptake.inquiry.demo import load_demo_inquiries
    from uptake.inquiry.models import Inquiry
    from uptake.learning import actions as learning
    from uptake.learning.tests.conftest import goal_fields, this_year
    from uptake.observation.tests.conftest import make_observation
    from uptake.studentwork.actions import do_add_group, do_add_intervention, do_score
    from uptake.studentwork.tests.conftest import make_set

    jamie, coach = world.people["teacher"], world.people["coach"]
    load_demo_inquiries(jamie, world.section)
    first = Inquiry.objects.filter(owner=jamie).order_by("pk").first()
    for inquiry in Inquiry.objects.filter(owner=jamie)[:2]:
        do_share_inquiry(jamie, inquiry, coach, share=True)
        do_share_inquiry(jamie, inquiry, world.people["leader"], share=True)
    plan = learning.do_create_plan(owner=jamie, title="Math talk", start_year=this_year(),
                                   end_year=this_year() + 1)
    learning.do_add_goal(plan, actor=jamie, fields=goal_fields(
        target_date=dt.date(this_year() + 1, 5, 31), inquiries=(first,)))
    learning.do_share_plan(plan, actor=jamie, reviewer=coach)
    piece = do_add_artifact(jamie, kind="text", title="Talk-move notes, week 3",
                            guskey_level=4, identifies_students=False, body="b",
                            inquiry=first)
    do_share_artifact(piece, actor=jamie)
    sam = User.objects.create_user(email="sam@elsewhere.test", password=PASSWORD,
                                   first_name="Sam", last_name="Observer")
    obs = make_observation(world)
    obs.observer = sam
    obs.save(update_fields=["observer"])
    work = make_set(world)
    do_score(jamie, work, {s.pk: work.levels.first().pk for s in world.students[:6]})
    group = do_add_group(jamie, work, name="Unit fractions", next_step="Paper strips")
    do_add_intervention(jamie, group, what="Small-group lesson", when=dt.date(2026, 10, 7))
    return {"inquiry": f"/inquiries/{first.pk}/", "work": f"/student-work/{work.pk}/"}


def _wider_than_screen(page: Any) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth + 1"))


def test_each_role_s_start_page_reads_at_both_sizes(
        world: Any, live_server: Any, page_factory: Any) -> None:
    extra = _content(world)
    shots = os.environ.get("UPTAKE_SCREENSHOTS")
    visits = {persona: ["/"] for persona in ("teacher", "coach", "leader", "coordinator",
                                             "researcher", "assessor")}
    visits["teacher"] += [extra["inquiry"], extra["work"]] + [
        f"{extra['work']}?step={s}" for s in ("score", "group", "interventions", "outcome")]
    visits["coordinator"].append("/inquiries/results/")
    visits["sam"] = ["/"]
    emails = {p: world.people[p].email for p in visits if p != "sam"}
    emails["sam"] = "sam@elsewhere.test"
    for viewport in (PHONE, DESKTOP):
        for persona, paths in visits.items():
            page = page_factory(viewport=viewport, bypass_csp=True)
            sign_in(page, live_server.url, emails[persona], PASSWORD)
            for i, path in enumerate(paths):
                page.goto(live_server.url + path)
                where = f"{persona} {path} at {viewport['width']}px"
                assert run_axe(page) == [], where
                assert not _wider_than_screen(page), where
                if shots:
                    name = f"{persona}-{i}-{viewport['width']}.png"
                    page.screenshot(path=str(Path(shots) / name), full_page=True)
            page.close()
