"""Reading a finance system's export (CSV or XLSX) into ledger lines, checked whole before
anything is saved.

The first row is the header. Columns are found by name (any order, any case; extra columns
are ignored); the names each column may go by are ``COLUMNS``:

===============  ========  ==========================================================
column           needed    what it holds
===============  ========  ==========================================================
date             yes       the posting date: 2026-09-14, 9/14/2026 or 14.09.2026
amount           yes       1234.50, 1,234.50, $1,234.50; a refund -250 or (250.00)
fund / source    yes       the funding source, by a name in ``SOURCE_SYNONYMS``
object / use     yes       what it paid for, by a name in ``USE_SYNONYMS``
program          no        a program of the district, by its name
description      no        up to 300 characters; needed when the amount is negative
reference        no        the finance system's id (voucher, journal line), at most 100
===============  ========  ==========================================================

A fund or use is matched without regard to case, spaces or punctuation ("Title II-A",
"title iia", "T2A" are all Title II-A). Every problem names the file, the row (the header
is row 1), the column and what was wrong; a file with any problem is refused whole. A
reference already in the ledger, or twice in the file, is refused with its rows named.
Files are untrusted: the reader (``uptake.inquiry.imports.read_rows``) caps their size,
refuses formulas and reads only UTF-8 text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from uptake.inquiry.imports import MAX_BYTES as MAX_FILE_BYTES
from uptake.inquiry.imports import ImportRefused, parse_date, read_rows
from uptake.programs.models import FundingSource, Program
from uptake.rules import RowProblem
from uptake.spending.models import SpendingEntry, Use

__all__ = ["COLUMNS", "MAX_FILE_BYTES", "SOURCE_SYNONYMS", "USE_SYNONYMS", "FinanceRow",
           "ImportRefused", "ParsedFinance", "normal", "parse_amount", "parse_finance",
           "source_of", "use_of"]

MAX_AMOUNT = Decimal("9999999999.99")
MAX_DESCRIPTION = 300
MAX_REFERENCE = 100
MAX_ERRORS = 200


def normal(text: str) -> str:
    """Lower case, letters and digits only: ``"Title II-A"`` → ``"titleiia"``."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())


# The header names each column may go by (compared by ``normal``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "spent on", "posting date", "posted", "transaction date", "paid on"),
    "amount": ("amount", "amt", "expended", "expenditure", "debit"),
    "source": ("fund", "source", "funding source", "fund source", "funding"),
    "use": ("object", "use", "object code", "category", "purpose"),
    "program": ("program", "program name"),
    "description": ("description", "memo", "note", "notes"),
    "reference": ("reference", "ref", "voucher", "journal", "transaction id", "document"),
}
REQUIRED = ("date", "amount", "source", "use")

# How finance systems spell the funding sources (besides each source's key and label).
SOURCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    FundingSource.TITLE_II_A: ("Title II-A", "Title IIA", "Title II", "Title 2A", "Title 2",
                               "T2A", "T2", "T-IIA", "ESEA Title II-A", "ESSA Title II-A",
                               "Title II Part A"),
    FundingSource.TITLE_I: ("Title I", "Title I-A", "Title IA", "Title 1", "Title 1A", "T1",
                            "T1A", "ESEA Title I", "ESSA Title I", "Title I Part A"),
    FundingSource.TITLE_IV: ("Title IV", "Title IV-A", "Title IVA", "Title 4", "Title 4A",
                             "T4", "T4A", "SSAE", "ESSA Title IV-A", "Title IV Part A"),
    FundingSource.STATE: ("State", "State funds", "State grant", "State PD"),
    FundingSource.DISTRICT: ("District", "Local", "General fund", "General", "GF",
                             "District funds", "Local funds"),
    FundingSource.GRANT: ("Grant", "Grants", "Foundation", "Private grant"),
    FundingSource.OTHER: ("Other",),
}
USE_SYNONYMS: dict[str, tuple[str, ...]] = {
    Use.COACHING: ("Coaching", "Coach", "Coaches", "Instructional coaching"),
    Use.COURSES_WORKSHOPS: ("Courses", "Course", "Workshops", "Workshop", "Courses/workshops",
                            "Training", "Professional development", "PD", "Tuition",
                            "Registration"),
    Use.STIPENDS: ("Stipend", "Stipends"),
    Use.SUBSTITUTES: ("Substitute", "Substitutes", "Subs", "Sub", "Substitute teachers"),
    Use.CONFERENCES: ("Conference", "Conferences", "Travel", "Conference travel"),
    Use.MATERIALS: ("Materials", "Material", "Supplies", "Books"),
    Use.CLASS_SIZE_REDUCTION: ("Class-size reduction", "Class size reduction", "CSR"),
    Use.OTHER: ("Other",),
}


def _table(choices: type[FundingSource] | type[Use], synonyms: dict[str, tuple[str, ...]]
           ) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[normal(value)] = value
        table[normal(str(label))] = value
        for name in synonyms.get(value, ()):
            table[normal(name)] = value
    return table


_SOURCES = _table(FundingSource, SOURCE_SYNONYMS)
_USES = _table(Use, USE_SYNONYMS)
_HEADERS = {normal(name): column for column, names in COLUMNS.items() for name in names}


def source_of(text: str) -> str | None:
    return _SOURCES.get(normal(text))


def use_of(text: str) -> str | None:
    return _USES.get(normal(text))


_AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """``"$1,234.50"`` → ``Decimal("1234.50")``; ``"(250)"`` and ``"-250"`` are negative.
    ValueError with the reason otherwise."""
    raw = text.strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw.startswith("-"):
        if negative:
            raise ValueError("is negative twice")
        negative, raw = True, raw[1:].strip()
    raw = raw.removeprefix("$").strip()
    if not _AMOUNT.match(raw):
        raise ValueError("is not an amount of money (write 1234.50, 1,234.50 or $1,234.50)")
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError("is not an amount of money") from None
    if value > MAX_AMOUNT:
        raise ValueError("is larger than any ledger line can be")
    if value == 0:
        raise ValueError("is zero; leave the line out")
    return -value if negative else value


def _parse_date(text: str) -> date:
    found = parse_date(text)
    if found is None:
        raise ValueError("is not a date (write 2026-09-14 or 9/14/2026)")
    return found


@dataclass
class FinanceRow:
    row: int
    spent_on: date
    amount: Decimal
    source: str
    use: str
    program: Program | None
    description: str
    reference: str


@dataclass
class ParsedFinance:
    file_name: str
    rows: list[FinanceRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    n_rows: int = 0

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))


def parse_finance(file_name: str, content: bytes, *, district_id: int) -> ParsedFinance:
    """Every row of the file checked against the district's programs and ledger.
    ``ImportRefused`` when the file cannot be read at all; otherwise the rows and every
    problem found (a file with problems is not to be applied)."""
    cells = read_rows(file_name, content)
    parsed = ParsedFinance(file_name=file_name)
    if not cells:
        raise ImportRefused("The file is empty.")
    header = cells[0]
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        column = _HEADERS.get(normal(name))
        if column is None:
            continue
        if column in where:
            parsed.problem(1, name, f"The file has two {column} columns "
                                    f"(“{header[where[column]]}” and “{name}”); keep one.")
        else:
            where[column] = i
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        parsed.problem(1, "", "The header has no " + ", no ".join(missing)
                       + " column. The first row must name the columns: date, amount, "
                         "fund (or source), object (or use), and optionally program, "
                         "description and reference.")
    if parsed.problems:
        return parsed
    programs: dict[str, list[Program]] = {}
    for p in Program.objects.filter(district_id=district_id):
        programs.setdefault(p.name.strip().casefold(), []).append(p)
    seen: dict[str, int] = {}
    for number, cells_of_row in enumerate(cells[1:], start=2):
        if not any(c.strip() for c in cells_of_row):
            continue
        parsed.n_rows += 1
        row = _parse_row(parsed, number, cells_of_row, where, header, programs)
        if row is None:
            continue
        if row.reference:
            key = row.reference.casefold()
            if key in seen:
                parsed.problem(number, header[where["reference"]],
                               f"The reference “{row.reference}” is also on row "
                               f"{seen[key]}; each line of the finance system comes once.")
                continue
            seen[key] = number
        parsed.rows.append(row)
        if len(parsed.problems) > MAX_ERRORS:
            break
    if parsed.n_rows == 0:
        parsed.problem(None, "", "The file has a header but no rows of spending.")
    _check_references(parsed, district_id, header[where["reference"]]
                      if "reference" in where else "reference")
    return parsed


def _cell(cells: list[str], where: dict[str, int], column: str) -> str:
    i = where.get(column)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _parse_row(parsed: ParsedFinance, number: int, cells: list[str], where: dict[str, int],
               header: list[str], programs: dict[str, list[Program]]) -> FinanceRow | None:
    before = len(parsed.problems)

    def bad(column: str, message: str) -> None:
        parsed.problem(number, header[where[column]], message)

    text = {c: _cell(cells, where, c) for c in COLUMNS}
    spent_on = amount = source = use = None
    program = None
    for column in REQUIRED:
        if not text[column]:
            bad(column, f"The {column} is empty.")
    if text["date"]:
        try:
            spent_on = _parse_date(text["date"])
        except ValueError as why:
            bad("date", f"“{text['date']}” {why}.")
    if text["amount"]:
        try:
            amount = parse_amount(text["amount"])
        except ValueError as why:
            bad("amount", f"“{text['amount']}” {why}.")
    if text["source"]:
        source = source_of(text["source"])
        if source is None:
            bad("source", f"“{text['source']}” is not a funding source Uptake knows; use "
                          "Title II-A, Title I, Title IV, State, District, Grant or Other "
                          "(the import page lists the spellings it accepts).")
    if text["use"]:
        use = use_of(text["use"])
        if use is None:
            bad("use", f"“{text['use']}” is not a use Uptake knows; use Coaching, Courses "
                       "and workshops, Stipends, Substitutes, Conferences, Materials, "
                       "Class-size reduction or Other.")
    if text["program"]:
        found = programs.get(text["program"].casefold(), [])
        if not found:
            bad("program", f"No program of the district is named “{text['program']}”.")
        elif len(found) > 1:
            bad("program", f"{len(found)} programs are named “{text['program']}”; rename "
                           "one on the programs page, or leave the program out.")
        else:
            program = found[0]
    if len(text["description"]) > MAX_DESCRIPTION:
        bad("description", f"The description is {len(text['description'])} characters; "
                           f"the limit is {MAX_DESCRIPTION}.")
    if len(text["reference"]) > MAX_REFERENCE:
        bad("reference", f"The reference is {len(text['reference'])} characters; the limit "
                         f"is {MAX_REFERENCE}.")
    if amount is not None and amount < 0 and not text["description"]:
        bad("amount", "A negative amount (a refund or correction) needs a description "
                      "saying why." if "description" in where else
                      "A negative amount (a refund or correction) needs a description "
                      "saying why; add a description column.")
    if len(parsed.problems) > before or spent_on is None or amount is None \
            or source is None or use is None:
        return None
    return FinanceRow(row=number, spent_on=spent_on, amount=amount, source=source, use=use,
                      program=program, description=text["description"],
                      reference=text["reference"])


def _check_references(parsed: ParsedFinance, district_id: int, column: str) -> None:
    wanted = {r.reference: r for r in parsed.rows if r.reference}
    if not wanted:
        return
    # References are compared without regard to case: "V-1001" and "v-1001" are one line.
    existing = {ref.casefold(): (ref, origin, imported) for ref, origin, imported in
                SpendingEntry.objects.filter(district_id=district_id).exclude(reference="")
                .values_list("reference", "origin", "finance_import__file_name")}
    for ref, row in wanted.items():
        had = existing.get(ref.casefold())
        if had is None:
            continue
        how = f"imported from {had[2]}" if had[2] else "entered on the ledger page"
        parsed.problem(row.row, column, f"The reference “{ref}” is already in the ledger "
                                        f"({how}); a line is imported once.")
