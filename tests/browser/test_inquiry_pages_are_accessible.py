"""Every inquiry page a teacher reaches besides the walk of the loop - the study view of a
Likert item with named answers, the answer grid, the team pages, the confirmation pages
before something is deleted or a team is left, a closed inquiry - has no axe violations at
phone and desktop sizes."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paths(world: Any) -> list[str]:
    from uptake.demo.story import STORY_INQUIRY, SURVEY_ITEM, load_demo_story
    from uptake.inquiry.actions import do_create_inquiry, do_create_team
    from uptake.inquiry.demo import load_demo_inquiries
    from uptake.inquiry.models import Inquiry

    teacher = world.people["teacher"]
    load_demo_inquiries(teacher, world.section)
    load_demo_story(teacher, world.section)
    story = Inquiry.objects.get(title=STORY_INQUIRY)
    survey = story.measures.get(name=SURVEY_ITEM)
    occasion = survey.occasions.first()
    team = do_create_team(teacher, name="Grade 3 team", kind="grade_level",
                          school=world.cedar, members=[world.people["colleague"]])
    shared = do_create_inquiry(teacher, team=team, title="Fractions check", status="closed")
    cycle = story.cycles.order_by("number").last()
    return [
        f"/inquiries/{story.pk}/", f"/inquiries/{story.pk}/delete/",
        f"/inquiries/cycles/{cycle.pk}/",
        f"/inquiries/measures/{survey.pk}/", f"/inquiries/measures/{survey.pk}/edit/",
        f"/inquiries/measures/{survey.pk}/study/",
        f"/inquiries/measures/{survey.pk}/classes/{world.section.pk}/enter/",
        f"/inquiries/measures/{survey.pk}/delete/",
        f"/inquiries/occasions/{occasion.pk}/delete/",
        "/inquiries/teams/", f"/inquiries/teams/{team.pk}/",
        f"/inquiries/teams/{team.pk}/leave/", f"/inquiries/{shared.pk}/",
    ]


def test_the_teachers_inquiry_pages_have_no_axe_violations(
        world: Any, live_server: Any, page_factory: Any) -> None:
    paths = _paths(world)
    for viewport in (DESKTOP, PHONE):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            assert run_axe(page) == [], f"{path} at {viewport['width']}px"


def test_the_study_view_names_the_likert_answers(world: Any, live_server: Any,
                                                 page_factory: Any) -> None:
    paths = _paths(world)
    page = page_factory(viewport=DESKTOP)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(live_server.url + paths[5])
    chart = page.locator("svg[role=img]").first
    assert "Yes, clearly" in chart.inner_html()
    assert "1 = Not yet" in page.content()


def test_a_refused_measure_deletion_is_accessible(world: Any, live_server: Any,
                                                  page_factory: Any) -> None:
    """A team member opening Delete on a measure with Jamie's data reads why she cannot."""
    from uptake.inquiry.actions import do_update_inquiry
    from uptake.inquiry.models import Inquiry, Team

    paths = _paths(world)
    story = Inquiry.objects.get(pk=int(paths[0].split("/")[2]))
    do_update_inquiry(world.people["teacher"], story,
                      team=Team.objects.get(name="Grade 3 team"))
    for viewport in (DESKTOP, PHONE):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, world.people["colleague"].email, PASSWORD)
        response = page.goto(live_server.url + paths[7])
        assert response is not None and response.status == 200
        assert page.get_by_role("alert").get_by_text("You cannot delete this measure").count()
        assert page.get_by_role("button", name="Delete the measure").count() == 0
        assert run_axe(page) == [], f"refused deletion at {viewport['width']}px"
