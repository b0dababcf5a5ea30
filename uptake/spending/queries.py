"""Reads of the spending ledger for this app's pages and API and for the apps above it (the
district view's cost figures, the make-your-case report's five years of spending).

The ledger of a fiscal year is every ``SpendingEntry`` of it (entered and imported) and
every micro-credential stipend awarded in it, read live from the credentials app
(``uptake.credentials.queries.stipends_paid``): a stipend is charged to the funding source
of a micro-credential program of the district that offers its credential
(``Program.credentials``; the one running on the award date, else the first), with the use
"stipends" and that program; to "district" and no program when no program offers it.

A fiscal year is named by the calendar year it ends in; it starts on the first of
``settings.FISCAL_YEAR_START_MONTH`` (July by default: FY2027 is 1 July 2026 to 30 June 2027).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from uptake.credentials.queries import StipendPaid, stipends_paid
from uptake.programs.models import FundingSource, Program
from uptake.spending.models import SpendingEntry, Use

ZERO = Decimal("0.00")
STIPEND = "stipend"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# ------------------------------------------------------------------------ fiscal years

def _start_month() -> int:
    return int(getattr(settings, "FISCAL_YEAR_START_MONTH", 7))


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in, by the calendar year the fiscal year ends in."""
    start = _start_month()
    if start == 1:
        return day.year
    return day.year + 1 if day.month >= start else day.year


def recent_fiscal_years(count: int = 5, *, ending: int | None = None) -> list[int]:
    """The ``count`` fiscal years ending with ``ending`` (default: the current one),
    oldest first: the five-year tables of the ledger, the dashboard and the case."""
    last = ending if ending is not None else fiscal_year_of(timezone.localdate())
    return list(range(last - count + 1, last + 1))


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a fiscal year."""
    start = _start_month()
    if start == 1:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year - 1, start, 1), date(year, start, 1) - timedelta(days=1)


def fiscal_year_label(year: int) -> str:
    """``2027`` → ``"FY2027 (July 2026 to June 2027)"``."""
    first, last = fiscal_year_bounds(year)
    return (f"FY{year} ({MONTHS[first.month - 1]} {first.year} to "
            f"{MONTHS[last.month - 1]} {last.year})")


# ---------------------------------------------------------------------------- lines

@dataclass(frozen=True)
class LedgerLine:
    """One line of the ledger, whatever its origin (``entered``, ``imported``, ``stipend``).
    ``entry_id`` is the ``SpendingEntry`` (None for a stipend), ``stipend_id`` the
    credentials app's stipend (None otherwise)."""

    origin: str
    entry_id: int | None
    stipend_id: int | None
    fiscal_year: int
    spent_on: date
    amount: Decimal
    source: str
    use: str
    program_id: int | None
    program_name: str
    description: str
    reference: str

    @property
    def key(self) -> str:
        return f"entry-{self.entry_id}" if self.entry_id else f"stipend-{self.stipend_id}"

    @property
    def source_label(self) -> str:
        return str(FundingSource(self.source).label)

    @property
    def use_label(self) -> str:
        return str(Use(self.use).label)

    @property
    def origin_label(self) -> str:
        return {"entered": "Entered", "imported": "Imported",
                STIPEND: "Micro-credential stipend"}[self.origin]


def _entry_line(e: SpendingEntry, programs: dict[int, str]) -> LedgerLine:
    return LedgerLine(
        origin=e.origin, entry_id=e.pk, stipend_id=None, fiscal_year=e.fiscal_year,
        spent_on=e.spent_on, amount=e.amount, source=e.source, use=e.use,
        program_id=e.program_id,
        program_name=programs.get(e.program_id, "") if e.program_id else "",
        description=e.description, reference=e.reference)


def _offering_programs(district_id: int) -> list[Program]:
    """The district's micro-credential programs with the credentials each offers."""
    return list(Program.objects.filter(district_id=district_id,
                                       kind=Program.Kind.MICRO_CREDENTIAL)
                .prefetch_related("credentials").order_by("pk"))


def _charged_to(stipend: StipendPaid, offering: list[Program]) -> Program | None:
    """The program a stipend is charged to: one offering its credential, preferring one
    that was running on the award date."""
    offers = [p for p in offering
              if any(c.pk == stipend.credential_id for c in p.credentials.all())]
    running = [p for p in offers if p.starts_on <= stipend.awarded_on
               and (p.ends_on is None or stipend.awarded_on <= p.ends_on)]
    chosen = running or offers
    return chosen[0] if chosen else None


def _stipend_lines(district_id: int, *, start: date | None = None, end: date | None = None,
                   credential_ids: set[int] | None = None) -> list[LedgerLine]:
    offering = _offering_programs(district_id)
    lines = []
    for s in stipends_paid(district_id, start=start, end=end, credential_ids=credential_ids):
        program = _charged_to(s, offering)
        tier = f" ({s.tier_name})" if s.tier_name else ""
        lines.append(LedgerLine(
            origin=STIPEND, entry_id=None, stipend_id=s.id,
            fiscal_year=fiscal_year_of(s.awarded_on), spent_on=s.awarded_on,
            amount=s.amount,
            source=program.funding_source if program else FundingSource.DISTRICT.value,
            use=Use.STIPENDS.value, program_id=program.pk if program else None,
            program_name=program.name if program else "",
            description=f"Micro-credential stipend: {s.credential_title}{tier}",
            reference=""))
    return lines


def _program_names(district_id: int) -> dict[int, str]:
    return dict(Program.objects.filter(district_id=district_id).values_list("pk", "name"))


def ledger_lines(district_id: int, fiscal_year: int) -> list[LedgerLine]:
    """Every line of one fiscal year (entered, imported and stipends), newest first."""
    names = _program_names(district_id)
    entries = SpendingEntry.objects.filter(district_id=district_id, fiscal_year=fiscal_year)
    first, last = fiscal_year_bounds(fiscal_year)
    lines = [_entry_line(e, names) for e in entries]
    lines += _stipend_lines(district_id, start=first, end=last)
    lines.sort(key=lambda line: (line.spent_on, line.origin != STIPEND,
                                 line.entry_id or line.stipend_id or 0), reverse=True)
    return lines


def fiscal_years(district_id: int) -> list[int]:
    """The fiscal years with a line in the ledger, newest first."""
    years = set(SpendingEntry.objects.filter(district_id=district_id)
                .values_list("fiscal_year", flat=True).distinct())
    years |= {fiscal_year_of(s.awarded_on) for s in stipends_paid(district_id)}
    return sorted(years, reverse=True)


def totals(district_id: int, years: Iterable[int], by: Literal["source", "use"] = "source"
           ) -> dict[tuple[int, str], Decimal]:
    """``{(fiscal year, source or use key): total}`` for every year asked and every funding
    source (``by="source"``) or use (``by="use"``), zero where nothing was spent, stipends
    included. Refunds (negative lines) are subtracted."""
    if by not in ("source", "use"):
        raise ValueError(f"by must be 'source' or 'use', not {by!r}")
    wanted = sorted(set(years))
    keys = FundingSource.values if by == "source" else Use.values
    out = {(y, k): ZERO for y in wanted for k in keys}
    if not wanted:
        return out
    for row in (SpendingEntry.objects.filter(district_id=district_id, fiscal_year__in=wanted)
                .values("fiscal_year", by).annotate(total=Sum("amount"))):
        out[(row["fiscal_year"], row[by])] += row["total"]
    first, last = fiscal_year_bounds(wanted[0])[0], fiscal_year_bounds(wanted[-1])[1]
    for line in _stipend_lines(district_id, start=first, end=last):
        if line.fiscal_year in wanted:
            out[(line.fiscal_year, getattr(line, by))] += line.amount
    return out


def program_spending(program_id: int, *, fiscal_year: int | None = None) -> Decimal:
    """What was spent on a program (its entered and imported lines and the stipends charged
    to it), in one fiscal year or all of them."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return ZERO
    offered = set(program.credentials.values_list("pk", flat=True)) \
        if program.kind == Program.Kind.MICRO_CREDENTIAL else set()
    entries = SpendingEntry.objects.filter(program_id=program_id)
    start = end = None
    if fiscal_year is not None:
        entries = entries.filter(fiscal_year=fiscal_year)
        start, end = fiscal_year_bounds(fiscal_year)
    total = entries.aggregate(total=Sum("amount"))["total"] or ZERO
    if offered:
        total += sum((line.amount for line in _stipend_lines(
            program.district_id, start=start, end=end, credential_ids=offered)
            if line.program_id == program_id), ZERO)
    return total
