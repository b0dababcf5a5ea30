"""Only a district's coordinators reach its people pages; everyone else gets a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def _person_urls(world: Any) -> list[tuple[str, str]]:
    jamie = world.people["teacher"]
    role = RoleAssignment.objects.get(user=jamie)
    return [
        ("get", reverse("person", args=[jamie.pk])),
        ("post", reverse("person", args=[jamie.pk])),
        ("post", reverse("person_grant", args=[jamie.pk])),
        ("post", reverse("person_revoke", args=[jamie.pk, role.pk])),
        ("post", reverse("person_deactivate", args=[jamie.pk])),
        ("post", reverse("person_reactivate", args=[jamie.pk])),
    ]


def test_it_hides_every_person_url_from_another_districts_coordinator(login: Any,
                                                                      world: Any) -> None:
    client = login(world.people["other_coordinator"])
    for method, url in _person_urls(world):
        response = getattr(client, method)(url, {"role": Role.COACH, "first_name": "X",
                                                 "last_name": "Y", "email": "x@y.test"})
        assert response.status_code == 404, (method, url)
    jamie = world.people["teacher"]
    jamie.refresh_from_db()
    assert jamie.is_active and jamie.last_name == "Nguyen" and jamie.roles.count() == 1


def test_it_gives_a_missing_person_the_same_404(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    assert client.get(reverse("person", args=[999999])).status_code == 404
    olive = world.people["other_coordinator"]
    assert client.get(reverse("person", args=[olive.pk])).status_code == 404


def test_it_hides_a_role_of_another_person_behind_the_same_404(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    asha_role = RoleAssignment.objects.get(user=world.people["colleague"])
    url = reverse("person_revoke", args=[world.people["teacher"].pk, asha_role.pk])
    assert client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=asha_role.pk).exists()


@pytest.mark.parametrize("persona", ["teacher", "coach", "assessor", "leader", "researcher"])
def test_it_hides_people_pages_from_everyone_but_coordinators(login: Any, world: Any,
                                                              persona: str) -> None:
    client = login(world.people[persona])
    assert client.get(reverse("people")).status_code == 404
    assert client.get(reverse("person_add")).status_code == 404
    for method, url in _person_urls(world):
        assert getattr(client, method)(url).status_code == 404, (persona, url)


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    for url in [reverse("people"), reverse("person_add")] + [u for _, u in _person_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
