"""The states a submission moves through and the only moves between them.

::

    draft ──submit──▶ submitted ──assign──▶ in_review ──award──▶ awarded
      │                  │  (no assessor yet)   │  ▲
      │                  │                      │  └─reassign / second reader
      │                  │                      └──return──▶ returned ──submit──▶ …
      └──────────────────┴──────withdraw───────────────────────┴──▶ withdrawn

``submit`` goes straight to ``in_review`` when an assessor can be assigned at once.
``awarded`` and ``withdrawn`` are final. :func:`move` is called by the actions only; it
refuses any move this table does not hold, whichever interface asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from uptake.rules import Conflict

if TYPE_CHECKING:
    from uptake.credentials.models import Submission

DRAFT, SUBMITTED, IN_REVIEW, RETURNED, AWARDED, WITHDRAWN = (
    "draft", "submitted", "in_review", "returned", "awarded", "withdrawn")

# event -> {from state: to state}
MOVES: dict[str, dict[str, str]] = {
    "edit": {DRAFT: DRAFT, RETURNED: RETURNED},
    "submit": {DRAFT: SUBMITTED, RETURNED: SUBMITTED},
    "assign": {SUBMITTED: IN_REVIEW, IN_REVIEW: IN_REVIEW},
    "unassign": {IN_REVIEW: SUBMITTED},
    "award": {IN_REVIEW: AWARDED},
    "return": {IN_REVIEW: RETURNED},
    "withdraw": {DRAFT: WITHDRAWN, SUBMITTED: WITHDRAWN, IN_REVIEW: WITHDRAWN,
                 RETURNED: WITHDRAWN},
}
FINAL = frozenset({AWARDED, WITHDRAWN})
# Live work (counts against "one submission per tier"): everything but withdrawn.
OPEN_FOR_REVIEW = frozenset({SUBMITTED, IN_REVIEW})

WHY_NOT = {
    "edit": {SUBMITTED: "It has been sent for review; it can be changed again only if it "
                        "comes back with feedback.",
             IN_REVIEW: "An assessor is reading it; it can be changed again only if it comes "
                        "back with feedback.",
             AWARDED: "It has been awarded; awarded work is kept as it was.",
             WITHDRAWN: "It was withdrawn."},
    "submit": {SUBMITTED: "It has already been sent.", IN_REVIEW: "It is already being read.",
               AWARDED: "It has already been awarded.", WITHDRAWN: "It was withdrawn."},
    "award": {DRAFT: "It has not been submitted.", SUBMITTED: "No assessor is reading it yet.",
              RETURNED: "It was returned; the educator has to send it again.",
              AWARDED: "It has already been awarded.", WITHDRAWN: "It was withdrawn."},
    "withdraw": {AWARDED: "Awarded work cannot be withdrawn.",
                 WITHDRAWN: "It was already withdrawn."},
}


def allowed(event: str, state: str) -> bool:
    return state in MOVES.get(event, {})


def events_from(state: str) -> list[str]:
    """The events that may happen in ``state`` (what a page or the API may offer)."""
    return [event for event, moves in MOVES.items() if state in moves]


PAST = {"edit": "changed", "submit": "sent", "assign": "assigned", "unassign": "unassigned",
        "award": "awarded", "return": "returned", "withdraw": "withdrawn"}


def why_not(event: str, state: str) -> str:
    return WHY_NOT.get(event, {}).get(state) or (
        f"A submission that is {state.replace('_', ' ')} cannot be "
        f"{PAST.get(event, event)}.")


def move(submission: Submission, event: str) -> str:
    """Put the submission in the state ``event`` leads to (not saved), or refuse."""
    to = MOVES.get(event, {}).get(submission.state)
    if to is None:
        raise Conflict(why_not(event, submission.state))
    submission.state = to
    return to
