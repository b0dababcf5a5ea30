"""Who may reach which inquiry, cycle and measure.

- The owner and the members of the inquiry's team read and edit it.
- A coach or leader reads it only when the owner shared it with her (a grant, never
  edits), and only while she is a coach or leader at a school where the owner works now
  (``uptake.accounts.grants`` re-checks that at every read).
- Everyone else, and every other district, gets the same 404 as for a missing inquiry.
- A team is run by its members, all alike: any member renames it, adds and removes
  members; nobody else (not even its creator once she has left) reaches it.

Entering data for a class needs more: the person must teach that class now (names of
students are for their current teachers only, see ``uptake.roster.access``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.grants import GrantRule, granted_q
from uptake.accounts.models import Role, User
from uptake.inquiry.models import Annotation, Cycle, Inquiry, Measure, Occasion, Team
from uptake.roster.access import teaches_now
from uptake.roster.models import Section
from uptake.roster.queries import current_assignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    Person = User | AnonymousUser

# Who may read an inquiry shared with her: a coach or leader where the owner works now.
INQUIRY_GRANTS = GrantRule(school_roles=frozenset({Role.COACH, Role.SCHOOL_LEADER}))


def _signed_in(user: Person) -> TypeIs[User]:
    return in_a_district(user)


def editors_q(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}team__members": user})


def inquiries_shared_with(user: Person) -> QuerySet[Inquiry]:
    """Inquiries shared with the person that she may still read (not her own or team's)."""
    return Inquiry.objects.filter(granted_q(user, Inquiry, INQUIRY_GRANTS))


def inquiries_visible_to(user: Person) -> QuerySet[Inquiry]:
    """Inquiries the person owns, shares through a team, or that were shared with her."""
    if not _signed_in(user):
        return Inquiry.objects.none()
    assert isinstance(user, User)
    ids = Inquiry.objects.filter(
        editors_q(user) | granted_q(user, Inquiry, INQUIRY_GRANTS),
        district_id=district_id_of(user)).values("pk")
    return Inquiry.objects.filter(pk__in=ids)


def inquiries_editable_by(user: Person) -> QuerySet[Inquiry]:
    if not _signed_in(user):
        return Inquiry.objects.none()
    assert isinstance(user, User)
    ids = Inquiry.objects.filter(editors_q(user), district_id=district_id_of(user)).values("pk")
    return Inquiry.objects.filter(pk__in=ids)


def may_edit(user: Person, inquiry: Inquiry) -> bool:
    return inquiries_editable_by(user).filter(pk=inquiry.pk).exists()


def access_inquiry(user: Person, inquiry_id: Any, *, edit: bool = False) -> Inquiry:
    """The inquiry, if the person may read it (``edit``: may change it), else 404."""
    qs = inquiries_editable_by(user) if edit else inquiries_visible_to(user)
    try:
        return qs.select_related("owner", "team").get(pk=inquiry_id)
    except (Inquiry.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inquiry.") from None


def access_cycle(user: Person, cycle_id: Any, *, edit: bool = False) -> Cycle:
    qs = inquiries_editable_by(user) if edit else inquiries_visible_to(user)
    try:
        return Cycle.objects.select_related("inquiry", "inquiry__owner").get(
            pk=cycle_id, inquiry__in=qs)
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cycle.") from None


def access_measure(user: Person, measure_id: Any, *, edit: bool = False) -> Measure:
    qs = inquiries_editable_by(user) if edit else inquiries_visible_to(user)
    try:
        return Measure.objects.select_related("inquiry", "inquiry__owner").get(
            pk=measure_id, inquiry__in=qs)
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404("No such measure.") from None


def access_entry_section(user: Person, measure: Measure, section_id: Any) -> Section:
    """A class of the measure that the person teaches now (she enters its data), or 404."""
    if not may_edit(user, measure.inquiry):
        raise Http404("No such class.")
    try:
        section = measure.sections.get(pk=section_id)
    except (Section.DoesNotExist, ValueError, TypeError):
        raise Http404("No such class.") from None
    if not teaches_now(user, section):
        raise Http404("No such class.")
    return section


def access_occasion(user: Person, occasion_id: Any) -> Occasion:
    """An occasion whose data the person may change (she teaches its class now), or 404."""
    try:
        occasion = Occasion.objects.select_related("measure", "measure__inquiry", "section").get(
            pk=occasion_id, measure__inquiry__in=inquiries_editable_by(user))
    except (Occasion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such occasion.") from None
    if not teaches_now(user, occasion.section):
        raise Http404("No such occasion.")
    return occasion


def teams_of(user: Person) -> QuerySet[Team]:
    if not _signed_in(user):
        return Team.objects.none()
    return Team.objects.filter(district_id=district_id_of(user), members=user)


def access_team(user: Person, team_id: Any) -> Team:
    """A team the person belongs to (members run their team together), or 404."""
    try:
        return teams_of(user).get(pk=team_id)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404("No such team.") from None


def sections_taught_by(user: Person) -> QuerySet[Section]:
    """Classes the person teaches now: the ones she may add to a measure."""
    if not _signed_in(user):
        return Section.objects.none()
    return Section.objects.filter(
        current_assignment("teacher_assignments__"),
        district_id=district_id_of(user), teacher_assignments__teacher=user).distinct()


def colleagues_classes_with_data(user: Person, measure: Measure) -> list[str]:
    """The measure's classes holding data that the person does not teach now (titles).

    The inquiry's owner may delete a measure with everyone's data on it, as she may delete
    the whole inquiry; another team member may delete it only when the data on it is from
    her own classes, so that no one deletes a colleague's data by deleting a measure.
    """
    if measure.inquiry.owner_id == getattr(user, "pk", None):
        return []
    return sorted(set(Occasion.objects.filter(measure=measure)
                      .exclude(section__in=sections_taught_by(user))
                      .values_list("section__title", flat=True)))


def access_annotation(measure: Measure, annotation_id: Any) -> Annotation:
    """A note on a measure the caller already holds (``access_measure(..., edit=True)``),
    or 404: a note of another measure is never reached through this one."""
    try:
        return measure.annotations.select_related("measure", "section").get(pk=annotation_id)
    except (Annotation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such note.") from None
