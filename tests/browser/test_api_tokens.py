"""A teacher makes an API token from her account page, sees its secret once with a copy
button, and revokes it; a coordinator registers an integration and sees its secret once.
Every page passes axe-core at desktop and phone size; with the Content-Security-Policy
enforced, the copy button's script (the site's own, with the page's nonce) works."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"
    # Nothing (a long secret, the curl example) widens the page past the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        f"{where}: the page scrolls sideways"


def _watch_csp(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_teacher_makes_a_token_sees_it_once_and_revokes_it(
        viewport: dict[str, int], world: Any, live_server: Any, page_factory: Any) -> None:
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="API tokens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    assert page.get_by_text("You have no tokens.").is_visible()
    _checked(page, f"token list at {viewport['width']}px")

    page.get_by_role("link", name="Make a token").click()
    _checked(page, f"token form at {viewport['width']}px")
    page.get_by_label("Name").fill("Nightly export")
    page.get_by_label("Read (Inquiries, measures and scores)").check()
    page.get_by_role("button", name="Make the token").click()

    secret_box = page.get_by_label("Token", exact=True)
    secret = secret_box.input_value()
    assert secret.startswith("upt_")
    page.get_by_role("button", name="Copy token").wait_for()  # shown by its deferred script
    assert page.get_by_text(f'curl -H "Authorization: Bearer {secret}"').is_visible()
    _checked(page, f"token made at {viewport['width']}px")

    page.reload()
    assert page.get_by_text("was shown once").is_visible()
    assert secret not in page.content()

    page.get_by_role("link", name="Back to your tokens").click()
    assert secret not in page.content()
    page.get_by_role("link", name="Revoke Nightly export").click()
    _checked(page, f"revoke confirmation at {viewport['width']}px")
    page.get_by_role("button", name="Revoke the token").click()
    assert page.get_by_text("Revoked the token “Nightly export”").is_visible()
    assert page.locator("td .badge").inner_text() == "Revoked"
    _checked(page, f"token list after revoking at {viewport['width']}px")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_coordinator_registers_an_integration(
        viewport: dict[str, int], world: Any, live_server: Any, page_factory: Any) -> None:
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="District API access and integrations").click()
    _checked(page, f"district API access at {viewport['width']}px")
    page.get_by_role("link", name="Register an integration").click()
    _checked(page, f"integration form at {viewport['width']}px")
    page.get_by_label("Name").fill("SIS roster sync")
    page.get_by_label("Read (Classes, students and roster imports)").check()
    page.get_by_role("button", name="Register the integration").click()
    secret = page.get_by_label("Client secret", exact=True).input_value()
    assert secret.startswith("upc_")
    page.get_by_role("button", name="Copy client secret").wait_for()
    _checked(page, f"integration made at {viewport['width']}px")
    page.get_by_role("link", name="Make a new secret").click()
    _checked(page, f"rotate confirmation at {viewport['width']}px")
    page.get_by_role("link", name="Cancel").click()
    assert secret not in page.content()


def test_the_copy_button_works_with_the_content_security_policy_enforced(
        world: Any, live_server: Any, page_factory: Any) -> None:
    page = page_factory()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = _watch_csp(page)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(live_server.url + "/settings/api-tokens/new/")
    page.get_by_label("Name").fill("Export")
    page.get_by_label("Read (Inquiries, measures and scores)").check()
    page.get_by_role("button", name="Make the token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    page.get_by_role("button", name="Copy token").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert problems == []
