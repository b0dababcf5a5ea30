"""What an educator may put in a submission: records she already has, never a second
upload. Each kind of item names the records of hers it may point at, read through the
owning app's access helpers; ``label_of`` is the line that stands for the record in the
submission and in the frozen copy of a round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from uptake.accounts.access import district_id_of
from uptake.credentials.models import Item
from uptake.evidence.models import Artifact
from uptake.inquiry.access import inquiries_editable_by
from uptake.inquiry.models import Cycle, Measure
from uptake.learning.access import own_goals, own_sources
from uptake.library.access import own_practices

if TYPE_CHECKING:
    from django.db.models import Model

    from uptake.accounts.models import User

KINDS = tuple(Item.Kind.values)


def selectable(user: User, kind: str) -> QuerySet[Any]:
    """Her records of one kind that she may select now."""
    if kind == Item.Kind.INQUIRY:
        return inquiries_editable_by(user).order_by("-updated_at", "pk")
    if kind == Item.Kind.CYCLE:
        return (Cycle.objects.filter(inquiry__in=inquiries_editable_by(user))
                .select_related("inquiry").order_by("inquiry__title", "number"))
    if kind == Item.Kind.MEASURE:
        return (Measure.objects.filter(inquiry__in=inquiries_editable_by(user))
                .select_related("inquiry").order_by("inquiry__title", "name"))
    if kind == Item.Kind.SOURCE:
        return own_sources(user).order_by("-learned_on", "-pk")
    if kind == Item.Kind.ARTIFACT:
        return Artifact.objects.filter(
            owner=user, district_id=district_id_of(user)).order_by("-created_at", "-pk")
    if kind == Item.Kind.GOAL:
        return own_goals(user).select_related("plan").order_by("target_date", "pk")
    if kind == Item.Kind.PRACTICE:
        return own_practices(user).order_by("-updated_at", "-pk")
    raise ValueError(f"Unknown kind of record: {kind!r}")


def label_of(kind: str, obj: Model) -> str:
    """How the record is named in the submission ("Measure: Exit ticket (Fractions)")."""
    if kind == Item.Kind.CYCLE:
        assert isinstance(obj, Cycle)
        text = f"Cycle {obj.number} of {obj.inquiry.title}"
    elif kind == Item.Kind.MEASURE:
        assert isinstance(obj, Measure)
        text = f"{obj.name} ({obj.inquiry.title})"
    elif kind == Item.Kind.GOAL:
        text = str(obj)
    else:
        text = str(getattr(obj, "title", obj))
    return text[:300]
