"""The map's caches: only the default order of the measures table is kept (a researcher
trying sorts does not grow every process by a page per sort), and a shared cache that
cannot be written never fails a save nor leaves a stale map behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.urls import reverse

from uptake.networks import precompute
from uptake.networks.actions.ties import NamedTieData, do_name_tie
from uptake.networks.tests.examples_map import scene
from uptake.networks.tests.test_map_cache_version import _size

pytestmark = pytest.mark.django_db

HOME = reverse("networks:home")


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    caches["pages"].clear()
    caches["default"].clear()
    precompute._doubtful.clear()
    yield
    caches["pages"].clear()
    precompute._doubtful.clear()


def _map(login: Any, who: Any, query: str = "") -> str:
    response = login(who).get(HOME + query)
    assert response.status_code == 200
    return response.content.decode()


def test_sorting_the_table_keeps_one_table_body_in_the_page_cache(
        world: Any, login: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    scene(world)
    pages, kept = caches["pages"], []
    real = pages.set

    def spy(key: str, *args: Any, **kwargs: Any) -> Any:
        kept.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(pages, "set", spy)
    coordinator = world.people["coordinator"]
    for query in ("", "?sort=betweenness&dir=desc", "?sort=in_degree&dir=asc",
                  "?sort=label&dir=desc"):
        html = _map(login, coordinator, query)
        assert "Asha Patel" in html  # each order is still shown
    bodies = {k for k in kept if k.startswith("networks:rows:")}
    assert len(bodies) == 1 and bodies.pop().endswith(":label:0")


def _unwritable(monkeypatch: pytest.MonkeyPatch, *, delete_too: bool = False) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caches["default"], "set", down)
    if delete_too:
        monkeypatch.setattr(caches["default"], "delete", down)


def test_saves_succeed_and_the_map_is_new_when_the_shared_cache_cannot_be_written(
        world: Any, login: Any, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    scene(world)
    p = world.people
    before = _map(login, p["coordinator"])  # figures cached under the current token
    assert "Asha Patel" in before and "Cora Coach" in before
    _unwritable(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        do_name_tie(p["teacher"], NamedTieData(direction="from", relation="advice",
                                               frequency="monthly", person=p["coach"]))
        asha = p["colleague"]
        asha.last_name = "Rahman"  # moves no count nor sum: only the token says so
        asha.save()
    after = _map(login, p["coordinator"])
    assert "Asha Rahman" in after and "Asha Patel" not in after
    assert _size(after)[1] == _size(before)[1] + 1  # the tie she named


def test_a_token_that_cannot_be_moved_nor_removed_is_not_trusted(
        world: Any, login: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    scene(world)
    p = world.people
    assert "Asha Patel" in _map(login, p["coordinator"])
    _unwritable(monkeypatch, delete_too=True)
    asha = p["colleague"]
    asha.last_name = "Rahman"
    asha.save()
    assert precompute.change_token(world.district.pk) is None  # keyed by content instead
    html = _map(login, p["coordinator"])
    assert "Asha Rahman" in html and "Asha Patel" not in html
    monkeypatch.undo()  # the cache is back: the token moves and is trusted again
    assert precompute.change_token(world.district.pk) is not None
    assert world.district.pk not in precompute._doubtful
