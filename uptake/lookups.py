"""An ``in`` lookup on integer columns that ignores numbers the column cannot hold.

Django already turns ``filter(pk=2**63)`` into an empty result (an id the column cannot
hold matches nothing), but not ``filter(pk__in=[2**63])``: SQLite's driver raises
``OverflowError`` while binding it, a server error. Every form with a multiple choice of
rows (``ModelMultipleChoiceField``) runs that query on whatever ids were posted, so one
forged id was a 500. Out-of-range values are dropped before the query is built: they
could never match, so the answer is the same, and an empty list matches nothing as usual.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type())
            self.rhs = [v for v in self.rhs if not isinstance(v, int) or (
                (low is None or v >= low) and (high is None or v <= high))]
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make it the ``in`` lookup of every integer field (ids and foreign keys included)."""
    IntegerField.register_lookup(IntegerIn)
