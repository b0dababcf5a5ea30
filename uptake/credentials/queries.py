"""Reads of micro-credential data for the apps above and beside this one, as plain data.

``stipends_paid``: the stipend ledger's rows of a district (one per awarded tier), for the
spending ledger, which shows each as a line of its own (read live, never copied).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from uptake.credentials.models import Award, StipendEntry, Submission


@dataclass(frozen=True)
class StipendPaid:
    """One stipend: what was paid, when, for which credential and tier (no person)."""

    id: int
    amount: Decimal
    awarded_on: date
    credential_id: int
    credential_title: str
    tier_name: str
    school_id: int | None


def stipends_paid(district_id: int, *, start: date | None = None, end: date | None = None,
                  credential_ids: set[int] | None = None) -> list[StipendPaid]:
    """The district's stipends awarded from ``start`` to ``end`` (both included, either
    open), of the given credentials only when ``credential_ids`` is given; oldest first."""
    found = StipendEntry.objects.filter(district_id=district_id)
    if start is not None:
        found = found.filter(awarded_on__gte=start)
    if end is not None:
        found = found.filter(awarded_on__lte=end)
    if credential_ids is not None:
        found = found.filter(submission__tier__version__credential_id__in=credential_ids)
    rows = found.order_by("awarded_on", "pk").values_list(
        "pk", "amount", "awarded_on", "submission__tier__version__credential_id",
        "submission__tier__version__title", "submission__tier__name", "school_id")
    return [StipendPaid(*row) for row in rows]


# ------------------------------------------------- the district view's counts (district app)

def _educators_in(district_id: int, school_ids: frozenset[int] | set[int] | None) -> Any:
    """A filter on educator ids: everyone of the district, or those holding a role at one
    of the schools."""
    from uptake.accounts.models import RoleAssignment

    if school_ids is None:
        return None
    return RoleAssignment.objects.filter(district_id=district_id, school_id__in=school_ids
                                         ).values("user_id")


def credential_funnel(credential_ids: set[int], *, district_id: int,
                      school_ids: frozenset[int] | set[int] | None = None) -> dict[str, int]:
    """How many educators (of the schools, when given) started one of these credentials (a
    submission not withdrawn), had a tier awarded, earned the credential; and ``awards``,
    the credentials earned (an educator may earn two)."""
    submissions = Submission.objects.filter(
        district_id=district_id, tier__version__credential_id__in=credential_ids
    ).exclude(state=Submission.State.WITHDRAWN)
    awards = Award.objects.filter(district_id=district_id, credential_id__in=credential_ids)
    educators = _educators_in(district_id, school_ids)
    if educators is not None:
        submissions = submissions.filter(educator_id__in=educators)
        awards = awards.filter(educator_id__in=educators)
    return {
        "started": submissions.values("educator_id").distinct().count(),
        "tier_awarded": submissions.filter(state=Submission.State.AWARDED)
        .values("educator_id").distinct().count(),
        "awarded": awards.values("educator_id").distinct().count(),
        "awards": awards.count(),
    }


def tier_awards_by_kind(credential_ids: set[int], *, district_id: int,
                        school_ids: frozenset[int] | set[int] | None = None) -> dict[str, int]:
    """Awarded tiers of these credentials by kind (``learning``, ``implementation``,
    ``impact``, ...), and ``reflections``: awarded tiers with a written reflection."""
    awarded = Submission.objects.filter(
        district_id=district_id, tier__version__credential_id__in=credential_ids,
        state=Submission.State.AWARDED)
    educators = _educators_in(district_id, school_ids)
    if educators is not None:
        awarded = awarded.filter(educator_id__in=educators)
    counts: dict[str, int] = {}
    for kind in awarded.values_list("tier__kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    counts["reflections"] = awarded.exclude(reflection="").count()
    return counts
