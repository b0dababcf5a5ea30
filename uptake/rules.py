"""The one family of refusals: every app's rule errors derive from :class:`RuleError`.

An action refuses a change by raising a rule error whose message is written for the person
who asked ("Only the plan's owner can share it."). Views turn any of them into a form error or
a message (:func:`uptake.views_support.run_action`), JSON endpoints into one envelope
(:func:`uptake.views_support.json_error`), so a new app's refusals need no handler of their
own. This module imports nothing of Uptake, so every app may import it.

Each class carries a stable ``code`` for machines and the HTTP ``status`` it maps to:

>>> Conflict("Already submitted.").as_error()
{'status': 409, 'code': 'conflict', 'message': 'Already submitted.', 'fields': {}, 'rows': []}
>>> Invalid("Give a date.", field="when").as_error()["fields"]
{'when': ['Give a date.']}
>>> Invalid("2 rows could not be read.", rows=[RowProblem(3, "score", "Not a number: 'x'.")]
...         ).as_error()["rows"]
[{'row': 3, 'column': 'score', 'message': "Not a number: 'x'."}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypedDict


class RowProblem(NamedTuple):
    """What was wrong with one row of a file or one item of a list that was sent: its row
    (1-based, counting a file's header as row 1; an item's position from 1) or None, its
    column (a header or a field name) or "", and the message."""

    row: int | None
    column: str
    message: str


class RowBody(TypedDict):
    row: int | None
    column: str
    message: str


class ErrorBody(TypedDict):
    """The inside of the JSON error envelope: ``{"error": ErrorBody}``: the HTTP status, a
    stable machine ``code``, a ``message`` for a person, the ``fields`` at fault (field name
    to messages) and, for a file or a list, the ``rows`` at fault."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]]
    rows: list[RowBody]


class RuleError(ValueError):
    """A change the rules refuse, with a message for the person who asked for it.

    ``field`` names the form field at fault, when one is. A ``ValueError`` because that is
    what the apps' refusals were before they had a common base, and code that catches
    ``ValueError`` around an action keeps working.
    """

    code = "refused"
    status = 400

    def __init__(self, message: str, *, field: str | None = None,
                 rows: Sequence[RowProblem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rows = list(rows)

    def as_error(self, status: int | None = None) -> ErrorBody:
        fields = {self.field: [self.message]} if self.field else {}
        return {"status": status or self.status, "code": self.code, "message": self.message,
                "fields": fields,
                "rows": [{"row": r.row, "column": r.column, "message": r.message}
                         for r in self.rows]}


class NotAllowed(RuleError):
    """The person may not make this change (or not any more, or not yet)."""

    code = "not_allowed"
    status = 403


class Conflict(RuleError):
    """The change does not fit the object's current state (already done, changed since)."""

    code = "conflict"
    status = 409


class Invalid(RuleError):
    """What was sent cannot be used: a wrong value, an unreadable file."""

    code = "invalid"
    status = 400
