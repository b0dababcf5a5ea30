"""The accounts and audit pages pass axe-core at desktop and phone size, and break no CSP."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR_PATHS = ["/account/", "/people/", "/people/?role=teacher&status=all",
                     "/people/add/", "/people/{jamie}/", "/invitations/", "/audit/",
                     "/audit/?date_from=2026-09-05&date_to=2026-09-01",
                     "/accounts/password/change/", "/accounts/2fa/"]
ENTRANCE_PATHS = ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/",
                  "/invitations/accept/not-a-token/"]


def _pages(page_factory: Any, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    """One page for axe (which injects a script, so CSP bypassed) and one with CSP enforced."""
    axe_page = page_factory(viewport=viewport, bypass_csp=True)
    csp_page = page_factory(viewport=viewport)
    errors: list[str] = []
    csp_page.on("console", lambda m: errors.append(m.text)
                if "Content Security Policy" in m.text else None)
    return axe_page, csp_page, errors


def _check(pages: tuple[Any, Any, list[str]], url: str) -> None:
    axe_page, csp_page, errors = pages
    for page in (axe_page, csp_page):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", level=1).count() == 1, url
    violations = run_axe(axe_page)
    assert violations == [], f"{url}: {violations}"
    assert errors == [], f"{url}: {errors}"


def _sign_in_both(pages: tuple[Any, Any, list[str]], base: str, email: str) -> None:
    for page in pages[:2]:
        sign_in(page, base, email, PASSWORD)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_keeps_the_coordinators_pages_accessible(world: Any, live_server: Any,
                                                   page_factory: Any,
                                                   viewport: dict[str, int]) -> None:
    from uptake.audit.actions import record
    from uptake.audit.models import AuditAction

    record(AuditAction.STUDENT_DATA_READ, actor=world.people["teacher"],
           subjects=["S-AAAA1111"], summary="Class list", details={"n": 1})
    pages = _pages(page_factory, viewport)
    _sign_in_both(pages, live_server.url, "renata@maple.test")
    for path in COORDINATOR_PATHS:
        _check(pages, live_server.url + path.format(jamie=world.people["teacher"].pk))
    axe_page = pages[0]
    axe_page.goto(live_server.url + "/people/add/")
    axe_page.get_by_role("button", name="Add person").click()
    axe_page.wait_for_load_state("networkidle")
    assert axe_page.get_by_role("alert").count() >= 1
    assert run_axe(axe_page) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_keeps_the_entrance_pages_accessible(world: Any, live_server: Any,
                                                page_factory: Any,
                                                viewport: dict[str, int]) -> None:
    pages = _pages(page_factory, viewport)
    for path in ENTRANCE_PATHS:
        _check(pages, live_server.url + path)
    axe_page = pages[0]
    axe_page.goto(live_server.url + "/accounts/login/")
    axe_page.get_by_label("Email").fill("jamie@maple.test")
    axe_page.get_by_label("Password").fill("wrong-password-typed")
    axe_page.get_by_role("button", name="Sign in").click()
    axe_page.wait_for_load_state("networkidle")
    assert axe_page.get_by_role("alert").count() >= 1
    assert run_axe(axe_page) == []


def test_it_keeps_the_invitation_pages_accessible(world: Any, live_server: Any,
                                                  page_factory: Any) -> None:
    import re

    from django.core import mail

    from uptake.accounts.actions import do_invite

    do_invite(actor=world.people["teacher"], email="sam@elsewhere.test",
              purpose="peer_observer")
    link = re.search(r"/invitations/accept/[\w-]+/", str(mail.outbox[-1].body))
    assert link is not None
    pages = _pages(page_factory, PHONE)
    _check(pages, live_server.url + link.group(0))
    _sign_in_both(pages, live_server.url, "jamie@maple.test")
    _check(pages, live_server.url + "/invitations/")
