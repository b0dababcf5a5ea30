"""The ledger of a fiscal year (as filtered on the page) as CSV and XLSX.

Text cells go through ``uptake.learning.hours.safe_cell``: a description or program name
copied from a finance system that starts like a formula (``=``, ``+``, ``-``, ``@``) is
neutralised, so opening the file never runs anything. Amounts are numbers (a number cell
in the workbook, plain digits in the CSV), never text that a spreadsheet could evaluate.
Every export is recorded in the district's audit log.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from uptake.learning.hours import safe_cell
from uptake.spending.queries import LedgerLine

HEADER = ("Fiscal year", "Date", "Amount", "Funding source", "Use", "Program", "Description",
          "Reference", "Origin")


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):f}"


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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(safe_cell(title)[:31] or "Ledger")
    for letter, width in zip("ABCDEFGHI", (10, 12, 14, 20, 22, 30, 50, 18, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def row(values: Iterable[Any], *, strong: bool = False) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=safe_cell(value) if isinstance(value, str)
                                 else value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            if strong:
                cell.font = bold
            cells.append(cell)
        return cells

    sheet.append(row(HEADER, strong=True))
    for line in lines:
        sheet.append(row(_values(line)))
    count = len(lines)
    sheet.append(row(("Total", None, _total(lines), f"{count} line{'s' if count != 1 else ''}"),
                     strong=True))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(year: int, extension: str) -> str:
    return f"spending-FY{year}.{extension}"
