"""The educator's micro-credential pages read at 1280 and 390 px wide: the catalog, a
credential's rubric, the builder of returned work (its feedback on top), her work page and
the withdraw confirmation have no axe violations and no sideways scroll; and under the
real Content-Security-Policy the reflection's word count moves as she types and the
draft saves itself (htmx), with the pre-check refreshed."""

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
def test_the_educator_s_pages_read_accessibly(viewport: dict[str, int], world: Any,
                                              live_server: Any, page_factory: Any) -> None:
    from uptake.credentials.tests import fixtures as f
    from uptake.credentials.tests.examples_educator import with_image

    version = with_image(f.credential(world))
    returned = f.returned(world)
    base, w = live_server.url, viewport["width"]
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    sign_in(page, base, world.people["teacher"].email, PASSWORD)

    page.goto(f"{base}/credentials/")
    assert page.get_by_role("heading", name=version.title).is_visible()
    _checked(page, f"catalog at {w}px")
    page.goto(f"{base}/credentials/{version.pk}/")
    assert page.get_by_role("table", name="Scoring guide for Learning").count() == 1
    _checked(page, f"rubric at {w}px")
    page.goto(f"{base}/credentials/work/{returned.pk}/")
    assert page.get_by_role("heading", name="Feedback on round 1").is_visible()
    _checked(page, f"returned builder at {w}px")
    page.goto(f"{base}/credentials/mine/")
    _checked(page, f"her work at {w}px")
    page.goto(f"{base}/credentials/work/{returned.pk}/withdraw/")
    _checked(page, f"withdraw at {w}px")


def test_the_draft_saves_itself_and_counts_words_under_the_csp(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.credentials.actions import do_start_submission
    from uptake.credentials.tests import fixtures as f

    draft = do_start_submission(f.tier(world, "implementation"), actor=world.people["teacher"])
    page = page_factory(viewport=PHONE)  # the real policy: no inline script runs
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text
            else None)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(f"{live_server.url}/credentials/work/{draft.pk}/")
    assert "Write your reflection" in page.locator("#precheck").inner_text()
    page.locator("#id_reflection").fill("Pairs used the sentence starters every day")
    assert page.locator("#word-count").inner_text().startswith("7 words")
    page.locator("#save-status").get_by_text("Saved").wait_for(timeout=10_000)
    assert "7 words; write at least 243 more." in page.locator("#precheck").inner_text()
    draft.refresh_from_db()
    assert draft.reflection == "Pairs used the sentence starters every day"
    assert refused == []
