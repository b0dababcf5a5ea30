"""The demo's data model: repeatable with its seed, spread as designed, effects that build
up and fade as designed (docs/demo.md)."""

from __future__ import annotations

import statistics

import pytest

from uptake.demo.model import Design, class_counts, class_scores, effect_at

TICKET = Design(mean=60, ability_sd=12, difficulty_sd=3, noise_sd=9, scale=(-1000, 1000),
                absent=0.0)


def test_it_gives_the_same_class_for_the_same_seed_and_another_for_another() -> None:
    a = class_scores(TICKET, students=25, baseline=8, after=9, seed=4)
    assert a == class_scores(TICKET, students=25, baseline=8, after=9, seed=4)
    assert a != class_scores(TICKET, students=25, baseline=8, after=9, seed=5)


def test_a_students_scores_spread_as_ability_and_noise_together() -> None:
    # Many students, one occasion: the spread is sqrt(12^2 + 9^2) = 15 (the day's
    # difficulty moves everyone together and does not widen it).
    (row,) = class_scores(TICKET, students=20000, baseline=1, after=0, seed=1)
    values = [v for v in row if v is not None]
    assert statistics.stdev(values) == pytest.approx(15.0, rel=0.03)
    assert TICKET.student_sd == pytest.approx(15.0)


def test_the_effect_is_in_student_standard_deviations_and_builds_up() -> None:
    design = Design(mean=0, ability_sd=12, difficulty_sd=0, noise_sd=9, scale=(-99, 99),
                    effect=0.4, ramp=3)
    assert [effect_at(design, k) for k in (-1, 0, 1, 2, 8)] == pytest.approx(
        [0.0, 2.0, 4.0, 6.0, 6.0])


def test_an_effect_that_did_not_last_is_gone_after_it_fades() -> None:
    design = Design(mean=0, ability_sd=3, difficulty_sd=0, noise_sd=4, scale=(-99, 99),
                    effect=0.5, ramp=1, fade_after=2)
    assert [effect_at(design, k) for k in range(4)] == pytest.approx([2.5, 2.5, 0.0, 0.0])


def test_scores_stay_on_the_scale_in_its_steps_and_some_students_are_absent() -> None:
    design = Design(mean=2, ability_sd=1, difficulty_sd=0.2, noise_sd=0.6, scale=(1, 4),
                    absent=0.1)
    rows = class_scores(design, students=200, baseline=4, after=4, seed=2)
    values = [v for row in rows for v in row]
    assert {v for v in values if v is not None} == {1.0, 2.0, 3.0, 4.0}
    assert 0.05 < values.count(None) / len(values) < 0.15


def test_a_tally_share_moves_from_before_to_after() -> None:
    counts = class_counts(p_before=0.2, p_after=0.6, present=[1000] * 10, baseline=5,
                          seed=1, ramp=1)
    assert all(150 < k < 250 for k in counts[:5])
    assert all(550 < k < 650 for k in counts[5:])
