""""Make your case with data": Learning Forward's one-page case for professional learning.

``build_case(viewer, program=None, school_id=None)`` gathers, for the district (or one
program), what the page and its PDF print, in the template's order:

1. the district (or, for a school leader, her school) described from the roster
   (``uptake.roster.queries.district_description``);
2. five fiscal years of professional-learning spending by funding source and by use
   (``uptake.spending.queries.totals``), as tables and a small bar chart with a text
   alternative; shown to district-wide roles only, as on the dashboards;
3. Challenge, Solution and Impact: the coordinator's words (``CaseReport``) or, where she
   has written none, a draft written from the figures (``uptake.district.figures``), with
   the numbers printed large beside them (participants, classes measured, sustained
   improvements, the pooled effect with its heterogeneity in plain words, and the cost per
   demonstrated improvement with its caveat).

Nothing here is causal: every cost is spending divided by a count, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uptake.accounts.models import School, User
from uptake.district.figures import district_figures, program_figures, scope_of
from uptake.programs.models import FundingSource, Program
from uptake.reports.models import CaseReport
from uptake.roster.queries import DistrictDescription, district_description
from uptake.spending.models import Use
from uptake.spending.queries import fiscal_year_of, recent_fiscal_years, totals

YEARS = 5
PARAGRAPHS = (("challenge", "Challenge"), ("solution", "Solution"), ("impact", "Impact"))
# Okabe-Ito: told apart with any colour vision, each darker than 3:1 against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#999999")
NOT_CAUSAL = ("These figures describe what happened alongside the professional learning; "
              "they do not show that it caused the change.")


@dataclass(frozen=True)
class Headline:
    """A number printed large, its label, and what must be read with it."""

    key: str
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class SpendingTable:
    """Spending per fiscal year by one breakdown (funding source or use)."""

    caption: str
    years: tuple[int, ...]
    rows: tuple[tuple[str, tuple[Decimal, ...], Decimal], ...]  # label, per year, total
    year_totals: tuple[Decimal, ...]
    total: Decimal


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    text: str  # the text alternative


@dataclass(frozen=True)
class Paragraph:
    key: str
    heading: str
    text: str
    draft: str
    from_figures: bool


@dataclass(frozen=True)
class Case:
    district: Any
    program: Program | None
    school: School | None
    title: str
    description: DistrictDescription
    described: tuple[tuple[str, str], ...]
    by_source: SpendingTable | None
    by_use: SpendingTable | None
    chart: Chart | None
    headlines: tuple[Headline, ...]
    paragraphs: tuple[Paragraph, ...]
    report: CaseReport | None
    caveats: tuple[str, ...]
    prepared_on: Any

    @property
    def edited(self) -> bool:
        return any(not p.from_figures for p in self.paragraphs)


# --------------------------------------------------------------------------- formats


def money(value: Decimal | None) -> str:
    if value is None:
        return "not shown"
    whole = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}${abs(whole):,}"


def count(value: int | None) -> str:
    return "not shown" if value is None else f"{value:,}"


def _pct(value: float | None, minimum: int) -> str:
    return f"{value:g}%" if value is not None else "not shown"


def _effect(value: float) -> str:
    return f"{value:+.2f}"


# ------------------------------------------------------------------------ the parts


def recent_years(today: Any = None) -> tuple[int, ...]:
    """The last ``YEARS`` fiscal years, oldest first, ending with the current one."""
    ending = fiscal_year_of(today) if today is not None else None
    return tuple(recent_fiscal_years(YEARS, ending=ending))


def spending_tables(district_id: int, years: tuple[int, ...]
                    ) -> tuple[SpendingTable, SpendingTable]:
    out = []
    for by, choices, caption in (("source", FundingSource.choices, "by funding source"),
                                 ("use", Use.choices, "by use")):
        found = totals(district_id, years, by=by)  # type: ignore[arg-type]
        rows = []
        for key, label in choices:
            per_year = tuple(found.get((y, key), Decimal("0")) for y in years)
            if any(per_year):
                rows.append((str(label), per_year, sum(per_year, Decimal("0"))))
        year_totals = tuple(sum((r[1][i] for r in rows), Decimal("0"))
                            for i in range(len(years)))
        out.append(SpendingTable(
            f"Professional-learning spending {caption}, FY{years[0]} to FY{years[-1]}",
            years, tuple(rows), year_totals, sum(year_totals, Decimal("0"))))
    return out[0], out[1]


def spending_chart(table: SpendingTable) -> Chart:
    """Stacked bars per fiscal year by funding source, as inline SVG with a title, a
    description and the numbers in words (the table beside it gives every one)."""
    width, height, left, bottom, top = 520, 190, 64, 24, 10
    plot_h = height - bottom - top
    years = table.years
    highest = max([t for t in table.year_totals if t > 0], default=Decimal("0"))
    band = (width - left - 130) / max(len(years), 1)
    bar = band * 0.6
    title = f"Spending by funding source, FY{years[0]} to FY{years[-1]}"
    words = "; ".join(f"FY{y}: {money(t)}" for y, t in zip(years, table.year_totals,
                                                            strict=True))
    text = (f"{title}. Total per year: {words}. The table gives each source's amount."
            if highest else f"{title}: no spending recorded in these years.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" class="case-chart" '
             f'aria-labelledby="case-chart-title case-chart-desc">',
             f'<title id="case-chart-title">{escape(title)}</title>',
             f'<desc id="case-chart-desc">{escape(text)}</desc>']
    base = height - bottom
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 130}" y2="{base}" '
                 'stroke="#333" stroke-width="1"/>')
    if highest:
        parts.append(f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" font-size="12" '
                     f'fill="#333">{escape(money(highest))}</text>')
    for i, year in enumerate(years):
        x = left + i * band + (band - bar) / 2
        y = float(base)
        for j, (_label, per_year, _total) in enumerate(table.rows):
            amount = per_year[i]
            if amount <= 0 or not highest:
                continue
            h = float(amount / highest) * plot_h
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{base + 15}" text-anchor="middle" '
                     f'font-size="12" fill="#333">FY{year}</text>')
    for j, (label, _per_year, _total) in enumerate(table.rows):
        ly = top + 4 + j * 16
        parts.append(f'<rect x="{width - 122}" y="{ly}" width="10" height="10" '
                     f'fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{width - 108}" y="{ly + 9}" font-size="12" '
                     f'fill="#333">{escape(label)}</text>')
    parts.append("</svg>")
    return Chart(mark_safe("".join(parts)), title, text)  # every text escaped above


def described(d: DistrictDescription) -> tuple[tuple[str, str], ...]:
    return (("Students", count(d.students)), ("Schools", count(d.schools)),
            ("Teachers", count(d.teachers)), ("Instructional coaches", count(d.coaches)),
            ("English learners", _pct(d.english_learners_pct, d.min_group_size)),
            ("Students in special education",
             _pct(d.special_education_pct, d.min_group_size)))


def _first_sentence(text: str) -> str:
    head, dot, _rest = (text or "").partition(". ")
    return f"{head}." if dot else head


def _largest_pooled(pooled_by_kind: Any) -> Any:
    found = [p for p in pooled_by_kind or () if getattr(p, "pooled", None) is not None]
    return max(found, key=lambda p: p.k).pooled if found else None


def _cost_of(costs: Any, key: str) -> Any:
    return next((c for c in costs or () if c.key == key), None)


# ----------------------------------------------------------------------- the drafts


def _challenge(place: str, d: DistrictDescription, program: Program | None) -> str:
    text = (f"{place} serves {count(d.students)} students in {count(d.schools)} "
            f"school{'s' if d.schools != 1 else ''}, taught by {count(d.teachers)} teachers "
            f"and supported by {count(d.coaches)} instructional coaches.")
    shares = []
    if d.english_learners_pct is not None:
        shares.append(f"{d.english_learners_pct:g}% are English learners")
    if d.special_education_pct is not None:
        shares.append(f"{d.special_education_pct:g}% receive special education services")
    if shares:
        text += f" Of its students, {' and '.join(shares)}."
    if program is not None:
        focus = program.focus_area or program.name
        text += (f" Its educators asked for professional learning in {focus.lower()} that "
                 "shows up in students' learning.")
    return text


def _solution_program(program: Program, f: Any) -> str:
    when = (f"from {program.starts_on:%B %Y} to {program.ends_on:%B %Y}" if program.ends_on
            else f"since {program.starts_on:%B %Y}")
    text = f"{program.name} ({program.get_kind_display().lower()}) has run {when}."
    if program.facilitator:
        text += f" It is led by {program.facilitator}."
    text += (f" {count(f.participants)} educators enrolled, {count(f.attended)} attended at "
             f"least one session and {count(f.completed)} completed it.")
    if f.spending_total is not None:
        text += f" Its recorded cost is {money(f.spending_total)}."
    return text


def _solution_district(place: str, f: Any, source: SpendingTable | None) -> str:
    programs = len(f.programs)
    text = (f"{place} offers {programs} professional-learning program"
            f"{'s' if programs != 1 else ''}, in which {count(f.participants)} educators "
            f"enrolled and {count(f.completed)} completed.")
    if source is not None and source.year_totals:
        latest = source.years[-1]
        spent = source.year_totals[-1]
        text += f" In FY{latest} the district spent {money(spent)} on professional learning"
        if source.rows and spent > 0:
            label, per_year, _ = max(source.rows, key=lambda r: r[1][-1])
            text += f", most of it from {label} ({money(per_year[-1])})"
        text += "."
    return text


def _impact(classes: int, verdicts: dict[str, int] | None, improvements: int | None,
            pooled: Any, cost: Any, left_out: int) -> str:
    minimum = settings.MIN_GROUP_SIZE
    if classes == 0:
        text = "No class has measured students' learning before and after yet."
    elif verdicts is None or improvements is None:
        text = (f"{count(classes)} classes measured students' learning; their verdicts are "
                f"not shown because fewer than {minimum} students were measured.")
    else:
        text = (f"{count(classes)} classes measured students' learning before and after the "
                f"change; {count(improvements)} showed a sustained improvement.")
    if left_out:
        text += (f" {left_out} more class{'es' if left_out != 1 else ''} with fewer than "
                 f"{minimum} students {'are' if left_out != 1 else 'is'} not counted.")
    if pooled is not None:
        text += (f" Across {pooled.k} classes the pooled standardized mean change was "
                 f"{_effect(pooled.estimate)} (95% interval {_effect(pooled.ci_low)} to "
                 f"{_effect(pooled.ci_high)}). {pooled.plainly}")
    if cost is not None and cost.amount is not None:
        text += (f" That is {money(cost.amount)} of professional-learning spending per "
                 f"demonstrated improvement. {cost.caveat}")
    return text.strip()


# -------------------------------------------------------------------------- the case


def _headlines(participants: int, completed: int, classes: int, improvements: int | None,
               pooled: Any, cost: Any, spending_shown: bool) -> tuple[Headline, ...]:
    minimum = settings.MIN_GROUP_SIZE
    lines = [
        Headline("participants", "educators took part", count(participants)),
        Headline("completed", "completed", count(completed)),
        Headline("classes", "classes measured students' learning", count(classes)),
        Headline("improvements", "classes showed a sustained improvement",
                 count(improvements),
                 "" if improvements is not None or not classes
                 else f"Hidden: fewer than {minimum} students were measured."),
    ]
    if pooled is not None:
        lines.append(Headline(
            "pooled", "pooled standardized mean change",
            _effect(pooled.estimate),
            f"95% interval {_effect(pooled.ci_low)} to {_effect(pooled.ci_high)}, across "
            f"{pooled.k} classes. {_first_sentence(pooled.plainly)}"))
    else:
        lines.append(Headline("pooled", "pooled standardized mean change", "not yet",
                              "A pooled estimate needs at least three classes with an "
                              "effect size."))
    if spending_shown:
        amount = getattr(cost, "amount", None)
        lines.append(Headline(
            "cost_per_improvement", "spent per demonstrated improvement", money(amount)
            if amount is not None else "no improvement yet",
            getattr(cost, "caveat", "") or NOT_CAUSAL))
    return tuple(lines)


def saved_report(district_id: int, program: Program | None) -> CaseReport | None:
    return CaseReport.objects.filter(district_id=district_id, program=program).first()


def build_case(viewer: User, *, program: Program | None = None,
               school_id: int | None = None) -> Case:
    """The case as this viewer may read it (access checked by the caller; ``school_id``
    is a school leader's school, None for the district-wide roles)."""
    district = viewer.district
    assert district is not None
    scope = scope_of(viewer, school_id=school_id)
    school = School.objects.get(pk=school_id) if school_id is not None else None
    description = district_description(district.pk, school_id=school_id)
    place = school.name if school is not None else district.name
    years = recent_years()
    by_source = by_use = None
    chart = None
    if scope.sees_spending:
        by_source, by_use = spending_tables(district.pk, years)
        chart = spending_chart(by_source)
    if program is not None:
        f = program_figures(program, viewer)
        cost = _cost_of(f.costs, "improvement")
        pooled = f.pooled
        drafts = {
            "challenge": _challenge(place, description, program),
            "solution": _solution_program(program, f),
            "impact": _impact(f.classes_measured, f.verdict_counts, f.improvements, pooled,
                              cost, f.left_out)}
        headlines = _headlines(f.participants, f.completed, f.classes_measured,
                               f.improvements, pooled, cost, scope.sees_spending)
        title = f"Making the case: {program.name}"
    else:
        d = district_figures(viewer, school_id=school_id)
        cost = _cost_of(d.costs, "improvement")
        pooled = _largest_pooled(d.pooled_by_kind)
        verdicts = d.verdict_total if d.classes_counted else None
        drafts = {
            "challenge": _challenge(place, description, None),
            "solution": _solution_district(place, d, by_source),
            "impact": _impact(d.classes_counted, verdicts,
                              d.improvements if d.classes_counted else None, pooled, cost,
                              d.left_out)}
        headlines = _headlines(d.participants, d.completed, d.classes_counted,
                               d.improvements if d.classes_counted else None, pooled, cost,
                               scope.sees_spending)
        title = f"Making the case for professional learning in {place}"
    report = saved_report(district.pk, program)
    paragraphs = tuple(
        Paragraph(key, heading, getattr(report, key, "") or drafts[key], drafts[key],
                  not getattr(report, key, ""))
        for key, heading in PARAGRAPHS)
    caveats = [NOT_CAUSAL]
    if not scope.sees_spending:
        caveats.append("Spending is the district's: it is shown to district-wide roles.")
    return Case(district, program, school, title, description, described(description),
                by_source, by_use, chart, headlines, paragraphs, report, tuple(caveats),
                timezone.localdate())
