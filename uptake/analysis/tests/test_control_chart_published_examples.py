"""Control charts reproduce published textbook examples."""

from __future__ import annotations

import pytest

from uptake.analysis import control_chart

# Montgomery, Introduction to Statistical Quality Control (6th ed., 2009), Example 7.1:
# frozen orange juice concentrate cans, 30 samples of n = 50, 347 nonconforming in all.
# Printed: p-bar = 347/1500 = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23
# plot above the UCL. Tolerance: the book rounds to 4 decimals.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20,
                18, 24, 15, 9, 12, 7, 13, 9, 6]


def test_it_reproduces_montgomerys_p_chart() -> None:
    c = control_chart(chart="p", numerators=ORANGE_JUICE, denominators=[50] * 30)
    assert c.centre == pytest.approx(0.2313, abs=5e-5)
    assert c.ucl[0] == pytest.approx(0.4102, abs=5e-5)
    assert c.lcl[0] == pytest.approx(0.0524, abs=5e-5)
    assert c.outside == (14, 22)
