"""Each role's start page offers at least one action: a link in the page's main content,
beyond account settings, to a page that person may open (issue 10, seen 5). Every link
there opens for her: no dead end, no placeholder."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

GENERIC = {reverse("home"), reverse("account_settings")}


def _actions(client: Any) -> list[str]:
    html = client.get(reverse("home")).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"#]+)"', main)]
    return [h for h in hrefs if h.startswith("/") and h not in GENERIC]


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "coordinator",
                                     "researcher", "assessor"])
def test_it_offers_each_role_an_action_it_may_take(login: Any, world: Any,
                                                   persona: str) -> None:
    client = login(world.people[persona])
    links = _actions(client)
    assert links, f"{persona}'s home offers nothing to do"
    for href in links:
        assert client.get(href).status_code == 200, (persona, href)


def test_it_offers_a_peer_observer_without_a_role_her_observation(client: Any,
                                                                  world: Any) -> None:
    from uptake.accounts.models import User
    from uptake.observation.tests.conftest import make_observation

    sam = User.objects.create_user(email="sam@elsewhere.test", password="x-long-password-1")
    obs = make_observation(world)
    obs.observer = sam
    obs.save(update_fields=["observer"])
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    links = _actions(client)
    assert reverse("observation:detail", args=[obs.pk]) in links
    for href in links:
        assert client.get(href).status_code == 200, href
    assert "No role yet" not in client.get(reverse("home")).content.decode()


def test_it_drops_an_observation_whose_window_closed(client: Any, world: Any) -> None:
    from uptake.accounts.models import User
    from uptake.observation.tests.conftest import make_observation

    sam = User.objects.create_user(email="sam@elsewhere.test", password="x-long-password-1")
    obs = make_observation(world, opens=timedelta(hours=-3), closes=timedelta(hours=-1))
    obs.observer = sam
    obs.save(update_fields=["observer"])
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    assert obs.closes_at < timezone.now()
    assert reverse("observation:detail", args=[obs.pk]) not in _actions(client)


@pytest.mark.parametrize(("persona", "wanted"), [
    ("coordinator", ["inquiry:results", "learning:frameworks", "learning:district", "people",
                     "roster:import"]),
    ("researcher", ["inquiry:results"]),
    ("assessor", ["inquiry:results"]),
    ("teacher", ["inquiry:create"]),
    ("coach", ["inquiry:list", "evidence:shared"]),
    ("leader", ["inquiry:list", "evidence:shared"]),
])
def test_it_offers_each_role_the_work_its_role_is_for(login: Any, world: Any, persona: str,
                                                      wanted: list[str]) -> None:
    links = _actions(login(world.people[persona]))
    assert [name for name in wanted if reverse(name) not in links] == []
