"""The coordinator's Open Badges pages at 390 and 1280 px wide: the issuer (and its
profile form's error summary), adding a key, the issued credentials (filtered too, one
revoked) and the awards not issued have no axe violations and no sideways scrolling, and
break no Content-Security-Policy rule."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def scenario(w: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jamie's badge (shared), Asha's (revoked), Miguel's award not issued."""
    from uptake.badges.actions import do_revoke, do_set_shared
    from uptake.badges.tests.fixtures import issued
    from uptake.badges.tests.test_the_coordinator_s_issuer_pages import broken_award

    do_set_shared(issued(w), actor=w.people["teacher"], shared=True)
    do_revoke(issued(w, "colleague"), actor=w.people["coordinator"],
              reason="Awarded to the wrong person")
    broken_award(w, monkeypatch, "outsider")


PATHS = ("/badges/issuer/", "/badges/issuer/keys/ed25519/new", "/badges/issued/",
         "/badges/issued/?q=asha&state=revoked", "/badges/problems/")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_issuer_pages_read_accessibly(world: Any, live_server: Any, page_factory: Any,
                                          monkeypatch: pytest.MonkeyPatch,
                                          viewport: dict[str, int]) -> None:
    scenario(world, monkeypatch)
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in PATHS:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert run_axe(page) == [], path
        assert fits(page, viewport["width"]), path

    page.goto(live_server.url + "/badges/issuer/")
    page.get_by_label("Web site").fill("maple dot org")
    page.get_by_role("button", name="Save the profile").click()
    page.wait_for_load_state("networkidle")
    assert "starting with https://" in page.get_by_role("alert").inner_text()
    assert run_axe(page) == []
    assert fits(page, viewport["width"])


def test_its_pages_break_no_content_security_policy(world: Any, live_server: Any,
                                                    page_factory: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    scenario(world, monkeypatch)
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in PATHS:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []
