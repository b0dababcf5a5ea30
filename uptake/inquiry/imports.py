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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain, compress, islice, repeat
from operator import is_not, itemgetter
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
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    return [[c.strip() for c in row] for row in stream_rows(name, content)]


def stream_rows(name: str, content: bytes) -> Iterator[list[str]]:
    """The file's rows one at a time, as :func:`read_rows` reads them but with cells not
    yet stripped: a CSV file is parsed as it is read, so that checking it holds one row at
    a time rather than the whole sheet of cells. A file that cannot be read at all is
    refused here; a CSV that turns out to be malformed or too big is refused (with
    :class:`ImportRefused`) when the reading gets there."""
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
        return iter(_xlsx_rows(content))
    if lower.endswith(".xlsx"):
        raise ImportRefused("This file is named .xlsx but is not an Excel workbook.")
    if not lower.endswith((".csv", ".txt")):
        raise ImportRefused("Upload a .csv file or an Excel .xlsx file.")
    _check_text(content)
    return chain.from_iterable(_csv_chunks(content))


def _check_text(content: bytes) -> None:
    if b"\x00" in content:
        raise ImportRefused("The file holds NUL bytes, so it is not a CSV text file (is it "
                            "UTF-16 or a binary file renamed .csv?). Save it as “CSV UTF-8”.")
    try:
        content.decode("utf-8-sig")  # all of it, before any row is checked
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise ImportRefused(f"Line {line} is not UTF-8 text (byte 0x{content[exc.start]:02x}). "
                            "Save the file as “CSV UTF-8” and upload it again.") from None


def _csv_chunks(content: bytes) -> Iterator[list[list[str]]]:
    # Decoded in chunks as csv reads it (the decoded text is never held whole), and read
    # CHUNK rows at a time so that no Python step runs per row.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig",
                                         newline=""), strict=True)
    cells = 0
    try:
        while chunk := list(islice(reader, CHUNK)):
            cells += sum(map(len, chunk))
            if cells > MAX_CELLS:
                raise ImportRefused(f"The file has more than {MAX_CELLS:,} cells.")
            yield chunk
    except csv.Error:
        _refuse_malformed(content)


def _refuse_malformed(content: bytes) -> None:
    """Read the file again row by row to say where it broke (or that it was too big
    before it broke), as the refusal of a malformed file names its row."""
    rows = cells = 0
    try:
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""),
                              strict=True):
            cells += len(row)
            if cells > MAX_CELLS:
                raise ImportRefused(f"The file has more than {MAX_CELLS:,} cells.")
            rows += 1
    except csv.Error as exc:
        raise ImportRefused(f"Row {rows + 1}: the CSV is malformed ({exc}).") from None
    raise ImportRefused("The CSV is malformed.")  # not reached: the same text breaks again


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


@lru_cache(maxsize=4096)  # a file's dates repeat down its rows, and across its class's files
def parse_date(text: str) -> date | None:
    if _ISO_DAY.fullmatch(text):  # the usual case, without strptime's cost
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None  # as strptime refuses it, in every format (2026-02-30)
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
    index.pop("", None)  # an empty cell is a missing student, never one without an id
    return index


def parse_measure_file(name: str, content: bytes, *, measure: Measure,
                       students: Sequence[Student]) -> ParsedImport:
    """Read and check a file for one measure and one class. Raises ImportRefused when the
    file cannot be read; otherwise returns the data and every problem found.

    Rows are checked as they are read, one at a time, against lookups made once (the
    class's students, each distinct date and cell text checked once), so that a large
    file costs little more per row than parsing it; what is kept is the data itself."""
    rows = stream_rows(name, content)
    first = next(rows, None)
    if first is None or not any(c.strip() for c in first):
        raise ImportRefused("The first row must be the header (for example student_id, "
                            "date, label, value).")
    titles = [c.strip() for c in first]
    header = [h.lower() for h in titles]
    parsed = ParsedImport()
    if not measure.per_student:
        parsed.layout = "totals"
        parsed.n_rows = _parse_totals(header, rows, measure, parsed)
    elif "value" in header:
        parsed.layout = "long"
        parsed.n_rows = _parse_long(header, rows, measure, _student_index(students), parsed)
    else:
        parsed.layout = "wide"
        parsed.n_rows = _parse_wide(titles, rows, measure, _student_index(students), parsed)
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
    return row[i].strip() if i is not None and i < len(row) else ""


def _blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


def _rest(rows: Iterator[list[str]]) -> int:
    """Read the rows not checked (the header was wrong): the file must still be readable
    whole and within the limits, and the preview counts them."""
    return sum(1 for _ in rows)


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


class _Memo(dict[Any, Any]):
    """``fn(key)`` for each distinct key computed once (dates, labels and scores repeat
    down a file), keeping at most ``MAX_KEPT`` of them so that memory stays bounded."""

    MAX_KEPT = 10_000

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> Any:
        got = self.fn(key)
        if len(self) < self.MAX_KEPT:
            self[key] = got
        return got


# (scale_min, scale_max, cell text) -> (value, problem): scores repeat across files too.
_CELL_OUTCOMES: dict[tuple[float | None, float | None, str], tuple[float | None, str]] = {}
MAX_CELL_OUTCOMES = 50_000


def _cell_value(measure: Measure) -> Callable[[str], tuple[float | None, str]]:
    """Cell text -> (value, problem) for the measure ("" when there is no problem); the
    outcome rests on the text and the measure's scale only."""
    scale = (measure.scale_min, measure.scale_max)

    def check(text: str) -> tuple[float | None, str]:
        key = (*scale, text)
        got = _CELL_OUTCOMES.get(key)
        if got is None:
            got = _cell_outcome(measure, text.strip())
            if len(_CELL_OUTCOMES) >= MAX_CELL_OUTCOMES:
                _CELL_OUTCOMES.clear()
            _CELL_OUTCOMES[key] = got
        return got
    return check


def _cell_outcome(measure: Measure, text: str) -> tuple[float | None, str]:
    value, ok = parse_number(text)
    if not ok:
        return None, f"{text[:40]!r} {number_problem(text)}."
    problem = check_value(measure, value)
    return (None, f"{text} {problem}.") if problem else (value, "")


def _occasion_key(when: str, label: str) -> tuple[date, str] | None:
    day = parse_date(when.strip())
    return None if day is None else (day, label.strip()[:100])


def _date_problem(text: str) -> str:
    return f"{text[:40]!r} is not a date (use YYYY-MM-DD)." if text else "the date is missing."


CHUNK = 4096


class _LongLayout:
    """The long layout's checks, a chunk of rows at a time.

    A chunk in which every row is well formed (a student of the class, a date, a value
    that fits, no student twice on one occasion) is checked column by column with
    built-ins, without a Python step per row; any other chunk, from its first row at
    fault, goes through :meth:`rows`, which checks row by row and names each problem.
    Both keep the same data, so the fast path changes nothing but the speed."""

    def __init__(self, cols: dict[str, int], measure: Measure, index: dict[str, int],
                 parsed: ParsedImport) -> None:
        self.si, self.di, self.vi = cols["student_id"], cols["date"], cols["value"]
        self.li = cols.get("label", cols.get("occasion"))
        self.width = max(self.si, self.di, self.vi, -1 if self.li is None else self.li) + 1
        self.index, self.parsed = index, parsed
        self.pick = itemgetter(*[i for i in (self.si, self.di, self.vi, self.li) if i is not None])
        # Each keyed by the cell as read (not yet stripped).
        self.students = _Memo(lambda text: index.get(text.strip().upper()))
        self.cells = _Memo(_cell_value(measure))
        self.keys = _Memo(lambda pair: _occasion_key(*pair))
        # occasion -> (student -> value, student -> the row that gave it)
        self.data: dict[tuple[date, str], tuple[dict[int, float | None], dict[int, int]]] = {}

    def read(self, rows: Iterator[list[str]]) -> int:
        n = 1
        while chunk := list(islice(rows, CHUNK)):
            done = self.chunk(chunk, n + 1)
            self.rows(chunk[done:], n + 1 + done)
            n += len(chunk)
        self.parsed.occasions = [
            OccasionData(when=k[0], label=k[1], values=values)
            for k, (values, _) in sorted(self.data.items(), key=itemgetter(0))]
        return n - 1

    def chunk(self, chunk: list[list[str]], start: int) -> int:
        """Check and keep the chunk's rows up to its first row at fault; how many."""
        if min(map(len, chunk)) < self.width:
            return 0
        columns = list(zip(*map(self.pick, chunk), strict=True))
        labels = columns[3] if self.li is not None else repeat("")
        sids = list(map(self.students.__getitem__, columns[0]))
        keys = list(map(self.keys.__getitem__, zip(columns[1], labels, strict=False)))
        got = list(map(self.cells.__getitem__, columns[2]))
        problems = list(map(itemgetter(1), got))
        size = min(sids.index(None) if None in sids else len(chunk),
                   keys.index(None) if None in keys else len(chunk),
                   problems.index(next(filter(None, problems))) if any(problems)
                   else len(chunk))
        if not size:
            return 0
        values = list(map(itemgetter(0), got))
        # Runs of rows on one occasion (keys are shared objects, so ``is not`` finds
        # where a run ends).
        ends = [*compress(range(1, size), map(is_not, keys[:size - 1], keys[1:size])), size]
        lo = 0
        for hi in ends:
            if not self.keep(keys[lo], sids[lo:hi], values[lo:hi], start + lo):
                return lo
            lo = hi
        return size

    def keep(self, key: tuple[date, str], sids: list[int], values: list[float | None],
             first_row: int) -> bool:
        """Keep one run's values, unless a student is in it twice or already has a value
        on this occasion (then nothing is kept and the rows are checked one by one)."""
        slot = self.data.get(key)
        if len(set(sids)) != len(sids) or (slot and not slot[0].keys().isdisjoint(sids)):
            return False
        if slot is None:
            slot = self.data[key] = ({}, {})
        slot[0].update(zip(sids, values, strict=True))
        slot[1].update(zip(sids, range(first_row, first_row + len(sids)), strict=True))
        return True

    def rows(self, rows: list[list[str]], start: int) -> None:
        """Check row by row, naming every problem."""
        parsed = self.parsed
        for n, row in enumerate(rows, start=start):
            s, d, v, label = (_cell(row, i) for i in (self.si, self.di, self.vi, self.li))
            if not (s or d or v or label) and _blank(row):
                continue
            sid = _student(n, s, self.index, parsed)
            key = self.keys[(d, label)]
            if key is None:
                parsed.error(n, "date", _date_problem(d))
            value, problem = self.cells[v]
            if problem:
                parsed.error(n, "value", problem)
            if sid is None or key is None or problem:
                continue
            slot = self.data.get(key)
            if slot is None:
                slot = self.data[key] = ({}, {})
            if sid in slot[0]:
                parsed.error(n, "student_id", f"this student already has a value for "
                             f"{key[0]:%Y-%m-%d}{' ' + key[1] if key[1] else ''} on row "
                             f"{slot[1][sid]}.")
                continue
            slot[0][sid] = value
            slot[1][sid] = n


def _parse_long(header: list[str], rows: Iterator[list[str]], measure: Measure,
                index: dict[str, int], parsed: ParsedImport) -> int:
    cols = _columns(header, ("student_id", "date", "value"), parsed)
    if cols is None:
        return _rest(rows)
    return _LongLayout(cols, measure, index, parsed).read(rows)


def _wide_keys(titles: list[str], parsed: ParsedImport) -> list[tuple[date, str] | None]:
    keys: list[tuple[date, str] | None] = [None]
    for i, title in enumerate(titles[1:], start=1):
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
    return keys


def _parse_wide(titles: list[str], rows: Iterator[list[str]], measure: Measure,
                index: dict[str, int], parsed: ParsedImport) -> int:
    if titles[0].lower() != "student_id":
        parsed.error(1, None, "the first column must be 'student_id' (or add a 'value' "
                     "column for the long layout).")
        return _rest(rows)
    keys = _wide_keys(titles, parsed)
    if parsed.errors:
        return _rest(rows)
    cells = _Memo(_cell_value(measure))
    data: dict[tuple[date, str], dict[int, float | None]] = {k: {} for k in keys if k}
    seen: dict[int, int] = {}
    n = 1
    for n, row in enumerate(rows, start=2):
        if _blank(row):
            continue
        sid = _student(n, _cell(row, 0), index, parsed)
        if sid is not None and sid in seen:
            parsed.error(n, "student_id", f"this student is already on row {seen[sid]}.")
            continue
        for i, slot in enumerate(keys[1:], start=1):
            value, problem = cells[_cell(row, i)]
            if problem:
                parsed.error(n, titles[i], problem)
            elif sid is not None and slot is not None:
                data[slot][sid] = value
        if sid is not None:
            seen[sid] = n
    parsed.occasions = [OccasionData(when=k[0], label=k[1], values=v)
                        for k, v in sorted(data.items())]
    return n - 1


def _parse_totals(header: list[str], rows: Iterator[list[str]], measure: Measure,
                  parsed: ParsedImport) -> int:
    cols = _columns(header, ("date", "numerator", "denominator"), parsed)
    if cols is None:
        return _rest(rows)
    seen: dict[tuple[date, str], int] = {}
    n = 1
    for n, row in enumerate(rows, start=2):
        if _blank(row):
            continue
        raw = _cell(row, cols["date"])
        key = _occasion_key(raw, _cell(row, cols.get("label", cols.get("occasion"))))
        if key is None:
            parsed.error(n, "date", _date_problem(raw))
        counts = []
        for name in ("numerator", "denominator"):
            text = _cell(row, cols[name])
            count, why = parse_count(text)
            if count is None:
                parsed.error(n, name, f"{text[:40]!r} {why}")
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
    return n - 1


# ------------------------------------------------------------- session round trip


def to_session(parsed: ParsedImport) -> list[dict[str, Any]]:
    """The checked occasions as JSON for the session, between the preview and the apply:
    per-student values as two parallel lists (students, values), which JSON reads and
    writes much faster than an object keyed by student."""
    return [{"when": o.when.isoformat(), "label": o.label,
             "students": None if o.values is None else list(o.values),
             "values": None if o.values is None else list(o.values.values()),
             "total": list(o.total) if o.total else None} for o in parsed.occasions]


def from_session(items: list[dict[str, Any]]) -> list[OccasionData]:
    return [OccasionData(when=date.fromisoformat(i["when"]), label=i["label"],
                         values=_session_values(i),
                         total=(int(i["total"][0]), int(i["total"][1])) if i["total"] else None)
            for i in items]


def _session_values(item: dict[str, Any]) -> dict[int, float | None] | None:
    values = item["values"]
    if values is None:
        return None
    if isinstance(values, dict):  # a preview held from before the lists (keyed by student)
        return {int(k): v for k, v in values.items()}
    return dict(zip(map(int, item["students"]), values, strict=True))
