"""A summary refresh never marks fresh what a change committed while it was computing
(``summaries_version``, checked under the measure's row lock), and a study's content key
tells two refreshes apart even within one clock tick.

The interleaving is made deterministic: the refresh's compute step is wrapped so that a
teacher saves an occasion between the refresh reading the data and writing its rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from uptake.inquiry import summaries
from uptake.inquiry.actions import OccasionData, do_save_occasion
from uptake.inquiry.demo import load_demo_inquiries
from uptake.inquiry.models import Measure, Occasion, SeriesSummary
from uptake.inquiry.study import study_key
from uptake.inquiry.summaries import REFRESH_ATTEMPTS, refresh_measure


@pytest.fixture
def measure(world: Any) -> Measure:
    inquiries = load_demo_inquiries(world.people["teacher"], world.section)
    found = inquiries[0].measures.get()
    refresh_measure(found)
    return Measure.objects.select_related("inquiry").get(pk=found.pk)


def _save_one_more(world: Any, measure: Measure) -> None:
    """What a teacher does in another request: one more occasion for the class."""
    last = Occasion.objects.filter(measure=measure).latest("date")
    do_save_occasion(world.people["teacher"], measure, world.section, OccasionData(
        when=last.date + timedelta(days=1),
        values={s.pk: 70.0 for s in world.students}))


def _changing(world: Any, measure: Measure, times: int, monkeypatch: Any) -> list[int]:
    """Make the first ``times`` computations save an occasion after reading the data;
    returns the points each computation saw."""
    real = summaries._summarise
    seen: list[int] = []

    def compute_then_change(m: Measure) -> list[SeriesSummary]:
        rows = real(m)
        seen.append(rows[-1].n_points)
        if len(seen) <= times:
            _save_one_more(world, measure)
        return rows

    monkeypatch.setattr(summaries, "_summarise", compute_then_change)
    return seen


def test_a_change_during_a_refresh_is_read_again_not_overwritten(
        world: Any, measure: Measure, monkeypatch: Any) -> None:
    before = Occasion.objects.filter(measure=measure).count()
    seen = _changing(world, measure, 1, monkeypatch)
    refresh_measure(measure)
    # The first computation saw the old data; its rows were not written.
    assert seen == [before, before + 1]
    rows = SeriesSummary.objects.filter(measure=measure)
    assert {r.n_points for r in rows} == {before + 1}
    assert not rows.filter(stale=True).exists()


def test_a_measure_that_keeps_changing_is_left_stale_with_its_rows(
        world: Any, measure: Measure, monkeypatch: Any) -> None:
    before = Occasion.objects.filter(measure=measure).count()
    old = set(SeriesSummary.objects.filter(measure=measure).values_list("pk", flat=True))
    seen = _changing(world, measure, REFRESH_ATTEMPTS, monkeypatch)
    assert refresh_measure(measure) == []
    assert len(seen) == REFRESH_ATTEMPTS
    rows = SeriesSummary.objects.filter(measure=measure)
    # Never written from data that was overtaken: the old rows, still marked stale.
    assert set(rows.values_list("pk", flat=True)) == old
    assert all(r.stale and r.n_points == before for r in rows)
    # The refresh the change queued (or the next reader) then finds the latest data.
    monkeypatch.undo()
    refresh_measure(measure)
    assert {r.n_points for r in SeriesSummary.objects.filter(measure=measure)} == {
        before + REFRESH_ATTEMPTS}
    assert not SeriesSummary.objects.filter(measure=measure, stale=True).exists()


def test_a_refresh_reads_the_measure_again_when_its_settings_changed(
        world: Any, measure: Measure) -> None:
    """A caller's measure loaded before a change (its direction here) is not trusted."""
    held = Measure.objects.select_related("inquiry").get(pk=measure.pk)
    Measure.objects.filter(pk=measure.pk).update(direction="down")
    summaries.mark_stale([measure.pk])
    refresh_measure(held)
    assert {r.direction for r in SeriesSummary.objects.filter(measure=measure)} == {"down"}


def test_two_refreshes_in_one_clock_tick_give_two_study_keys(
        world: Any, measure: Measure, monkeypatch: Any) -> None:
    tick = timezone.now()
    monkeypatch.setattr(summaries.timezone, "now", lambda: tick)
    teacher = world.people["teacher"]
    refresh_measure(measure)
    first = study_key(teacher, measure, names=False, language="en")
    # A roster change (a student's group) changes no occasion, only the summaries.
    summaries.mark_stale([measure.pk])
    assert study_key(teacher, measure, names=False, language="en") is None
    refresh_measure(measure)
    again = Measure.objects.get(pk=measure.pk)
    second = study_key(teacher, again, names=False, language="en")
    assert first is not None and second is not None and first != second
    assert set(SeriesSummary.objects.filter(measure=measure)
               .values_list("refreshed_at", flat=True)) == {tick}
