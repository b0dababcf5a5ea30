"""Who reaches the authoring pages: the district's coordinators only, drafts included;
another district's coordinator and every other role get the same 404 as for a missing
credential. A coordinator who loses the role, or whose account is closed, loses every
authoring page at once (the project-wide lapse walk cannot take the world's coordinator's
own role, so a second coordinator, Dana, is walked here)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.test_access_matrix import _probe, our_routes
from uptake.credentials.tests import examples_authoring as ex

pytestmark = pytest.mark.django_db


def _authoring_urls(world: Any) -> list[str]:
    urls = []
    for route in our_routes():
        if route.name in ex.URL_EXAMPLES:
            urls.append(reverse(route.name, kwargs=ex.URL_EXAMPLES[route.name][0](world)))
    urls += [reverse("credentials:authoring"), reverse("credentials:policy")]
    return urls


def _dana(world: Any) -> Any:
    from uptake.accounts.models import Role, RoleAssignment, User

    dana = User.objects.create_user(email="dana@maple.test", password="x", first_name="Dana",
                                    last_name="Lead", district=world.district)
    RoleAssignment.objects.create(user=dana, district=world.district, role=Role.COORDINATOR)
    return dana


def test_every_authoring_url_is_declared() -> None:
    names = {r.name for r in our_routes() if r.callback.__module__.endswith(
        "views_authoring") and r.has_params}
    assert names == set(ex.URL_EXAMPLES)


@pytest.mark.parametrize("lapse", ["role revoked", "account deactivated"])
def test_a_coordinator_who_loses_the_role_loses_every_authoring_page(
        world: Any, client: Any, lapse: str) -> None:
    from uptake.accounts.actions import do_deactivate_person, do_revoke_role

    dana = _dana(world)
    urls = _authoring_urls(world)
    client.force_login(dana, backend="django.contrib.auth.backends.ModelBackend")
    assert {url: _probe(client, url) for url in urls} == dict.fromkeys(urls, "reached")
    renata = world.people["coordinator"]
    if lapse == "role revoked":
        do_revoke_role(actor=renata, assignment=dana.roles.get())
    else:
        do_deactivate_person(actor=renata, person=dana)
    want = "login" if lapse == "account deactivated" else "hidden"
    assert {url: _probe(client, url) for url in urls} == dict.fromkeys(urls, want)


@pytest.mark.parametrize("persona", ["other_coordinator", "teacher", "assessor", "leader"])
def test_nobody_else_learns_a_credential_exists(world: Any, client: Any,
                                                persona: str) -> None:
    draft = ex.draft(world)
    client.force_login(world.people[persona],
                       backend="django.contrib.auth.backends.ModelBackend")
    missing = client.get(reverse("credentials:version_edit", args=[draft.pk + 1000]))
    found = client.get(reverse("credentials:version_edit", args=[draft.pk]))
    assert missing.status_code == found.status_code == 404
    assert found.content == missing.content
