from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from uptake.observation.tests.conftest import Setup

pytestmark = pytest.mark.django_db


def _sync(client: Any, setup: Setup, events: list[dict[str, Any]],
          present: dict[str, int] | None = None) -> Any:
    body: dict[str, Any] = {"events": events}
    if present is not None:
        body["present"] = present
    return client.post(reverse("observation:tallies", args=[setup.obs.pk]), json.dumps(body),
                       content_type="application/json")


def _taps(prompt: Any, ids: list[str], delta: int = 1) -> list[dict[str, Any]]:
    return [{"id": i, "prompt": prompt.pk, "delta": delta} for i in ids]


def test_it_counts_a_batch_sent_twice_once(world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["colleague"])
    first = setup.prompts[0]
    batch = _taps(first, ["a1", "a2", "a3"])
    assert _sync(client, setup, batch).json()["counts"][str(first.pk)] == 3
    again = _sync(client, setup, batch).json()
    assert again["counts"][str(first.pk)] == 3
    assert again["accepted"] == 0 and again["duplicates"] == 3
    assert setup.obs.tally_events.count() == 3


def test_it_counts_a_tap_repeated_inside_one_batch_once(
        world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["colleague"])
    reply = _sync(client, setup, _taps(setup.prompts[1], ["x", "x", "y"])).json()
    assert reply["counts"][str(setup.prompts[1].pk)] == 2


def test_it_adds_up_batches_that_arrive_out_of_order(
        world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["colleague"])
    p = setup.prompts[2]
    # The phone sent batch 1 (three taps), then batch 2 (an undo, then two taps); batch 2
    # arrives first and batch 1 is resent after a timeout.
    batch1 = _taps(p, ["b1", "b2", "b3"])
    batch2 = _taps(p, ["b4"], delta=-1) + _taps(p, ["b5", "b6"])
    _sync(client, setup, batch2)
    _sync(client, setup, batch1)
    reply = _sync(client, setup, batch1 + batch2).json()
    assert reply["counts"][str(p.pk)] == 4


def test_it_keeps_the_newest_students_present_whatever_the_arrival_order(
        world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["colleague"])
    assert _sync(client, setup, [], {"value": 24, "seq": 200}).json()["students_present"] == 24
    assert _sync(client, setup, [], {"value": 22, "seq": 100}).json()["students_present"] == 24
    assert _sync(client, setup, [], {"value": 23, "seq": 300}).json()["students_present"] == 23


@pytest.mark.parametrize(("events", "message"), [
    ([{"id": "ok1", "prompt": 999999, "delta": 1}], "is not one of this observation's prompts"),
    ([{"id": "ok1", "prompt": "PROMPT", "delta": 2}], "'delta' must be 1"),
    ([{"id": "has space", "prompt": "PROMPT", "delta": 1}], "'id' must be"),
    ([{"id": "ok1", "prompt": "PROMPT", "delta": True}], "'delta' must be 1"),
    ("not a list", "'events' must be a list"),
    ([5], "Tap 2: expected an object"),
])
def test_it_refuses_a_bad_batch_whole_with_the_reason(
        world: Any, setup: Setup, login: Any, events: Any, message: str) -> None:
    client = login(world.people["colleague"])
    prompt = setup.prompts[0].pk
    if isinstance(events, list):
        events = [{**e, "prompt": prompt} if isinstance(e, dict) and e.get("prompt") == "PROMPT"
                  else e for e in events]
        events = _taps(setup.prompts[0], ["good1"]) + events  # a good tap first: not kept
    response = _sync(client, setup, events)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert setup.obs.tally_events.count() == 0


def test_it_refuses_a_bad_students_present(world: Any, setup: Setup, login: Any) -> None:
    response = _sync(login(world.people["colleague"]), setup, [], {"value": 0, "seq": 1})
    assert response.status_code == 400
    assert "Students present" in response.json()["error"]["message"]


def test_it_answers_malformed_json_with_the_error_envelope(
        world: Any, setup: Setup, login: Any) -> None:
    response = login(world.people["colleague"]).post(
        reverse("observation:tallies", args=[setup.obs.pk]), "{not json",
        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "code": "invalid", "fields": {},
                                         "rows": [],
                                         "message": "The message was not valid JSON."}}


def test_it_refuses_taps_after_submission(world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["colleague"])
    client.post(reverse("observation:submit", args=[setup.obs.pk]),
                {"present": "10", f"prompt-{setup.obs.prompt_id}": "2"})
    response = _sync(client, setup, _taps(setup.prompts[0], ["late"]))
    assert response.status_code == 403
    assert "has been submitted" in response.json()["error"]["message"]
