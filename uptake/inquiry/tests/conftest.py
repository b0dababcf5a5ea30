"""Fixtures for inquiry tests: Jamie's inquiry with a score measure on her class."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

START = date(2026, 9, 7)


def weekly(n: int, start: date = START) -> list[date]:
    return [start + timedelta(days=7 * i) for i in range(n)]


def fill(actor: Any, measure: Any, section: Any, means: Sequence[float | None],
         students: Sequence[Any], *, start: date = START, spread: float = 1.0) -> None:
    """One occasion a week; each student scores the week's value plus a fixed offset,
    so the class mean is exactly the given value."""
    from uptake.inquiry.actions import OccasionData, do_save_occasion

    offsets = [spread * (i - (len(students) - 1) / 2) for i in range(len(students))]
    for when, mean in zip(weekly(len(means), start), means, strict=True):
        if measure.per_student:
            values = {s.pk: None if mean is None else mean + o
                      for s, o in zip(students, offsets, strict=True)}
            data = OccasionData(when=when, values=values)
        else:
            data = OccasionData(when=when, total=(int(mean or 0), len(students)))
        do_save_occasion(actor, measure, section, data)


@pytest.fixture
def inquiry(world: Any) -> Any:
    from uptake.inquiry.actions import do_create_inquiry

    return do_create_inquiry(
        world.people["teacher"], title="Math talk in Grade 3",
        problem_of_practice="Few students explain their thinking.",
        question="Will talk moves raise explanations?", change_idea="Daily talk moves",
        prediction="Half the class will explain their thinking by November.")


@pytest.fixture
def measure(world: Any, inquiry: Any) -> Any:
    from uptake.inquiry.actions import do_create_measure

    return do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                             name="Exit ticket", kind="score", scale_min=0, scale_max=100,
                             direction="up", change_date=weekly(9)[8])
