"""The one family of refusals: every app's rule errors derive from :class:`RuleError`.

An action refuses a change by raising a rule error whose message is written for the person
who asked ("Only the plan's owner can share it."). Views turn any of them into a form error or
a message (:func:`uptake.views_support.run_action`), JSON endpoints into one envelope
(:func:`uptake.views_support.json_error`), so a new app's refusals need no handler of their
own. This module imports nothing of Uptake, so every app may import it.

Each class carries a stable ``code`` for machines and the HTTP ``status`` it maps to:

>>> Conflict("Already submitted.").as_error()
{'code': 'conflict', 'message': 'Already submitted.', 'fields': {}}
>>> Invalid("Give a date.", field="when").as_error()["fields"]
{'when': ['Give a date.']}
"""

from __future__ import annotations

from typing import TypedDict


class ErrorBody(TypedDict):
    """The inside of the JSON error envelope: ``{"error": ErrorBody}``."""

    code: str
    message: str
    fields: dict[str, list[str]]


class RuleError(ValueError):
    """A change the rules refuse, with a message for the person who asked for it.

    ``field`` names the form field at fault, when one is. A ``ValueError`` because that is
    what the apps' refusals were before they had a common base, and code that catches
    ``ValueError`` around an action keeps working.
    """

    code = "refused"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_error(self) -> ErrorBody:
        fields = {self.field: [self.message]} if self.field else {}
        return {"code": self.code, "message": self.message, "fields": fields}


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
