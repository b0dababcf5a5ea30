"""Who may author, answer and read surveys, checked against the person's current roles.

- Authors: a coordinator (every survey of her district) and a school leader (the surveys of
  the schools she leads now). Everyone else gets the same 404 as for a missing survey.
- Results: the authors, and the district's researchers (read only).
- Roster (network) results name people: only coordinators and researchers see them.
- Answering: a recipient who still holds a role in the survey's district.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district, schools_led_by
from uptake.accounts.models import Role, User
from uptake.surveys.models import Recipient, Survey

AUTHORS = (Role.COORDINATOR, Role.SCHOOL_LEADER)
RESULT_READERS = (Role.COORDINATOR, Role.SCHOOL_LEADER, Role.RESEARCHER)


def may_author(user: User) -> bool:
    return in_a_district(user) and user.is_active and user.has_role(*AUTHORS)


def surveys_managed_by(user: User) -> QuerySet[Survey]:
    """The surveys she may edit, invite to, remind and close."""
    if not in_a_district(user) or not user.is_active:
        return Survey.objects.none()
    found = Survey.objects.filter(district_id=district_id_of(user))
    if user.has_role(Role.COORDINATOR):
        return found
    if user.has_role(Role.SCHOOL_LEADER):
        return found.filter(school_id__in=schools_led_by(user))
    return Survey.objects.none()


def surveys_readable_by(user: User) -> QuerySet[Survey]:
    """The surveys whose results she may read: her managed ones, and for a researcher every
    published survey of her district."""
    managed = surveys_managed_by(user)
    if in_a_district(user) and user.is_active and user.has_role(Role.RESEARCHER):
        return (Survey.objects.filter(district_id=district_id_of(user))
                .filter(Q(pk__in=managed.values("pk")) | Q(published_at__isnull=False)))
    return managed


def access_managed_survey(user: User, survey_id: int) -> Survey:
    try:
        return surveys_managed_by(user).get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404("No such survey.") from None


def access_readable_survey(user: User, survey_id: int) -> Survey:
    try:
        return surveys_readable_by(user).get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404("No such survey.") from None


def may_see_roster_results(user: User, survey: Survey) -> bool:
    """Network data names people: the district's coordinators and researchers only."""
    return (in_a_district(user) and user.is_active and user.district_id == survey.district_id
            and user.has_role(Role.COORDINATOR, Role.RESEARCHER))


def surveys_to_answer(user: User) -> QuerySet[Survey]:
    """Published surveys she was asked to answer (any state of the window)."""
    if not in_a_district(user) or not user.is_active or not user.role_set():
        return Survey.objects.none()
    return Survey.objects.filter(
        district_id=district_id_of(user), published_at__isnull=False,
        recipients__person=user).distinct()


def access_survey_to_answer(user: User, survey_id: int) -> tuple[Survey, Recipient]:
    try:
        survey = surveys_to_answer(user).get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404("No such survey.") from None
    return survey, Recipient.objects.get(survey=survey, person=user)
