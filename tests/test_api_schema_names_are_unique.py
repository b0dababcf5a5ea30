"""No two response or request shapes of the API share a name.

django-ninja names each schema's component after its class; two apps' ``ScoreOut`` with
different fields became one component, so the document described one app's answers with
the other's fields (a precheck's checks were documented as a verifier's). Each class must
have a name of its own, across every area."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def _schemas() -> dict[str, set[str]]:
    from uptake.api.urls import api

    api.get_openapi_schema()  # imports every area's router
    found: dict[str, set[str]] = defaultdict(set)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("uptake."):
            found[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_api_schema_class_has_a_name_of_its_own() -> None:
    shared = {name: sorted(where) for name, where in _schemas().items() if len(where) > 1}
    assert shared == {}
