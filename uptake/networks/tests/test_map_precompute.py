"""The map measured once per network content, ahead of time by the worker when ties change,
and never shown to someone its cached figures are not for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse

from uptake.analysis import networks as sna
from uptake.networks import figures, precompute
from uptake.networks.actions.ties import NamedTieData, do_name_tie
from uptake.networks.tests.examples_map import scene
from uptake.networks.tests.test_map_pages import NAMES

pytestmark = pytest.mark.django_db

HOME = reverse("networks:home")


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    caches["pages"].clear()
    caches["default"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def measure_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the network's measures are computed (``sna.measure``)."""
    calls: list[int] = []
    real = sna.measure

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(figures.sna, "measure", spy)
    return calls


def _map(login: Any, who: Any, query: str = "") -> str:
    response = login(who).get(HOME + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_measures_are_computed_once_for_the_same_network(
        world: Any, login: Any, measure_calls: list[int]) -> None:
    scene(world)
    first = _map(login, world.people["coordinator"])
    again = _map(login, world.people["coordinator"], "?sort=betweenness&dir=desc")
    _map(login, world.people["researcher"])
    assert len(measure_calls) == 1
    assert "The network has" in first and "The network has" in again


def test_the_worker_stores_what_the_page_then_reads(
        world: Any, login: Any, measure_calls: list[int],
        django_capture_on_commit_callbacks: Any) -> None:
    scene(world)
    p = world.people
    with django_capture_on_commit_callbacks(execute=False) as queued:
        do_name_tie(p["teacher"], NamedTieData(direction="from", relation="advice",
                                               frequency="monthly", person=p["coach"]))
    assert queued, "naming a tie queues the map's precompute"
    key = precompute.warm(world.district.pk)  # what the queued task runs
    assert len(measure_calls) == 1
    caches["pages"].clear()  # the web process is another process: only the shared tier
    html = _map(login, p["coordinator"])
    assert len(measure_calls) == 1, "the page read the worker's figures"
    assert "Cora Coach" in html
    assert precompute.get(f"networks:map:{figures.CACHE_VERSION}:{key}") is not None


def test_the_queued_task_is_the_precompute(world: Any, measure_calls: list[int]) -> None:
    from uptake.networks.tasks import precompute_map

    scene(world)
    assert precompute_map.call(world.district.pk) == figures.whole_network(
        world.district.pk, figures.Filters()).key
    assert len(measure_calls) == 1


def test_the_page_shows_a_new_tie_right_after_it_is_named(
        world: Any, login: Any, measure_calls: list[int]) -> None:
    scene(world)
    p = world.people
    before = _map(login, p["coordinator"])
    assert "2 ties" not in before
    ties_before = figures.whole_network(world.district.pk, figures.Filters()).ties
    with transaction.atomic():
        do_name_tie(p["leader"], NamedTieData(direction="from", relation="advice",
                                              frequency="weekly", person=p["coach"]))
    after = _map(login, p["coordinator"])
    assert f"and {ties_before + 1} ties" in after
    assert len(measure_calls) == 2  # a new content key: measured again, not a stale hit


def test_a_leader_never_gets_the_coordinators_cached_map(world: Any, login: Any) -> None:
    scene(world)
    coordinators = _map(login, world.people["coordinator"])
    assert "<svg" in coordinators
    leaders = _map(login, world.people["leader"])
    assert "<svg" not in leaders and 'class="chart network-map"' not in leaders
    # Her schools' numbers and her own ties (she has none): nobody else's name.
    for name in NAMES:
        assert name in coordinators
        assert name not in leaders


def test_cached_figures_are_keyed_by_who_they_are_for(world: Any) -> None:
    scene(world)
    network = figures.queries.network(world.district.pk, **figures.Filters().query())
    whole = figures.measured(network, figures.Filters())
    other = figures.measured(network, figures.Filters(), audience="someone-else")
    assert whole.key != other.key
