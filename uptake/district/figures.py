"""The district's figures: what the dashboards, the program pages, the exports, the API and
the make-your-case report show, computed once here for one viewer.

Everything about student outcomes is read from the per-class summaries the inquiry app keeps
ahead (``inquiry.queries.series_summaries``); nothing here runs a study. The summaries become
:class:`uptake.analysis.aggregates.Atom` s and every count, effect and group result is a sum
over atoms, suppressed by ``uptake.analysis.aggregates`` (docs/district.md says how and why).

``program_figures(program, viewer)`` and ``district_figures(viewer, school_id=...)`` are the
two entry points; the viewer's scope (the whole district, or a school leader's schools) is
applied before anything is counted.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.utils import timezone

from uptake import registry
from uptake.accounts.models import Role, School, User
from uptake.analysis.aggregates import (
    VERDICTS,
    Atom,
    Breakdown,
    GroupResults,
    countable,
    group_results,
    verdict_breakdown,
    verdict_counts,
)
from uptake.district import reading
from uptake.district.reading import owners_of
from uptake.learning.models import school_year_label
from uptake.programs import queries as program_queries

COST_CAVEAT = ("This divides spending by a count; it does not say the money caused the "
               "improvements.")
GROUP_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("english_learner", "English learners"),
    ("special_education", "Special education"),
    ("economically_disadvantaged", "Economically disadvantaged"),
    ("sex", "Sex"),
    ("race_ethnicity", "Race and ethnicity"),
)
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("program", "Program"),
    ("focus", "Focus area"),
    ("standard", "Standard"),
    ("school", "School"),
    ("grade", "Grade"),
)
KIND_LABELS = {"score": "Scores", "rubric": "Rubric levels", "proportion": "Proportions",
               "count": "Counts", "likert": "Student survey items"}
LEVELS = (
    (1, "Reactions"),
    (2, "Participants' learning"),
    (3, "Organisation support and change"),
    (4, "Use of new knowledge and skills"),
    (5, "Student learning outcomes"),
)
SPENDING_YEARS = 5
# Part of every cached part's key: bump when what the summary figures hold changes.
FIGURES_VERSION = "1"


# ----------------------------------------------------------------------------- the scope

@dataclass(frozen=True)
class Scope:
    """What a viewer may see: the district, and the schools (None: every school)."""

    district_id: int
    school_ids: frozenset[int] | None
    whole_district: bool
    # A coordinator or researcher (district-wide roles) sees the district's spending, even
    # with one school chosen; a school leader does not (the ledger is the district's).
    sees_spending: bool = False


def scope_of(viewer: User, *, school_id: int | None = None) -> Scope:
    """The viewer's scope by her CURRENT roles, narrowed to one school when asked; 404
    for anyone who may not read a dashboard, or a school outside her scope."""
    if not viewer.is_authenticated or viewer.district_id is None or not viewer.is_active:
        raise Http404("No such page.")
    district_id = viewer.district_id
    if viewer.has_role(Role.COORDINATOR, Role.RESEARCHER):
        schools: frozenset[int] | None = None
    else:
        led = frozenset(viewer.roles.filter(
            role=Role.SCHOOL_LEADER, school__isnull=False, district_id=district_id,
        ).values_list("school_id", flat=True))
        if not led:
            raise Http404("No such page.")
        schools = led
    if school_id is not None:
        if schools is not None and school_id not in schools:
            raise Http404("No such school.")
        if not School.objects.filter(pk=school_id, district_id=district_id).exists():
            raise Http404("No such school.")
        return Scope(district_id, frozenset({school_id}), whole_district=False,
                     sees_spending=schools is None)
    return Scope(district_id, schools, whole_district=schools is None,
                 sees_spending=schools is None)


# --------------------------------------------------------------------------- the filters

@dataclass(frozen=True)
class Filters:
    """The dashboard's filters; each None means "all"."""

    program: int | None = None
    focus: str | None = None
    standard: int | None = None
    school: int | None = None
    grade: str | None = None
    year: int | None = None  # the school year starting in this calendar year

    def facet_tests(self) -> dict[str, str]:
        tests = {"program": self.program, "focus": self.focus, "standard": self.standard,
                 "school": self.school, "grade": self.grade, "year": self.year}
        return {k: str(v) for k, v in tests.items() if v not in (None, "")}

    def as_query(self) -> dict[str, str]:
        return self.facet_tests()


def school_year_of(day: datetime.date) -> int:
    """The school year a day falls in, named by the calendar year it starts in (from the
    month of ``FISCAL_YEAR_START_MONTH``)."""
    start = getattr(settings, "FISCAL_YEAR_START_MONTH", 7)
    return day.year if day.month >= start else day.year - 1


# ----------------------------------------------------------------------- the dataclasses

@dataclass(frozen=True)
class ClassEffect:
    """One class's standardized mean change (positive: better), with its 95% interval."""

    key: Hashable
    measure_id: int
    section_id: int
    inquiry_id: int
    label: str  # "Measure name, class name (school)"
    kind: str
    smc: float
    ci_low: float
    ci_high: float
    n_students: int
    variance: float = 0.0


@dataclass(frozen=True)
class PooledByKind:
    kind: str
    label: str
    k: int
    pooled: Any  # uptake.analysis.pooling.Pooled, or None when k < 3


@dataclass(frozen=True)
class CostFigure:
    """Spending divided by a count, with the caveat in plain words."""

    key: str
    label: str
    spending: Decimal
    count: int
    amount: Decimal | None
    caveat: str = COST_CAVEAT


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    count: int
    unit: str = "people"


@dataclass(frozen=True)
class LadderItem:
    label: str
    count: int | None
    detail: str = ""


@dataclass(frozen=True)
class LadderLevel:
    level: int
    label: str
    items: tuple[LadderItem, ...]

    @property
    def empty(self) -> bool:
        return not any(item.count for item in self.items)


@dataclass(frozen=True)
class ProgramFigures:
    program: Any
    participants: int
    attended: int
    completed: int
    withdrawn: int
    inquiries_linked: int
    classes_measured: int
    verdict_counts: dict[str, int] | None  # None when suppressed
    improvements: int | None
    left_out: int  # classes resting on too few students to be counted
    effects: list[ClassEffect]
    pooled: Any  # Pooled | None: all kinds together when one kind only, else the largest kind
    pooled_by_kind: list[PooledByKind]
    spending_total: Decimal | None  # None when the viewer does not see spending
    spending_by_year: dict[int, Decimal]
    cost_per_participant: Decimal | None
    cost_per_credential: Decimal | None
    cost_per_improvement: Decimal | None
    costs: list[CostFigure]
    credentials_awarded: int
    ladder: list[LadderLevel]
    groups: GroupResults | None = None
    funnel: list[FunnelStep] = field(default_factory=list)
    credential_funnel: list[FunnelStep] = field(default_factory=list)


@dataclass(frozen=True)
class DistrictFigures:
    scope: Scope
    filters: Filters
    programs: list[Any]
    funnel: list[FunnelStep]
    credential_funnel: list[FunnelStep]
    breakdowns: list[Breakdown]
    verdict_total: dict[str, int]
    improvements: int
    classes_counted: int
    left_out: int
    effects: list[ClassEffect]
    pooled_by_kind: list[PooledByKind]
    groups: GroupResults
    spending_years: list[int]
    spending_by_source: dict[tuple[int, str], Decimal]
    spending_by_use: dict[tuple[int, str], Decimal]
    spending_total: Decimal | None
    costs: list[CostFigure]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    participants: int = 0
    completed: int = 0
    credentials_awarded: int = 0
    # The hash its summary figures are cached under ("" when not cached).
    content_key: str = ""

    @property
    def headline(self) -> dict[str, Any]:
        return {"participants": self.participants, "improvements": self.improvements,
                "classes": self.classes_counted}


# ------------------------------------------------------------------------- the atoms

class SummaryRow:
    """The fields of one ``inquiry.SeriesSummary`` row the figures read (plain values, no
    model objects: a district holds thousands)."""

    __slots__ = (
        "grade",
        "inquiry_id",
        "mean_change",
        "measure_id",
        "measure_name",
        "n_students",
        "owner_id",
        "pk",
        "school_id",
        "school_name",
        "section_id",
        "section_title",
        "verdict",
    )

    def __init__(self, values: tuple[Any, ...]) -> None:
        (self.pk, self.measure_id, self.section_id, self.school_id, self.inquiry_id,
         self.owner_id, self.measure_name, self.section_title, self.school_name, self.grade,
         self.verdict, self.n_students, self.mean_change) = values


class _LazyGroups(Mapping[str, Mapping[str, tuple[int, float | None]]]):
    """A summary's student groups, decoded from their JSON text on first use (only the
    group tables and the drill-down by attribute read them)."""

    __slots__ = ("_decoded", "_raw")

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._decoded: dict[str, dict[str, tuple[int, float | None]]] | None = None

    def _get(self) -> dict[str, dict[str, tuple[int, float | None]]]:
        if self._decoded is None:
            raw = json.loads(self._raw) if isinstance(self._raw, str | bytes) else self._raw
            self._decoded = _groups(raw if isinstance(raw, Mapping) else None)
            self._raw = None
        return self._decoded

    def __getitem__(self, key: str) -> Mapping[str, tuple[int, float | None]]:
        return self._get()[key]

    # Read thousands of times by the group tables: straight to the dict, not through
    # Mapping's generic methods.
    def get(self, key: str, default: Any = None) -> Any:
        decoded = self._decoded if self._decoded is not None else self._get()
        return decoded.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


@dataclass
class _Scene:
    """The summaries in a scope, as atoms, and what labels their facets."""

    atoms: list[Atom]
    rows: dict[Hashable, SummaryRow]  # atom key -> the summary's fields
    labels: dict[str, dict[str, str]]
    programs: list[Any]
    inquiry_programs: dict[int, set[int]]


_ROW_FIELDS = ("pk", "measure_id", "section_id", "school_id", "measure__inquiry_id",
               "measure__inquiry__owner_id", "measure__name", "section__title",
               "school__name", "grade", "verdict", "n_students", "mean_change")
_ATOM_FIELDS = ("kind", "smc", "smc_variance", "groups_text", "measure__inquiry__created_at",
                "comparison")


@dataclass(frozen=True)
class _Frame:
    """What labels and facets the summaries: the viewer's programs, the inquiries linked to
    each, the standards of programs and inquiries."""

    programs: list[Any]
    inquiry_programs: dict[int, set[int]]
    labels: dict[str, dict[str, str]]
    program_elements: dict[int, set[str]]
    inquiry_elements: dict[int, set[str]]

    def fingerprint(self) -> list[Any]:
        """Everything above as plain sorted values (for a cache key)."""
        return [sorted((p.pk, p.name, p.focus_area) for p in self.programs),
                sorted((i, sorted(ps)) for i, ps in self.inquiry_programs.items()),
                sorted((d, sorted(v.items())) for d, v in self.labels.items()),
                sorted((p, sorted(e)) for p, e in self.program_elements.items()),
                sorted((i, sorted(e)) for i, e in self.inquiry_elements.items())]


def _frame(viewer: User, scope: Scope) -> _Frame:
    from uptake.programs.queries import visible_programs

    programs = [p for p in visible_programs(viewer).filter(district_id=scope.district_id)
                .prefetch_related("elements", "schools")]
    inquiry_programs: dict[int, set[int]] = defaultdict(set)
    for program_id, inquiry_ids in program_queries.linked_ids([p.pk for p in programs],
                                                      "inquiry").items():
        for inquiry_id in inquiry_ids:
            inquiry_programs[inquiry_id].add(program_id)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    program_elements: dict[int, set[str]] = {}
    for p in programs:
        labels["program"][str(p.pk)] = p.name
        if p.focus_area:
            labels["focus"][p.focus_area] = p.focus_area
        program_elements[p.pk] = set()
        for element in p.elements.all():
            labels["standard"][str(element.pk)] = _element_label(element)
            program_elements[p.pk].add(str(element.pk))
    inquiry_elements = _inquiry_elements(scope.district_id, labels)
    return _Frame(programs, dict(inquiry_programs), dict(labels), program_elements,
                  inquiry_elements)


def _scene(viewer: User, scope: Scope, *, program: Any = None,
           frame: _Frame | None = None) -> _Scene:
    """The scope's summaries as atoms; with ``program``, only those of the inquiries linked
    to it (all a program's figures read)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from uptake.inquiry.queries import series_summaries

    frame = frame or _frame(viewer, scope)
    programs, inquiry_programs = frame.programs, frame.inquiry_programs
    by_id = {p.pk: p for p in programs}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for dim, named in frame.labels.items():
        labels[dim].update(named)
    program_elements, inquiry_elements = frame.program_elements, frame.inquiry_elements
    summaries = series_summaries(scope.district_id)
    if scope.school_ids is not None:
        summaries = summaries.filter(school_id__in=scope.school_ids)
    if program is not None:
        summaries = summaries.filter(measure__inquiry_id__in={
            i for i, ps in inquiry_programs.items() if program.pk in ps})
    values = (summaries.annotate(groups_text=Cast("groups", output_field=TextField()))
              .values_list(*_ROW_FIELDS, *_ATOM_FIELDS))
    atoms: list[Atom] = []
    rows: dict[Hashable, SummaryRow] = {}
    # An inquiry's facets (programs, focus areas, standards, year) and a school's or grade's
    # are the same for each of its rows: worked out once each.
    by_inquiry: dict[int, dict[str, frozenset[str]]] = {}
    singles: dict[Any, frozenset[str]] = {}
    empty: frozenset[str] = frozenset()
    n_row = len(_ROW_FIELDS)
    for value in values:
        if value[-1] or value[2] is None:  # a comparison class, or measure-wide
            continue
        row = SummaryRow(value[:n_row])
        kind, smc, smc_variance, groups_text, created_at = value[n_row:n_row + 5]
        facets = by_inquiry.get(row.inquiry_id)
        if facets is None:
            program_ids = inquiry_programs.get(row.inquiry_id, set())
            focus = {by_id[p].focus_area for p in program_ids if by_id[p].focus_area}
            standards = {e for p in program_ids for e in program_elements[p]}
            standards |= inquiry_elements.get(row.inquiry_id, set())
            year = school_year_of(timezone.localdate(created_at))
            labels["year"][str(year)] = school_year_label(year)
            facets = by_inquiry[row.inquiry_id] = {
                "program": frozenset(str(p) for p in program_ids),
                "focus": frozenset(focus), "standard": frozenset(standards),
                "year": frozenset({str(year)})}
        if row.school_id is not None:
            labels["school"][str(row.school_id)] = row.school_name
        if row.grade:
            labels["grade"][row.grade] = row.grade
        school = singles.get(("s", row.school_id))
        if school is None:
            school = singles[("s", row.school_id)] = (
                frozenset({str(row.school_id)}) if row.school_id else empty)
        grade = singles.get(("g", row.grade))
        if grade is None:
            grade = singles[("g", row.grade)] = frozenset({row.grade}) if row.grade else empty
        key = (row.measure_id, row.section_id)
        atoms.append(Atom(
            key=key, unit=row.section_id, n_students=row.n_students, verdict=row.verdict,
            kind=kind, smc=smc, smc_variance=smc_variance, groups=_LazyGroups(groups_text),
            facets={**facets, "school": school, "grade": grade}))
        rows[key] = row
    return _Scene(atoms, rows, dict(labels), programs, dict(inquiry_programs))


def visible_scene(viewer: User, scope: Scope) -> _Scene:
    """The summaries the viewer's scope holds, as atoms (for the drill-down)."""
    return _scene(viewer, scope)


def _element_label(element: Any) -> str:
    code = getattr(element, "code", "") or ""
    name = getattr(element, "name", "") or getattr(element, "title", "") or str(element)
    return f"{code} {name}".strip() if code and code not in name else name


def _inquiry_elements(district_id: int, labels: dict[str, dict[str, str]]) -> dict[int, set[str]]:
    """Framework elements each inquiry is aligned to (directly or through a plan goal)."""
    from uptake.learning.models import FrameworkElement
    from uptake.learning.queries import inquiry_ids_by_element

    by_element = inquiry_ids_by_element(district_id)
    out: dict[int, set[str]] = defaultdict(set)
    for element_id, inquiry_ids in by_element.items():
        for inquiry_id in inquiry_ids:
            out[inquiry_id].add(str(element_id))
    for element in FrameworkElement.objects.filter(pk__in=list(by_element)):
        labels["standard"].setdefault(str(element.pk), _element_label(element))
    return dict(out)


def _groups(raw: Mapping[str, Any] | None) -> dict[str, dict[str, tuple[int, float | None]]]:
    out: dict[str, dict[str, tuple[int, float | None]]] = {}
    for attribute, groups in (raw or {}).items():
        if not isinstance(groups, Mapping):
            continue
        out[attribute] = {
            str(label): (int(g.get("n") or 0), g.get("mean_change"))
            for label, g in groups.items() if isinstance(g, Mapping)}
    return out


def filtered(atoms: Iterable[Atom], filters: Filters) -> list[Atom]:
    tests = filters.facet_tests()
    return [a for a in atoms
            if all(value in a.facets.get(dim, frozenset()) for dim, value in tests.items())]


# ----------------------------------------------------------------------- effects, pooling

def _effects(kept: list[Atom], rows: Mapping[Hashable, Any]) -> list[ClassEffect]:
    effects = []
    for atom in kept:
        if atom.smc is None or atom.smc_variance is None or atom.smc_variance <= 0:
            continue
        row = rows[atom.key]
        half = 1.959964 * atom.smc_variance ** 0.5
        school = f" ({row.school_name})" if row.school_id is not None else ""
        effects.append(ClassEffect(
            key=atom.key, measure_id=row.measure_id, section_id=row.section_id,
            inquiry_id=row.inquiry_id,
            label=f"{row.measure_name}, {row.section_title}{school}", kind=atom.kind,
            smc=atom.smc, ci_low=atom.smc - half, ci_high=atom.smc + half,
            n_students=atom.n_students, variance=atom.smc_variance))
    return sorted(effects, key=lambda e: (e.kind, e.smc, str(e.key)))


def pooled_by_kind(effects: list[ClassEffect]) -> list[PooledByKind]:
    """A random-effects pooled estimate per kind of outcome (None below three classes)."""
    from uptake.analysis.pooling import pool

    by_kind: dict[str, list[ClassEffect]] = defaultdict(list)
    for e in effects:
        by_kind[e.kind].append(e)
    out = []
    for kind in sorted(by_kind):
        members = by_kind[kind]
        pooled = pool([(e.smc, e.variance) for e in members])
        out.append(PooledByKind(kind, KIND_LABELS.get(kind, kind.title()), len(members),
                                pooled))
    return out


# -------------------------------------------------------------------------- the money

def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _cost(key: str, label: str, spending: Decimal | None, count: int) -> CostFigure | None:
    if spending is None:
        return None
    amount = _cents(spending / count) if count else None
    return CostFigure(key, label, spending, count, amount)


def costs(spending: Decimal | None, participants: int, credentials: int,
          improvements: int) -> list[CostFigure]:
    figures = [
        _cost("participant", "Cost per participant", spending, participants),
        _cost("credential", "Cost per credential awarded", spending, credentials),
        _cost("improvement", "Cost per demonstrated improvement (a class with a "
              "sustained improvement)", spending, improvements),
    ]
    return [f for f in figures if f is not None]


def _recent_fiscal_years() -> list[int]:
    from uptake.spending.queries import recent_fiscal_years

    return recent_fiscal_years(SPENDING_YEARS)


# --------------------------------------------------------------------------- the funnels

def _participation(programs: list[Any], scope: Scope) -> dict[str, int]:
    if not programs:
        return {}
    return program_queries.participation(p.pk for p in programs)


def _funnel(programs: list[Any], scene: _Scene, kept: list[Atom],
            scope: Scope) -> tuple[list[FunnelStep], dict[str, int]]:
    return _funnel_of(programs, scene.inquiry_programs, _Reached.of(scene, kept), scope)


@dataclass(frozen=True)
class _Reached:
    """Which inquiries the counted classes measured and improved, and their owners."""

    measured: frozenset[int]
    improved: frozenset[int]
    owners: dict[int, int]

    @classmethod
    def of(cls, scene: _Scene, kept: list[Atom]) -> _Reached:
        return cls(frozenset(scene.rows[a.key].inquiry_id for a in kept),
                   frozenset(scene.rows[a.key].inquiry_id for a in kept
                             if a.verdict == "sustained_improvement"),
                   {row.inquiry_id: row.owner_id for row in scene.rows.values()})


def _funnel_of(programs: list[Any], inquiry_programs: Mapping[int, set[int]],
               reached: _Reached, scope: Scope) -> tuple[list[FunnelStep], dict[str, int]]:
    counts = _participation(programs, scope)
    program_ids = {p.pk for p in programs}
    linked = {i for i, ps in inquiry_programs.items() if ps & program_ids}
    measured, improved = set(reached.measured), set(reached.improved)
    owners = dict(reached.owners)
    missing = linked - set(owners)
    if missing:
        owners.update(owners_of(missing))
    steps = [
        FunnelStep("enrolled", "Enrolled", counts.get("enrolled", 0)),
        FunnelStep("attended", "Attended a session", counts.get("attended", 0)),
        FunnelStep("completed", "Completed", counts.get("completed", 0)),
        FunnelStep("linked", "Linked an inquiry", len({owners[i] for i in linked
                                                      if i in owners})),
        FunnelStep("measured", "Measured students' learning",
                   len({owners[i] for i in measured & linked if i in owners})),
        FunnelStep("improved", "Showed a sustained improvement",
                   len({owners[i] for i in improved & linked if i in owners})),
    ]
    return steps, counts


def _credential_ids(programs: list[Any]) -> set[int]:
    if not programs:
        return set()
    return program_queries.credential_ids(p.pk for p in programs)


def _credential_funnel(credential_ids: set[int], scope: Scope) -> tuple[list[FunnelStep], int]:
    from uptake.credentials.queries import credential_funnel

    numbers = credential_funnel(credential_ids, district_id=scope.district_id,
                                school_ids=scope.school_ids)
    return [
        FunnelStep("started", "Started a credential", numbers["started"]),
        FunnelStep("tier", "Had a tier awarded", numbers["tier_awarded"]),
        FunnelStep("awarded", "Earned the credential", numbers["awarded"]),
    ], numbers["awards"]


# ---------------------------------------------------------------------- district figures

def district_figures(viewer: User, *, school_id: int | None = None,
                     filters: Filters | None = None) -> DistrictFigures:
    """Every figure of the district dashboard for this viewer (404 if she may not read it)."""
    scope = scope_of(viewer, school_id=school_id)
    filters = filters or Filters()
    if filters.school is not None:
        scope = scope_of(viewer, school_id=filters.school)
    frame = _frame(viewer, scope)
    part = _summary_figures(viewer, scope, filters, frame)
    programs = [p for p in frame.programs if _program_in(p, filters)]
    total, effects = part.verdict_total, part.effects
    funnel, counts = _funnel_of(programs, frame.inquiry_programs, part.reached, scope)
    credential_steps, awards = _credential_funnel(_credential_ids(programs), scope)
    years = _recent_fiscal_years()
    by_source: dict[tuple[int, str], Decimal] = {}
    by_use: dict[tuple[int, str], Decimal] = {}
    spending: Decimal | None = None
    if scope.sees_spending:
        from uptake.spending.queries import program_spending, totals

        by_source = totals(scope.district_id, years, by="source")
        by_use = totals(scope.district_id, years, by="use")
        if filters.program is not None:
            spending = sum((program_spending(p.pk, fiscal_year=_fy(filters)) for p in programs),
                           Decimal("0"))
        elif filters.year is not None:
            spending = sum((v for (y, _), v in by_source.items() if y == filters.year + 1),
                           Decimal("0"))
        else:
            spending = sum(by_source.values(), Decimal("0"))
    participants = counts.get("enrolled", 0)
    improvements = total["sustained_improvement"]
    return DistrictFigures(
        scope=scope, filters=filters, programs=programs, funnel=funnel,
        credential_funnel=credential_steps, breakdowns=part.breakdowns, verdict_total=total,
        improvements=improvements, classes_counted=part.classes_counted,
        left_out=part.left_out, effects=effects, pooled_by_kind=part.pooled_by_kind,
        groups=part.groups, spending_years=years, spending_by_source=by_source,
        spending_by_use=by_use, spending_total=spending,
        costs=costs(spending, participants, awards, improvements),
        labels=part.labels, participants=participants,
        completed=counts.get("completed", 0), credentials_awarded=awards,
        content_key=part.key)


@dataclass(frozen=True)
class _SummaryFigures:
    """What the dashboard draws from the summaries, suppressed (the expensive part)."""

    key: str
    labels: dict[str, dict[str, str]]
    breakdowns: list[Breakdown]
    verdict_total: dict[str, int]
    classes_counted: int
    left_out: int
    effects: list[ClassEffect]
    pooled_by_kind: list[PooledByKind]
    groups: GroupResults
    reached: _Reached


def _labels_expression() -> Any:
    """A summary row's shown names, one string (for the names digest)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Coalesce, Concat

    sep = Value("\x1e")
    return Concat(*(part for field in ("measure__name", "section__title", "school__name")
                    for part in (Coalesce(field, Value("")), sep)),
                  output_field=CharField())


def summary_version(scope: Scope) -> list[Any]:
    """The summaries' data version in the scope: their number, last id and last refresh,
    and a digest of the names they are shown under (measure, class, school; a rename does
    not refresh a summary) - one query, after stale rows are refreshed: any refresh, new
    or deleted summary, or rename changes it."""
    from django.db import connection
    from django.db.models import Count, Max, StringAgg, Value
    from django.db.models.functions import MD5

    from uptake.inquiry.queries import series_summaries

    rows = series_summaries(scope.district_id, include_comparison=True)
    if scope.school_ids is not None:
        rows = rows.filter(school_id__in=scope.school_ids)
    # Where the database cannot order an aggregate (SQLite), the rows come in scan order:
    # another order only makes another key (a miss), never an old name (stale).
    names = StringAgg(_labels_expression(), Value("\x1f"))
    if connection.features.supports_aggregate_order_by_clause:
        names = StringAgg(_labels_expression(), Value("\x1f"), order_by="pk")
    found = rows.order_by().aggregate(n=Count("pk"), last=Max("pk"), at=Max("refreshed_at"),
                                      names=MD5(names))
    return [found["n"], found["last"], found["at"].isoformat() if found["at"] else None,
            found["names"]]


def _summary_key(viewer: User, scope: Scope, filters: Filters, frame: _Frame) -> str:
    """A hash of everything the summary figures are drawn from, and of what this viewer
    may see: her scope (district, schools) and the minimum group size, so that a part
    cached for one reader is never shown to another with other rights, and a smaller
    group is never shown because a larger minimum was cached."""
    blob = json.dumps([FIGURES_VERSION, summary_version(scope), frame.fingerprint(),
                       filters.as_query(), scope.district_id,
                       sorted(scope.school_ids) if scope.school_ids is not None else None,
                       scope.sees_spending, settings.MIN_GROUP_SIZE],
                      default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _summary_figures(viewer: User, scope: Scope, filters: Filters, frame: _Frame
                     ) -> _SummaryFigures:
    key = _summary_key(viewer, scope, filters, frame)
    slot = f"district:figures:{key}"
    found = caches["pages"].get(slot)
    if isinstance(found, _SummaryFigures):
        return found
    scene = _scene(viewer, scope, frame=frame)
    atoms = filtered(scene.atoms, filters)
    min_size = settings.MIN_GROUP_SIZE
    kept, left_out = countable(atoms, min_size)
    effects = _effects(kept, scene.rows)
    part = _SummaryFigures(
        key=key, labels=scene.labels,
        breakdowns=[verdict_breakdown(atoms, dim, min_size=min_size,
                                      order=_order(scene.labels.get(dim, {})))
                    for dim, _ in DIMENSIONS],
        verdict_total=(verdict_counts(kept) if kept
                       else dict.fromkeys((k for k, _ in VERDICTS), 0)),
        classes_counted=len(kept), left_out=len(left_out), effects=effects,
        pooled_by_kind=pooled_by_kind(effects),
        groups=group_results(kept, [a for a, _ in GROUP_ATTRIBUTES], min_size=min_size),
        reached=_Reached.of(scene, kept))
    caches["pages"].set(slot, part)
    return part


def _fy(filters: Filters) -> int | None:
    return None if filters.year is None else filters.year + 1


def _program_in(program: Any, filters: Filters) -> bool:
    if filters.program is not None and program.pk != filters.program:
        return False
    if filters.focus and program.focus_area != filters.focus:
        return False
    if filters.standard is not None and not any(
            e.pk == filters.standard for e in program.elements.all()):
        return False
    if filters.school is not None:
        schools = {s.pk for s in program.schools.all()}
        if schools and filters.school not in schools:
            return False
    if filters.year is not None:
        start = datetime.date(filters.year, getattr(settings, "FISCAL_YEAR_START_MONTH", 7), 1)
        end = datetime.date(filters.year + 1, start.month, 1)
        if program.starts_on >= end or (program.ends_on and program.ends_on < start):
            return False
    return True


def _order(labels: Mapping[str, str]) -> Any:
    return lambda value: (labels.get(value, value).casefold(), value)


# ----------------------------------------------------------------------- program figures

def program_figures(program: Any, viewer: User) -> ProgramFigures:
    """The program's dashboard and Guskey's five levels, for this viewer."""
    from uptake.programs.queries import linked_source_ids

    scope = scope_of(viewer)
    scene = _scene(viewer, scope, program=program)
    filters = Filters(program=program.pk)
    atoms = filtered(scene.atoms, filters)
    min_size = settings.MIN_GROUP_SIZE
    kept, left_out = countable(atoms, min_size)
    students = sum(a.n_students for a in kept)
    counts_ = verdict_counts(kept) if kept and students >= min_size else None
    improvements = counts_["sustained_improvement"] if counts_ else None
    effects = _effects(kept, scene.rows)
    by_kind = pooled_by_kind(effects)
    funnel, counts = _funnel([program], scene, kept, scope)
    credential_ids = _credential_ids([program])
    credential_steps, awards = _credential_funnel(credential_ids, scope)
    linked = {i for i, ps in scene.inquiry_programs.items() if program.pk in ps}
    spending: Decimal | None = None
    by_year: dict[int, Decimal] = {}
    if scope.sees_spending:
        from uptake.spending.queries import program_spending

        spending = program_spending(program.pk)
        for year in _recent_fiscal_years():
            amount = program_spending(program.pk, fiscal_year=year)
            if amount:
                by_year[year] = amount
    cost_list = costs(spending, counts.get("enrolled", 0), awards, improvements or 0)
    by_key = {c.key: c.amount for c in cost_list}
    ladder = program_ladder(program, scope=scope, linked_inquiries=linked,
                            sources=len(linked_source_ids(program)),
                            credential_ids=credential_ids, verdicts=counts_,
                            effects=effects, kept=kept, scene=scene)
    largest = max(by_kind, key=lambda p: p.k, default=None)
    return ProgramFigures(
        program=program, participants=counts.get("enrolled", 0),
        attended=counts.get("attended", 0), completed=counts.get("completed", 0),
        withdrawn=counts.get("withdrawn", 0), inquiries_linked=len(linked),
        classes_measured=len(kept), verdict_counts=counts_, improvements=improvements,
        left_out=len(left_out), effects=effects,
        pooled=largest.pooled if largest else None, pooled_by_kind=by_kind,
        spending_total=spending, spending_by_year=by_year,
        cost_per_participant=by_key.get("participant"),
        cost_per_credential=by_key.get("credential"),
        cost_per_improvement=by_key.get("improvement"), costs=cost_list,
        credentials_awarded=awards, ladder=ladder,
        groups=group_results(kept, [a for a, _ in GROUP_ATTRIBUTES], min_size=min_size),
        funnel=funnel, credential_funnel=credential_steps)


def _survey_items(program: Any, purpose: str) -> list[LadderItem]:
    from uptake.surveys.queries import program_level_results

    items = []
    for result in program_level_results(program, purpose):
        detail = [f"responded: {result.rate_text}"]
        for question in result.questions:
            if question.mean is None:
                detail.append(f"{question.prompt}: hidden (fewer than "
                              f"{settings.MIN_GROUP_SIZE} answers)")
            else:
                detail.append(f"{question.prompt}: mean {question.mean:.2f} of "
                              f"{question.scale_points} (n = {question.n})")
        items.append(LadderItem(f"responses to \u201c{result.title}\u201d", result.responses,
                                "; ".join(detail)))
    return items


def program_ladder(program: Any, *, scope: Scope, linked_inquiries: set[int], sources: int,
                   credential_ids: set[int], verdicts: dict[str, int] | None,
                   effects: list[ClassEffect], kept: list[Atom],
                   scene: _Scene) -> list[LadderLevel]:
    """Guskey's five levels for a program, every level shown (an empty one says so)."""
    from uptake.credentials.queries import tier_awards_by_kind
    from uptake.networks.queries_changes import program_changes

    items: dict[int, list[LadderItem]] = {level: [] for level, _ in LEVELS}
    items[1] += _survey_items(program, "reactions")
    items[3] += _survey_items(program, "organisation")
    logged = program_changes(program.pk, school_ids=scope.school_ids)
    if logged["real"]:
        items[3].append(LadderItem("real changes schools made (knowledge-mobilisation log)",
                                   logged["real"]))
    if logged["soft"]:
        items[3].append(LadderItem("soft changes: felt better connected or more confident "
                                   "(knowledge-mobilisation log)", logged["soft"]))
    inquiry_ids = reading.undrafted(linked_inquiries)
    loaded: list[Any] = []

    def inquiries() -> list[Any]:
        if not loaded:
            loaded.extend(reading.inquiries_by_ids(inquiry_ids))
        return loaded

    for kind in registry.evidence_kinds:
        total = reading.evidence_total(kind, inquiry_ids, inquiries)
        if total:
            items[kind.level].append(LadderItem(f"{kind.label} (linked inquiries)", total))
    if sources:
        items[2].append(LadderItem("learning sources teachers linked to the program", sources))
    tiers = tier_awards_by_kind(credential_ids, district_id=scope.district_id,
                                school_ids=scope.school_ids)
    for level, tier_kind, label in ((2, "learning", "learning tiers awarded"),
                                    (2, "reflections", "reflections written for awarded tiers"),
                                    (4, "implementation", "implementation tiers awarded"),
                                    (5, "impact", "impact tiers awarded")):
        if tiers.get(tier_kind):
            items[level].append(LadderItem(label, tiers[tier_kind]))
    if verdicts is not None:
        for key, label in VERDICTS:
            if verdicts.get(key):
                items[5].append(LadderItem(f"classes: {label.lower()}", verdicts[key]))
    paired = sum(1 for a in kept if scene.rows[a.key].mean_change is not None)
    if paired:
        items[5].append(LadderItem("classes with a paired change (the same students before "
                                   "and after)", paired))
    if effects:
        items[5].append(LadderItem("classes with an effect size", len(effects)))
    return [LadderLevel(level, label, tuple(items[level])) for level, label in LEVELS]


def headline(viewer: User) -> dict[str, int] | None:
    """Two numbers for a leader's home page: educators enrolled in the programs she sees,
    and classes with a sustained improvement in her scope (None: not a dashboard reader)."""
    try:
        scope = scope_of(viewer)
    except Http404:
        return None
    scene = _scene(viewer, scope)
    kept, _ = countable(scene.atoms, settings.MIN_GROUP_SIZE)
    counts = _participation(scene.programs, scope)
    return {"participants": counts.get("enrolled", 0),
            "improvements": sum(1 for a in kept if a.verdict == "sustained_improvement"),
            "classes": len(kept)}
