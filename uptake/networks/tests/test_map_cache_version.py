"""A cached view of the map finds its figures by the district's cheap version (a change
token and a few aggregates) instead of reading the whole network, and is never stale: a
removed tie, an edited tie, a new role, a deactivated or renamed person show at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.accounts.actions import do_deactivate_person, do_grant_role
from uptake.accounts.models import District, Role, RoleAssignment, School, User
from uptake.networks import figures
from uptake.networks.actions.ties import do_remove_tie
from uptake.networks.models import Tie
from uptake.networks.tests.examples_map import OBSERVED, scene, tie

pytestmark = pytest.mark.django_db

HOME = reverse("networks:home")


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    caches["pages"].clear()
    caches["default"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the whole network is read (``queries.network``)."""
    calls: list[int] = []
    real = figures.queries.network

    def spy(district_id: int, **kwargs: Any) -> Any:
        calls.append(district_id)
        return real(district_id, **kwargs)

    monkeypatch.setattr(figures.queries, "network", spy)
    return calls


def _map(login: Any, who: Any, query: str = "") -> str:
    response = login(who).get(HOME + query)
    assert response.status_code == 200
    return response.content.decode()


def _size(html: str) -> tuple[int, int]:
    found = re.search(r"The network has (\d+) (?:person|people).*? and (\d+) ties?;", html)
    assert found, "the map's summary"
    return int(found[1]), int(found[2])


def test_a_cached_view_does_not_read_the_network(world: Any, login: Any,
                                                 reads: list[int]) -> None:
    scene(world)
    first = _map(login, world.people["coordinator"])
    again = _map(login, world.people["coordinator"])
    other_order = _map(login, world.people["researcher"], "?sort=betweenness&dir=desc")
    assert len(reads) == 1
    assert _size(first) == _size(again) == _size(other_order)


def test_a_removed_tie_is_gone_from_the_next_view(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    named = Tie.objects.get(source_person=p["colleague"], target_person=p["teacher"])
    people, ties = _size(_map(login, p["coordinator"]))
    do_remove_tie(p["teacher"], named)
    assert _size(_map(login, p["coordinator"])) == (people, ties - 1)


def test_a_tie_deleted_without_the_actions_is_gone_too(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    people, ties = _size(_map(login, p["coordinator"]))
    Tie.objects.filter(source_person=p["coach"]).delete()  # no signal: the count drops
    assert _size(_map(login, p["coordinator"])) == (people, ties - 1)


def test_an_edited_tie_shows_its_new_relation(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    coordinator = p["coordinator"]
    advice = _size(_map(login, coordinator, "?relation=advice"))
    edited = Tie.objects.get(source_person=p["coach"], target_person=p["colleague"])
    edited.relation = "collaboration"  # same ends, weight and count: only the row changed
    edited.save()
    assert _size(_map(login, coordinator, "?relation=advice"))[1] == advice[1] - 1
    assert "Cora Coach" in _map(login, coordinator, "?relation=collaboration")


def test_a_new_role_shows_at_once(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    before = _map(login, p["coordinator"], "?group=role")
    assert "Alex Assessor" not in before  # an assessor is not a node of the network
    do_grant_role(actor=p["coordinator"], person=p["assessor"], role=Role.TEACHER,
                  school=world.cedar)
    after = _map(login, p["coordinator"], "?group=role")
    assert "Alex Assessor" in after
    assert _size(after)[0] == _size(before)[0] + 1


def test_a_deactivated_person_leaves_the_map(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    lonely = User.objects.create_user(email="nia@maple.test", password="x", first_name="Nia",
                                      last_name="Newcomer", district=world.district)
    RoleAssignment.objects.create(user=lonely, district=world.district, school=world.birch,
                                  role=Role.TEACHER)
    before = _map(login, p["coordinator"])
    assert "Nia Newcomer" in before
    do_deactivate_person(actor=p["coordinator"], person=lonely)
    after = _map(login, p["coordinator"])
    assert "Nia Newcomer" not in after
    assert _size(after)[0] == _size(before)[0] - 1


def test_a_renamed_person_shows_her_new_name(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    assert "Asha Patel" in _map(login, p["coordinator"])
    asha = p["colleague"]
    asha.last_name = "Rahman"  # no count, id or sum moves: the token does
    asha.save()
    html = _map(login, p["coordinator"])
    assert "Asha Rahman" in html and "Asha Patel" not in html


def test_a_renamed_school_shows_its_new_name(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    assert "Birch Middle" in _map(login, p["coordinator"])
    world.birch.name = "Birchwood Middle"
    world.birch.save()
    html = _map(login, p["coordinator"])  # the filters list the schools: read afresh
    assert "Birchwood Middle" in html and "Birch Middle" not in html


def test_the_known_layer_is_read_in_full(world: Any, login: Any, reads: list[int]) -> None:
    scene(world)
    for _ in range(2):
        _map(login, world.people["coordinator"], "?layer=known&layer=reported")
    assert len(reads) == 2  # read live from the other apps: no cheap version covers it


def _district(people: int, slug: str) -> User:
    """A district of ``people`` teachers in three schools, each naming the next one, and
    its coordinator (bulk-created: as an edge-list import writes ties)."""
    district = District.objects.create(name=f"District {slug}", slug=slug)
    schools = School.objects.bulk_create(
        [School(district=district, name=f"School {i}", sourced_id=f"{slug}-{i}")
         for i in range(3)])
    users = User.objects.bulk_create(
        [User(email=f"t{i}@{slug}.test", first_name="Teacher", last_name=f"{i:04d}",
              district=district, password="!") for i in range(people)])
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, district=district, school=schools[i % 3], role=Role.TEACHER)
         for i, u in enumerate(users)])
    Tie.objects.bulk_create(
        [Tie(district=district, source_person=a, target_person=b, relation="advice",
             weight=1 + i % 5, observed_on=OBSERVED, origin=Tie.Origin.IMPORT)
         for i, (a, b) in enumerate(zip(users, users[1:] + users[:1], strict=True))])
    coordinator = User.objects.create_user(email=f"coordinator@{slug}.test", password="x",
                                           first_name="Cora", last_name="Ordinator",
                                           district=district)
    RoleAssignment.objects.create(user=coordinator, district=district,
                                  role=Role.COORDINATOR)
    return coordinator


def _cached_queries(login: Any, coordinator: User) -> int:
    client = login(coordinator)
    assert client.get(HOME).status_code == 200  # measured and cached
    with CaptureQueriesContext(connection) as cached:
        assert client.get(HOME).status_code == 200
    return len(cached)


def test_a_cached_view_makes_as_many_queries_at_any_size(db: Any, login: Any) -> None:
    small = _cached_queries(login, _district(50, "small"))
    large = _cached_queries(login, _district(200, "large"))
    assert small == large


def test_ties_named_in_the_test_helper_count_too(world: Any, login: Any) -> None:
    scene(world)
    p = world.people
    people, ties = _size(_map(login, p["coordinator"]))
    tie(world, p["leader"], p["coach"])
    assert _size(_map(login, p["coordinator"])) == (people, ties + 1)
