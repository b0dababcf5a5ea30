"""The batch path (``uptake.analysis.verdicts``) gives every series exactly the verdict
the per-series path (``uptake.analysis.verdict``) gives it: the label, the reason, the
evidence, the centre, the counts and the whole runs analysis (docs/analysis.md, "Many
series at once").

The reference is always a separate ``verdict()`` call on the same series; the series
are seeded random ones of every shape a district's data takes.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uptake.analysis import LABELS, verdict, verdicts

Series = list[float | None]


def random_series(rng: np.random.Generator) -> tuple[Series, int, str]:
    """One series as classes produce them: 0 to 60 points, a baseline of any length,
    noise or a shift up or down at some point, a trend, outliers, ties with the median
    (rounded, integer-valued, constant), and missing points (None or NaN)."""
    n = int(rng.integers(0, 61))
    shape = rng.choice(["noise", "shift", "trend", "outliers", "integers", "constant",
                        "few_levels", "short"])
    if shape == "short":
        n = int(rng.integers(0, 10))
    y = rng.normal(50, 8, size=n)
    if shape == "shift" and n:
        y[int(rng.integers(0, n)):] += rng.choice([-1, 1]) * rng.uniform(4, 20)
    elif shape == "trend":
        y += np.linspace(0, rng.normal(0, 15), n)
    elif shape == "outliers" and n:
        y[rng.integers(0, n, size=3)] += rng.choice([-40, 40], size=3)
    elif shape == "integers":
        y = np.round(y / 4)  # few distinct values: many points on the median
    elif shape == "constant":
        y = np.full(n, float(rng.integers(0, 5)))
    elif shape == "few_levels":
        y = rng.integers(1, 5, size=n).astype(float)  # a 4-point rubric
    missing = rng.random(n) < rng.choice([0.0, 0.05, 0.3])
    values: Series = [None if gone and rng.random() < 0.5 else math.nan if gone else float(v)
                      for v, gone in zip(y, missing, strict=True)]
    if rng.random() < 0.05 and n:  # the start of the series lost
        gone = int(rng.integers(1, n + 1))
        values[:gone] = [None] * gone
    baseline = int(rng.integers(1, n + 1)) if n else int(rng.integers(1, 20))
    if n > 16 and rng.random() < 0.6:
        baseline = int(rng.integers(8, min(n, 30) + 1))  # mostly enough to judge
    return values, baseline, str(rng.choice(["up", "down"]))


def sample(seed: int, count: int) -> tuple[list[Series], list[int], list[str]]:
    rng = np.random.default_rng(seed)
    drawn = [random_series(rng) for _ in range(count)]
    return [d[0] for d in drawn], [d[1] for d in drawn], [d[2] for d in drawn]


def assert_same(batch: Any, series: list[Series], baselines: list[int],
                directions: list[str]) -> None:
    assert len(batch) == len(series)
    for i, (values, b, d) in enumerate(zip(series, baselines, directions, strict=True)):
        expected = verdict(values, baseline_n=b, direction=d)
        got = batch[i]
        assert got == expected, f"series {i}: {values!r}, baseline {b}, {d}"
        assert got.to_dict() == expected.to_dict()
        assert batch.label(i) == expected.label


@pytest.mark.parametrize("seed", [17, 2026, 31337, 404, 9])
def test_it_gives_each_random_series_the_per_series_verdict(seed: int) -> None:
    series, baselines, directions = sample(seed, 400)
    assert_same(verdicts(series, baseline_n=baselines, direction=directions), series,
                baselines, directions)


def test_the_random_series_reach_every_label_and_every_reason() -> None:
    series, baselines, directions = sample(17, 2000)
    batch = verdicts(series, baseline_n=baselines, direction=directions)
    assert set(batch.labels) == set(LABELS)
    reasons = {v.reason.split(" ")[0] for v in batch}
    # Not enough data, all equal, sustained, worse, not sustained (run or clustering), none.
    assert {"The", "All", "After"} <= reasons


def test_its_figures_match_without_building_the_verdicts() -> None:
    series, baselines, directions = sample(2026, 500)
    batch = verdicts(series, baseline_n=baselines, direction=directions)
    for i, (values, b, d) in enumerate(zip(series, baselines, directions, strict=True)):
        v = verdict(values, baseline_n=b, direction=d)
        assert (None if math.isnan(batch.centre[i]) else batch.centre[i]) == v.centre
        assert (batch.n_baseline[i], batch.n_followup[i]) == (v.n_baseline, v.n_followup)
        if v.runs is not None and v.runs.n_useful:
            r = v.runs
            assert (batch.n_useful[i], batch.longest_run[i], batch.longest_run_max[i],
                    batch.n_crossings[i], batch.n_crossings_min[i]) == (
                r.n_useful, r.longest_run, r.longest_run_max, r.n_crossings,
                r.n_crossings_min)


def test_a_matrix_of_equal_length_series_gives_the_per_series_verdicts() -> None:
    """The benchmark's shape: a float matrix, half the series shifted after the baseline,
    one baseline length and direction for all."""
    rng = np.random.default_rng(3)
    y = rng.normal(size=(300, 30))
    y[150:, 15:] += 1.5
    for direction in ("up", "down"):
        batch = verdicts(y, baseline_n=15, direction=direction)
        assert list(batch) == [verdict(row, baseline_n=15, direction=direction) for row in y]


def test_integer_data_with_many_ties_gives_the_per_series_verdicts() -> None:
    rng = np.random.default_rng(5)
    y = rng.integers(0, 4, size=(300, 24))
    y[::3, 12:] += 2
    batch = verdicts(y, baseline_n=12, direction="down")
    assert list(batch) == [verdict(row, baseline_n=12, direction="down") for row in y]


def test_a_flat_series_says_there_is_no_variation() -> None:
    batch = verdicts([[3.0] * 20, [3.0] * 10 + [None] * 10], baseline_n=10)
    assert batch[0] == verdict([3.0] * 20, baseline_n=10)
    assert batch[0].label == "no_signal"
    assert batch[0].reason.startswith("All the values are equal to the baseline median of 3")
    assert batch[1] == verdict([3.0] * 10 + [None] * 10, baseline_n=10)


def test_empty_and_short_series_are_not_enough_data_as_one_at_a_time() -> None:
    series: list[Series] = [[], [1.0], [None] * 12, [1.0, 2.0, 3.0]]
    batch = verdicts(series, baseline_n=[5, 1, 6, 2])
    for i, (values, b) in enumerate(zip(series, [5, 1, 6, 2], strict=True)):
        assert batch[i] == verdict(values, baseline_n=b)
        assert batch[i].label == "not_enough_data"
    assert verdicts([[], []], baseline_n=8)[1] == verdict([], baseline_n=8)


def test_no_baseline_length_means_the_whole_series_as_one_at_a_time() -> None:
    series: list[Series] = [[1.0, 2.0, 3.0] * 4, [], [None, 4.0]]
    assert verdicts(series, baseline_n=None) == [verdict(v, baseline_n=None)  # type: ignore[arg-type]
                                                 for v in series]


def test_a_wrong_direction_or_baseline_would_be_caught() -> None:
    """The comparison is sharp: the same series with another direction or baseline
    gives another verdict, and a changed reason is not equal."""
    series, baselines, directions = sample(404, 300)
    flipped = ["down" if d == "up" else "up" for d in directions]
    batch = verdicts(series, baseline_n=baselines, direction=flipped)
    differ = [i for i, (values, b, d) in enumerate(zip(series, baselines, directions,
                                                       strict=True))
              if batch[i] != verdict(values, baseline_n=b, direction=d)]
    assert len(differ) > 100
    v = batch[0]
    assert replace(v, reason=v.reason + " ") != v


def test_indexing_slicing_and_iterating_agree() -> None:
    series, baselines, directions = sample(9, 20)
    batch = verdicts(series, baseline_n=baselines, direction=directions)
    assert batch == [verdict(v, baseline_n=b, direction=d)
                     for v, b, d in zip(series, baselines, directions, strict=True)]
    assert batch != list(batch)[:-1]
    assert batch[-1] == batch[19] == list(batch)[19]
    assert batch[2:5] == [batch[2], batch[3], batch[4]]
    with pytest.raises(IndexError):
        batch[20]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"values": [[1.0] * 10, [1.0] * 10], "baseline_n": [5, 0]},
     "Series 2: The baseline must be between 1 and 10 points"),
    ({"values": [[1.0] * 10], "baseline_n": 11},
     "Series 1: The baseline must be between 1 and 10 points"),
    ({"values": [[1.0] * 10], "baseline_n": 2.5}, "must be a whole number"),
    ({"values": [[1.0] * 10], "baseline_n": [5, 5]},
     "Give one baseline length per series: 2 for 1 series."),
    ({"values": [[1.0] * 10], "baseline_n": 5, "direction": "sideways"},
     "The direction must be 'up' (higher is better) or 'down', not 'sideways'."),
    ({"values": [[1.0] * 10, [1.0, "x"]], "baseline_n": 1},
     "Series 2: Point 2 of the values is 'x', which is not a number."),
    ({"values": np.array([[1.0, 2.0], [1.0, np.inf]]), "baseline_n": 1},
     "Series 2: point 2 of the values is infinite."),
    ({"values": [[1.0] * 10], "baseline_n": 5, "chart": "x"}, "Series 1: Unknown chart 'x'"),
    ({"values": [[1.0] * 10, [2.0] * 10], "baseline_n": [5, 0], "chart": "i"},
     "Series 2: The baseline must be between 1 and 10 points"),
    ({"numerators": [[1.0] * 10], "denominators": [[2.0] * 10, [2.0] * 10],
      "baseline_n": 5, "chart": "p"}, "Give as many numerator and denominator series"),
    ({"values": "1, 2, 3", "baseline_n": 5}, "Give the series as a list of lists"),
    ({"values": [1.0, 2.0, 3.0], "baseline_n": 1}, "Series 1 is 1.0, not a list of numbers"),
    ({"values": np.arange(10.0), "baseline_n": 5}, "Give the series as a list of lists"),
])
def test_bad_input_gets_a_message_naming_the_series(kwargs: dict[str, Any],
                                                     message: str) -> None:
    with pytest.raises(ValueError) as caught:
        verdicts(**kwargs)
    assert message in str(caught.value)


@pytest.mark.parametrize(("chart", "rules"), [("i", "default"), ("i", "we"),
                                             ("run", "ihi"), ("i", "nelson")])
def test_other_charts_and_rules_give_the_per_series_verdicts(chart: str, rules: str) -> None:
    """Not vectorised (limits and point rules): judged one series at a time in the same
    result, so one call serves a district's measures whatever their chart."""
    drawn = zip(*sample(31337, 150), strict=True)
    # Control charts refuse an empty series, one at a time and so in a batch.
    series, baselines, directions = map(list, zip(*[d for d in drawn if d[0]], strict=True))
    batch = verdicts(series, baseline_n=baselines, direction=directions, chart=chart,
                     rules=rules)
    expected = [verdict(v, baseline_n=b, direction=d, chart=chart, rules=rules)
                for v, b, d in zip(series, baselines, directions, strict=True)]
    assert batch == expected
    assert batch.labels == [v.label for v in expected]
    assert [None if math.isnan(c) else c for c in batch.centre] == [v.centre for v in expected]


def test_k_of_n_series_give_the_per_series_verdicts() -> None:
    rng = np.random.default_rng(12)
    n = [rng.integers(15, 30, size=int(rng.integers(1, 40))).astype(float).tolist()
         for _ in range(100)]
    k = [[float(rng.binomial(int(d), 0.4 + 0.2 * (j > 15))) for j, d in enumerate(row)]
         for row in n]
    baselines = [min(12, max(len(row), 1)) for row in n]
    for chart in ("p", "run"):
        batch = verdicts(numerators=k, denominators=n, baseline_n=baselines, chart=chart,
                         direction="up")
        assert batch == [verdict(numerators=kk, denominators=nn, baseline_n=b, chart=chart)
                         for kk, nn, b in zip(k, n, baselines, strict=True)]


values_st = st.lists(st.one_of(st.none(), st.integers(0, 6).map(float),
                               st.floats(-1e6, 1e6, allow_nan=False)),
                     max_size=60)


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[Series], list[int], list[str]]:
    series = draw(st.lists(values_st, min_size=1, max_size=12))
    baselines = [draw(st.integers(1, max(len(s), 1))) for s in series]
    directions = [draw(st.sampled_from(["up", "down"])) for _ in series]
    return series, baselines, directions


@settings(max_examples=150, deadline=None)
@given(batches())
def test_property_any_batch_equals_its_series_one_at_a_time(
        drawn: tuple[list[Series], list[int], list[str]]) -> None:
    series, baselines, directions = drawn
    assert_same(verdicts(series, baseline_n=baselines, direction=directions), series,
                baselines, directions)
