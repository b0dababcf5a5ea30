"""The money pages at 390 and 1280 px wide: the coordinator's stipend ledger (and its error
summary for a month outside the chosen school year), the district totals, the list of CEU
transcripts and an educator's transcript, and Jamie's own transcript, have no axe
violations and no sideways scrolling, and break no Content-Security-Policy rule."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_money_pages_read_accessibly(world: Any, live_server: Any, page_factory: Any,
                                         viewport: dict[str, int]) -> None:
    from uptake.credentials.tests import money_scenario

    money_scenario.build(world)
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in _paths(world):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert run_axe(page) == [], path
        assert fits(page, viewport["width"]), path
    page.goto(live_server.url + "/credentials/stipends/?month=2026-10&year=2025")
    assert "is not in the school year 2025-26" in page.get_by_role("alert").inner_text()


def _paths(world: Any) -> tuple[str, ...]:
    jamie = world.people["teacher"].pk
    return ("/credentials/stipends/", "/credentials/stipends/?month=2026-10&year=2025",
                 f"/credentials/stipends/?month=2026-10&school={world.cedar.pk}",
                 "/credentials/totals/", "/credentials/transcripts/",
                 f"/credentials/transcript/{jamie}/?start_year=2026&end_year=2026")


def test_its_pages_break_no_content_security_policy(world: Any, live_server: Any,
                                                    page_factory: Any) -> None:
    from uptake.credentials.tests import money_scenario

    money_scenario.build(world)
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in _paths(world):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_she_reads_her_own_transcript_on_a_phone(world: Any, live_server: Any,
                                                 page_factory: Any) -> None:
    from uptake.credentials.tests import money_scenario

    money_scenario.build(world)
    page = page_factory(viewport=PHONE, bypass_csp=True)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    page.goto(f"{live_server.url}/credentials/transcript/{world.people['teacher'].pk}/")
    page.wait_for_load_state("networkidle")
    assert run_axe(page) == [] and fits(page, PHONE["width"])
    assert "CEUs in all" in page.get_by_role("main").inner_text()
