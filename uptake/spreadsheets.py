"""Spreadsheet downloads: text that cannot run as a formula, and one workbook writer.

Every CSV or XLSX the product offers (learning hours, stipends and transcripts, the
spending ledger, survey responses, the district view's tables) passes its text cells
through ``safe_cell``, because a cell a teacher or a finance system typed ("=HYPERLINK(...)")
would otherwise run as a formula in Excel, LibreOffice or Google Sheets (OWASP, "CSV
injection"). Like ``rules`` and ``registry``, this module imports no app, so every app may
use it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

# "=", "+", "-", "@" start formulas in Excel, LibreOffice and Google Sheets; a tab or a
# carriage return in front of them is skipped by some of them, so those are neutralised too.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_COLUMNS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def safe_cell(value: Any) -> str:
    """Text safe to open in a spreadsheet.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-1 is a number here")
    "'-1 is a number here"
    >>> safe_cell("Talk moves")
    'Talk moves'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def money(amount: Decimal) -> str:
    """``Decimal("75")`` → ``"75.00"``: amounts in a download always carry two decimals."""
    return f"{amount.quantize(Decimal('0.01')):f}"


def xlsx_workbook(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str,
                  widths: Sequence[int] = (), totals: Iterable[Sequence[Any]] = (),
                  title: str = "") -> bytes:
    """One sheet: a bold header, the rows, then bold ``totals`` rows. Text is made safe;
    dates and numbers stay real dates and numbers (amounts shown with two decimals)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    page = book.create_sheet(safe_cell(sheet)[:31] or "Sheet")
    for letter, width in zip(_COLUMNS, widths, strict=False):
        page.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def row(values: Iterable[Any], *, strong: bool = False) -> list[Any]:
        cells = []
        for value in values:
            # openpyxl stores any string starting with "=" as a formula: never let it.
            cell = WriteOnlyCell(page, value=safe_cell(value) if isinstance(value, str)
                                 else value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            if strong:
                cell.font = bold
            cells.append(cell)
        return cells

    page.append(row(header, strong=True))
    for values in rows:
        page.append(row(values))
    for values in totals:
        page.append(row(values, strong=True))
    if title:
        book.properties.title = title[:200]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
