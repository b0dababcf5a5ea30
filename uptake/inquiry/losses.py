"""What deleting an inquiry, a measure or an occasion would take with it.

The confirmation page shows these counts before anything is deleted, and the deletion's
audit event keeps them, so "what was lost" can be answered afterwards too. Nothing here
writes. What lives in the apps above the inquiry (observations, student-work sets, evidence
and learning links) is counted by them: each registers a ``DeletionImpact`` in its
``AppConfig.ready()`` (uptake/registry.py), so this module imports none of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, TypedDict

from django.db.models import Count, Q, QuerySet

from uptake import registry
from uptake.inquiry.models import ClassTotal, Inquiry, Measure, Occasion, StudentValue


@dataclass(frozen=True)
class ClassLoss:
    """One class's data in a measure: its occasions and the student values on them."""

    title: str
    occasions: int
    values: int
    missing: int


@dataclass(frozen=True)
class Impact:
    """What another app loses (``goes``) or keeps unlinked, for an impact with no field of
    its own below (an app that joined later)."""

    label: str
    count: int
    goes: bool


@dataclass(frozen=True)
class Losses:
    """Counts of what goes (and of links that are cut but whose objects stay)."""

    cycles: int = 0
    log_entries: int = 0
    measures: int = 0
    occasions: int = 0  # data points: one date of one class
    values: int = 0  # student values present
    missing: int = 0  # student values recorded as missing
    totals: int = 0  # class totals (k of n, counts)
    observations: int = 0  # peer-observation requests deleted with the measure
    observation_points: int = 0  # submitted observations whose point goes (request kept)
    work_sets: int = 0  # Looking at Student Work sets
    evidence_links: int = 0  # artifacts that stay but are no longer linked
    learning_links: int = 0  # learning sources that stay but no longer name it
    classes: tuple[ClassLoss, ...] = ()
    more: tuple[Impact, ...] = ()  # registered impacts without a field above

    @property
    def more_gone(self) -> list[Impact]:
        return [m for m in self.more if m.goes]

    @property
    def more_kept(self) -> list[Impact]:
        return [m for m in self.more if not m.goes]

    def as_dict(self) -> dict[str, Any]:
        """For the audit event's details."""
        out = asdict(self)
        out["classes"] = [asdict(c) for c in self.classes]
        out["more"] = [asdict(m) for m in self.more]
        return out


_FIELDS = {"observations", "observation_points", "work_sets", "evidence_links",
           "learning_links"}


def _registered(of: str, obj: Any) -> dict[str, Any]:
    """The counts the other apps registered for deleting ``obj``: those with a field of
    Losses by name, the rest under ``more``."""
    named: dict[str, Any] = {}
    more = []
    for impact in registry.deletion_impacts:
        if impact.of != of:
            continue
        n = impact.count(obj)
        if impact.name in _FIELDS:
            named[impact.name] = n
        elif n:
            more.append(Impact(impact.label, n, impact.goes))
    return {**named, "more": tuple(more)}


class _DataCounts(TypedDict):
    occasions: int
    values: int
    missing: int
    totals: int


def _data_counts(occasions: QuerySet[Occasion]) -> _DataCounts:
    values = StudentValue.objects.filter(occasion__in=occasions).aggregate(
        present=Count("pk", filter=Q(value__isnull=False)),
        missing=Count("pk", filter=Q(value__isnull=True)))
    return {"occasions": occasions.count(), "values": values["present"],
            "missing": values["missing"],
            "totals": ClassTotal.objects.filter(occasion__in=occasions).count()}


def _classes(occasions: QuerySet[Occasion]) -> tuple[ClassLoss, ...]:
    rows = (occasions.values("section__title").order_by("section__title")
            .annotate(n=Count("pk", distinct=True),
                      present=Count("values", filter=Q(values__value__isnull=False)),
                      absent=Count("values", filter=Q(values__value__isnull=True))))
    return tuple(ClassLoss(r["section__title"], r["n"], r["present"], r["absent"])
                 for r in rows)


def inquiry_losses(inquiry: Inquiry) -> Losses:
    occasions = Occasion.objects.filter(measure__inquiry=inquiry)
    return Losses(
        cycles=inquiry.cycles.count(),
        log_entries=inquiry.cycles.aggregate(n=Count("log_entries"))["n"],
        measures=inquiry.measures.count(),
        **_data_counts(occasions),
        **_registered("inquiry", inquiry),
        classes=_classes(occasions))


def measure_losses(measure: Measure) -> Losses:
    occasions = Occasion.objects.filter(measure=measure)
    return Losses(
        measures=1, **_data_counts(occasions), **_registered("measure", measure),
        classes=_classes(occasions))


def occasion_losses(occasion: Occasion) -> Losses:
    return Losses(
        **_data_counts(Occasion.objects.filter(pk=occasion.pk)),
        **_registered("occasion", occasion))
