"""Plain reads of inquiries for the apps above (they never filter these models)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from uptake.analysis.charts import LABEL_TEXT
from uptake.inquiry.models import Inquiry, Measure, SeriesSummary
from uptake.inquiry.summaries import refresh_measures


def _measures(district_id: int, school_id: int | None) -> QuerySet[Measure]:
    measures = (Measure.objects.filter(inquiry__district_id=district_id)
                .exclude(inquiry__status=Inquiry.Status.DRAFT))
    if school_id is not None:
        measures = measures.filter(sections__school_id=school_id).distinct()
    return measures


def refresh_stale(district_id: int, *, school_id: int | None = None) -> int:
    """Recompute the summaries of the district's measures (those with a class in the school,
    when given) that are stale or have none yet; returns how many were recomputed."""
    measures = _measures(district_id, school_id)
    stale = SeriesSummary.objects.filter(measure=OuterRef("pk"), stale=True)
    together = SeriesSummary.objects.filter(measure=OuterRef("pk"), section=None)
    ids = list(measures.filter(Exists(stale) | ~Exists(together))
               .values_list("pk", flat=True).order_by("pk"))
    return refresh_measures(ids)


def series_summaries(district_id: int, *, school_id: int | None = None,
                     include_comparison: bool = False) -> QuerySet[SeriesSummary]:
    """Each class's summary (``section`` set) of the district's measures whose inquiry is
    not a draft, in the school's classes when ``school_id`` is given. Stale or missing rows
    are recomputed first, so the figures always match the study pages.

    Comparison classes (classes collecting a measure without trying the change) are left
    out unless ``include_comparison``: their verdicts say nothing of the change. The rows
    carry every student group UNSUPPRESSED (``groups``): whoever shows them suppresses."""
    refresh_stale(district_id, school_id=school_id)
    rows = (SeriesSummary.objects.filter(district_id=district_id, section__isnull=False)
            .exclude(measure__inquiry__status=Inquiry.Status.DRAFT)
            .select_related("measure", "section"))
    if school_id is not None:
        rows = rows.filter(school_id=school_id)
    if not include_comparison:
        rows = rows.filter(comparison=False)
    return rows.order_by("measure_id", "section_id")


def together_summaries(district_id: int, *, school_id: int | None = None
                       ) -> QuerySet[SeriesSummary]:
    """Each measure's classes-together summary (``section`` None), refreshed first like
    :func:`series_summaries`; ``school_id`` keeps measures with a class in that school."""
    refresh_stale(district_id, school_id=school_id)
    rows = (SeriesSummary.objects.filter(district_id=district_id, section__isnull=True)
            .exclude(measure__inquiry__status=Inquiry.Status.DRAFT)
            .select_related("measure"))
    if school_id is not None:
        rows = rows.filter(measure__sections__school_id=school_id).distinct()
    return rows.order_by("measure_id")


@dataclass(frozen=True)
class MeasureVerdict:
    """A measure's verdict over its classes together, as its study page gives it (the
    classes trying the change when some are comparison classes), read from its summary."""

    label: str | None
    reason: str

    @property
    def label_text(self) -> str:
        return LABEL_TEXT.get(self.label or "", "no verdict yet")


def measure_verdicts(measures: Sequence[Measure]) -> list[tuple[Measure, MeasureVerdict]]:
    """Each measure with its verdict, from the persisted summaries (refreshed first where
    stale or missing, so it always matches the study page), in the order given."""
    ids = [m.pk for m in measures]
    rows = {r.measure_id: r for r in SeriesSummary.objects.filter(
        measure_id__in=ids, section__isnull=True).only("measure_id", "verdict", "reason",
                                                       "stale")}
    behind = [pk for pk in ids if pk not in rows or rows[pk].stale]
    if behind:
        refresh_measures(behind)
        rows.update({r.measure_id: r for r in SeriesSummary.objects.filter(
            measure_id__in=behind, section__isnull=True).only("measure_id", "verdict",
                                                             "reason", "stale")})
    return [(m, MeasureVerdict(rows[m.pk].verdict or None, rows[m.pk].reason)
             if m.pk in rows else MeasureVerdict(None, "")) for m in measures]
