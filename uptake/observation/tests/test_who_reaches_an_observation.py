from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.observation.tests.conftest import Setup, make_observation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "status"), [
    ("teacher", 200), ("colleague", 200), ("outsider", 404), ("coach", 404),
    ("leader", 404), ("coordinator", 404), ("other_coordinator", 404),
])
def test_it_shows_the_observation_only_to_its_owner_and_its_observer(
        world: Any, setup: Setup, login: Any, persona: str, status: int) -> None:
    response = login(world.people[persona]).get(
        reverse("observation:detail", args=[setup.obs.pk]))
    assert response.status_code == status


def test_it_sends_an_anonymous_visitor_to_sign_in(setup: Setup, client: Any) -> None:
    response = client.get(reverse("observation:detail", args=[setup.obs.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_the_observer_the_tally_page_and_the_owner_the_summary(
        world: Any, setup: Setup, login: Any) -> None:
    url = reverse("observation:detail", args=[setup.obs.pk])
    observer_page = login(world.people["colleague"]).get(url).content.decode()
    assert 'id="observe-form"' in observer_page and "observe.js" in observer_page
    assert "Kid0" not in observer_page  # no student names for the observer
    owner_page = login(world.people["teacher"]).get(url).content.decode()
    assert "Withdraw this request" in owner_page and 'id="observe-form"' not in owner_page


def test_it_makes_the_page_read_only_once_the_window_has_closed(world: Any, login: Any) -> None:
    obs = make_observation(world, opens=timedelta(hours=-3), closes=timedelta(hours=-1))
    client = login(world.people["colleague"])
    page = client.get(reverse("observation:detail", args=[obs.pk])).content.decode()
    assert "window closed on" in page and 'id="observe-form"' not in page
    sync = client.post(reverse("observation:tallies", args=[obs.pk]),
                       json.dumps({"events": [{"id": "a1", "prompt": obs.prompt_id,
                                               "delta": 1}]}),
                       content_type="application/json")
    assert sync.status_code == 403
    assert "window closed on" in sync.json()["error"]["message"]
    done = client.post(reverse("observation:submit", args=[obs.pk]),
                       {"present": "20", f"prompt-{obs.prompt_id}": "3"})
    assert done.status_code == 403 and "window closed on" in done.content.decode()
    assert obs.tally_events.count() == 0


def test_it_tells_an_early_observer_when_the_window_opens(world: Any, login: Any) -> None:
    obs = make_observation(world, opens=timedelta(hours=1), closes=timedelta(hours=2))
    page = login(world.people["colleague"]).get(
        reverse("observation:detail", args=[obs.pk])).content.decode()
    assert "This observation opens on" in page and 'id="observe-form"' not in page


def test_it_refuses_tallies_and_submissions_from_the_owner(
        world: Any, setup: Setup, login: Any) -> None:
    client = login(world.people["teacher"])
    assert client.post(reverse("observation:tallies", args=[setup.obs.pk]), "{}",
                       content_type="application/json").status_code == 404
    assert client.post(reverse("observation:submit", args=[setup.obs.pk]),
                       {"present": "5"}).status_code == 404


def test_it_lets_only_the_owner_withdraw_a_request(world: Any, setup: Setup, login: Any) -> None:
    url = reverse("observation:cancel", args=[setup.obs.pk])
    assert login(world.people["outsider"]).post(url).status_code == 404
    assert login(world.people["colleague"]).post(url).status_code == 404
    assert login(world.people["teacher"]).post(url).status_code == 302
    setup.obs.refresh_from_db()
    assert setup.obs.status == "cancelled"
    page = login(world.people["colleague"]).get(
        reverse("observation:detail", args=[setup.obs.pk])).content.decode()
    assert "withdrew this request" in page


def test_it_lets_someone_invited_by_e_mail_observe_after_accepting(
        world: Any, login: Any, client: Any, mailoutbox: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    setup_obs = make_observation(world)
    teacher = login(world.people["teacher"])
    now = timezone.localtime(setup_obs.opens_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(
            reverse("observation:request_new", args=[setup_obs.inquiry.pk]),
            {"measure": setup_obs.measure.pk, "section": world.section.pk,
             "prompt": setup_obs.prompt_id, "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
             "closes_at": (now + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
             "email": "peer@elsewhere.test"})
    assert response.status_code == 302, response.content.decode()
    obs_url = response["Location"]
    link = re.search(r"https?://\S+/invitations/\S+", mailoutbox[-1].body)
    assert link is not None and obs_url in mailoutbox[-1].body
    client.logout()
    accept = re.sub(r"^https?://[^/]+", "", link.group(0))
    created = client.post(accept, {"first_name": "Pat", "last_name": "Peer",
                                   "password1": "a-long-enough-passphrase-42",
                                   "password2": "a-long-enough-passphrase-42"})
    assert created.status_code == 302, created.content.decode()[:2000]
    from uptake.accounts.models import User

    peer = User.objects.get(email="peer@elsewhere.test")
    assert peer.district_id is None
    page = login(peer).get(obs_url)
    assert page.status_code == 200 and 'id="observe-form"' in page.content.decode()
    # ...and nothing else of the district: another observation stays hidden.
    other = make_observation(world)
    assert login(peer).get(reverse("observation:detail", args=[other.pk])).status_code == 404
    listing = login(peer).get(reverse("observation:list")).content.decode()
    assert obs_url in listing
    # The main navigation leads someone with no role in the district to her observations.
    assert f'href="{reverse("observation:list")}"' in login(peer).get("/").content.decode()
