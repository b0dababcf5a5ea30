"""Seeded simulations: the verdict's false-improvement rate and its power
(docs/analysis.md section 4).

The Anhøj rules are designed for about 5 % false signals; the verdict, which needs the
signal after the baseline, on the better side and still holding, must stay at or below it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from uptake.analysis import verdict

N_SERIES = 2000


def labels(shift: float, chart: str, seed: int) -> Counter[str]:
    rng = np.random.default_rng(seed)
    out: Counter[str] = Counter()
    for _ in range(N_SERIES):
        y = rng.normal(size=24)
        y[12:] += shift
        out[verdict(y.tolist(), baseline_n=12, chart=chart).label] += 1
    return out


@pytest.mark.parametrize("chart", ["run", "i"])
def test_it_rarely_calls_noise_a_sustained_improvement(chart: str) -> None:
    counts = labels(0.0, chart, seed=2002)
    assert counts["sustained_improvement"] / N_SERIES <= 0.05
    # Worse-direction runs are as rare as better ones (the rules are symmetric).
    assert counts["got_worse"] / N_SERIES <= 0.05


@pytest.mark.parametrize("chart", ["run", "i"])
def test_it_detects_a_shift_of_one_and_a_half_sd_in_most_series(chart: str) -> None:
    counts = labels(1.5, chart, seed=1515)
    detected = counts["sustained_improvement"] + counts["change_not_sustained"]
    assert detected / N_SERIES > 0.6
    assert counts["got_worse"] / N_SERIES < 0.01
