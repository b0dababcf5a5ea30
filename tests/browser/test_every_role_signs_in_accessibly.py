"""Each role signs in through the real login page and finds accessible pages.

axe-core must report zero violations on every page reached from the main navigation, at
desktop and at phone size; and with the Content-Security-Policy enforced, no page logs a
CSP violation (no inline script or style slipped in).
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["teacher", "coach", "assessor", "leader", "coordinator", "researcher"]


def _nav_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("nav[aria-label=Main] a", "els => els.map(e => e.href)")
    return list(dict.fromkeys(hrefs))


@pytest.mark.parametrize("persona", ROLES)
def test_it_lets_each_role_sign_in_and_browse_with_no_axe_violations(
    persona: str, world: Any, live_server: Any, page_factory: Any
) -> None:
    user = world.people[persona]
    for viewport in (DESKTOP, PHONE):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, user.email, PASSWORD)
        assert page.url.rstrip("/") == live_server.url, f"{persona} did not land on home"
        assert page.get_by_role("heading", level=1).first.is_visible()
        for url in [live_server.url + "/", *_nav_links(page)]:
            page.goto(url)
            violations = run_axe(page)
            assert violations == [], f"{persona} at {viewport['width']}px on {url}: {violations}"


def test_it_serves_pages_that_break_no_content_security_policy(
    world: Any, live_server: Any, page_factory: Any
) -> None:
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for url in [live_server.url + "/", *_nav_links(page)]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_it_shows_the_login_page_accessibly_to_a_visitor(live_server: Any,
                                                         page_factory: Any) -> None:
    page = page_factory(viewport=PHONE, bypass_csp=True)
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert run_axe(page) == []
