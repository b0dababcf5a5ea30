"""Every URL pattern declares who may reach it, and that declaration holds for every persona.

The matrix is generated from the URL configuration: a new view without an ``allow(...)``
audience, or a new URL with parameters but no example below, fails this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uptake.accounts.access import ANONYMOUS, ANY_ROLE, audience_of

PERSONAS = ["anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"]

# Third-party views (django-allauth) keep their own access rules; they are tested by the
# sign-in tests. Everything else is ours and must declare an audience.
THIRD_PARTY_MODULES = ("allauth.",)


@dataclass(frozen=True)
class Route:
    name: str
    callback: Callable[..., Any]
    has_params: bool


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                continue
            has_params = bool(entry.pattern.regex.groupindex) or entry.pattern.regex.groups > 0
            yield Route(f"{namespace}{entry.name}", entry.callback, has_params)


def our_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns)
            if not r.callback.__module__.startswith(THIRD_PARTY_MODULES)]


# URL name -> (kwargs from the world, personas who may reach it). Object-level rules live
# here: a teacher reaches her own class, not a colleague's.
EXAMPLES: dict[str, tuple[Callable[[Any], dict[str, Any]], set[str]]] = {
    "roster:class": (lambda w: {"section_id": w.section.pk},
                     {"teacher", "coach", "leader", "coordinator"}),
}


def expected_from_audience(route: Route) -> set[str]:
    audience = audience_of(route.callback)
    assert audience is not None
    if audience.anonymous:
        return set(PERSONAS)
    if ANY_ROLE in audience.roles:
        return set(PERSONAS) - {"anonymous"}
    from conftest import world_roles

    return {p for p, roles in world_roles().items() if roles & audience.roles}


def test_it_requires_every_view_to_declare_its_audience() -> None:
    missing = [r.name for r in our_routes() if audience_of(r.callback) is None]
    assert missing == [], f"views without @allow(...): {missing}"


def test_it_requires_an_example_for_every_url_with_parameters() -> None:
    missing = [r.name for r in our_routes() if r.has_params and r.name not in EXAMPLES]
    assert missing == [], f"add these URL names to EXAMPLES in {__file__}: {missing}"


def _outcome(response: Any) -> str:
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    assert response.status_code < 500, response
    return "reached"


@pytest.mark.django_db
def test_it_gives_each_persona_exactly_the_access_declared(world: Any, client: Any) -> None:
    failures = []
    for route in our_routes():
        if route.has_params:
            make_kwargs, allowed = EXAMPLES[route.name]
            url = reverse(route.name, kwargs=make_kwargs(world))
        else:
            allowed = expected_from_audience(route)
            url = reverse(route.name)
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(world.people[persona],
                                   backend="django.contrib.auth.backends.ModelBackend")
            got = _outcome(client.get(url))
            if persona in allowed:
                want = "reached"
            else:
                want = "login" if persona == "anonymous" else "hidden"
            if got != want:
                failures.append(f"{route.name} {url} as {persona}: {got}, expected {want}")
    assert failures == []


def test_it_knows_the_audience_markers() -> None:
    assert ANONYMOUS != ANY_ROLE
