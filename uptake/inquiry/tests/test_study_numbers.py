"""The growth table's numbers read the way the rest of the study page writes them."""

import pytest
from django.template.defaultfilters import floatformat

from uptake.inquiry.study import num


@pytest.mark.parametrize(("value", "shown"), [
    (3.0, "3"),            # a whole score stays whole
    (-2.0, "-2"),
    (3.5, "3.50"),         # otherwise two decimals
    (2.675, "2.68"),       # halves round up, from the decimal the teacher typed
    (-7.995, "-8.00"),
    (7.999, "8.00"),       # not a whole number, so still two decimals
    (-0.001, "0.00"),      # never a negative zero
    (None, "missing"),
    (float("nan"), "missing"),
])
def test_growth_numbers_match_the_pages_other_numbers(value, shown):
    assert num(value, "missing") == shown
    if value is not None and value == value:
        assert floatformat(value, "-2") == shown
