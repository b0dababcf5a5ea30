"""The inquiry page's alignment form, opened, passes axe-core at desktop and phone size and
fits a phone's width; saving it lists what the inquiry is aligned to."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_opened_alignment_form_is_accessible_and_saves(world: Any, live_server: Any,
                                                           page_factory: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry
    from uptake.learning.queries import elements_of_inquiry

    inquiry = do_create_inquiry(world.people["teacher"], title="Math talk")
    url = f"{live_server.url}/inquiries/{inquiry.pk}/"
    for viewport in (DESKTOP, PHONE):
        page = page_factory(viewport=viewport, bypass_csp=True)
        sign_in(page, live_server.url, world.people["teacher"].email, PASSWORD)
        page.goto(url)
        page.get_by_text("Change what it is aligned to").click()
        wide = page.evaluate("""() => [...document.querySelectorAll('#alignment-h ~ * *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '#' + e.id).slice(0, 8)""")
        assert wide == [], f"wider than the screen at {viewport['width']} px: {wide}"
        assert run_axe(page) == [], f"at {viewport['width']} px"
    page.get_by_label("DA Data").check()
    page.get_by_role("button", name="Save alignment").click()
    page.wait_for_load_state("networkidle")
    assert "Alignment saved." in page.content()
    assert len(elements_of_inquiry(inquiry.pk)) == 1
