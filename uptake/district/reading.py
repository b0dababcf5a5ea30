"""Small reads the district's figures need (who owns an inquiry, the inquiries by id, the
evidence behind a set of inquiries), each one query (or a fixed few) whatever the number
of inquiries, so that a dashboard's queries do not grow with the district. The people,
links and credentials behind a set of programs are read by ``uptake.programs.queries``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from uptake.inquiry.models import Inquiry


def owners_of(inquiry_ids: Iterable[int]) -> dict[int, int]:
    """Each inquiry's owner (person id), drafts included."""
    return dict(Inquiry.objects.filter(pk__in=set(inquiry_ids))
                .values_list("pk", "owner_id"))


def inquiries_by_ids(inquiry_ids: Iterable[int]) -> list[Inquiry]:
    """The inquiries (not drafts), in id order."""
    return list(Inquiry.objects.filter(pk__in=set(inquiry_ids))
                .exclude(status=Inquiry.Status.DRAFT).order_by("pk"))


# --------------------------------------------------------------- evidence, in one query each
#
# ``registry.EvidenceKind.count(inquiry)`` counts one inquiry's evidence; a program's ladder
# sums it over every inquiry linked to the program (a query per inquiry and kind). For the
# kinds the project registers, the same sum is one query here (pinned against ``count`` by
# uptake/district/tests/test_dashboard_queries.py); a kind not listed falls back to
# ``count`` per inquiry.

def _measures(ids: set[int]) -> int:
    from uptake.inquiry.models import Measure

    return Measure.objects.filter(inquiry_id__in=ids, occasions__isnull=False).distinct().count()


def _sources(ids: set[int]) -> int:
    from uptake.learning.models import LearningSource

    return LearningSource.inquiries.through.objects.filter(inquiry_id__in=ids).count()


def _observations(ids: set[int]) -> int:
    from uptake.observation.models import ObservationRequest

    return ObservationRequest.objects.filter(
        inquiry_id__in=ids, status=ObservationRequest.Status.SUBMITTED).count()


def _work_sets(ids: set[int]) -> int:
    from uptake.studentwork.models import WorkSampleSet

    return WorkSampleSet.objects.filter(inquiry_id__in=ids).count()


def _artifacts(level: int) -> Callable[[set[int]], int]:
    def count(ids: set[int]) -> int:
        from uptake.evidence.models import Artifact

        return Artifact.objects.filter(inquiry_id__in=ids, guskey_level=level).count()
    return count


BATCHED: dict[str, Callable[[set[int]], int]] = {
    "inquiry.measures": _measures,
    "learning.sources": _sources,
    "observation.submitted": _observations,
    "studentwork.sets": _work_sets,
    **{f"evidence.artifacts.{level}": _artifacts(level) for level in range(1, 6)},
}


def evidence_total(kind: Any, inquiry_ids: set[int],
                   inquiries: Callable[[], list[Inquiry]]) -> int:
    """The kind's count summed over the inquiries (``inquiries`` loads them only for a kind
    with no one-query count)."""
    if not inquiry_ids:
        return 0
    batched = BATCHED.get(kind.key)
    if batched is not None:
        return batched(inquiry_ids)
    return sum(kind.count(inquiry) for inquiry in inquiries())


def undrafted(inquiry_ids: Iterable[int]) -> set[int]:
    """The ids of those inquiries that are not drafts."""
    ids = set(inquiry_ids)
    if not ids:
        return set()
    return set(Inquiry.objects.filter(pk__in=ids).exclude(status=Inquiry.Status.DRAFT)
               .values_list("pk", flat=True))
