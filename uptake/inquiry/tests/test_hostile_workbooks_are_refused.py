"""Excel files that are broken or built to attack the parser (document type declarations,
entities, other encodings, encryption, cells no spreadsheet writes) are refused with a
message that says what is wrong, never a server error, and nothing is saved."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.inquiry.models import Occasion, StudentValue

SHEET = "xl/worksheets/sheet1.xml"
# The header of an OLE compound file: what Excel writes for a password-protected
# workbook (an encrypted package inside a compound file) and for old .xls files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _workbook(world: Any) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["student_id", "date", "value"])
    sheet.append([world.students[0].pseudonym, "2026-09-14", "MARK"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(content: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info.filename)
            z.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def _with_doctype(content: bytes, part: str, doctype: bytes, cell: bytes = b"MARK") -> bytes:
    def change(xml: bytes) -> bytes:
        after_declaration = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
        return (xml[:after_declaration] + doctype + xml[after_declaration:]).replace(
            b"MARK", cell)

    return _rewrite(content, part, change)


def _post(login: Any, world: Any, measure: Any, name: str, content: bytes) -> Any:
    url = reverse("inquiry:import", args=[measure.pk, world.section.pk])
    return login(world.people["teacher"]).post(
        url, {"file": SimpleUploadedFile(name, content)})


def _refused(response: Any, *words: str) -> str:
    page = response.content.decode()
    assert response.status_code == 400, page[:500]
    for word in words:
        assert word in page, (word, page[page.find("refused"):][:800])
    assert not Occasion.objects.exists() and not StudentValue.objects.exists()
    return page


LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
          b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')


@pytest.mark.parametrize(("doctype", "cell"), [
    (b"<!DOCTYPE worksheet>", b"&e;"),  # undefined entity: the parse error used to escape
    (b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>', b"&e;"),
    (LAUGHS, b"&c;"),
    (b'<!DOCTYPE worksheet [<!ENTITY e "40">]>', b"&e;"),
    (b"<!DOCTYPE worksheet>", b"MARK"),
], ids=["undefined-entity", "external-entity", "billion-laughs", "internal-entity",
        "bare-doctype"])
def test_it_refuses_a_sheet_with_a_document_type_declaration(
        world: Any, login: Any, measure: Any, doctype: bytes, cell: bytes) -> None:
    content = _with_doctype(_workbook(world), SHEET, doctype, cell)
    _refused(_post(login, world, measure, "scores.xlsx", content),
             "document type declaration", SHEET)


@pytest.mark.parametrize("part", ["xl/workbook.xml", "[Content_Types].xml",
                                  "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
def test_it_refuses_a_document_type_declaration_in_any_part(
        world: Any, login: Any, measure: Any, part: str) -> None:
    content = _with_doctype(_workbook(world), part, LAUGHS)
    _refused(_post(login, world, measure, "scores.xlsx", content),
             "document type declaration", part)


def test_it_refuses_a_part_written_in_utf16(world: Any, login: Any, measure: Any) -> None:
    """A declaration spelled in UTF-16 is invisible to a byte search for ASCII."""
    def to_utf16(xml: bytes) -> bytes:
        text = xml.decode().removeprefix('<?xml version="1.0" encoding="UTF-8"?>')
        return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE worksheet '
                '[<!ENTITY e "1">]>' + text).replace("MARK", "&e;").encode("utf-16")

    content = _rewrite(_workbook(world), SHEET, to_utf16)
    _refused(_post(login, world, measure, "scores.xlsx", content), "UTF-8", SHEET)


def test_it_refuses_a_password_protected_workbook(world: Any, login: Any,
                                                 measure: Any) -> None:
    content = OLE_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    _refused(_post(login, world, measure, "scores.xlsx", content), "password")


def test_it_refuses_an_old_xls_workbook_named_xlsx(world: Any, login: Any,
                                                  measure: Any) -> None:
    content = OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 64
    _refused(_post(login, world, measure, "scores.xlsx", content), ".xls", "Save")


def test_it_refuses_a_zip_with_encrypted_parts(world: Any, login: Any, measure: Any) -> None:
    content = bytearray(_workbook(world))
    # Set the "encrypted" flag of every entry, in the local and the central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            content[start + offset] |= 0x01
            start += 4
    _refused(_post(login, world, measure, "scores.xlsx", bytes(content)), "password")


def test_it_refuses_a_zip_that_is_not_a_workbook(world: Any, login: Any,
                                                 measure: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    _refused(_post(login, world, measure, "scores.xlsx", out.getvalue()), "no workbook")


def test_it_refuses_a_cell_with_more_digits_than_a_number_can_have(
        world: Any, login: Any, measure: Any) -> None:
    def huge_number(xml: bytes) -> bytes:
        # An inline string cell "MARK" becomes a number cell of 5,000 digits.
        start = xml.index(b'<c r="C2"')
        end = xml.index(b"</c>", start) + 4
        return xml[:start] + b'<c r="C2"><v>' + b"9" * 5000 + b"</v></c>" + xml[end:]

    content = _rewrite(_workbook(world), SHEET, huge_number)
    _refused(_post(login, world, measure, "scores.xlsx", content), "row 2")


def test_it_names_the_cell_of_a_number_too_large_for_any_measure(
        world: Any, login: Any, measure: Any) -> None:
    def overflow(xml: bytes) -> bytes:
        start = xml.index(b'<c r="C2"')
        end = xml.index(b"</c>", start) + 4
        return xml[:start] + b'<c r="C2"><v>1e999</v></c>' + xml[end:]

    content = _rewrite(_workbook(world), SHEET, overflow)
    _refused(_post(login, world, measure, "scores.xlsx", content),
             "Row 2, column &#x27;value&#x27;", "too large")


def test_openpyxl_reads_through_defusedxml() -> None:
    """The second guard: openpyxl picks defusedxml up when it is installed."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
