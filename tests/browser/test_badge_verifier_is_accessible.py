"""The verifier page in a browser, signed out: the empty form, a bad paste's error and a
result page pass axe-core at desktop and phone size, nothing is wider than a phone, and
with the Content-Security-Policy enforced no page logs a violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[2] / "uptake" / "openbadges" / "tests" / "data"


def _fits(page: Any) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _watch_csp(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_verifier_is_accessible_empty_with_an_error_and_with_a_result(
        world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int]) -> None:
    from uptake.badges.actions import do_set_shared
    from uptake.badges.tests.fixtures import issued

    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is injected inline
    page.goto(live_server.url + "/verify/")
    assert page.get_by_role("heading", level=1).inner_text() == "Verify an Open Badge"
    assert run_axe(page) == []
    assert _fits(page)

    page.get_by_label("Or paste the credential").fill("not a credential")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("networkidle")
    assert "could not be read" in page.get_by_role("alert").inner_text()
    assert run_axe(page) == []
    assert _fits(page)

    page.get_by_label("Or paste the credential").fill("")
    page.get_by_label("A credential file").set_input_files(
        str(DATA / "validator" / "simple-json.baked.png"))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("networkidle")
    assert "Verified" in page.get_by_role("heading", level=2).first.inner_text()
    assert run_axe(page) == []
    assert _fits(page)

    badge = issued(world)
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    page.goto(f"{live_server.url}/verify/?credential={badge.uuid}")
    assert badge.award.version.title in page.get_by_role("heading", level=2).first.inner_text()
    assert run_axe(page) == []
    assert _fits(page)

    enforced = page_factory(viewport=viewport)
    csp = _watch_csp(enforced)
    for url in ("/verify/", f"/verify/?credential={badge.uuid}"):
        enforced.goto(live_server.url + url)
        enforced.wait_for_load_state("networkidle")
    assert csp == []
