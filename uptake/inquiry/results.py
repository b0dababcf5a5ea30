"""The district's results: each measure's latest verdict, counted by school.

For a coordinator, a researcher and an assessor (docs/decisions.md "What the district-wide
roles do"). It counts measures, never students or teachers: no names, no inquiry titles, no
per-student row. A school whose measures rest on fewer students than the district's minimum
(``MIN_GROUP_SIZE``) has its counts hidden, because a verdict there describes a handful of
students; the page shows no district total, so a hidden row cannot be worked out by
subtraction (docs/privacy.md, docs/analysis-effects.md section 13).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from uptake.accounts.models import User
from uptake.analysis.aggregates import VERDICTS
from uptake.inquiry.models import Inquiry, Measure
from uptake.inquiry.study import latest_verdicts
from uptake.roster.models import Section
from uptake.roster.queries import current_students

# The columns, in the order the page and the CSV give them (verdict labels of
# uptake.analysis.verdict, plus measures that have no change date yet).
COLUMNS = VERDICTS
ACROSS_SCHOOLS = "Classes in several schools"


@dataclass(frozen=True)
class ResultsRow:
    """One school's measures by verdict; ``counts`` is None when the row is hidden."""

    school: str
    measures: int
    counts: tuple[int, ...] | None

    @property
    def labelled(self) -> list[tuple[str, int]]:
        """(column label, count) pairs, for the page; empty when the row is hidden."""
        return list(zip((label for _, label in COLUMNS), self.counts or (), strict=False))


def district_results(user: User) -> list[ResultsRow]:
    """The person's district's measures (of inquiries in progress or closed), by school."""
    if user.district_id is None:
        return []
    measures = (Measure.objects.filter(inquiry__district_id=user.district_id)
                .exclude(inquiry__status=Inquiry.Status.DRAFT)
                .select_related("inquiry").prefetch_related("sections__school").order_by("pk"))
    tallies: dict[str, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    sections: dict[str, set[int]] = defaultdict(set)
    index = {key: i for i, (key, _) in enumerate(COLUMNS)}
    for measure, study in latest_verdicts(measures):
        classes = list(measure.sections.all())
        schools = {s.school.name for s in classes}
        school = schools.pop() if len(schools) == 1 else ACROSS_SCHOOLS
        tallies[school][index[study.label or "no_verdict"]] += 1
        sections[school].update(s.pk for s in classes)
    return [_row(school, tallies[school], sections[school]) for school in sorted(tallies)]


def _row(school: str, counts: list[int], section_ids: set[int]) -> ResultsRow:
    if _students_in(section_ids) < settings.MIN_GROUP_SIZE:
        return ResultsRow(school, sum(counts), None)
    return ResultsRow(school, sum(counts), tuple(counts))


def _students_in(section_ids: set[int]) -> int:
    return current_students(Section.objects.filter(pk__in=section_ids)).count()


def record_results_export(user: User, rows: list[ResultsRow], *, request: object) -> None:
    """Audit a download of the district's results (counts only; no student is named)."""
    from uptake.audit.actions import record
    from uptake.audit.models import AuditAction

    record(AuditAction.EXPORT, actor=user, request=request,  # type: ignore[arg-type]
           summary=f"Exported the district's results ({len(rows)} school rows) as CSV",
           details={"what": "district_results_csv", "rows": len(rows),
                    "hidden": sum(1 for r in rows if r.counts is None)})
