"""The district view's pages, on the demo district, at 390 and 1280 px wide: the district
dashboard, a program (its dashboard with Guskey's five levels, and its page), answering a
survey, and the make-your-case page. Each has no axe violations (WCAG 2.x A and AA) and no
sideways scrolling at either width; the survey is answered and the make-your-case page
keeps its numbers in its printed form."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "coordinator@maple-valley.example.org"
SIZES = (PHONE, DESKTOP)


def _demo() -> None:
    call_command("demo", stdout=StringIO())


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def too_wide(page: Any, width: int) -> list[str]:
    """The innermost elements reaching past the viewport's right edge (what to fix)."""
    return list(page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > width + 1
                       && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className
                       ? '.' + e.className.split(' ').join('.') : '')
                    + ' (' + Math.round(e.getBoundingClientRect().right) + ' px): '
                    + (e.textContent || '').trim().slice(0, 40))""", width))


# Pages known to scroll sideways on a phone, reported to the district view's owner: while
# a path is listed the test says so as an expected failure (everything else it checks still
# must pass); once fixed, it is dropped from here. None now: the district dashboard and the
# program dashboard fit 390 px (uptake/district/static/district/district.css).
KNOWN_TOO_WIDE: tuple[str, ...] = ()


def _check(page: Any, url: str, width: int, too_wide_seen: list[str] | None = None) -> str:
    """Open the page; no axe violations, no sideways scrolling; return its main text."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert run_axe(page) == [], url
    if not fits(page, width):
        path = "/" + url.split("/", 3)[3]
        problem = f"{path} scrolls sideways at {width} px: {too_wide(page, width)}"
        assert too_wide_seen is not None and path.startswith(KNOWN_TOO_WIDE), problem
        too_wide_seen.append(problem)
    return str(page.get_by_role("main").inner_text())


def _signed_in(page_factory: Any, base: str, viewport: dict[str, int], email: str) -> Any:
    from uptake.demo.actions import DEMO_PASSWORD

    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, base, email, DEMO_PASSWORD)
    return page


def test_the_district_dashboard_reads_at_both_sizes(live_server: Any,
                                                    page_factory: Any) -> None:
    from uptake.accounts.models import School
    from uptake.demo.roles import school_leader

    _demo()
    leader = school_leader(School.objects.order_by("name")[0])
    wide: list[str] = []
    for viewport in SIZES:
        page = _signed_in(page_factory, live_server.url, viewport, COORDINATOR)
        text = _check(page, f"{live_server.url}/district/", viewport["width"], wide)
        assert "Math Talk coaching cycle" in text
        assert "Sustained improvement" in text
        if leader is not None:
            page = _signed_in(page_factory, live_server.url, viewport, leader.email)
            _check(page, f"{live_server.url}/district/", viewport["width"], wide)
    if wide:
        pytest.xfail("; ".join(wide))


def test_a_program_reads_at_both_sizes(live_server: Any, page_factory: Any) -> None:
    from uptake.programs.models import Program

    _demo()
    program = Program.objects.get(name="Math Talk coaching cycle")
    wide: list[str] = []
    for viewport in SIZES:
        page = _signed_in(page_factory, live_server.url, viewport, COORDINATOR)
        text = _check(page, f"{live_server.url}/district/programs/{program.pk}/",
                      viewport["width"], wide)
        for level in range(1, 6):
            assert f"Level {level}" in text  # all five levels, empty ones included
        _check(page, f"{live_server.url}/programs/{program.pk}/", viewport["width"])
    if wide:
        pytest.xfail("; ".join(wide))


def test_a_teacher_answers_a_survey_at_both_sizes(live_server: Any,
                                                  page_factory: Any) -> None:
    from uptake.accounts.models import District
    from uptake.demo.actions import DEMO_SLUG
    from uptake.demo.stories import demo_teacher
    from uptake.surveys.models import Survey

    _demo()
    teacher = demo_teacher(District.objects.get(slug=DEMO_SLUG))
    assert teacher is not None
    survey = Survey.objects.get(title__startswith="Next year's professional learning")
    url = f"{live_server.url}/surveys/{survey.pk}/answer/"
    pages = {}
    for viewport in SIZES:
        pages[viewport["width"]] = page = _signed_in(page_factory, live_server.url, viewport,
                                                     teacher.email)
        _check(page, url, viewport["width"])
    page = pages[PHONE["width"]]
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").count() == 1  # the required questions, listed
    assert run_axe(page) == [] and fits(page, PHONE["width"])
    for fieldset in page.locator("fieldset").all():
        radios = fieldset.get_by_role("radio")
        if radios.count():
            radios.nth(min(3, radios.count() - 1)).check()
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_load_state("networkidle")
    assert run_axe(page) == [] and fits(page, PHONE["width"])
    assert survey.responses.count() == 7  # the six the demo gave, and hers
    assert not survey.responses.filter(person__isnull=False).exists()


def test_make_your_case_reads_at_both_sizes(live_server: Any, page_factory: Any) -> None:
    _demo()
    for viewport in SIZES:
        page = _signed_in(page_factory, live_server.url, viewport, COORDINATOR)
        text = _check(page, f"{live_server.url}/reports/case/", viewport["width"])
        assert "Maple Valley" in text
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/reports/case/")
    assert "$" in page.get_by_role("main").inner_text()  # the spending, in print too
