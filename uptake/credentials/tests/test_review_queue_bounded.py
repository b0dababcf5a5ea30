"""The assessor's queue reads her open reviews in a fixed number of queries, whatever their
number, and lists the oldest first up to a bound, saying how many wait."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.credentials import views_review
from uptake.credentials.tests import examples_review as ex
from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db

QUEUE = reverse("credentials:queue")


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
    return len(ctx)


def test_the_queue_makes_as_many_queries_for_two_reviews_as_for_one(
        world: Any, login: Any) -> None:
    f.open_review(world)
    client = login(world.people["assessor"])
    one = _queries(client)
    ex.open_review(world)
    assert len(client.get(QUEUE).context["rows"]) == 2
    assert _queries(client) == one


def test_a_long_queue_shows_the_oldest_and_says_how_many_wait(
        world: Any, login: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    older = f.open_review(world)
    ex.open_review(world)
    monkeypatch.setattr(views_review, "QUEUE_LIMIT", 1)
    page = login(world.people["assessor"]).get(QUEUE)
    assert [r["review"] for r in page.context["rows"]] == [older]
    html = page.content.decode()
    assert "Waiting for you (2)" in html
    assert "The oldest 1 of the 2 are shown" in html
