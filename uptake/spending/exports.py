"""The ledger of a fiscal year (as filtered on the page) as CSV and XLSX.

Text cells go through ``uptake.spreadsheets.safe_cell``: a description or program name
copied from a finance system that starts like a formula (``=``, ``+``, ``-``, ``@``) is
neutralised, so opening the file never runs anything. Amounts are numbers (a number cell
in the workbook, plain digits in the CSV), never text that a spreadsheet could evaluate.
Every export is recorded in the district's audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from uptake.spending.queries import LedgerLine
from uptake.spreadsheets import money, safe_cell, xlsx_workbook

HEADER = ("Fiscal year", "Date", "Amount", "Funding source", "Use", "Program", "Description",
          "Reference", "Origin")


def _values(line: LedgerLine) -> tuple[Any, ...]:
    return (line.fiscal_year, line.spent_on, line.amount, line.source_label, line.use_label,
            line.program_name, line.description, line.reference, line.origin_label)


def _total(lines: Sequence[LedgerLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0"))


def csv_rows(lines: Sequence[LedgerLine]) -> list[list[str]]:
    """Header, one row per line, and a total row."""
    out = [list(HEADER)]
    for line in lines:
        out.append([money(v) if isinstance(v, Decimal) else
                    v.isoformat() if isinstance(v, date) else
                    str(v) if isinstance(v, int) else safe_cell(v) for v in _values(line)])
    count = len(lines)
    out.append(["Total", "", money(_total(lines)), f"{count} line{'s' if count != 1 else ''}",
                "", "", "", "", ""])
    return out


def xlsx_bytes(lines: Sequence[LedgerLine], *, title: str) -> bytes:
    """The same rows as the CSV as a workbook: real dates and numbers, safe text."""
    count = len(lines)
    return xlsx_workbook(
        HEADER, (_values(line) for line in lines), sheet=title or "Ledger",
        widths=(10, 12, 14, 20, 22, 30, 50, 18, 24),
        totals=[("Total", None, _total(lines), f"{count} line{'s' if count != 1 else ''}")])


def filename(year: int, extension: str) -> str:
    return f"spending-FY{year}.{extension}"
