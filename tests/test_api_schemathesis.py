"""Schemathesis fuzzes every operation of /api/v1/openapi.json, as a teacher and as a
coordinator with real tokens, on the Django app in process (its WSGI handler): no answer
is a server error, every answer matches the schema its operation declares, with a status
code the operation declares, and none names a student.

Half of the cases aim at real objects: the path parameters of the operation's first
access-matrix example (``API_EXAMPLES``), made once in this test's world, so that the
answers checked include full 2xx bodies and not only 404s. Positive cases (valid by the
document) and negative ones (invalid: the API must answer 400 in the envelope, never 500)
are both generated, each sent as both personas; derandomized, so a failure reproduces. A
failure names the operation and the persona and prints the request that reproduces it (as
a curl command).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

PERSONAS = ["teacher", "coordinator"]
MAX_EXAMPLES = 20


@cache
def _schema() -> Any:
    import schemathesis

    from uptake.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _operations() -> list[Any]:
    """Every operation in the document (built without a database: no request runs)."""
    from uptake.api.urls import api

    document = api.get_openapi_schema()
    return [pytest.param(method.upper(), path, id=f"{method.upper()} {path}")
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "responses" in operation]


def _real_path_parameters(world: Any, method: str, path: str) -> dict[str, Any]:
    from tests.test_api_access_matrix import api_examples

    examples = api_examples().get(f"{method} {path}")
    if not examples:
        return {}
    params = dict(examples[0]["params"](world))
    return {name: value for name, value in params.items() if "{" + name + "}" in path}


def no_student_names(ctx: Any, response: Any, case: Any) -> None:
    """Students leave only by pseudonym: no answer names one or gives her SIS id."""
    from tests.test_api_access_matrix import STUDENT_NAMES

    named = STUDENT_NAMES.findall(response.text or "")
    assert not named, f"students by name or SIS id: {sorted(set(named))}"


def _checks() -> list[Any]:
    from schemathesis import checks

    return [checks.not_a_server_error, checks.response_schema_conformance,
            checks.status_code_conformance, no_student_names]


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request; in a test
    that would end the test's transaction (PostgreSQL). The test client avoids it the same
    way: by not closing connections while it runs."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_answer_matches_the_document(world: Any, same_connection: None, method: str,
                                           path: str) -> None:
    from schemathesis import GenerationMode

    from uptake.api import actions, scopes

    operation = _schema()[path][method]
    real = _real_path_parameters(world, method, path)
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        if real:
            strategies.append(operation.as_strategy(generation_mode=mode,
                                                    path_parameters=real))
    tokens = {persona: actions.create_token(world.people[persona], name="fuzz",
                                            scopes=scopes.known()).secret
              for persona in PERSONAS}
    checks = _checks()

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def fuzz(case: Any) -> None:
        for persona in PERSONAS:
            try:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {tokens[persona]}"}, checks=checks)
            except Exception as failure:
                failure.add_note(f"{method} {path} as the {persona} (a token with every "
                                 "scope; the curl above filters it out)")
                raise

    fuzz()
