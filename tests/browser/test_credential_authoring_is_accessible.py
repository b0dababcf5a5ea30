"""A coordinator authors a micro-credential at 1280 and 390 px wide: the list with the
new-credential form (and its error summary), the draft editor, a tier with its scoring
guide, a criterion, the published version with its history, and the policy have no axe
violations, no sideways scrolling, and break no Content-Security-Policy rule."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def _paths(world: Any) -> list[str]:
    from uptake.credentials.tests import examples_authoring as ex
    from uptake.credentials.tests import fixtures as f

    draft = ex.draft(world)
    published = f.credential(world)
    tier = draft.tiers.order_by("order").first()
    return ["/credentials/authoring/", f"/credentials/authoring/versions/{draft.pk}/",
            f"/credentials/authoring/tiers/{tier.pk}/",
            f"/credentials/authoring/criteria/{tier.criteria.first().pk}/",
            f"/credentials/authoring/versions/{draft.pk}/tiers/new/",
            f"/credentials/authoring/versions/{draft.pk}/discard/",
            f"/credentials/authoring/versions/{published.pk}/",
            f"/credentials/authoring/tiers/{published.tiers.first().pk}/",
            "/credentials/authoring/policy/"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_authoring_pages_read_accessibly(world: Any, live_server: Any,
                                             page_factory: Any,
                                             viewport: dict[str, int]) -> None:
    paths = _paths(world)
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert run_axe(page) == [], path
        assert fits(page, viewport["width"]), path

    page.goto(live_server.url + "/credentials/authoring/")
    page.get_by_label("Blank: no tiers yet").check()
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_load_state("networkidle")
    assert "Give the credential a title." in page.get_by_role("alert").inner_text()
    assert run_axe(page) == [] and fits(page, viewport["width"])

    page.goto(live_server.url + paths[2])
    page.get_by_label("Stipend (dollars)").fill("-5")
    page.get_by_role("button", name="Save the tier").click()
    page.wait_for_load_state("networkidle")
    assert "A stipend cannot be negative." in page.get_by_role("alert").inner_text()
    assert run_axe(page) == [] and fits(page, viewport["width"])


def test_its_pages_break_no_content_security_policy(world: Any, live_server: Any,
                                                    page_factory: Any) -> None:
    paths = _paths(world)
    page = page_factory()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []
