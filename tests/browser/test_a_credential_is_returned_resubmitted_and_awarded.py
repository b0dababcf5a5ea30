"""A micro-credential tier from the educator's builder to the award, in the browser at
desktop and phone size: Jamie selects her two sources and writes her reflection, sends the
learning tier; the assessor finds it first on her home page, reads it, returns it with
feedback; Jamie reads the feedback and sends it again; the assessor awards it. The
builder, the queue and the review page read with no axe violations and no sideways
scroll, and so do her notifications and the coordinators' oversight."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEEDBACK = "Say how the talk moves fit your grade 3 readers."


def _checked(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        f"{where}: the page scrolls sideways"


def _score_all(page: Any, level: int) -> None:
    for radio in page.locator(f"fieldset.criterion input[type=radio][value='{level}']").all():
        radio.check()


def _open_from_queue(page: Any, base: str, title: str) -> None:
    page.goto(f"{base}/credentials/review/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name="Score and decide").wait_for()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_tier_is_returned_with_feedback_resubmitted_and_awarded(
        viewport: dict[str, int], world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.credentials.tests import fixtures as f

    version = f.credential(world)
    sources = f.sources(world)
    w, base = viewport["width"], live_server.url
    title = f"{version.title}: Learning"

    jamie = page_factory(viewport=viewport, bypass_csp=True)  # axe is an inline script
    sign_in(jamie, base, world.people["teacher"].email, PASSWORD)
    jamie.goto(f"{base}/credentials/{version.pk}/")
    jamie.get_by_role("button", name=re.compile(r"^Start this tier\W+Learning$")).click()
    jamie.locator("#id_reflection").wait_for()
    for source in sources:
        jamie.locator("#record-source").select_option(str(source.pk))
        jamie.locator("form.pick-form:has(#record-source) button[type=submit]").click()
        jamie.wait_for_load_state("networkidle")
    jamie.locator("#id_reflection").fill(f.REFLECTION)
    jamie.get_by_role("button", name="Save", exact=True).click()
    jamie.wait_for_load_state("networkidle")
    _checked(jamie, f"builder at {w}px")
    jamie.get_by_role("button", name="Send for review").click()
    jamie.get_by_text("Being reviewed").first.wait_for()

    alex = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(alex, base, world.people["assessor"].email, PASSWORD)
    alex.goto(f"{base}/")
    first = alex.locator("main h2").first
    assert first.inner_text() == "Your review queue"
    _open_from_queue(alex, base, title)
    alex.goto(f"{base}/credentials/review/")
    _checked(alex, f"queue at {w}px")
    _open_from_queue(alex, base, title)
    assert alex.get_by_text("The Teacher's Guide to Academic Conversations").count() == 1
    _checked(alex, f"review page at {w}px")
    _score_all(alex, 0)
    alex.get_by_role("button", name="Return with feedback").click()
    alex.get_by_text("Write the feedback she needs to resubmit.").first.wait_for()
    _checked(alex, f"review page with an error at {w}px")
    _score_all(alex, 0)
    alex.get_by_label("Overall comment").fill(FEEDBACK)
    alex.get_by_role("button", name="Return with feedback").click()
    alex.get_by_text("Returned with your feedback.").wait_for()

    jamie.reload()
    jamie.get_by_role("heading", name="Feedback on round 1").wait_for()
    assert jamie.get_by_text(FEEDBACK).count() >= 1
    jamie.get_by_role("button", name="Send it again").click()
    jamie.get_by_text("Being reviewed").first.wait_for()

    _open_from_queue(alex, base, title)
    alex.get_by_role("heading", name="Earlier rounds").wait_for()
    _score_all(alex, 1)
    alex.get_by_role("button", name="Award").click()
    alex.get_by_text("Awarded.").first.wait_for()
    _checked(alex, f"queue after the award at {w}px")

    jamie.reload()
    jamie.get_by_text("Awarded").first.wait_for()
    jamie.goto(f"{base}/notifications/")
    jamie.get_by_role("heading", name="Notifications", level=1).wait_for()
    # In the header (inside the menu on a phone, whose button shows the count too):
    # returned, then awarded.
    assert jamie.get_by_role("link", name="Notifications, 2 unread",
                             include_hidden=True).count() == 1
    if w == PHONE["width"]:
        assert jamie.locator("summary.menu-button").inner_text().startswith("Menu")
        assert jamie.locator("summary.menu-button .count").inner_text() == "2"
    _checked(jamie, f"notifications at {w}px")

    renata = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(renata, base, world.people["coordinator"].email, PASSWORD)
    renata.goto(f"{base}/credentials/submissions/")
    renata.get_by_role("heading", name="Awarded (1)").wait_for()
    _checked(renata, f"oversight at {w}px")
