"""Who reaches the spending ledger.

The district's coordinators keep it (add, correct, delete, import); its researchers read
it (the whole district's ledger: money is not per school). School leaders see their
school's figures on the district view without spending (a ledger line names programs of
every school); teachers, coaches and assessors never see it. Checked against the roles
held now, so a revoked role is no access at once. Another district's entry is the same
404 as a missing one.
"""

from __future__ import annotations

from django.http import Http404

from uptake.accounts.access import in_a_district
from uptake.accounts.models import Role, User
from uptake.spending.models import SpendingEntry

READER_ROLES = (Role.COORDINATOR, Role.RESEARCHER)
KEEPER_ROLES = (Role.COORDINATOR,)


def may_read_spending(user: User) -> bool:
    return in_a_district(user) and user.is_active and user.has_role(*READER_ROLES)


def may_keep_spending(user: User, district_id: int) -> bool:
    """Whether she may change the ledger of this district: its coordinator."""
    return (in_a_district(user) and user.is_active and user.district_id == district_id
            and user.has_role(*KEEPER_ROLES))


def access_entry(user: User, entry_id: int) -> SpendingEntry:
    """An entry of the reader's district, or 404."""
    if not may_read_spending(user):
        raise Http404("No such ledger line.")
    try:
        return SpendingEntry.objects.select_related("program").get(
            pk=entry_id, district_id=user.district_id or 0)
    except (SpendingEntry.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such ledger line.") from None
