"""The browser fixtures (Debian's chromium through Playwright) for this app's browser tests."""

from tests.browser.conftest import browser, page_factory  # noqa: F401
