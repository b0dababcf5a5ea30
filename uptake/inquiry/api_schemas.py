"""The JSON shapes of the inquiry API (uptake/inquiry/api.py): inquiries, cycles,
measures, occasions and the study results of a series.

Students appear only by their pseudonymous id; no name is ever in these shapes. Numbers
that cannot be computed (a single point's spread) are null, never NaN.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, WithJsonSchema

from uptake.api.support import MAX_ID
from uptake.inquiry.actions import MAX_COUNT, MAX_UPSERT_ITEMS

Status = Literal["draft", "active", "closed"]
Decision = Literal["adopt", "adapt", "abandon", ""]
Kind = Literal["score", "rubric", "proportion", "count", "likert"]
Direction = Literal["up", "down"]
ChartChoice = Literal["run", "i"]
ChartKind = Literal["run", "i", "p", "u"]
VerdictLabel = Literal["sustained_improvement", "change_not_sustained", "got_worse",
                       "no_signal", "not_enough_data"]
Text = Annotated[str, Field(max_length=10_000)]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# ------------------------------------------------------------------------- inquiries


class PersonRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str


class InquiryOut(Schema):
    id: int
    title: str
    problem_of_practice: str
    question: str
    change_idea: str
    prediction: str
    status: Status
    owner: PersonRef
    team: TeamRef | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj: Any) -> dict[str, Any]:
        return {"id": obj.owner.pk, "name": obj.owner.display_name}

    @staticmethod
    def resolve_team(obj: Any) -> dict[str, Any] | None:
        return {"id": obj.team.pk, "name": obj.team.name} if obj.team else None


class InquiryIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    problem_of_practice: Text = ""
    question: Text = ""
    change_idea: Text = ""
    prediction: Text = ""
    status: Status = "active"
    team: Id | None = Field(None, description="One of your teams (its members edit it too).")


class InquiryPatch(Schema):
    """Only the fields sent change; ``team`` null takes the inquiry off its team."""

    title: str | None = Field(None, min_length=1, max_length=200)
    problem_of_practice: Text | None = None
    question: Text | None = None
    change_idea: Text | None = None
    prediction: Text | None = None
    status: Status | None = None
    team: Id | None = None


# ---------------------------------------------------------------------------- cycles


class LogEntryOut(Schema):
    """A dated note of what was done during a cycle (the "Do" of PDSA)."""

    id: int
    date: date
    text: str
    author: PersonRef | None
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> dict[str, Any] | None:
        return (None if obj.author is None else
                {"id": obj.author.pk, "name": obj.author.display_name})


class LogEntryIn(Schema):
    date: date
    text: str = Field(min_length=1, max_length=5000)


class CycleOut(Schema):
    id: int
    inquiry_id: int
    number: int
    plan: str
    prediction: str
    data_collection: str
    start_date: date | None
    end_date: date | None
    study_notes: str
    decision: Decision
    decision_reason: str
    decided_at: datetime | None
    created_at: datetime
    log: list[LogEntryOut] = Field(description="What was done (Do), oldest first.")

    @staticmethod
    def resolve_log(obj: Any) -> list[Any]:
        return list(obj.log_entries.select_related("author"))


class CyclePatch(Schema):
    """Plan (any of its fields), Study (``study_notes``) and Act (``decision`` with its
    ``reason``, and ``close`` to close the inquiry as well); only the fields sent change."""

    plan: Text | None = None
    prediction: Text | None = None
    data_collection: Text | None = None
    start_date: date | None = None
    end_date: date | None = None
    study_notes: Text | None = None
    decision: Literal["adopt", "adapt", "abandon"] | None = None
    reason: Text | None = None
    close: bool = False


# --------------------------------------------------------------------------- measures


class ClassRef(Schema):
    id: int
    title: str
    school_id: int


class MeasureClassOut(ClassRef):
    comparison: bool = Field(description="A comparison class: it collects the measure "
                                         "without trying the change yet.")


class MeasureOut(Schema):
    id: int
    inquiry_id: int
    name: str
    kind: Kind
    scale_min: float | None
    scale_max: float | None
    likert_labels: list[str]
    direction: Direction
    change_date: date | None
    chart: ChartChoice
    chart_kind: ChartKind = Field(description="The chart the verdict uses: run or I chart "
                                              "for per-student kinds, p or u otherwise.")
    classes: list[MeasureClassOut]
    created_at: datetime

    @staticmethod
    def resolve_likert_labels(obj: Any) -> list[str]:
        return [line.strip() for line in obj.likert_labels.splitlines() if line.strip()]

    @staticmethod
    def resolve_classes(obj: Any) -> list[dict[str, Any]]:
        marked = {s.pk for s in obj.comparison_sections.all()}
        return [{"id": s.pk, "title": s.title, "school_id": s.school_id,
                 "comparison": s.pk in marked}
                for s in sorted(obj.sections.all(), key=lambda s: (s.title, s.pk))]


class MeasureIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind = "score"
    scale_min: float | None = None
    scale_max: float | None = None
    likert_labels: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list, max_length=20,
        description="Likert items: one label per whole-number point, lowest first.")
    direction: Direction = "up"
    change_date: date | None = None
    chart: ChartChoice = "run"
    classes: list[Id] = Field(default_factory=list, max_length=200,
                               description="Classes you teach now that collect it.")
    comparison: list[Id] = Field(default_factory=list, max_length=200,
                                  description="Of ``classes``, those not trying the change.")


# -------------------------------------------------------------------------- occasions


class TotalOut(Schema):
    numerator: int
    denominator: int


class OccasionOut(Schema):
    """One class's data point, with counts (no student's value)."""

    id: int
    class_id: int
    class_title: str
    date: date
    label: str
    n_values: int
    n_missing: int
    total: TotalOut | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_class_id(obj: Any) -> int:
        return int(obj.section_id)

    @staticmethod
    def resolve_class_title(obj: Any) -> str:
        return str(obj.section.title)

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, int] | None:
        total = getattr(obj, "total", None)
        return None if total is None else {"numerator": total.numerator,
                                           "denominator": total.denominator}


class ValueOut(Schema):
    student: str = Field(description="The student's pseudonymous id.")
    value: float | None


class ClassOccasionOut(Schema):
    occasion_id: int
    class_id: int
    class_title: str
    updated_at: datetime
    n_values: int
    n_missing: int
    total: TotalOut | None
    values: list[ValueOut] | None = Field(
        description="Each student's value (null: missing); null when withheld.")
    values_withheld: bool = Field(
        description="Per-student values are shown to the class's teachers, the school's "
                    "staff and the district's coordinators only.")


class OccasionDateOut(Schema):
    measure_id: int
    date: date
    label: str
    classes: list[ClassOccasionOut]


Number = Annotated[Any, WithJsonSchema({"type": ["number", "null"],
                                        "description": "null: a missing value"})]
Pseudonym = Annotated[Any, WithJsonSchema({"type": "string", "minLength": 1,
                                           "maxLength": 64})]


class ValueIn(Schema):
    student: Pseudonym = Field(description="The student's pseudonymous id.")
    value: Number = None


class TotalIn(Schema):
    class_id: Id
    numerator: int = Field(ge=0, le=MAX_COUNT)
    denominator: int = Field(ge=1, le=MAX_COUNT)


class OccasionPut(Schema):
    """A date's data: each student's value (per-student measures) or each class's total
    (proportions and counts). Students not sent keep their values."""

    label: str = Field("", max_length=100)
    class_id: Id | None = Field(None, description="Only this class (one you teach).")
    values: list[ValueIn] = Field(default_factory=list, max_length=MAX_UPSERT_ITEMS)
    totals: list[TotalIn] = Field(default_factory=list, max_length=MAX_UPSERT_ITEMS)


# ---------------------------------------------------------------------------- results


class EvidenceOut(Schema):
    rule: str
    direction: Literal["better", "worse"] | None
    points: list[int] = Field(description="0-based positions in ``points``.")


class RunsOut(Schema):
    """The Anhøj runs analysis against the frozen centre line."""

    n_obs: int
    n_useful: int
    centre: float | None
    baseline_n: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool
    longest_run_side: Literal["above", "below"] | None
    longest_run_points: list[int]


class IhiOut(Schema):
    """The IHI run-chart rules: a second lens shown beside the verdict, never changing it."""

    n_useful: int
    centre: float | None
    shift: bool
    longest_shift: int | None
    shift_points: list[int]
    trend: bool
    longest_trend: int | None
    trend_points: list[int]
    n_runs: int | None
    runs_lower: int | None
    runs_upper: int | None
    too_few_runs: bool
    too_many_runs: bool
    astronomical: list[int]


class VerdictOut(Schema):
    label: VerdictLabel
    reason: str
    centre: float | None
    n_baseline: int
    n_followup: int
    rules: str
    evidence: list[EvidenceOut]
    runs: RunsOut | None


class PointOut(Schema):
    date: date
    label: str
    value: float | None
    numerator: int | None
    denominator: int | None
    n_students: int
    events: list[str]
    ucl: float | None = Field(description="Upper control limit (control charts).")
    lcl: float | None = Field(description="Lower control limit (control charts).")


class SeriesOut(Schema):
    title: str
    chart: ChartKind
    baseline_n: int | None = Field(description="Points before the change date; null "
                                               "without a change date.")
    label: VerdictLabel | None
    label_text: str
    reason: str
    verdict: VerdictOut | None
    centre_line: float | None = Field(description="As the chart draws it.")
    points: list[PointOut]
    ihi: IhiOut | None
    second_lens: str


class PairedOut(Schema):
    mean_difference: float | None
    ci_low: float | None
    ci_high: float | None
    bootstrap_low: float | None
    bootstrap_high: float | None
    bootstrap_note: str
    t_statistic: float | None
    df: int
    p_value: float | None
    d_z: float | None
    d_av: float | None
    n: int
    n_dropped: int
    confidence_level: float


class GrowthOut(Schema):
    basis: str
    n_students: int
    n_with_growth: int
    n_without_growth: int
    median_change: float | None
    mean_change: float | None
    n_improved: int
    n_stayed: int
    n_declined: int


class StudentRowOut(Schema):
    student: str = Field(description="The student's pseudonymous id.")
    before: float | None = Field(description="Her baseline mean (or first score).")
    after: float | None = Field(description="Her mean after the change (or last score).")
    change: float | None
    outcome: Literal["improved", "stayed", "declined", "not_enough_scores"]
    n_before: int | None
    n_after: int | None


class GroupOut(Schema):
    dimension: str
    group: str = Field(description='"all groups" when the whole grouping is withheld.')
    n: int | None = Field(description="null: hidden to protect small groups.")
    median_change: float | None


class ComparisonRowOut(Schema):
    group: str
    classes: list[str]
    n: int | None = Field(description="null: hidden to protect small groups.")
    mean_before: float | None
    mean_after: float | None


class ComparisonOut(Schema):
    rows: list[ComparisonRowOut]
    message: str
    baseline_g: float | None
    equivalence: Literal["satisfied", "requires_adjustment", "not_satisfied"] | None
    equivalence_message: str
    outcome_g: float | None
    effect: float | None
    effect_kind: Literal["g_post", "difference_in_differences"] | None
    improvement_index: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


class StudyBlockOut(Schema):
    title: str
    classes: list[ClassRef]
    series: SeriesOut
    held_back: bool = Field(description='The verdict is "not enough data": no change is '
                                        "given as a result yet.")
    paired: PairedOut | None
    paired_message: str
    growth: GrowthOut | None
    rows_withheld: bool = Field(description="Per-student rows and group tables are left "
                                            "out for this reader.")
    students: list[StudentRowOut] | None
    groups: list[GroupOut] | None
    comparison: ComparisonOut | None


class ResultsOut(Schema):
    measure_id: int
    name: str
    kind: Kind
    direction: Direction
    change_date: date | None
    min_group_size: int
    classes: list[StudyBlockOut] = Field(description="Each class, by title.")
    together: StudyBlockOut | None = Field(description="The classes pooled, when several.")
    together_heading: str
