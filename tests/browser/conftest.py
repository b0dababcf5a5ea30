"""Helpers for browser tests: axe-core, sign-in, viewports.

The fixtures (``browser``, ``page_factory``) live in tests/browser/fixtures.py, loaded
once for the whole suite from the root conftest: one Playwright per test process.

Nothing here downloads a browser: ``make test`` installs chromium from Debian and axe-core
from package-lock.json, and these fixtures fail loudly if either is missing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is safe here
# because the test and the live server use separate connections.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# The phone of issue 10's walk (an iPhone 12 to 15: 390 x 844 CSS px).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and return the violations."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'make test', which installs it with npm ci.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def sign_in(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
