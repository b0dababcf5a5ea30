from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.observation.actions import do_seed_default_protocol
from uptake.observation.models import DEFAULT_PROMPTS, ObservationProtocol

pytestmark = pytest.mark.django_db


def test_it_seeds_one_default_protocol_per_district(world: Any, login: Any) -> None:
    page = login(world.people["coordinator"]).get(reverse("observation:protocols"))
    assert page.status_code == 200
    for text in DEFAULT_PROMPTS:
        assert text.replace("'", "&#x27;") in page.content.decode()
    do_seed_default_protocol(world.district)
    assert ObservationProtocol.objects.filter(district=world.district).count() == 1
    assert not ObservationProtocol.objects.filter(district=world.other_district).exists()


def test_it_lets_a_coordinator_add_reword_and_retire_prompts(world: Any, login: Any) -> None:
    protocol = do_seed_default_protocol(world.district)
    client = login(world.people["coordinator"])
    client.post(reverse("observation:prompt_add", args=[protocol.pk]),
                {"text": "  A student  revises an answer "})
    added = protocol.prompts.get(text="A student revises an answer")
    client.post(reverse("observation:prompt_edit", args=[added.pk]),
                {"text": "A student revises their answer", "retired": "on"})
    added.refresh_from_db()
    assert (added.text, added.retired) == ("A student revises their answer", True)


def test_it_refuses_an_empty_prompt(world: Any, login: Any) -> None:
    protocol = do_seed_default_protocol(world.district)
    response = login(world.people["coordinator"]).post(
        reverse("observation:prompt_add", args=[protocol.pk]), {"text": "   "}, follow=True)
    assert "Write the prompt" in response.content.decode()
    assert protocol.prompts.count() == len(DEFAULT_PROMPTS)


@pytest.mark.parametrize("persona", ["teacher", "coach", "other_coordinator"])
def test_it_hides_protocols_from_everyone_but_the_districts_coordinators(
        world: Any, login: Any, persona: str) -> None:
    protocol = do_seed_default_protocol(world.district)
    client = login(world.people[persona])
    assert client.post(reverse("observation:prompt_add", args=[protocol.pk]),
                       {"text": "x"}).status_code == 404
    first = protocol.prompts.get(position=1)
    assert client.post(reverse("observation:prompt_edit", args=[first.pk]),
                       {"text": "x"}).status_code == 404
