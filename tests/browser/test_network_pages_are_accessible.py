"""The network pages at 390 and 1280 px wide: the coordinator's map of the demo district
(its SVG and the table of every node's measures, the informal broker called out) and a
school leader's aggregate, a
teacher's ego network and naming a tie, the change log (a change recorded through the
form, then seen in the log and the reports), the edge-list import (a file with an error
names its row and column; then a good file) and an online-community import (uploaded,
read, its measures shown). Each page has no axe violations (WCAG 2.x A and AA) and no
sideways scrolling at either width."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOMAIN = "@maple-valley.example.org"
COORDINATOR = f"coordinator{DOMAIN}"
TEACHER = f"inguyen14{DOMAIN}"
SIZES = (PHONE, DESKTOP)


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
                    + ' (' + Math.round(e.getBoundingClientRect().right) + ' px): '
                    + (e.textContent || '').trim().slice(0, 40))""", width))


def _demo() -> None:
    call_command("demo", stdout=StringIO())


def _signed_in(page_factory: Any, base: str, viewport: dict[str, int], email: str,
               password: str | None = None) -> Any:
    from uptake.demo.actions import DEMO_PASSWORD

    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, base, email, password or DEMO_PASSWORD)
    return page


def _fine(page: Any, width: int) -> str:
    """The page as it is now: no axe violations, no sideways scrolling; its main text."""
    page.wait_for_load_state("networkidle")
    assert run_axe(page) == [], page.url
    assert fits(page, width), f"{page.url} scrolls sideways at {width} px: " \
                              f"{too_wide(page, width)}"
    return str(page.get_by_role("main").inner_text())


def _check(page: Any, url: str, width: int) -> str:
    page.goto(url)
    return _fine(page, width)


def test_the_coordinators_map_shows_the_informal_broker_at_both_sizes(
        live_server: Any, page_factory: Any) -> None:
    _demo()
    for viewport in SIZES:
        page = _signed_in(page_factory, live_server.url, viewport, COORDINATOR)
        text = _check(page, f"{live_server.url}/networks/", viewport["width"])
        informal = text.split("Informal brokers", 1)[1]
        assert informal.lstrip().split("\n")[0] != ""  # the section says something
        assert "Sofia Hughes" in informal.split("The map")[0]
        assert "10 of the 12" in text  # the survey's response rate, said
        drawing = page.locator("main svg[role=img]")
        assert drawing.count() == 1
        assert (drawing.locator("title").first.text_content() or "").strip()
        assert drawing.locator("title", has_text="Sofia Hughes").count() == 1
        table = page.locator("table", has=page.locator("caption", has_text="Measures of"))
        assert table.count() == 1 and "Sofia Hughes" in table.inner_text()
        # A school leader reads her school's aggregate only: no map, no measures by name.
        page = _signed_in(page_factory, live_server.url, viewport, f"dwhitehorse1{DOMAIN}")
        text = _check(page, f"{live_server.url}/networks/", viewport["width"])
        assert "Cedar Elementary School" in text and "Informal brokers" not in text
        assert "Sofia Hughes" not in text and page.locator("main svg[role=img]").count() == 0


def test_a_teacher_reads_her_ego_network_and_names_a_tie_at_both_sizes(
        live_server: Any, page_factory: Any) -> None:
    from uptake.networks.models import Tie

    _demo()
    pages = {}
    for viewport in SIZES:
        pages[viewport["width"]] = page = _signed_in(page_factory, live_server.url,
                                                     viewport, TEACHER)
        text = _check(page, f"{live_server.url}/networks/", viewport["width"])
        assert "Who you learn from" in text and "Ana Kaur" in text
        assert "@mathcoachmaya" in text  # outside the district
        _check(page, f"{live_server.url}/networks/ties/new/", viewport["width"])
    page = pages[PHONE["width"]]
    page.get_by_label("Or someone new outside the district: name").fill("r/MathTeachers")
    page.get_by_label("Kind", exact=True).select_option("community")
    page.get_by_label("Where you meet them").fill("Reddit")
    page.get_by_label("How often").select_option("weekly")
    page.get_by_role("button", name="Name the tie").click()
    text = _fine(page, PHONE["width"])
    assert "r/MathTeachers" in text
    tie = Tie.objects.get(source_contact__name="r/MathTeachers")
    assert tie.target_person is not None and tie.target_person.email == TEACHER
    assert tie.origin == "reported"
    assert tie.frequency == "Weekly"
    # Naming nobody is refused with a message on the form, which still reads well.
    page.goto(f"{live_server.url}/networks/ties/new/")
    page.get_by_role("button", name="Name the tie").click()
    _fine(page, PHONE["width"])
    assert page.get_by_role("alert").count() >= 1
    assert "Choose one person" in page.get_by_role("main").inner_text()


def test_a_change_recorded_through_the_form_shows_in_the_log_and_reports(
        live_server: Any, page_factory: Any) -> None:
    from uptake.networks.models import Change

    _demo()
    before = Change.objects.count()
    pages = {}
    for viewport in SIZES:
        pages[viewport["width"]] = page = _signed_in(page_factory, live_server.url,
                                                     viewport, COORDINATOR)
        text = _check(page, f"{live_server.url}/networks/changes/", viewport["width"])
        assert "Birch lets students reassess against the standard" in text
        _check(page, f"{live_server.url}/networks/changes/reports/", viewport["width"])
        _check(page, f"{live_server.url}/networks/changes/new/", viewport["width"])
    page = pages[PHONE["width"]]
    # The phone records one: a real change at Cedar, from a library practice, two steps.
    page.get_by_label("What changed").fill("Cedar adopts the word-of-the-week routine")
    page.get_by_label("Which school made the change").select_option(
        label="Cedar Elementary School")
    page.get_by_label("Kind of change").select_option("resource_adopted")
    page.get_by_label("Real: a change to policy, practice or how the school runs").check()
    page.get_by_label("When it happened").fill("2026-11-30")
    page.get_by_label("A practice of the library").check()
    page.get_by_label("Which practice of the library").select_option(
        label="Word of the week: say it, act it, draw it, use it")
    page.get_by_label("No, not without it").check()
    page.get_by_label("Step 1: who").select_option(label="Inés Alvarez")
    page.get_by_label("Step 1: what they did").fill("shared the routine at the PLC")
    page.get_by_role("button", name="Record the change").click()
    page.wait_for_load_state("networkidle")
    assert Change.objects.count() == before + 1, page.get_by_role("main").inner_text()
    text = _fine(page, PHONE["width"])
    assert "Cedar adopts the word-of-the-week routine" in text
    page.goto(f"{live_server.url}/networks/changes/")
    assert "Cedar adopts the word-of-the-week routine" in _fine(page, PHONE["width"])
    page.goto(f"{live_server.url}/networks/changes/reports/")
    text = _fine(page, PHONE["width"])
    assert "7 changes: 4 real, 3 soft" in text


def _csv(rows: list[str]) -> bytes:
    return ("from,to,relation,weight\n" + "\n".join(rows) + "\n").encode()


def test_an_edge_list_with_an_error_names_its_row_and_column_then_a_good_one_imports(
        live_server: Any, page_factory: Any, world: Any) -> None:
    from conftest import PASSWORD
    from uptake.networks.models import NetworkImport, Tie

    people = world.people
    good = [f"{people['coach'].email},{people['teacher'].email},advice,3",
            f"{people['teacher'].email},{people['colleague'].email},information,2"]
    bad = [good[0], f"{people['teacher'].email},{people['colleague'].email},gossip,2"]
    for viewport in SIZES:
        page = _signed_in(page_factory, live_server.url, viewport,
                          people["coordinator"].email, PASSWORD)
        _check(page, f"{live_server.url}/networks/imports/", viewport["width"])
        _check(page, f"{live_server.url}/networks/imports/edges/", viewport["width"])
        page.get_by_label("Edge list (.csv or .xlsx)").set_input_files(
            files=[{"name": "ties.csv", "mimeType": "text/csv", "buffer": _csv(bad)}])
        page.get_by_label("Flows: “from shares with, or advises, to” (stored as "
                          "written)").check()
        page.get_by_role("button", name="Import the ties").click()
        _fine(page, viewport["width"])
        problems = page.locator("table", has=page.locator(
            "caption", has_text="Problems in the file"))
        assert problems.count() == 1
        row = problems.locator("tbody tr").first.inner_text()
        assert "3" in row and "relation" in row and "gossip" in row  # row 3: the header is 1
        assert not Tie.objects.exists() and not NetworkImport.objects.exists()
    page.get_by_label("Edge list (.csv or .xlsx)").set_input_files(
        files=[{"name": "ties.csv", "mimeType": "text/csv", "buffer": _csv(good)}])
    page.get_by_label("Flows: “from shares with, or advises, to” (stored as written)").check()
    page.get_by_role("button", name="Import the ties").click()
    _fine(page, DESKTOP["width"])
    assert NetworkImport.objects.get().ties == 2
    assert Tie.objects.filter(source_person=people["coach"],
                              target_person=people["teacher"], relation="advice").exists()


def _export() -> bytes:
    from uptake.demo.networks import community_export

    return community_export()


def test_a_community_import_is_uploaded_read_and_shown_at_both_sizes(
        live_server: Any, page_factory: Any, world: Any) -> None:
    from conftest import PASSWORD
    from uptake.networks.actions.community import run_import
    from uptake.networks.models import CommunityImport

    teacher = world.people["teacher"]
    pages = {}
    for viewport in SIZES:
        pages[viewport["width"]] = page = _signed_in(page_factory, live_server.url,
                                                     viewport, teacher.email, PASSWORD)
        _check(page, f"{live_server.url}/networks/communities/", viewport["width"])
        _check(page, f"{live_server.url}/networks/communities/new/", viewport["width"])
    page = pages[PHONE["width"]]
    page.get_by_label("Community").fill("r/Teachers")
    page.get_by_label("Export (JSON, JSON lines or CSV)").set_input_files(
        files=[{"name": "teachers.jsonl", "mimeType": "application/json",
                "buffer": _export()}])
    page.get_by_role("button", name="Upload and import").click()
    text = _fine(page, PHONE["width"])
    imported = CommunityImport.objects.get(owner=teacher)
    assert imported.get_status_display() in text  # waiting for the background worker
    run_import(imported.pk)  # what the worker does
    imported.refresh_from_db()
    assert imported.status == CommunityImport.Status.DONE, imported.error
    for width, page in pages.items():
        page.goto(f"{live_server.url}/networks/communities/{imported.pk}/")
        text = _fine(page, width)
        assert "Done" in text and "user_0" not in text  # pseudonyms only
        page.goto(f"{live_server.url}/networks/communities/{imported.pk}/coding/")
        assert "user_0" not in _fine(page, width)
