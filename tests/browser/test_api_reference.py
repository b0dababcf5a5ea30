"""The API reference, /api/v1/docs: a data team reads every operation there, on a desktop
and on a phone; it comes from our own static files under the site's Content-Security-Policy
(nothing refused, nothing fetched from elsewhere) and passes axe-core; a signed-in person
tries a read and a write from it (the write with her CSRF token)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import DESKTOP, PHONE, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _operations(live_server: Any) -> list[tuple[str, str]]:
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in document["paths"].items()
            for method in item if method in {"get", "post", "put", "patch", "delete"}]


def _open(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    page.wait_for_load_state("networkidle")


def test_it_lists_every_operation_under_the_csp_from_our_own_server(
        live_server: Any, page_factory: Any) -> None:
    page = page_factory(viewport=DESKTOP)
    refused: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    host = urlparse(live_server.url).netloc
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlparse(request.url).scheme in {"http", "https"}
            and urlparse(request.url).netloc != host else None)
    response = page.goto(f"{live_server.url}/api/v1/docs")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    _open(page, live_server)
    assert refused == []
    assert elsewhere == []
    shown = page.evaluate("""() => [...document.querySelectorAll('.opblock-summary')]
        .map(s => [s.querySelector('.opblock-summary-method').textContent.trim(),
                   s.querySelector('.opblock-summary-path').getAttribute('data-path')])""")
    shown_pairs = {(method, path) for method, path in shown}
    missing = [op for op in _operations(live_server) if op not in shown_pairs]
    assert missing == []
    assert page.get_by_role("heading", name="Uptake API").first.is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_it_reads_accessibly(live_server: Any, page_factory: Any,
                             viewport: dict[str, int]) -> None:
    page = page_factory(viewport=viewport, bypass_csp=True)  # axe is injected as a script
    _open(page, live_server)
    assert run_axe(page) == []
    # One operation opened shows its parameters and responses, readable too.
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=10_000)
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_signed_in_person_tries_operations_from_the_page(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from conftest import PASSWORD
    from tests.browser.conftest import sign_in

    page = page_factory(viewport=DESKTOP)
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
    _open(page, live_server)
    me = page.locator(".opblock-get", has=page.locator('[data-path="/api/v1/me"]'))
    me.locator(".opblock-summary-control").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    answer = me.locator(".live-responses-table tr.response .response-col_status").first
    answer.wait_for(timeout=10_000)
    assert answer.inner_text().strip() == "200"
    assert "jamie@maple.test" in me.locator(".live-responses-table").inner_text()
    # A write from the page carries her CSRF token (without it: 403 csrf_failed).
    create = page.locator(".opblock-post", has=page.locator('[data-path="/api/v1/inquiries"]'))
    create.locator(".opblock-summary-control").click()
    create.get_by_role("button", name="Try it out").click()
    create.locator("textarea.body-param__text").fill('{"title": "Tried from the reference"}')
    create.get_by_role("button", name="Execute").click()
    made = create.locator(".live-responses-table tr.response .response-col_status").first
    made.wait_for(timeout=10_000)
    assert made.inner_text().strip() == "201", create.locator(".live-responses-table").inner_text()
    from uptake.inquiry.models import Inquiry

    assert Inquiry.objects.filter(title="Tried from the reference",
                                  owner=world.people["teacher"]).exists()
    assert refused == []
