"""Importing measure data from CSV or XLSX: preview, all-or-nothing apply, and hostile or
broken files refused with a message that names the row and column."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.models import Occasion, StudentValue


def _url(name: str, measure: Any, world: Any) -> str:
    return reverse(f"inquiry:{name}", args=[measure.pk, world.section.pk])


def _upload(client: Any, measure: Any, world: Any, name: str, content: bytes) -> Any:
    return client.post(_url("import", measure, world),
                       {"file": SimpleUploadedFile(name, content)})


def _long_csv(world: Any, rows: list[tuple[int, str, str]] | None = None) -> bytes:
    rows = rows or [(i, "2026-09-14", str(50 + i)) for i in range(12)]
    lines = ["student_id,date,label,value"]
    lines += [f"{world.students[i].pseudonym},{d},Ticket 1,{v}" for i, d, v in rows]
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _assert_nothing_saved() -> None:
    assert not Occasion.objects.exists() and not StudentValue.objects.exists()


def test_it_previews_then_applies_a_long_csv(world: Any, login: Any, measure: Any) -> None:
    client = login(world.people["teacher"])
    r = _upload(client, measure, world, "scores.csv", _long_csv(world))
    page = r.content.decode()
    assert r.status_code == 200 and "Check before importing" in page and "new occasion" in page
    _assert_nothing_saved()  # a preview saves nothing
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = client.post(_url("import_apply", measure, world), {"token": token})
    assert r.status_code == 302
    occasion = Occasion.objects.get()
    assert (str(occasion.date), occasion.label) == ("2026-09-14", "Ticket 1")
    assert StudentValue.objects.filter(occasion=occasion).count() == 12
    event = AuditEvent.objects.get(action="import_applied")
    assert "scores.csv" in event.summary and len(event.subjects) == 12


def test_it_reads_the_wide_layout_from_xlsx_with_sourced_ids_and_missing_cells(
        world: Any, login: Any, measure: Any) -> None:
    from datetime import datetime

    rows: list[list[Any]] = [["student_id", "2026-09-14 Ticket 1", datetime(2026, 9, 21)]]
    rows += [[s.sourced_id, 40 + i, None if i == 2 else 60.5] for i, s in
             enumerate(world.students)]
    client = login(world.people["teacher"])
    r = _upload(client, measure, world, "wide.xlsx", _xlsx(rows))
    page = r.content.decode()
    assert r.status_code == 200 and "Wide layout" in page
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    client.post(_url("import_apply", measure, world), {"token": token})
    assert Occasion.objects.count() == 2
    second = Occasion.objects.get(date="2026-09-21")
    assert StudentValue.objects.get(occasion=second, student=world.students[2]).value is None
    assert StudentValue.objects.get(occasion=second, student=world.students[3]).value == 60.5


@pytest.mark.parametrize(("content", "message"), [
    (b"student_id,date,value\nS-NOBODY,2026-09-14,50\n",
     "Row 2, column &#x27;student_id&#x27;: &#x27;S-NOBODY&#x27; is not a student of this class"),
    (b"student_id,date,value\n{s0},14th Sept,50\n",
     "Row 2, column &#x27;date&#x27;: &#x27;14th Sept&#x27; is not a date"),
    (b"student_id,date,value\n{s0},2026-09-14,fifty\n",
     "Row 2, column &#x27;value&#x27;: &#x27;fifty&#x27; is not a number"),
    (b"student_id,date,value\n{s0},2026-09-14,101\n",
     "Row 2, column &#x27;value&#x27;: 101 is above the scale"),
    (b"student_id,date,value\n{s0},2026-09-14,50\n{s0},2026-09-14,60\n",
     "Row 3, column &#x27;student_id&#x27;: this student already has a value for 2026-09-14"
     " on row 2"),
    (b"student_id,when,value\n{s0},2026-09-14,50\n",
     "Row 1: the header has no &#x27;date&#x27; column"),
    (b"student_id,2026-09-14,2026-09-14\n{s0},50,60\n",
     "this occasion appears in two columns"),
    (b"student_id,2026-09-14\n{s0},50\n{s0},60\n",
     "Row 3, column &#x27;student_id&#x27;: this student is already on row 2"),
    (b"student_id,date,value\n{s0},2026-09-14,=HYPERLINK(1)\n",
     "&#x27;=HYPERLINK(1)&#x27; is not a number"),
    (b"student_id,date,value\n", "The file holds a header but no data"),
])
def test_it_names_the_row_and_column_of_each_problem_and_saves_nothing(
        world: Any, login: Any, measure: Any, content: bytes, message: str) -> None:
    content = content.replace(b"{s0}", world.students[0].pseudonym.encode())
    r = _upload(login(world.people["teacher"]), measure, world, "bad.csv", content)
    page = r.content.decode()
    assert r.status_code == 400 and message in page and "nothing was saved" in page
    _assert_nothing_saved()


def _bomb() -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to far more than the limit."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * (60 * 1024 * 1024))
    return out.getvalue()


def _lying_bomb() -> bytes:
    """A bomb whose zip directory claims the sheet is tiny."""
    content = bytearray(_bomb())
    real = (60 * 1024 * 1024 + 5).to_bytes(4, "little")
    # Overwrite the stated uncompressed size in the local header and central directory.
    for at in [i for i in range(len(content) - 4) if content[i:i + 4] == real]:
        content[at:at + 4] = (1000).to_bytes(4, "little")
    return bytes(content)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bomb.xlsx", _bomb(), "unpacks to"),
    ("lying-bomb.xlsx", _lying_bomb(), "The .xlsx file"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
    ("fake.xlsx", b"student_id,date,value\n", "is not an Excel workbook"),
    ("latin1.csv", "student_id,date,value\nS-É,2026-09-14,5\n".encode("latin-1"),
     "Line 2 is not UTF-8 text"),
    ("utf16.csv", "student_id,date,value\n".encode("utf-16"), "NUL bytes"),
    ("scores.exe", b"student_id,date,value\n", "Upload a .csv file or an Excel .xlsx file"),
    ("zip.csv", b"PK\x03\x04....", "zip archive"),
    ("quote.csv", b'student_id,date,value\n"S-1,2026-09-14,5\n', "the CSV is malformed"),
    ("empty.csv", b"   \n", "The file is empty"),
])
def test_it_refuses_unreadable_or_hostile_files(world: Any, login: Any, measure: Any,
                                                name: str, content: bytes,
                                                message: str) -> None:
    r = _upload(login(world.people["teacher"]), measure, world, name, content)
    assert r.status_code == 400 and "The file was refused; nothing was saved" in \
        r.content.decode() and message in r.content.decode()
    _assert_nothing_saved()


def test_it_refuses_formula_cells_in_xlsx(world: Any, login: Any, measure: Any) -> None:
    content = _xlsx([["student_id", "date", "value"],
                     [world.students[0].pseudonym, "2026-09-14", "=1+1"]])
    r = _upload(login(world.people["teacher"]), measure, world, "f.xlsx", content)
    assert r.status_code == 400 and b"Row 2, column C holds a formula" in r.content
    _assert_nothing_saved()


def test_it_refuses_a_sheet_with_too_many_cells(world: Any, login: Any, measure: Any,
                                                monkeypatch: Any) -> None:
    from uptake.inquiry import imports

    monkeypatch.setattr(imports, "MAX_CELLS", 10)
    r = _upload(login(world.people["teacher"]), measure, world, "big.csv", _long_csv(world))
    assert r.status_code == 400 and b"more than 10 cells" in r.content


def test_it_refuses_an_oversized_upload(world: Any, login: Any, measure: Any,
                                        monkeypatch: Any) -> None:
    from uptake.inquiry import imports

    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    r = _upload(login(world.people["teacher"]), measure, world, "big.csv", _long_csv(world))
    assert r.status_code == 400 and b"the limit is 100" in r.content


def test_it_refuses_to_apply_a_stale_or_forged_preview(world: Any, login: Any,
                                                       measure: Any) -> None:
    client = login(world.people["teacher"])
    _upload(client, measure, world, "scores.csv", _long_csv(world))
    r = client.post(_url("import_apply", measure, world), {"token": "forged"}, follow=True)
    assert b"preview has expired" in r.content
    _assert_nothing_saved()


def test_it_imports_class_totals(world: Any, login: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import do_create_measure
    from uptake.inquiry.models import ClassTotal

    measure = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                                name="Explained", kind="proportion", direction="up")
    client = login(world.people["teacher"])
    bad = b"date,numerator,denominator\n2026-09-14,13,12\n2026-09-21,x,12\n"
    r = _upload(client, measure, world, "t.csv", bad)
    assert b"13 of 12 is more than all of them" in r.content
    assert b"Row 3, column &#x27;numerator&#x27;: &#x27;x&#x27; is not a whole number" in r.content
    r = _upload(client, measure, world, "t.csv",
                b"date,numerator,denominator\n2026-09-14,7,12\n2026-09-21,9,12\n")
    token = r.content.decode().split('name="token" value="', 1)[1].split('"', 1)[0]
    client.post(_url("import_apply", measure, world), {"token": token})
    assert sorted(ClassTotal.objects.values_list("numerator", flat=True)) == [7, 9]
