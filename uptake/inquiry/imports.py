"""Reading measure data from CSV or Excel files, checked before anything is saved.

Two layouts (the first row is the header):

- long: ``student_id, date, label, value`` — one row per student and occasion;
  ``label`` is optional. Class-total measures use ``date, label, numerator, denominator``.
- wide: ``student_id`` then one column per occasion, headed by its date and an optional
  label (``2026-09-14 Exit ticket 2``).

``student_id`` is the student's pseudonym (``S-…``) or the roster's sourcedId. An empty
cell, ``NA``, ``N/A``, ``.`` or ``-`` is a missing value. Every problem names its row and
column; a file with any problem is refused whole.

Files are untrusted: size, cell count and (for .xlsx) the uncompressed size are capped
before parsing, formulas are refused rather than evaluated, and only UTF-8 text is read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from uptake.inquiry.actions import MAX_COUNT, OccasionData, check_total, check_value
from uptake.inquiry.models import Measure
from uptake.roster.models import Student
from uptake.rules import Invalid

MAX_BYTES = 5 * 1024 * 1024
MAX_CELLS = 200_000
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_MEMBERS = 200
MAX_ERRORS = 50
MISSING = {"", "na", "n/a", ".", "-"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and old .xls
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")
_WIDE_HEADER = re.compile(r"^\s*(\S+)\s*(.*)$")


class ImportRefused(Invalid):
    """The file cannot be read at all (wrong type, too big, broken)."""


@dataclass
class ParsedImport:
    """What a file holds, and every problem found in it."""

    layout: str = ""
    occasions: list[OccasionData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    n_rows: int = 0

    def error(self, row: int | None, column: str | None, message: str) -> None:
        where = ", ".join(x for x in (f"row {row}" if row else "",
                                      f"column {column!r}" if column else "") if x)
        self.errors.append(f"{where[:1].upper() + where[1:]}: {message}" if where else message)

    @property
    def n_values(self) -> int:
        return sum(len(o.values or {}) or 1 for o in self.occasions)

    def errors_shown(self) -> list[str]:
        if len(self.errors) <= MAX_ERRORS:
            return self.errors
        return [*self.errors[:MAX_ERRORS],
                f"… and {len(self.errors) - MAX_ERRORS} more problems."]


# ------------------------------------------------------------------------ reading


def read_rows(name: str, content: bytes) -> list[list[str]]:
    """The file's cells as text, or :class:`ImportRefused` with the reason."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(f"The file is {len(content):,} bytes; the limit is {MAX_BYTES:,}.")
    if not content.strip():
        raise ImportRefused("The file is empty.")
    lower = name.lower()
    if content[:8] == OLE_MAGIC:
        raise ImportRefused(_ole_problem(content))
    if content[:4] == b"PK\x03\x04":
        if not lower.endswith(".xlsx"):
            raise ImportRefused("This file is a zip archive (perhaps an Excel file); upload "
                                "a .csv file or an Excel .xlsx file.")
        return _xlsx_rows(content)
    if lower.endswith(".xlsx"):
        raise ImportRefused("This file is named .xlsx but is not an Excel workbook.")
    if not lower.endswith((".csv", ".txt")):
        raise ImportRefused("Upload a .csv file or an Excel .xlsx file.")
    return _csv_rows(content)


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        raise ImportRefused("The file holds NUL bytes, so it is not a CSV text file (is it "
                            "UTF-16 or a binary file renamed .csv?). Save it as “CSV UTF-8”.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise ImportRefused(f"Line {line} is not UTF-8 text (byte 0x{content[exc.start]:02x}). "
                            "Save the file as “CSV UTF-8” and upload it again.") from None
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            cells += len(row)
            if cells > MAX_CELLS:
                raise ImportRefused(f"The file has more than {MAX_CELLS:,} cells.")
            rows.append([c.strip() for c in row])
    except csv.Error as exc:
        raise ImportRefused(f"Row {len(rows) + 1}: the CSV is malformed ({exc}).") from None
    return rows


def _ole_problem(content: bytes) -> str:
    """Excel writes a password-protected workbook, and an old .xls one, as an OLE compound
    file: neither can be read without Excel, so say which it is and what to do."""
    if "EncryptionInfo".encode("utf-16-le") in content:
        return ("This workbook is protected by a password (encrypted), so Uptake cannot "
                "read it. Remove the password in Excel (File > Info > Protect Workbook > "
                "Encrypt with Password, then clear it), save, and upload it again.")
    return ("This file is an old Excel workbook (.xls) or another Office file, not an "
            ".xlsx workbook. Save it as “Excel Workbook (.xlsx)” or “CSV UTF-8” and upload "
            "that.")


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise ImportRefused("The .xlsx file is damaged (not a readable zip).") from None
    if len(infos) > MAX_XLSX_MEMBERS:
        raise ImportRefused("The .xlsx file has too many parts to be a data sheet.")
    if any(i.flag_bits & 0x1 for i in infos):
        raise ImportRefused("Parts of this .xlsx file are protected by a password, so Uptake "
                            "cannot read them. Save it again without a password.")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportRefused("This zip file has no workbook in it, so it is not an Excel "
                            ".xlsx file. Save the sheet from Excel as .xlsx, or as CSV.")
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise ImportRefused(f"The .xlsx file unpacks to {total:,} bytes; the limit is "
                            f"{MAX_XLSX_UNCOMPRESSED:,}. Save only the data you need.")
    _check_parts(content)


def _check_parts(content: bytes) -> None:
    """Unpack every part: count the bytes (a zip's stated sizes can lie) and refuse XML that
    Excel never writes: a document type declaration (the door to entity expansion and
    external entities) or an encoding other than UTF-8 (which would hide one from us)."""
    seen = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            for info in zf.infolist():
                with zf.open(info) as part:
                    seen = _check_part(info.filename, part, seen)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError,
            ValueError):
        raise ImportRefused("The .xlsx file is damaged (not a readable zip).") from None


_DTD_MARKERS = (b"<!doctype", b"<!entity")
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _check_part(name: str, part: Any, seen: int) -> int:
    head, tail = True, b""
    while chunk := part.read(1 << 20):
        seen += len(chunk)
        if seen > MAX_XLSX_UNCOMPRESSED:
            raise ImportRefused(f"The .xlsx file unpacks to more than "
                                f"{MAX_XLSX_UNCOMPRESSED:,} bytes. Save only the data you need.")
        if head:
            _check_encoding(name, chunk.removeprefix(b"\xef\xbb\xbf"))
            head = False
        window = (tail + chunk).lower()
        if any(marker in window for marker in _DTD_MARKERS):
            raise ImportRefused(
                f"The .xlsx file's part {name} holds a document type declaration "
                "(<!DOCTYPE or <!ENTITY), which Excel never writes and which can make a reader "
                "fetch other files or expand text without end, so Uptake does not read it. "
                "Open the file in Excel, LibreOffice or Google Sheets, save it as .xlsx (or "
                "CSV UTF-8) and upload that.")
        tail = window[-16:]
    return seen


def _check_encoding(name: str, head: bytes) -> None:
    found = _XML_ENCODING.match(head)
    encoding = found.group(1).decode("ascii", "replace").lower() if found else ""
    if head.startswith(_UTF16_STARTS) or encoding not in ("", "utf-8", "utf8"):
        raise ImportRefused(f"The .xlsx file's part {name} is not written in UTF-8, as Excel "
                            "writes every part, so Uptake does not read it. Save the file "
                            "again from Excel, LibreOffice or Google Sheets.")


def _xlsx_rows(content: bytes) -> list[list[str]]:
    import openpyxl

    _check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise ImportRefused(f"The .xlsx file cannot be read ({_why(exc)}).") from None
    try:
        if not book.worksheets:
            raise ImportRefused("The workbook has no sheet of cells (only charts?); put the "
                                "data on the first sheet.")
        return _sheet_rows(book.worksheets[0])
    finally:
        book.close()


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}" if str(exc) else type(exc).__name__


def _sheet_rows(sheet: Any) -> list[list[str]]:
    """The sheet's cells as text. openpyxl parses the sheet while we iterate, so a broken
    or hostile sheet fails here, after the rows read so far; say where."""
    rows: list[list[str]] = []
    cells = 0
    cursor = iter(sheet.iter_rows(values_only=True))
    while True:
        try:
            row = next(cursor, None)
        except Exception as exc:  # the XML parser and openpyxl's casts raise many kinds
            raise ImportRefused(f"The sheet cannot be read at row {len(rows) + 1} "
                                f"({_why(exc)}). Save it again from Excel, LibreOffice or "
                                "Google Sheets, or as CSV UTF-8.") from None
        if row is None:
            break
        cells += len(row)
        if cells > MAX_CELLS:
            raise ImportRefused(f"The sheet has more than {MAX_CELLS:,} cells.")
        r = len(rows) + 1
        rows.append([_cell_text(v, r, c) for c, v in enumerate(row, start=1)])
    while rows and not any(rows[-1]):
        rows.pop()
    return [r[:_width(rows)] for r in rows]


def _width(rows: list[list[str]]) -> int:
    return max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows),
               default=0)


def _cell_text(value: Any, row: int, col: int) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        raise ImportRefused(f"Row {row}, column {_letter(col)} holds TRUE/FALSE, not a value.")
    if isinstance(value, str) and value.startswith("="):
        raise ImportRefused(f"Row {row}, column {_letter(col)} holds a formula ({value[:40]}); "
                            "Uptake never evaluates formulas. Paste values only and try again.")
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "1e999" if value > 0 else "-1e999"  # beyond any float: only a crafted file
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


# ------------------------------------------------------------------------ checking


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_number(text: str) -> tuple[float | None, bool]:
    """(value, ok): missing markers give (None, True); junk gives (None, False)."""
    t = text.strip()
    if t.lower() in MISSING:
        return None, True
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return None, False
    if value != value or value in (float("inf"), float("-inf")):
        return None, False
    return value, True


def number_problem(text: str) -> str:
    """Why :func:`parse_number` refused ``text``, in words: too large, or not a number."""
    t = text.strip().replace(",", ".")
    try:
        overflowed = abs(float(t)) == float("inf") and "inf" not in t.lower()
    except ValueError:
        overflowed = False
    return ("is too large to be a value" if overflowed else
            "is not a number (leave the cell empty for a missing value)")


def parse_count(text: str) -> tuple[int | None, str]:
    """(count, problem) for a cell of a class total: a whole number, 0 or more."""
    t = text.strip()
    if not re.fullmatch(r"[+-]?\d+", t):
        return None, "is not a whole number."
    if t.startswith("-") and t.strip("-0"):
        return None, "must be 0 or more."
    if len(t.lstrip("+-0")) > len(str(MAX_COUNT)) or int(t) > MAX_COUNT:
        return None, f"is too large: a class total is at most {MAX_COUNT:,}."
    return int(t), ""


def _student_index(students: Sequence[Student]) -> dict[str, int]:
    index: dict[str, int] = {}
    for s in students:
        index[s.pseudonym.upper()] = s.pk
        index[s.sourced_id.upper()] = s.pk
    return index


def parse_measure_file(name: str, content: bytes, *, measure: Measure,
                       students: Sequence[Student]) -> ParsedImport:
    """Read and check a file for one measure and one class. Raises ImportRefused when the
    file cannot be read; otherwise returns the data and every problem found."""
    rows = read_rows(name, content)
    if not rows or not any(rows[0]):
        raise ImportRefused("The first row must be the header (for example student_id, "
                            "date, label, value).")
    header = [h.strip().lower() for h in rows[0]]
    parsed = ParsedImport(n_rows=len(rows) - 1)
    if not measure.per_student:
        parsed.layout = "totals"
        _parse_totals(header, rows, measure, parsed)
    elif "value" in header:
        parsed.layout = "long"
        _parse_long(header, rows, measure, _student_index(students), parsed)
    else:
        parsed.layout = "wide"
        _parse_wide(header, rows, measure, _student_index(students), parsed)
    if not parsed.occasions and not parsed.errors:
        parsed.error(None, None, "The file holds a header but no data.")
    return parsed


def _columns(header: list[str], required: Sequence[str], parsed: ParsedImport
             ) -> dict[str, int] | None:
    cols = {}
    for name in header:
        if header.count(name) > 1 and name:
            parsed.error(1, name, "this column appears more than once.")
            return None
    for name in required:
        if name not in header:
            parsed.error(1, None, f"the header has no {name!r} column (it has: "
                         f"{', '.join(h for h in header if h) or 'nothing'}).")
    if parsed.errors:
        return None
    for i, name in enumerate(header):
        cols[name] = i
    return cols


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


def _rows(rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for n, row in enumerate(rows[1:], start=2):
        if any(c.strip() for c in row):
            yield n, row


def _student(row_no: int, text: str, index: dict[str, int], parsed: ParsedImport
             ) -> int | None:
    if not text:
        parsed.error(row_no, "student_id", "the student is missing.")
        return None
    sid = index.get(text.upper())
    if sid is None:
        parsed.error(row_no, "student_id", f"{text[:40]!r} is not a student of this class "
                     "(use the pseudonym or the roster's sourcedId).")
    return sid


def _value(row_no: int, column: str, text: str, measure: Measure, parsed: ParsedImport
           ) -> tuple[float | None, bool]:
    value, ok = parse_number(text)
    if not ok:
        parsed.error(row_no, column, f"{text[:40]!r} {number_problem(text)}.")
        return None, False
    problem = check_value(measure, value)
    if problem:
        parsed.error(row_no, column, f"{text} {problem}.")
        return None, False
    return value, True


def _occasion_key(row_no: int, cols: dict[str, int], row: list[str], parsed: ParsedImport
                  ) -> tuple[date, str] | None:
    raw = _cell(row, cols.get("date"))
    when = parse_date(raw)
    if when is None:
        parsed.error(row_no, "date", f"{raw[:40]!r} is not a date (use YYYY-MM-DD)."
                     if raw else "the date is missing.")
        return None
    label = _cell(row, cols.get("label", cols.get("occasion")))[:100]
    return when, label


def _parse_long(header: list[str], rows: list[list[str]], measure: Measure,
                index: dict[str, int], parsed: ParsedImport) -> None:
    cols = _columns(header, ("student_id", "date", "value"), parsed)
    if cols is None:
        return
    data: dict[tuple[date, str], dict[int, float | None]] = {}
    seen: dict[tuple[int, date, str], int] = {}
    for n, row in _rows(rows):
        sid = _student(n, _cell(row, cols["student_id"]), index, parsed)
        key = _occasion_key(n, cols, row, parsed)
        value, ok = _value(n, "value", _cell(row, cols["value"]), measure, parsed)
        if sid is None or key is None or not ok:
            continue
        if (sid, *key) in seen:
            parsed.error(n, "student_id", f"this student already has a value for "
                         f"{key[0]:%Y-%m-%d}{' ' + key[1] if key[1] else ''} on row "
                         f"{seen[(sid, *key)]}.")
            continue
        seen[(sid, *key)] = n
        data.setdefault(key, {})[sid] = value
    parsed.occasions = [OccasionData(when=k[0], label=k[1], values=v)
                        for k, v in sorted(data.items())]


def _parse_wide(header: list[str], rows: list[list[str]], measure: Measure,
                index: dict[str, int], parsed: ParsedImport) -> None:
    if not header or header[0] != "student_id":
        parsed.error(1, None, "the first column must be 'student_id' (or add a 'value' "
                     "column for the long layout).")
        return
    keys: list[tuple[date, str] | None] = [None]
    original = rows[0]
    for i, title in enumerate(original[1:], start=1):
        m = _WIDE_HEADER.match(title)
        when = parse_date(m.group(1)) if m else None
        if when is None:
            parsed.error(1, title or f"column {i + 1}", "an occasion column must be headed by "
                         "its date (YYYY-MM-DD), optionally followed by a label.")
            keys.append(None)
            continue
        key = (when, m.group(2).strip()[:100] if m else "")
        if key in keys:
            parsed.error(1, title, "this occasion appears in two columns.")
        keys.append(key)
    if parsed.errors:
        return
    data: dict[tuple[date, str], dict[int, float | None]] = {k: {} for k in keys if k}
    seen: dict[int, int] = {}
    for n, row in _rows(rows):
        sid = _student(n, _cell(row, 0), index, parsed)
        if sid is not None and sid in seen:
            parsed.error(n, "student_id", f"this student is already on row {seen[sid]}.")
            continue
        for i, slot in enumerate(keys[1:], start=1):
            value, ok = _value(n, original[i], _cell(row, i), measure, parsed)
            if sid is not None and ok and slot is not None:
                data[slot][sid] = value
        if sid is not None:
            seen[sid] = n
    parsed.occasions = [OccasionData(when=k[0], label=k[1], values=v)
                        for k, v in sorted(data.items())]


def _parse_totals(header: list[str], rows: list[list[str]], measure: Measure,
                  parsed: ParsedImport) -> None:
    cols = _columns(header, ("date", "numerator", "denominator"), parsed)
    if cols is None:
        return
    seen: dict[tuple[date, str], int] = {}
    for n, row in _rows(rows):
        key = _occasion_key(n, cols, row, parsed)
        counts = []
        for name in ("numerator", "denominator"):
            raw = _cell(row, cols[name])
            count, why = parse_count(raw)
            if count is None:
                parsed.error(n, name, f"{raw[:40]!r} {why}")
            else:
                counts.append(count)
        if key is None or len(counts) != 2:
            continue
        problem = check_total(measure, counts[0], counts[1])
        if problem:
            parsed.error(n, "numerator", problem)
        elif key in seen:
            parsed.error(n, "date", f"this occasion is already on row {seen[key]}.")
        else:
            seen[key] = n
            parsed.occasions.append(OccasionData(when=key[0], label=key[1],
                                                 total=(counts[0], counts[1])))
    parsed.occasions.sort(key=lambda o: (o.when, o.label))


# ------------------------------------------------------------- session round trip


def to_session(parsed: ParsedImport) -> list[dict[str, Any]]:
    return [{"when": o.when.isoformat(), "label": o.label,
             "values": None if o.values is None else {str(k): v for k, v in o.values.items()},
             "total": list(o.total) if o.total else None} for o in parsed.occasions]


def from_session(items: list[dict[str, Any]]) -> list[OccasionData]:
    return [OccasionData(
        when=date.fromisoformat(i["when"]), label=i["label"],
        values=None if i["values"] is None else {int(k): v for k, v in i["values"].items()},
        total=(int(i["total"][0]), int(i["total"][1])) if i["total"] else None)
        for i in items]
