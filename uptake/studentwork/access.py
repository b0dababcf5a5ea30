"""Who reaches a work-sample set: a person who may edit the inquiry *and* teaches the set's
class now. A set's pages show the class's student names and take scores for them, and
names are for a class's current teachers only (``uptake.roster.access``): a team member who
does not teach the class, or whose assignment to it has ended, gets the same 404 as for a
missing set, on every page and every change (groups and interventions included).

What such a team member still sees is what carries no student identity: the set's title
and date in the inquiry's list of sets. Nothing of the set's scores, groups or group sizes
is shown to her (a group of one is a student). Everyone else gets the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from uptake.inquiry.access import inquiries_editable_by, sections_taught_by
from uptake.studentwork.models import Intervention, StudentGroup, WorkSampleSet


def sets_editable_by(user: Any) -> QuerySet[WorkSampleSet]:
    """Sets of inquiries the person edits, on classes she teaches now."""
    return WorkSampleSet.objects.filter(inquiry__in=inquiries_editable_by(user),
                                        section__in=sections_taught_by(user))


def access_set(user: Any, set_id: Any) -> WorkSampleSet:
    try:
        return sets_editable_by(user).select_related("inquiry", "section").get(pk=set_id)
    except (WorkSampleSet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such set of student work.") from None


def access_group(user: Any, group_id: Any) -> StudentGroup:
    try:
        return StudentGroup.objects.select_related("sample_set").get(
            pk=group_id, sample_set__in=sets_editable_by(user))
    except (StudentGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group.") from None


def access_intervention(user: Any, intervention_id: Any) -> Intervention:
    try:
        return Intervention.objects.select_related("group", "group__sample_set").get(
            pk=intervention_id, group__sample_set__in=sets_editable_by(user))
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise Http404("No such intervention.") from None
