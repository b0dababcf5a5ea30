"""Only the inquiry's editors (its owner and, for a team inquiry, the team's members) reach
a work-sample set: its pages show student names. Everyone else gets the same 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from uptake.inquiry.access import inquiries_editable_by
from uptake.studentwork.models import Intervention, StudentGroup, WorkSampleSet


def sets_editable_by(user: Any) -> Any:
    return WorkSampleSet.objects.filter(inquiry__in=inquiries_editable_by(user))


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
