"""The Study step: a measure's series per class (and together), its chart and verdict,
the pre/post change from phase summaries, per-student growth, results by student group
and, when some classes are comparison classes, the comparison design.

Every number comes from ``uptake.analysis``; this module only reads the database and
arranges the series. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from statistics import median
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.db.models import Avg, Count, Max, Q, Sum

from uptake import registry
from uptake.analysis import (
    GrowthSummary,
    PairedChange,
    Verdict,
    paired_change,
    student_growth,
    verdict,
)
from uptake.analysis.charts import (
    LABEL_TEXT,
    ChartMark,
    _accessible,
    analyse_chart,
    chart_spec,
    spec_heading,
)
from uptake.analysis.effects import ComparisonDesign, comparison_design
from uptake.analysis.growth import MIN_PHASE_POINTS, phase_change
from uptake.analysis.runs import IHI_RUNS_MIN_N, IHI_SHIFT, IHI_TREND, ihi_rules
from uptake.analysis.suppression import GroupTable, suppress_groups, suppress_linked
from uptake.analysis.verdict import MIN_BASELINE
from uptake.inquiry.models import (
    Annotation,
    ClassTotal,
    Cycle,
    Inquiry,
    Measure,
    Occasion,
    SeriesSummary,
    StudentValue,
)
from uptake.roster.access import may_see_student_names, may_see_student_rows
from uptake.roster.models import Section, Student

# The default chart of each kind; per-student kinds may choose an I chart instead
# (Measure.chart, read through Measure.chart_kind).
CHART_FOR_KIND = {"score": "run", "rubric": "run", "likert": "run", "proportion": "p",
                  "count": "u"}
# The pseudo-random bootstrap is seeded so that a page shows the same interval each time.
BOOTSTRAP_SEED = 20260


@dataclass(frozen=True)
class Point:
    """One time point: a class mean (per-student kinds) or a k of n total."""

    when: date
    label: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    n_students: int = 0
    events: tuple[str, ...] = ()
    scale_label: str = ""  # Likert items: the label of the scale point nearest the mean

    @property
    def name(self) -> str:
        return f"{self.when:%b %-d}" + (f" {self.label}" if self.label else "")


@dataclass(frozen=True)
class SeriesStudy:
    """A series with its verdict (None when no change date is set) and its chart."""

    title: str
    points: tuple[Point, ...]
    chart: str
    baseline_n: int | None
    verdict: Verdict | None
    reason: str
    svg: str = ""  # drawn for a desktop's column; ``svg_narrow`` for a phone
    description: str = ""
    svg_narrow: str = ""
    second_lens: str = ""  # the IHI run-chart rules, in words (``second_lens``)

    @property
    def label(self) -> str | None:
        return self.verdict.label if self.verdict is not None else (
            "not_enough_data" if self.baseline_n == 0 else None)

    @property
    def label_text(self) -> str:
        return LABEL_TEXT.get(self.label or "", "no verdict yet")


@dataclass(frozen=True)
class GroupRow:
    """One row of a group table; ``n`` None when hidden (``group`` is "all groups" when
    the whole grouping is withheld). Why one row is hidden is never said: the page says
    that groups are hidden to protect small groups."""

    dimension: str
    group: str
    n: int | None
    median_change: float | None


# Grouping ("English learners") -> group ("Yes") -> each student's change, sorted.
GroupChanges = dict[str, dict[str, tuple[float, ...]]]


@dataclass(frozen=True)
class ClassStudy:
    """Everything the Study view shows for one class (or several together)."""

    series: SeriesStudy
    paired: PairedChange | None
    paired_message: str
    growth: GrowthSummary | None
    names: dict[str, str] = field(default_factory=dict)
    groups: tuple[GroupRow, ...] = ()
    pseudonyms: tuple[str, ...] = ()
    # Per-student rows and group tables left out: the reader may not see student rows
    # (``uptake.roster.access.may_see_student_rows``); the class-level figures remain.
    rows_withheld: bool = False
    # Each grouping's groups and their students' changes, before suppression: the
    # all-classes table is decided from its classes' (``study_class(parts=...)``).
    group_changes: GroupChanges = field(default_factory=dict, repr=False)
    # All classes together, when some are comparison classes (``study_comparison``).
    comparison: ComparisonStudy | None = None

    @property
    def held_back(self) -> bool:
        """The verdict is "not enough data": the page gives the counts, never a change
        or d_av as a result (docs/analysis.md section 4)."""
        return self.series.label == "not_enough_data"

    min_phase_points: int = MIN_PHASE_POINTS

    @property
    def by_phases(self) -> bool:
        """Growth compares each student's phase means (a change date is set)."""
        return self.growth is not None and self.growth.basis == "phases"

    @property
    def phase_counts(self) -> tuple[int, int]:
        """Occasions (points) before the change and on or after it."""
        b = self.series.baseline_n or 0
        return b, len(self.series.points) - b

    @property
    def growth_rows(self) -> list[GrowthRow]:
        """Each student's growth with her name (only for her current teachers), formatted
        here rather than by a template filter per cell (a class of 30 is 90 numbers)."""
        if self.growth is None:
            return []
        phases = self.growth.basis == "phases"
        short = (f"fewer than {self.growth.min_points} scores in a phase" if phases
                 else "fewer than two scores")
        return [GrowthRow(g.student, self.names.get(g.student, ""),
                          num(g.first_score, "—" if phases else "missing"),
                          num(g.last_score, "—" if phases else "missing"),
                          num(g.change, "—"),
                          short if g.outcome == "not_enough_scores" else g.outcome,
                          g.n_baseline, g.n_after)
                for g in self.growth.students]


@dataclass(frozen=True)
class GrowthRow:
    """One row of the per-student growth table, ready to show."""

    student: str
    name: str
    first: str
    last: str
    change: str
    outcome: str
    n_before: int | None = None  # phase summaries: how many scores each mean rests on
    n_after: int | None = None


@dataclass(frozen=True)
class ComparisonRow:
    """One group of the comparison table; means None when hidden."""

    group: str
    classes: tuple[str, ...]
    n: int | None
    mean_before: float | None
    mean_after: float | None


@dataclass(frozen=True)
class ComparisonStudy:
    """Classes trying the change against comparison classes (all classes together).

    ``design`` is None when it cannot be computed or a group is too small to show;
    ``message`` then says why."""

    rows: tuple[ComparisonRow, ...]
    design: ComparisonDesign | None
    message: str
    min_points: int = MIN_PHASE_POINTS


_HUNDREDTH = Decimal("0.01")


def num(value: float | None, missing: str) -> str:
    """Like the template's ``floatformat:"-2"``: two decimals, none for a whole number
    (rounded half up from the shortest decimal form, and never "-0.00")."""
    if value is None or math.isnan(value):
        return missing
    if float(value).is_integer():
        return str(int(value))
    d = Decimal(repr(float(value))).quantize(_HUNDREDTH, ROUND_HALF_UP)
    return str(d.copy_abs() if d == 0 else d)


# ------------------------------------------------------------------------- series


def _series_points(measure: Measure, sections: Sequence[Section], *, together: bool
                   ) -> list[Point]:
    """Points in date order. A single class has one point per occasion; classes together
    pool every occasion on the same date (mean of all students, or summed totals)."""
    key = ["occasion__date"] if together else ["occasion__date", "occasion__label"]
    if measure.per_student:
        rows = (StudentValue.objects.filter(occasion__measure=measure,
                                            occasion__section__in=sections)
                .values(*key).annotate(mean=Avg("value"), n=Count("value")).order_by(*key))
        return [Point(r["occasion__date"], "" if together else r["occasion__label"],
                      r["mean"], n_students=r["n"]) for r in rows]
    totals: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for t in (ClassTotal.objects.filter(occasion__measure=measure, occasion__section__in=sections)
              .values_list("occasion__date", "occasion__label", "numerator", "denominator")):
        slot = totals[(t[0], "" if together else t[1])]
        slot[0] += t[2]
        slot[1] += t[3]
    return [Point(d, label, k / n if n else None, k, n)
            for (d, label), (k, n) in sorted(totals.items())]


LEARNED = "learned: "
NOTED = "note: "


@dataclass(frozen=True)
class LearningEvent:
    """A learning source the teacher said informed the inquiry, dated when she learned."""

    learned_on: date
    title: str
    kind: str
    owner: str

    @property
    def mark(self) -> str:
        return f"{LEARNED}{self.title}"


def learning_events(inquiry: Inquiry) -> list[LearningEvent]:
    """The dated events the apps above registered for the inquiry's charts (the learning
    app: the sources that informed it), oldest first (uptake/registry.py study_events)."""
    events = [e for source in registry.study_events for e in source.events(inquiry)]
    return sorted(events, key=lambda e: e.learned_on)


def notes_for(measure: Measure, sections: Sequence[Section], *, together: bool
              ) -> list[tuple[date, str]]:
    """The teachers' notes on these classes' chart, as dated marks ("note: snow day"); on
    the chart of classes together a one-class note names its class."""
    notes = (Annotation.objects.filter(measure=measure)
             .filter(Q(section__isnull=True) | Q(section__in=sections))
             .select_related("section"))
    return [(n.date, f"{NOTED}{n.text}" + (f" ({n.section.title})" if together and n.section
                                           else "")) for n in notes]


def _with_events(points: list[Point], measure: Measure, cycles: Sequence[Cycle],
                 learning: Sequence[LearningEvent] = (),
                 notes: Sequence[tuple[date, str]] = ()) -> list[Point]:
    """Mark the change date, the start of each cycle, each piece of learning and each
    teacher's note on the first point on or after it."""
    marks: list[tuple[date, str]] = []
    if measure.change_date:
        marks.append((measure.change_date, "change starts"))
    marks += [(c.start_date, f"cycle {c.number} starts") for c in cycles
              if c.start_date and c.number > 1]
    marks += [(e.learned_on, e.mark) for e in learning]
    marks += notes
    out = []
    for i, p in enumerate(points):
        prev = points[i - 1].when if i else date.min
        here = tuple(text for when, text in sorted(marks) if prev < when <= p.when)
        out.append(replace(p, events=here))
    return out


def baseline_length(points: Sequence[Point], change_date: date | None) -> int | None:
    if change_date is None:
        return None
    return sum(1 for p in points if p.when < change_date)


def _verdict(measure: Measure, points: Sequence[Point], b: int | None, chart: str
             ) -> tuple[Verdict | None, str]:
    if b is None:
        return None, ("Set the date the change started on this measure to get a verdict: "
                      "the points before it are the baseline.")
    if b == 0:
        return None, (f"There are no points before the change date "
                      f"({measure.change_date:%Y-%m-%d}); at least {MIN_BASELINE} are "
                      "needed to fix a baseline that later points can be compared with.")
    v = verdict(**_data(points, chart), baseline_n=b, direction=measure.direction, chart=chart)
    return v, v.reason


def _data(points: Sequence[Point], chart: str) -> dict[str, Any]:
    if chart in ("run", "i"):
        return {"values": [p.value for p in points]}
    return {"numerators": tuple(float(p.numerator or 0) for p in points),
            "denominators": tuple(float(p.denominator or 0) for p in points)}


def study_series(measure: Measure, sections: Sequence[Section], *, title: str,
                 together: bool = False, cycles: Sequence[Cycle] = (),
                 learning: Sequence[LearningEvent] = (),
                 render: bool = True) -> SeriesStudy:
    """The series, verdict and (when ``render``) the accessible SVG chart."""
    chart = measure.chart_kind
    notes = notes_for(measure, sections, together=together) if render else []
    points = _with_events(_series_points(measure, sections, together=together), measure,
                          cycles, learning, notes)
    # A note dated after the last point ("snow day" today) is drawn at the chart's edge.
    late = [(when, text) for when, text in notes if points and when > points[-1].when]
    scale = measure.likert_points
    if scale:
        points = [replace(p, scale_label=nearest_label(p.value, scale)) for p in points]
    b = baseline_length(points, measure.change_date)
    v, reason = _verdict(measure, points, b, chart)
    svg = narrow = description = lens = ""
    if render and points:
        svg, narrow, description = _render(measure, points, b, chart, title, late, v)
        lens = second_lens(points, b, chart)
    return SeriesStudy(title, tuple(points), chart, b, v, reason, svg, description, narrow,
                       lens)


def _render(measure: Measure, points: Sequence[Point], b: int | None, chart: str,
            title: str, late: Sequence[tuple[date, str]] = (),
            found: Verdict | None = None) -> tuple[str, str, str]:
    """The chart drawn wide and narrow (the page shows one by its width), and its text;
    ``late`` notes fall after the last point. The series is analysed once for both
    drawings, with the verdict the page ``found`` already (``study_series``)."""
    y_title = {"proportion": "Share of students", "count": "Count per opportunity"}.get(
        measure.kind, "Class mean")
    data = _data(points, chart)
    chart_b = b if b and b < len(points) else None
    analysis = analyse_chart(**data, chart=chart, direction=measure.direction,
                             baseline_n=chart_b, verdict_of=found)
    options: dict[str, Any] = {
        **data, "chart": chart, "direction": measure.direction, "baseline_n": chart_b,
        "analysis": analysis, "labels": [p.name for p in points], "title": title,
        "y_title": y_title,
        "y_scale": y_scale_of(measure),
        "marks": _marks(points) + [ChartMark(len(points) + 1, "teacher's note",
                                             text.removeprefix(NOTED)) for _, text in late]}
    scale = measure.likert_points
    after = ("" if not late else " After the last point: "
             + "; ".join(f"{when:%b %-d}: {text}" for when, text in late) + ".")
    drawn = []
    for layout in ("wide", "narrow"):
        spec, text, _ = chart_spec(**options, layout=layout)
        if scale:
            _label_scale(spec, scale, narrow=layout == "narrow")
        drawn.append(_accessible(_svg(json.dumps(spec, sort_keys=True)), spec_heading(spec),
                                 text + _events_text(points, scale) + after))
    return drawn[0], drawn[1], text + _events_text(points, scale) + after


def y_scale_of(measure: Measure) -> tuple[float, float] | None:
    """The measure's whole scale for its y axis, when the teacher gave both ends (shares
    run from 0 to 100 % and counts start at zero without it: uptake.analysis.charts)."""
    if measure.per_student and measure.scale_min is not None and measure.scale_max is not None:
        return measure.scale_min, measure.scale_max
    return None


LINE_WORDS = {"change or cycle": "dotted: the change or a cycle starts",
              "learning": "dashed: learning", "teacher's note": "dash-dot: a teacher's note"}


def _events_text(points: Sequence[Point], scale: Sequence[tuple[float, str]]) -> str:
    text = ""
    if points[0].events:
        text += f" By the first point ({points[0].name}): {', '.join(points[0].events)}."
    events = [f"{p.name}: {', '.join(p.events)}" for p in points[1:] if p.events]
    if events:
        kinds = {_event_kind(e) for p in points[1:] for e in p.events}
        lines = [words for kind, words in LINE_WORDS.items() if kind in kinds]
        text += (f" Marked with lines before the point ({'; '.join(lines)}): "
                 + "; ".join(events) + ".")
    if scale:
        text += (" The scale's points: "
                 + ", ".join(f"{v:g} = {label}" for v, label in scale) + ".")
    return text


def _svg(spec_json: str) -> str:
    """Rendering takes tens of milliseconds a chart and the same spec gives the same
    picture: kept in the ``pages`` cache under a hash of the spec (shared by every process
    when the cache is Redis), so a chart is drawn once whoever views it first."""
    key = "chart-svg:" + hashlib.sha256(spec_json.encode()).hexdigest()
    return str(caches["pages"].get_or_set(key, lambda: _draw(spec_json)))


def _draw(spec_json: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def _event_kind(event: str) -> str:
    if event.startswith(LEARNED):
        return "learning"
    return "teacher's note" if event.startswith(NOTED) else "change or cycle"


def _marks(points: Sequence[Point]) -> list[ChartMark]:
    """A line before each point where the change or a cycle starts or the teacher's
    learning falls (one of each kind; before the first point they are only described),
    and one for each teacher's note, labelled with its words."""
    marks = []
    for i, p in enumerate(points):
        kinds = {_event_kind(e) for e in p.events} - {"teacher's note"}
        marks += [ChartMark(i + 1, kind) for kind in sorted(kinds) if i > 0]
        marks += [ChartMark(i + 1, "teacher's note", e.removeprefix(NOTED)) for e in p.events
                  if _event_kind(e) == "teacher's note"]
    return marks


def second_lens(points: Sequence[Point], b: int | None, chart: str) -> str:
    """The IHI run-chart rules on the plotted points, in words: shown beside the verdict
    as a second lens (docs/analysis.md section 2), never changing it."""
    values = [p.value for p in points]
    try:
        r = ihi_rules(values, baseline_n=b if b and b < len(points) else None)
    except ValueError:
        return ""
    fired = []
    if r.shift:
        fired.append(f"a shift: {r.longest_shift} points in a row on one side of the "
                     f"median ({IHI_SHIFT} or more is a signal)")
    if r.trend:
        fired.append(f"a trend: {r.longest_trend} points in a row all going up or all "
                     f"going down ({IHI_TREND} or more; this one often happens by chance)")
    if r.too_few_runs or r.too_many_runs:
        fired.append(f"too {'few' if r.too_few_runs else 'many'} runs: {r.n_runs}, where "
                     f"{r.runs_lower} to {r.runs_upper} are usual")
    if r.astronomical:
        k = len(r.astronomical)
        fired.append(f"{k} point{'s' * (k != 1)} far from the rest (beyond the limits an "
                     "I chart draws from the baseline)")
    runs = (" (too few points for the runs rule: it needs "
            f"{IHI_RUNS_MIN_N})" if r.runs_lower is None else "")
    found = ("; ".join(fired) if fired else
             "none fired: no shift, no trend, no unusual number of runs, no point far "
             f"from the rest{runs}")
    return (f"Second lens: IHI run-chart rules on the same points — {found}. The verdict "
            "comes from the Anhøj rules" + ("" if chart == "run" else " and the chart's limits")
            + "; the IHI rules are a second look and do not change it.")


def nearest_label(value: float | None, scale: Sequence[tuple[float, str]]) -> str:
    """The label of the scale point nearest a class mean (the lower one on a tie)."""
    if value is None or not scale:
        return ""
    return min(scale, key=lambda point: (abs(point[0] - value), point[0]))[1]


def _js(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Vega expression string literal


def _label_scale(spec: dict[str, Any], scale: Sequence[tuple[float, str]], *,
                 narrow: bool = False) -> None:
    """Name the y axis's ticks after a Likert scale's points ("4 Agree"); the axis shows
    the whole scale already (``y_scale_of``). On a phone's drawing the plot gives up the
    room the long labels take, so that the picture still fits the screen at its own size
    (its text as large as written)."""
    if narrow:
        longest = max(len(f"{v:g} {label}") for v, label in scale)
        text = spec["config"]["axis"]["labelFontSize"]
        # About 0.55 em a character; a plain number label needs about 25 px.
        extra = min(160, int(longest * text * 0.55)) - 25
        spec["width"] = max(150, spec["width"] - max(0, extra))
    names = ",".join(f"{_js(f'{v:g}')}:{_js(f'{v:g} {label}')}" for v, label in scale)
    axis = {"values": [v for v, _ in scale], "labelExpr": f"({{{names}}})[datum.value] "
            "|| datum.label", "labelLimit": 160}
    for layer in spec.get("layer", []):
        encoding = layer.get("encoding") or {}
        y = encoding.get("y")
        if isinstance(y, dict) and y.get("type") == "quantitative":
            encoding["y"] = {**y, "axis": {**(y.get("axis") or {}), **axis}}


# ------------------------------------------------------------- per-student analyses


def _student_scores(measure: Measure, sections: Sequence[Section]
                    ) -> dict[int, list[tuple[date, str, float | None]]]:
    scores: dict[int, list[tuple[date, str, float | None]]] = defaultdict(list)
    rows = (StudentValue.objects.filter(occasion__measure=measure,
                                        occasion__section__in=sections)
            .values_list("student_id", "occasion__date", "occasion__label", "value")
            .order_by("occasion__date", "occasion__label", "occasion_id"))
    for sid, when, label, value in rows:
        scores[sid].append((when, label, value))
    return scores


Scores = dict[str, list[tuple[date, str, float | None]]]


def growth_of(measure: Measure, scores: Scores) -> GrowthSummary:
    """With a change date, each student's mean after it against her baseline mean
    (``phase_change``); without one, her first score against her last."""
    change = measure.change_date
    if change is None:
        return student_growth({k: [v for _, _, v in s] for k, s in scores.items()},
                              direction=measure.direction)
    return phase_change({k: [v for d, _, v in s if d < change] for k, s in scores.items()},
                        {k: [v for d, _, v in s if d >= change] for k, s in scores.items()},
                        direction=measure.direction)


def _paired(measure: Measure, growth: GrowthSummary | None) -> tuple[PairedChange | None, str]:
    """The class's change from the phase means (students without enough scores in a
    phase count as left out)."""
    if measure.change_date is None:
        return None, ("Set the change date to compare each student's scores before the "
                      "change with her scores after it.")
    if growth is None or growth.basis != "phases":
        return None, "No student has a value yet."
    if growth.n_with_growth < 2:
        return None, (f"At least two students need {MIN_PHASE_POINTS} or more scores both "
                      f"before and after the change; {growth.n_with_growth} do.")
    pre = tuple(g.first_score if g.change is not None else None for g in growth.students)
    post = tuple(g.last_score if g.change is not None else None for g in growth.students)
    return _paired_change(pre, post), ""


# The bootstrap (about 4 ms) is a pure function of a few numbers that stay the same between
# requests until a teacher enters data, so each process keeps the recent answers (results
# are frozen). Group suppression keeps its own (``uptake.analysis.suppression``).
@lru_cache(maxsize=1024)
def _paired_change(pre: tuple[float | None, ...], post: tuple[float | None, ...]
                   ) -> PairedChange:
    return paired_change(pre, post, seed=BOOTSTRAP_SEED)


DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("english_learner", "English learners"),
    ("special_education", "Special education"),
    ("economically_disadvantaged", "Economically disadvantaged"),
    ("race_ethnicity", "Race/ethnicity"),
    ("sex", "Sex"),
)


def _group_name(attr: str, student: Student) -> str:
    value = getattr(student, attr)
    if attr in ("race_ethnicity", "sex"):
        display = getattr(student, f"get_{attr}_display")()
        return str(display) if value else "Not reported"
    return {True: "Yes", False: "No", None: "Not reported"}[value]


def _group_changes(growth: GrowthSummary, students: dict[str, Student]) -> GroupChanges:
    """Each grouping's groups (those with a student) and their students' changes."""
    changes = {g.student: g.change for g in growth.students if g.change is not None}
    out: GroupChanges = {}
    for attr, title in DIMENSIONS:
        members: dict[str, list[float]] = defaultdict(list)
        for pseudonym, change in changes.items():
            members[_group_name(attr, students[pseudonym])].append(change)
        if members:
            out[title] = {name: tuple(sorted(v)) for name, v in sorted(members.items())}
    return out


def _group_rows(parts: Sequence[GroupChanges], *, together: bool) -> tuple[GroupRow, ...]:
    """Median growth per student group, suppressed with every class of the page at once
    (``suppress_linked``): one class's table is decided on its own counts only, so it is
    the same beside any other class; the all-classes table pools the classes' students
    (a student in two classes counts in each, so it is exactly their sum) and hides
    every group hidden in any of them."""
    parts = [p for p in parts if p]  # a class where nobody has two scores adds nothing
    if not parts:
        return ()
    decided = suppress_linked(
        {str(i): {d: {g: len(v) for g, v in groups.items()} for d, groups in p.items()}
         for i, p in enumerate(parts)}, min_size=settings.MIN_GROUP_SIZE)
    tables = decided.combined if together else decided.parts["0"]
    out: list[GroupRow] = []
    for title, table in tables.items():
        out += _rows(title, table, {g: [c for p in parts for c in p[title].get(g, ())]
                                    for g in table.shown})
    return tuple(out)


def _rows(title: str, table: GroupTable, changes: dict[str, list[float]]) -> list[GroupRow]:
    if table.withheld:
        return [GroupRow(title, "all groups", None, None)]
    return [GroupRow(title, name, n, None if n is None else median(changes[name]))
            for name, n in table.shown.items()]


def study_class(measure: Measure, sections: Sequence[Section], *, title: str,
                together: bool = False, cycles: Sequence[Cycle] = (),
                learning: Sequence[LearningEvent] = (),
                with_names: bool = False, student_rows: bool = True,
                parts: Sequence[ClassStudy] = (),
                compared: Sequence[Section] | None = None,
                render: bool = True) -> ClassStudy:
    """The chart and verdict, and for per-student kinds the change, growth and groups
    (without ``student_rows``: the chart, verdict and mean change only). ``together``
    tables of groups come from the classes' own, ``parts``: none without them; its
    comparison design draws on ``compared`` (default: ``sections``). Without ``render``
    no chart is drawn (the JSON API gives the numbers)."""
    series = study_series(measure, sections, title=title, together=together, cycles=cycles,
                          learning=learning, render=render)
    if not measure.per_student:
        return ClassStudy(series, None, "", None)
    scores = _student_scores(measure, sections)
    comparison = (study_comparison(measure, sections if compared is None else compared)
                  if together else None)
    if not student_rows:
        anonymous = growth_of(measure, {str(k): v for k, v in scores.items()}) if scores else None
        return ClassStudy(series, *_paired(measure, anonymous), None, rows_withheld=True,
                          comparison=comparison)
    students = {s.pk: s for s in Student.objects.filter(pk__in=list(scores))}
    by_pseudonym = {students[sid].pseudonym: series_ for sid, series_ in scores.items()}
    growth = growth_of(measure, by_pseudonym) if by_pseudonym else None
    paired, message = _paired(measure, growth)
    names = ({s.pseudonym: s.display_name for s in students.values()} if with_names else {})
    changes = (_group_changes(growth, {s.pseudonym: s for s in students.values()})
               if growth else {})
    groups = _group_rows([p.group_changes for p in parts] if together else [changes],
                         together=together)
    return ClassStudy(series, paired, message, growth, names, groups,
                      tuple(sorted(by_pseudonym)), group_changes=changes,
                      comparison=comparison)


# ---------------------------------------------------------------- comparison design


def split_comparison(measure: Measure, sections: Sequence[Section]
                     ) -> tuple[list[Section], list[Section]]:
    """The classes trying the change and the measure's comparison classes, in order."""
    marked = set(measure.comparison_sections.values_list("pk", flat=True))
    return ([s for s in sections if s.pk not in marked],
            [s for s in sections if s.pk in marked])


def study_comparison(measure: Measure, sections: Sequence[Section]
                     ) -> ComparisonStudy | None:
    """Classes trying the change against the measure's comparison classes, from each
    student's phase means; None unless the measure has both kinds of class."""
    trying, comparison = split_comparison(measure, sections)
    if not measure.per_student or not comparison or not trying:
        return None
    if measure.change_date is None:
        return ComparisonStudy((), None, "Set the change date to compare the classes trying "
                                         "the change with the comparison classes.")
    groups = [("Trying the change", trying), ("Comparison classes", comparison)]
    phases = [_phase_lists(measure, classes) for _, classes in groups]
    shown = suppress_groups({name: len(p[0]) for (name, _), p in zip(groups, phases,
                                                                     strict=True)},
                            min_size=settings.MIN_GROUP_SIZE).shown
    rows = tuple(ComparisonRow(name, tuple(s.title for s in classes), shown[name],
                               *(_mean(p) if shown[name] is not None else (None, None)))
                 for (name, classes), p in zip(groups, phases, strict=True))
    if any(n is None for n in shown.values()):
        return ComparisonStudy(rows, None, (
            f"A group has fewer than {settings.MIN_GROUP_SIZE} students with enough scores, "
            "so the comparison is hidden to protect small groups."))
    try:
        design = comparison_design(*phases[0], *phases[1], clusters_t=len(trying),
                                   clusters_c=len(comparison), direction=measure.direction)
    except ValueError as exc:
        return ComparisonStudy(rows, None, str(exc))
    return ComparisonStudy(rows, design, design.message)


def _phase_lists(measure: Measure, classes: Sequence[Section]
                 ) -> tuple[list[float], list[float]]:
    """Each student's baseline mean and mean after the change (only students with
    enough scores in both phases), in the same order."""
    scores = {str(k): v for k, v in _student_scores(measure, classes).items()}
    if not scores:
        return [], []
    kept = [g for g in growth_of(measure, scores).students if g.change is not None]
    return ([float(g.first_score) for g in kept if g.first_score is not None],
            [float(g.last_score) for g in kept if g.last_score is not None])


def _mean(phases: tuple[list[float], list[float]]) -> tuple[float | None, float | None]:
    before, after = phases
    return (sum(before) / len(before) if before else None,
            sum(after) / len(after) if after else None)


def latest_verdicts(measures: Iterable[Measure]) -> list[tuple[Measure, SeriesStudy]]:
    """Each measure's verdict over all its classes together (no chart drawn)."""
    out = []
    for m in measures:
        sections = list(m.sections.all())
        out.append((m, study_series(m, sections, title=m.name, together=True, render=False)))
    return out


def fmt(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}g}"


def escape(text: str) -> str:
    return html.escape(text)


# ------------------------------------------------------------------ a measure's study

@dataclass(frozen=True)
class MeasureStudy:
    """What the study page and the API's results show of a measure: each class, and the
    classes together when there are several (``together`` None otherwise)."""

    blocks: list[tuple[Section, ClassStudy]]
    together: ClassStudy | None
    together_heading: str
    pooled: list[Section]
    cycles: list[Cycle]

    @property
    def pseudonyms(self) -> set[str]:
        """The students whose rows it shows (the reads to audit)."""
        return {p for _, block in self.blocks for p in block.pseudonyms}


def study_measure(reader: Any, measure: Measure, *, names: bool,
                  render: bool = True) -> MeasureStudy:
    """Each class of ``measure`` side by side, and pooled: all of them or, when some are
    comparison classes, only those trying the change (pooling a class that does not try it
    would dilute the verdict); the comparison design then sets the two groups side by
    side. Per-student rows only where ``reader`` may see them, names only with ``names``
    and where she may see them; charts drawn only with ``render``."""
    cycles = list(measure.inquiry.cycles.all())
    learning = learning_events(measure.inquiry)
    sections = _sections(measure)
    rights = viewer_rights(reader, sections, names=names)
    rows = {pk: see_rows for pk, see_rows, _ in rights}
    blocks = [
        (section, study_class(measure, [section], title=f"{measure.name}: {section.title}",
                              cycles=cycles, learning=learning, with_names=see_names,
                              student_rows=see_rows, render=render))
        for section, (_, see_rows, see_names) in zip(sections, rights, strict=True)]
    trying = set(split_comparison(measure, sections)[0])
    pooled = [s for s in sections if s in trying] or sections
    if len(blocks) < 2:
        return MeasureStudy(blocks, None, "", pooled, cycles)
    heading, title = ("All classes together", "all classes")
    if len(pooled) < len(sections):
        heading, title = ("Classes trying the change, together",
                          "classes trying the change")
    parts = [block for section, block in blocks if section in pooled]
    together = study_class(measure, pooled, title=f"{measure.name}: {title}",
                           together=True, cycles=cycles, learning=learning,
                           student_rows=all(rows[s.pk] for s in pooled),
                           parts=parts, compared=sections, render=render)
    return MeasureStudy(blocks, together, heading, pooled, cycles)


def _sections(measure: Measure) -> list[Section]:
    return list(measure.sections.select_related("school").order_by("title"))


def viewer_rights(reader: Any, sections: Sequence[Section], *, names: bool
                  ) -> list[tuple[int, bool, bool]]:
    """What ``reader`` may see of each class: (class, student rows, names); names only
    when the page shows them (``names``)."""
    out = []
    for section in sections:
        see_names = names and may_see_student_names(reader, section)
        out.append((section.pk, see_names or may_see_student_rows(reader, section), see_names))
    return out


# ------------------------------------------------------------- a study's content key

# The code and templates a cached study is drawn by: a deploy that changes them changes
# every key, so a shared cache never serves a part drawn by older code.
_DRAWN_BY = ("inquiry/study.py", "analysis/charts.py", "analysis/verdict.py",
             "analysis/runs.py", "analysis/control.py", "analysis/growth.py",
             "analysis/effects.py", "analysis/suppression.py",
             "inquiry/templates/inquiry/_study_blocks.html",
             "inquiry/templates/inquiry/_study_block.html",
             "inquiry/templates/inquiry/_chart.html",
             "inquiry/templates/inquiry/_verdict.html",
             "inquiry/templates/inquiry/_comparison.html")


@lru_cache(maxsize=1)
def code_version() -> str:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _DRAWN_BY:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()[:16]


def study_key(reader: Any, measure: Measure, *, names: bool, language: str) -> str | None:
    """A key for the rendered study of ``measure`` as ``reader`` sees it: a hash of
    everything the study is drawn from — the measure's settings, classes, comparison
    classes, cycles, learning events and notes (the measure's fields include its
    ``summaries_version``, moved on by every change that marks its summaries stale); its
    occasions (each write of an occasion's
    values moves its ``updated_at``) with the count and sums of their values and totals (two
    writes in one clock tick still differ); its persisted summaries' refresh times and
    largest id (a refresh replaces the rows, so two refreshes in one clock tick still
    differ), which a roster change (names, student groups, enrolments) marks stale — and
    what the reader may see of each class (rows, names), the page's language, the smallest
    group shown and the code that draws it. None while a summary is stale or missing: the
    study is then drawn afresh, without keeping it, until the summaries are refreshed."""
    summaries = SeriesSummary.objects.filter(measure=measure).aggregate(
        n=Count("pk"), last=Max("refreshed_at"), newest=Max("pk"),
        stale=Count("pk", filter=Q(stale=True)))
    if not summaries["n"] or summaries["stale"]:
        return None
    sections = _sections(measure)
    occasions = list(Occasion.objects.filter(measure=measure).values("section_id").annotate(
        n=Count("pk"), last=Max("updated_at"), ids=Sum("pk")).order_by("section_id"))
    if measure.per_student:
        data = StudentValue.objects.filter(occasion__measure=measure).aggregate(
            n=Count("value"), total=Sum("value"), rows=Count("pk"), who=Sum("student_id"))
    else:
        data = ClassTotal.objects.filter(occasion__measure=measure).aggregate(
            n=Count("pk"), k=Sum("numerator"), total=Sum("denominator"))
    parts = [
        code_version(), language, settings.MIN_GROUP_SIZE, names,
        [getattr(measure, f.attname) for f in measure._meta.concrete_fields],
        [(s.pk, s.title, s.school_id) for s in sections],
        sorted(measure.comparison_sections.values_list("pk", flat=True)),
        list(measure.inquiry.cycles.values_list("pk", "number", "start_date")),
        [(e.learned_on, e.title) for e in learning_events(measure.inquiry)],
        list(Annotation.objects.filter(measure=measure).order_by("pk")
             .values_list("pk", "date", "text", "section_id")),
        occasions, data, summaries,
        viewer_rights(reader, sections, names=names),
    ]
    blob = json.dumps(parts, default=str, sort_keys=True)
    return "study:" + hashlib.sha256(blob.encode()).hexdigest()


def cached_study(reader: Any, measure: Measure, *, names: bool,
                 render: bool = True) -> MeasureStudy:
    """``study_measure`` kept in the pages cache under :func:`study_key` (what the reader
    may see included): pages that read a measure's study without showing its student rows
    themselves (a credential's impact rows, a story's charts) study it once between two
    changes of its data. Made afresh, and not kept, while its summaries are stale."""
    key = study_key(reader, measure, names=names, language="")
    if key is None:
        return study_measure(reader, measure, names=names, render=render)
    return cast(MeasureStudy, caches["pages"].get_or_set(
        f"{key}:{'drawn' if render else 'numbers'}",
        lambda: study_measure(reader, measure, names=names, render=render)))
