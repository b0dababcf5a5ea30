"""A family reads a shared story at 1280 and 390 px, in English and in Spanish: no axe
violations, no sideways scrolling, large type, the phone's chart on a phone, and no
Content-Security-Policy rule broken."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _shared(world: Any) -> str:
    from uptake.stories.tests import examples_share, fixtures

    examples_share.photo(world)
    _, secret = fixtures.share_link(world)
    return f"/s/{secret}/"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_family_view_reads_accessibly(world: Any, live_server: Any, page_factory: Any,
                                          viewport: dict[str, int], lang: str) -> None:
    path = _shared(world)
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is injected
    page.goto(f"{live_server.url}{path}?lang={lang}")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == lang
    heading = "Lo que muestran los números" if lang == "es" else "What the numbers show"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("img", name="Chart paper with the class's strategies").is_visible()
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18, "family type is at least 1.125rem"
    narrow = page.locator(".chart-narrow").first.is_visible()
    assert narrow is (viewport is PHONE), "the phone's chart on a phone, the wide one else"
    assert run_axe(page) == [] and fits(page)

    summary = "Los números del gráfico" if lang == "es" else "The numbers behind the chart"
    page.get_by_text(summary).first.click()
    assert page.get_by_role("table").first.is_visible()
    assert run_axe(page) == [] and fits(page)

    other = "English" if lang == "es" else "Español"
    page.get_by_role("link", name=other).click()
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == ("en" if lang == "es" else "es")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_dead_link_reads_accessibly(world: Any, live_server: Any, page_factory: Any,
                                      viewport: dict[str, int]) -> None:
    page = page_factory(viewport=viewport, bypass_csp=True)
    response = page.goto(f"{live_server.url}/s/{'n' * 43}/?lang=es")
    assert response is not None and response.status == 404
    assert "no abre ninguna historia" in page.content()
    assert run_axe(page) == [] and fits(page)


def test_the_family_view_breaks_no_content_security_policy(world: Any, live_server: Any,
                                                           page_factory: Any) -> None:
    path = _shared(world)
    page = page_factory(viewport=PHONE)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    for lang in ("en", "es"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/s/{'n' * 43}/")
    assert problems == []
