"""A teacher walks the inquiry loop in a real browser: start an inquiry, add a measure,
enter a week of data in the grid (keyboard only), and read the verdict on the study view.
axe-core reports no violations on any page, at desktop and phone sizes."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page: Any, where: str) -> None:
    if not AXE_ON:
        return
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"


AXE_ON = True


def _go(page: Any, locator: Any) -> None:
    """Click a link or a submit button and wait until the page it leads to has loaded
    (a bare click returns once the navigation starts, and axe injected then finds no
    document to add itself to)."""
    with page.expect_navigation():
        locator.click()


def _walk(page: Any, base: str, world: Any, suffix: str) -> str:
    page.goto(f"{base}/inquiries/")
    _axe(page, "inquiry list")
    _go(page, page.get_by_role("link", name="Start an inquiry"))
    _axe(page, "start an inquiry")
    page.get_by_label("Title").fill(f"Math talk {suffix}")
    page.get_by_label("Prediction").fill("Half the class will explain their thinking.")
    _go(page, page.get_by_role("button", name="Start inquiry"))
    _axe(page, "inquiry page")
    _go(page, page.get_by_role("link", name="Add a measure").first)
    _axe(page, "add a measure")
    page.get_by_label("Name").fill("Exit ticket")
    page.get_by_label("Lowest possible value").fill("0")
    page.get_by_label("Highest possible value").fill("4")
    page.get_by_label("Change date").fill("2026-09-10")
    # The class measured, not the comparison class of the same name below it.
    page.get_by_role("group", name="Your classes").get_by_label(
        "Grade 3 ELA - Room 12 (Cedar Elementary)").check()
    _go(page, page.get_by_role("button", name="Add measure"))
    _axe(page, "measure page")
    _go(page, page.get_by_role("link", name="Enter data for Grade 3 ELA - Room 12"))
    _axe(page, "data entry grid")
    page.get_by_label("Date").fill("2026-09-07")
    first = world.students[0]
    page.get_by_label(first.display_name).click()
    # Keyboard only: type a value and Tab down the column; one student left missing.
    for i, _student in enumerate(world.students):
        page.keyboard.type("" if i == 5 else str(i % 5))
        page.keyboard.press("Tab")
    _go(page, page.get_by_role("button", name="Save"))
    assert "Saved Grade 3 ELA - Room 12, 2026-09-07" in page.content()
    _axe(page, "measure page with data")
    _go(page, page.get_by_role("link", name="Study the results"))
    _axe(page, "study view")
    study = page.content()
    _go(page, page.get_by_role("link", name="← Exit ticket"))
    _go(page, page.get_by_role("link", name=f"← Math talk {suffix}"))
    _go(page, page.get_by_role("link", name="Cycle 1"))
    _axe(page, "cycle page")
    page.get_by_label("Adapt").check()
    page.get_by_label("Why").fill("Add written sentence stems.")
    _go(page, page.get_by_role("button", name="Save decision"))
    _go(page, page.get_by_role("button", name="Start cycle 2 from this decision"))
    assert "Carried forward from cycle 1 (adapt)" in page.content()
    _axe(page, "cycle 2")
    return study


def test_it_walks_the_loop_with_no_axe_violations(world: Any, live_server: Any,
                                                  page_factory: Any) -> None:
    teacher = world.people["teacher"]
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        # axe is injected as a script, so the policy is bypassed for this walk only.
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, teacher.email, PASSWORD)
        study = _walk(page, live_server.url, world, suffix)
        assert "Verdict:" in study and "Not enough data" in study
        assert "at least 8 are needed" in study


def test_it_walks_the_loop_without_breaking_the_content_security_policy(
        world: Any, live_server: Any, page_factory: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(sys.modules[__name__], "AXE_ON", False)
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    assert "Verdict:" in _walk(page, live_server.url, world, "csp")
    assert problems == []
