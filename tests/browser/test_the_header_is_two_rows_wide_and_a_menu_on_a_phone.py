"""The header: two rows at 1280 px, the brand and a Menu button on a 390 px phone.

Issue 10 (seen 7) measured the header wrapping to 145 px for a teacher and 250 px for a
coordinator on a phone, and to two rows even at 1280 px. Now, for the teacher and the
coordinator (the role with the most entries): on the phone the header is no taller than
64 px, the Menu button (a <details>, which opens without any script) shows every entry, each
a 44 px tap target inside the screen, and axe passes with the menu closed and open; at
1280 px the brand, the person's name and "Sign out" sit in one row, every entry in one row
under it (each app's entry needs room: a teacher has ten), and no Menu button shows.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["teacher", "coordinator"]
COMPACT_HEADER = 64  # CSS px: one 44 px tap target and its padding
ENTRIES = "nav[aria-label=Main] a"


def _height(page: Any, selector: str) -> float:
    return float(page.eval_on_selector(selector, "e => e.getBoundingClientRect().height"))


def _signed_in(page_factory: Any, live_server: Any, person: Any, viewport: dict[str, int]) -> Any:
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, person.email, PASSWORD)
    return page


def _header_controls(page: Any) -> list[Any]:
    entries = page.locator(ENTRIES)
    return [*(entries.nth(i) for i in range(entries.count())),
            page.locator(".site-header a.who"),
            page.get_by_role("button", name="Sign out")]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_keeps_the_phone_header_compact_and_its_menu_opens_every_entry(
        persona: str, world: Any, live_server: Any, page_factory: Any) -> None:
    page = _signed_in(page_factory, live_server, world.people[persona], PHONE)
    assert _height(page, ".site-header") <= COMPACT_HEADER
    entries = page.locator(ENTRIES)
    assert entries.count() >= 3, f"{persona} has too few entries to prove anything"
    assert not entries.first.is_visible(), "the menu should start closed on a phone"
    assert run_axe(page) == []

    menu = page.locator("summary.menu-button")
    box = menu.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    menu.focus()
    page.keyboard.press("Enter")  # a keyboard opens it as well as a finger
    assert page.eval_on_selector("details.site-menu", "e => e.open")
    for control in _header_controls(page):
        control.scroll_into_view_if_needed()
        assert control.is_visible()
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert _height(page, ".site-header") <= COMPACT_HEADER  # the panel drops over the page
    assert run_axe(page) == []

    last = entries.nth(entries.count() - 1)
    target = last.get_attribute("href")
    last.click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + target
    assert page.locator(f"{ENTRIES}[aria-current=page]").get_attribute("href") == target


def _middle(page: Any, locator: Any) -> int:
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box is not None
    return round(box["y"] + box["height"] / 2)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_puts_the_account_beside_the_brand_and_every_entry_in_one_row_at_1280_px(
        persona: str, world: Any, live_server: Any, page_factory: Any) -> None:
    page = _signed_in(page_factory, live_server, world.people[persona], DESKTOP)
    assert not page.locator("summary.menu-button").is_visible()
    assert _height(page, ".site-header") <= 2 * COMPACT_HEADER
    top = {_middle(page, page.locator(".site-header .brand")),
           _middle(page, page.locator(".site-header a.who")),
           _middle(page, page.get_by_role("button", name="Sign out"))}
    assert max(top) - min(top) <= 4, f"{persona}'s brand and account rows differ: {top}"
    entries = page.locator(ENTRIES)
    menu = {_middle(page, entries.nth(i)) for i in range(entries.count())}
    assert max(menu) - min(menu) <= 4, f"{persona}'s menu breaks into rows: {sorted(menu)}"
    assert min(menu) > max(top), "the menu sits in its own row under the brand"
    page.locator(ENTRIES).first.focus()  # reachable from the keyboard, not only by a click
    assert page.evaluate("document.activeElement.closest('nav') !== null")
    assert run_axe(page) == []


def test_it_opens_the_phone_menu_with_scripts_turned_off(
        world: Any, live_server: Any, browser: Any) -> None:
    """A <details> needs no script: a phone whose scripts failed still reaches every page."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
        entries = page.locator(ENTRIES)
        assert not entries.first.is_visible()
        page.locator("summary.menu-button").click()
        for control in _header_controls(page):
            assert control.is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        assert "/accounts/login/" in page.url
    finally:
        context.close()
