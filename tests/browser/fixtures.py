"""Browser fixtures, registered once for the whole suite by the root conftest.

Playwright's sync API may run only one instance per thread, so ``browser`` must be a
single session fixture for every test that drives chromium, wherever the test lives.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM_FLAGS, DESKTOP

# Playwright's sync API runs an event loop in this thread; Django's ORM is safe here
# because the test and the live server use separate connections.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run 'make test', which installs it.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


SETTLE_SECONDS = 10
QUIET_SECONDS = 0.25


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """``page_factory(viewport=..., bypass_csp=False)`` opens a fresh context and page.

    On teardown it waits for requests still in flight (a tally saved in the background,
    a draft autosaved) before closing: a live-server thread still writing while the
    test database is flushed makes the flush fail.
    """
    contexts = []
    in_flight: set[Any] = set()

    def _make(*, viewport: dict[str, int] | None = None, bypass_csp: bool = False) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP, bypass_csp=bypass_csp)
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        contexts.append(context)
        return context.new_page()

    yield _make
    for context in contexts:
        pages = context.pages
        waited = quiet = 0.0
        # Quiet for QUIET_SECONDS in a row: a page may send its next request as soon as
        # the last one answers (the tally page sends what is still waiting).
        while pages and waited < SETTLE_SECONDS and quiet < QUIET_SECONDS:
            pages[0].wait_for_timeout(50)  # lets Playwright deliver the request events
            waited += 0.05
            quiet = 0.0 if in_flight else quiet + 0.05
        context.close()
