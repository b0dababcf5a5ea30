"""A peer observer tallies on a phone, loses the connection, keeps tapping, and nothing
tallied is lost: after reconnecting and submitting, the server has every tap."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_until_sent(page: Any, obs: Any) -> None:
    """Until this phone holds no tap the server has not acknowledged."""
    page.wait_for_function(
        "key => { const s = JSON.parse(localStorage.getItem(key) || 'null');"
        " return s !== null && s.pending.length === 0 && s.present === null; }",
        arg=f"uptake-observation-{obs.pk}")


def _assert_accessible(page_factory: Any, live_server: Any, world: Any, obs: Any) -> None:
    """axe injects an inline script, so it runs in a second phone whose CSP is bypassed."""
    page = page_factory(viewport=PHONE, bypass_csp=True)
    sign_in(page, live_server.url, world.people["colleague"].email, PASSWORD)
    page.goto(f"{live_server.url}/observations/{obs.pk}/")
    assert run_axe(page) == []
    page.context.close()


def test_it_keeps_every_tap_through_a_dropped_connection(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.observation.actions import counts
    from uptake.observation.tests.conftest import make_observation

    obs = make_observation(world)
    chosen, other = obs.prompt, obs.protocol.prompts.get(position=2)
    page = page_factory(viewport=PHONE)  # the Content-Security-Policy is enforced here
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server.url, world.people["colleague"].email, PASSWORD)
    page.goto(f"{live_server.url}/observations/{obs.pk}/")
    _assert_accessible(page_factory, live_server, world, obs)

    tap_chosen = page.locator(f"button.tally-tap[data-prompt='{chosen.pk}']")
    tap_other = page.locator(f"button.tally-tap[data-prompt='{other.pk}']")
    page.get_by_label("Students present").fill("22")
    page.get_by_label("Students present").blur()
    for _ in range(3):
        tap_chosen.click()
    tap_other.click()
    _wait_until_sent(page, obs)
    assert counts(obs)[chosen.pk] == 3

    page.context.set_offline(True)
    for _ in range(4):
        tap_chosen.click()
    tap_other.click()
    page.locator(f"button.tally-undo[data-prompt='{other.pk}']").click()
    page.get_by_text("Offline:").wait_for()
    assert page.locator(f"[data-live='{chosen.pk}']").inner_text() == "7"
    assert counts(obs)[chosen.pk] == 3  # the server has not heard yet
    page.get_by_role("button", name="Submit observation").click()
    page.get_by_text("You seem to be offline").wait_for()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until_sent(page, obs)
    assert counts(obs)[chosen.pk] == 7 and counts(obs)[other.pk] == 1
    page.get_by_role("button", name="Submit observation").click()
    page.get_by_text("This observation was submitted").wait_for()
    _assert_accessible(page_factory, live_server, world, obs)

    obs.refresh_from_db()
    assert obs.status == "submitted"
    assert (obs.occasion.total.numerator, obs.occasion.total.denominator) == (7, 22)
    assert counts(obs)[chosen.pk] == 7 and counts(obs)[other.pk] == 1
    assert page.evaluate(f"window.localStorage.getItem('uptake-observation-{obs.pk}')") is None
    assert problems == []


def test_it_survives_a_reload_with_taps_still_waiting(
        world: Any, live_server: Any, page_factory: Any) -> None:
    from uptake.observation.actions import counts
    from uptake.observation.tests.conftest import make_observation

    obs = make_observation(world)
    page = page_factory(viewport=PHONE)
    sign_in(page, live_server.url, world.people["colleague"].email, PASSWORD)
    url = f"{live_server.url}/observations/{obs.pk}/"
    page.goto(url)
    page.context.set_offline(True)
    tap = page.locator(f"button.tally-tap[data-prompt='{obs.prompt_id}']")
    tap.click()
    tap.click()
    page.get_by_text("Offline:").wait_for()
    # The tab is reopened while the server still cannot be reached: the taps wait in
    # localStorage and are shown on top of the server's (still zero) counts.
    page.route("**/tallies", lambda route: route.abort())
    page.context.set_offline(False)
    page.goto(url)
    assert page.locator(f"[data-live='{obs.prompt_id}']").inner_text() == "2"
    page.unroute("**/tallies")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until_sent(page, obs)
    assert counts(obs)[obs.prompt_id] == 2
