"""Her Open Badge page (issued, shared, with its downloads and share switch) and the
badge's public verification page read at 1280 and 390 px wide: no axe violations and no
sideways scroll; under the real Content-Security-Policy the public page breaks no rule."""

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
def test_her_badge_page_and_its_public_page_read_accessibly(
        viewport: dict[str, int], world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.badges.tests.fixtures import issued

    badge = issued(world)
    base, w = live_server.url, viewport["width"]
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    sign_in(page, base, world.people["teacher"].email, PASSWORD)

    page.goto(f"{base}/badges/award/{badge.award_id}/")
    assert page.get_by_role("heading", name="Download your badge").is_visible()
    _checked(page, f"her badge page, not shared, at {w}px")
    page.get_by_role("button", name="Turn the public page on").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Link to your public page").is_visible()
    assert page.get_by_role("link", name="Add to LinkedIn profile").is_visible()
    _checked(page, f"her badge page, shared, at {w}px")

    page.get_by_role("link", name="Open the public page").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Verification").is_visible()
    assert page.get_by_text("Verified", exact=True).is_visible()
    _checked(page, f"the public page at {w}px")
    page.get_by_text("Each check").click()
    _checked(page, f"the public page's checks at {w}px")


def test_the_public_page_keeps_the_content_security_policy(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.badges.actions import do_set_shared
    from uptake.badges.tests.fixtures import issued

    badge = do_set_shared(issued(world), actor=world.people["teacher"], shared=True)
    page = page_factory(viewport=PHONE)  # the real policy
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text
            else None)
    page.goto(f"{live_server.url}/badges/{badge.uuid}/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("img", name="The badge for Academic conversations").is_visible()
    assert page.evaluate("() => document.querySelector('img.badge-picture').naturalWidth"
                         ) == 600
    assert refused == []
