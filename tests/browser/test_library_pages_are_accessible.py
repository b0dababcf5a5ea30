"""The library reads at 1280 and 390 px wide: the list with its filters, a practice with
where it was tried, and the share-your-practice form (with its error summary) have no axe
violations, no sideways scrolling, and break no Content-Security-Policy rule."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def _shelf(world: Any) -> Any:
    from uptake.library.actions import do_add_trial
    from uptake.library.tests.examples import practice
    from uptake.library.tests.helpers import inquiry_with_verdict

    made = practice(world, title="Turn-and-talk with sentence stems for explaining "
                                 "mathematical thinking in grade three")
    made.standard_codes = "|CCSS.MATH.CONTENT.3.OA.A.1|CCSS.MATH.PRACTICE.MP3|"
    made.save()
    do_add_trial(made, actor=world.people["colleague"], inquiry=inquiry_with_verdict(world),
                 note="Used picture stems.")
    return made


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_library_reads_accessibly(world: Any, live_server: Any, page_factory: Any,
                                      viewport: dict[str, int]) -> None:
    made = _shelf(world)
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, world.people["colleague"].email, PASSWORD)

    page.goto(live_server.url + "/library/?grade=03&subject=Mathematics")
    assert page.get_by_role("link", name=made.title).is_visible()
    assert run_axe(page) == [] and fits(page, viewport["width"])

    page.get_by_role("link", name=made.title).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == made.title
    assert "Sustained improvement" in page.content()
    assert run_axe(page) == [] and fits(page, viewport["width"])

    page.goto(live_server.url + "/library/new/")
    assert run_axe(page) == [] and fits(page, viewport["width"])
    page.get_by_label("Resource links").fill("Poster javascript:alert(1)")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_role("alert").inner_text()
    assert "Title: This field is required." in summary
    assert run_axe(page) == [] and fits(page, viewport["width"])
    page.get_by_label("Title", exact=True).fill("Number talks")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_load_state("networkidle")
    assert "Line 1" in page.get_by_role("alert").inner_text()
    assert run_axe(page) == [] and fits(page, viewport["width"])

    page.goto(live_server.url + f"/library/{made.pk}/tried/")
    assert run_axe(page) == [] and fits(page, viewport["width"])


def test_its_pages_break_no_content_security_policy(world: Any, live_server: Any,
                                                    page_factory: Any) -> None:
    made = _shelf(world)
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    for path in ["/library/", "/library/mine/", "/library/new/", f"/library/{made.pk}/",
                 f"/library/{made.pk}/edit/", f"/library/{made.pk}/delete/",
                 f"/library/{made.pk}/tried/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []
