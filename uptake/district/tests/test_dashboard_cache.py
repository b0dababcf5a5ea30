"""The dashboard's summary figures and charts are cached by content: read once, never shown
to a reader with other rights, never older than the summaries, never less suppressed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from uptake.district import figures as figures_
from uptake.district.tests import scene as scene_

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("district:dashboard")


@pytest.fixture(autouse=True)
def empty_page_cache() -> Iterator[None]:
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def scene(world: Any) -> scene_.Scene:
    return scene_.build(world)


@pytest.fixture
def scenes_read(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each time the summaries are read and turned into atoms."""
    calls: list[Any] = []
    real = figures_._scene

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(figures_, "_scene", spy)
    return calls


def _page(client: Any, login: Any, who: Any, query: str = "") -> str:
    login(who)
    response = client.get(DASHBOARD + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_summaries_are_read_once_for_the_same_content(world, scene, login, client,
                                                         scenes_read):
    first = _page(client, login, world.people["coordinator"])
    again = _page(client, login, world.people["coordinator"])
    assert len(scenes_read) == 1
    assert first.count('role="img"') == again.count('role="img"') > 0
    assert "1 class with fewer than" in again


def test_a_school_leader_never_gets_the_coordinators_figures(world, scene, login, client):
    whole = _page(client, login, world.people["coordinator"])
    assert "Birch Middle" in whole
    hers = _page(client, login, world.people["leader"])  # Cedar's leader
    assert "Cedar Elementary" in hers and "Birch Middle" not in hers


def test_suppression_holds_when_the_minimum_rises(world, scene, login, client, settings):
    page = _page(client, login, world.people["coordinator"])
    assert "1 class with fewer than" in page
    settings.MIN_GROUP_SIZE = 21  # c2 (20 students) and c5 (6) must now be left out
    page = _page(client, login, world.people["coordinator"])
    assert "2 classes with fewer than 21 students are not counted" in page


def test_a_refreshed_summary_shows_at_once(world, scene, login, client, scenes_read):
    from uptake.inquiry.models import SeriesSummary

    before = _page(client, login, world.people["coordinator"])
    row = SeriesSummary.objects.get(section=scene.sections["c2"])
    assert row.verdict == "no_signal"
    # What refresh_measure writes when the class's new data shows an improvement.
    SeriesSummary.objects.filter(pk=row.pk).update(verdict="sustained_improvement",
                                                   refreshed_at=timezone.now())
    after = _page(client, login, world.people["coordinator"])
    assert len(scenes_read) == 2
    counted = figures_.district_figures(world.people["coordinator"])
    assert counted.improvements == 3  # c1, c2 and c3 (c5 is too small to count)
    assert before != after


@pytest.mark.parametrize("what", ["measure", "class", "school"])
def test_a_rename_shows_at_once_without_a_summary_refresh(world, scene, login, client, what):
    """Names are read with the summaries, and a rename does not refresh a summary: the
    cached part's key holds a digest of the names, so the new one shows on the next page."""
    from uptake.accounts.models import School
    from uptake.inquiry.models import Measure
    from uptake.roster.models import Section

    before = _page(client, login, world.people["coordinator"])
    old, new = {"measure": ("Measure c1", "Oral fluency probe"),
                "class": ("Class c1", "Period 3 algebra"),
                "school": ("Cedar Elementary", "Cedar Grove Elementary")}[what]
    assert old in before and new not in before
    if what == "measure":
        Measure.objects.filter(name=old).update(name=new)
    elif what == "class":
        Section.objects.filter(title=old).update(title=new)
    else:
        School.objects.filter(name=old).update(name=new)
    after = _page(client, login, world.people["coordinator"])
    assert new in after


def test_a_warm_page_reads_less_than_a_cold_one(world, scene, login, client,
                                                    django_assert_max_num_queries):
    """The names digest rides in the summaries' version query: a warm page (the cached
    part found) makes fewer queries than the cold one that filled it (the summaries
    themselves are not read again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world.people["coordinator"])
    with CaptureQueriesContext(connection) as cold:
        assert client.get(DASHBOARD).status_code == 200
    with django_assert_max_num_queries(len(cold) - 1):
        assert client.get(DASHBOARD).status_code == 200


def test_a_program_change_shows_at_once(world, scene, login, client):
    """Programs label and facet the cached part: a renamed program is a new key."""
    from uptake.programs.models import Program

    before = _page(client, login, world.people["coordinator"])
    assert "Math talk" in before and "Number talks" not in before
    Program.objects.filter(pk=scene.math.pk).update(name="Number talks")
    after = _page(client, login, world.people["coordinator"])
    assert "Number talks" in after and "Math talk" not in after


def test_a_spending_row_counts_at_once_with_the_part_cached(world, scene, login, client):
    """Spending is read live beside the cached part: a new ledger line counts at once."""
    from decimal import Decimal

    from uptake.spending.models import SpendingEntry
    from uptake.spending.queries import fiscal_year_of

    coordinator = world.people["coordinator"]
    before = _page(client, login, coordinator)
    spent = figures_.district_figures(coordinator).spending_total or Decimal("0")
    today = timezone.localdate()
    SpendingEntry.objects.create(district=world.district, fiscal_year=fiscal_year_of(today),
                                 spent_on=today, amount=Decimal("1234.50"), source="title_ii_a",
                                 use="stipends", program=scene.math)
    assert figures_.district_figures(coordinator).spending_total == spent + Decimal("1234.50")
    assert _page(client, login, coordinator) != before
