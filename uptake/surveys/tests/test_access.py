"""The surveys' pages and API operations, persona by persona (the project-wide matrices,
tests/test_access_matrix.py and tests/test_api_access_matrix.py, walk the same examples
with every app's; this runs only ours)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.test_access_matrix import PERSONAS, _probe, expected_from_audience, our_routes
from uptake.surveys.tests.examples import API_EXAMPLES, URL_EXAMPLES

pytestmark = pytest.mark.django_db


def test_every_survey_page_gives_each_persona_the_access_declared(world: Any,
                                                                  client: Any) -> None:
    failures = []
    for route in [r for r in our_routes() if r.name.startswith("surveys:")]:
        if route.has_params:
            make, allowed = URL_EXAMPLES[route.name]
            url = reverse(route.name, kwargs=make(world))
        else:
            allowed, url = expected_from_audience(route), reverse(route.name)
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(world.people[persona],
                                   backend="django.contrib.auth.backends.ModelBackend")
            got = _probe(client, url)
            want = "reached" if persona in allowed else (
                "login" if persona == "anonymous" else "hidden")
            if got != want:
                failures.append(f"{route.name} as {persona}: {got}, expected {want}")
    assert failures == []


def test_every_survey_read_of_the_api_gives_each_persona_the_access_declared(
        world: Any, api: Any) -> None:
    failures = []
    for operation, examples in API_EXAMPLES.items():
        method, path = operation.split(" ", 1)
        if method != "GET":
            continue
        for example in examples:
            params = example["params"](world)
            url = path.format(**params)
            for persona in PERSONAS[1:]:
                got = api(world.people[persona]).get(url).status_code
                want = 200 if persona in example["allowed"] else 404
                if got != want:
                    failures.append(f"{operation} as {persona}: {got}, expected {want}")
    assert failures == []


def test_only_those_asked_may_answer_through_the_api(world: Any, api: Any) -> None:
    from uptake.surveys.tests.examples import _answer_body, survey_id

    params = survey_id(world)
    url = f"/api/v1/surveys/{params['survey_id']}/responses"
    body = _answer_body(world, params)
    assert api(world.people["coordinator"]).post(url, body, content_type="application/json"
                                                 ).status_code == 404
    assert api(world.people["teacher"]).post(url, body, content_type="application/json"
                                             ).status_code == 201
    again = api(world.people["teacher"]).post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
