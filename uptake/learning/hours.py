"""Hours of learning for CEU and re-licensure files: a teacher's sources as CSV or XLSX rows
with a total row, and a per-school-year summary (hours by kind, research-based hours).

Spreadsheet cells hold text the teacher typed, and titles of threads or webinars copied
from elsewhere: a cell that starts like a formula is neutralised (``'`` in front) so that
opening the file never runs anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from uptake.learning.models import LearningSource, school_year_bounds
from uptake.spreadsheets import safe_cell, xlsx_workbook

__all__ = ["safe_cell"]  # other apps once took it from here

CSV_HEADER = ("Date", "Kind", "Title", "Author or host", "Link", "Hours", "Research-based",
              "Goals")


def hours_text(hours: Decimal) -> str:
    """``Decimal("1.50")`` → ``"1.5"``, ``Decimal("2.00")`` → ``"2"``."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _goals(source: LearningSource) -> str:
    return "; ".join(g.statement for g in source.goals.all())


@dataclass(frozen=True)
class Totals:
    count: int
    hours: Decimal
    research_count: int
    research_hours: Decimal


def totals(sources: Iterable[LearningSource]) -> Totals:
    items = list(sources)
    research = [s for s in items if s.research_based]
    return Totals(count=len(items), hours=sum((s.hours for s in items), Decimal("0")),
                  research_count=len(research),
                  research_hours=sum((s.hours for s in research), Decimal("0")))


def _total_row(t: Totals) -> list[str]:
    return ["Total", "", f"{t.count} source{'s' if t.count != 1 else ''}", "", "",
            hours_text(t.hours), f"{hours_text(t.research_hours)} hours research-based", ""]


def csv_rows(sources: list[LearningSource]) -> Iterable[list[str]]:
    """Header, one row per source (oldest first), and a total row; every cell is safe."""
    yield list(CSV_HEADER)
    for s in sources:
        yield [safe_cell(v) for v in (
            s.learned_on.isoformat(), s.get_kind_display(), s.title, s.author, s.link,
            hours_text(s.hours), "Yes" if s.research_based else "No", _goals(s))]
    yield [safe_cell(v) for v in _total_row(totals(sources))]


def xlsx_bytes(sources: list[LearningSource], *, title: str) -> bytes:
    """The same rows as the CSV as a workbook: real dates and numbers, safe text."""
    t = totals(sources)
    return xlsx_workbook(
        CSV_HEADER,
        ((s.learned_on, s.get_kind_display(), s.title, s.author, s.link, s.hours,
          "Yes" if s.research_based else "No", _goals(s)) for s in sources),
        sheet="Learning hours", widths=(12, 22, 50, 28, 40, 8, 16, 60), title=title,
        totals=[("Total", "", f"{t.count} source{'s' if t.count != 1 else ''}", "", "",
                 t.hours, f"{hours_text(t.research_hours)} hours research-based", "")])


# --------------------------------------------------------------------- year summaries

@dataclass(frozen=True)
class KindHours:
    label: str
    count: int
    hours: Decimal
    research_hours: Decimal


@dataclass(frozen=True)
class YearSummary:
    """One school year's learning: by kind, in all, and how much was research-based."""

    year: int
    first_day: date
    last_day: date
    by_kind: tuple[KindHours, ...]
    total: Totals
    sources: tuple[LearningSource, ...]

    @property
    def research_share(self) -> int | None:
        """Research-based hours as a whole percentage of all hours (None with no hours)."""
        if not self.total.hours:
            return None
        return int((self.total.research_hours * 100 / self.total.hours)
                   .to_integral_value())


def year_summary(sources: Iterable[LearningSource], year: int) -> YearSummary:
    """Summarise the sources learned in school year ``year`` (others are ignored)."""
    first, last = school_year_bounds(year)
    chosen = sorted((s for s in sources if first <= s.learned_on <= last),
                    key=lambda s: (s.learned_on, s.pk))
    by_kind = []
    for kind in LearningSource.Kind:
        of_kind = [s for s in chosen if s.kind == kind.value]
        if of_kind:
            t = totals(of_kind)
            by_kind.append(KindHours(label=str(kind.label), count=t.count, hours=t.hours,
                                     research_hours=t.research_hours))
    return YearSummary(year=year, first_day=first, last_day=last, by_kind=tuple(by_kind),
                       total=totals(chosen), sources=tuple(chosen))
