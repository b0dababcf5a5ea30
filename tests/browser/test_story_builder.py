"""The teacher's story pages read at desktop and phone size with no axe violations and no
sideways scroll: she starts the story from her inquiry, writes it (and is warned of a
causal claim), ticks a chart and a piece of evidence, previews, publishes, makes a share
link and copies it (the copy button's script runs under the Content-Security-Policy)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        f"{where}: the page scrolls sideways"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_teacher_builds_publishes_and_shares_her_story(
        viewport: dict[str, int], world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.evidence.actions import do_add_artifact
    from uptake.stories.tests import fixtures
    from uptake.stories.tests.examples_builder import consent

    teacher = world.people["teacher"]
    inquiry = fixtures.inquiry_with_data(world)
    do_add_artifact(teacher, kind="text", title="Talk-moves card", guskey_level=3,
                    identifies_students=False, body="I agree with … because …",
                    inquiry=inquiry)
    do_add_artifact(teacher, kind="text", title="Pairs at the board", guskey_level=4,
                    identifies_students=True, body="Two pairs explain.", inquiry=inquiry)
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    w = viewport["width"]
    sign_in(page, live_server.url, teacher.email, PASSWORD)

    page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/")
    page.get_by_role("button", name="Tell the story").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Story builder: Math talk"
    page.get_by_text("Needs consent").wait_for()
    page.get_by_text("Nothing yet").first.wait_for()
    _checked(page, f"builder at {w}px")

    page.get_by_label("What happened for my students").fill(
        "Because of the PD, more students explained their thinking.")
    page.get_by_role("button", name="Save your words").click()
    page.get_by_text("Check the wording").wait_for()
    _checked(page, f"builder with a wording note at {w}px")

    page.get_by_label(world.section.title, exact=True).check()  # her one class
    page.get_by_role("button", name="Save the charts").click()
    page.get_by_text("Saved the charts.").wait_for()
    page.get_by_label("Show it in the story").first.check()
    page.get_by_role("button", name="Save the evidence shown").click()
    page.get_by_text("Saved the evidence shown.").wait_for()

    page.get_by_role("link", name="Preview as families see it").click()
    page.get_by_text("exactly as families would see it").wait_for()
    _checked(page, f"preview at {w}px")
    page.get_by_role("button", name="Publish the story").click()
    page.get_by_text("Published.").first.wait_for()
    _checked(page, f"story page at {w}px")

    page.get_by_label("Who the link is for").fill("Families, room 12")
    page.get_by_role("button", name="Make the link").click()
    link = page.get_by_label("Link", exact=True).input_value()
    assert "/s/" in link
    page.get_by_role("button", name="Copy link").wait_for()  # shown by its deferred script
    _checked(page, f"link made at {w}px")
    page.get_by_role("link", name="Back to the story's links").click()
    page.get_by_role("heading", name="Families, room 12").wait_for()

    record = consent(world)
    for path in ("/stories/", "/stories/consent/", f"/stories/consent/{record.pk}/withdraw/",
                 f"/stories/consent/artifact/{record.artifact_id}/",
                 f"/stories/{inquiry.story.pk}/unpublish/",
                 f"/stories/{inquiry.story.pk}/delete/"):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        _checked(page, f"{path} at {w}px")
