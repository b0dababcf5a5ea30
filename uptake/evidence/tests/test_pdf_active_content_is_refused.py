"""PDFs are read by a PDF parser (qpdf, through pikepdf), not searched as bytes: active
content is found with its names decoded (``/J#61vaScript``) and inside compressed object
streams, and refused with a message; clean PDFs, links included, are accepted; damaged or
password-protected PDFs are refused with a message, never a server error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from uptake.evidence.models import Artifact
from uptake.evidence.tests.files import pdf, pdf_object_stream_bomb
from uptake.evidence.tests.test_upload_attacks import assert_refused

JS = "a PDF with JavaScript in it"
ATTACHED = "a PDF with other files attached inside it"


def _upload_pdf(upload: Any, data: bytes, name: str = "plan.pdf") -> Any:
    return upload(name, data, kind="lesson_plan", identifies_students="no")


def _js_action() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(document.cookie)"))


def _open_action(action: Callable[[], Dictionary]) -> Callable[[pikepdf.Pdf], None]:
    def decorate(doc: pikepdf.Pdf) -> None:
        doc.Root.OpenAction = doc.make_indirect(action())
    return decorate


def _annotation(**fields: Any) -> Callable[[pikepdf.Pdf], None]:
    def decorate(doc: pikepdf.Pdf) -> None:
        annot = Dictionary(Type=Name.Annot, Rect=Array([0, 0, 50, 50]), **fields)
        doc.pages[0].obj.Annots = Array([doc.make_indirect(annot)])
    return decorate


def test_it_refuses_javascript_whose_name_is_written_with_escapes(
        upload: Any, media: Path) -> None:
    data = pdf(_open_action(_js_action), object_streams=False)
    escaped = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in escaped and b"/J#61vaScript" in escaped
    assert_refused(_upload_pdf(upload, escaped), media, f"plan.pdf is {JS}")


def test_it_refuses_javascript_hidden_in_a_compressed_object_stream(
        upload: Any, media: Path) -> None:
    data = pdf(_open_action(_js_action), object_streams=True)
    assert b"JavaScript" not in data and b"ObjStm" in data  # invisible to a byte search
    assert_refused(_upload_pdf(upload, data), media, f"plan.pdf is {JS}")


def _names_tree(doc: pikepdf.Pdf) -> None:
    doc.Root.Names = Dictionary(JavaScript=Dictionary(
        Names=Array([String("init"), doc.make_indirect(_js_action())])))


def _page_additional_action(doc: pikepdf.Pdf) -> None:
    doc.pages[0].obj.AA = Dictionary(O=doc.make_indirect(_js_action()))


def _embedded_file(doc: pikepdf.Pdf) -> None:
    stream = doc.make_stream(b"MZ not really a program")
    stream.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String("run.exe"), EF=Dictionary(F=stream))
    doc.Root.Names = Dictionary(EmbeddedFiles=Dictionary(
        Names=Array([String("run.exe"), doc.make_indirect(spec)])))


def _xfa_form(doc: pikepdf.Pdf) -> None:
    doc.Root.AcroForm = Dictionary(Fields=Array([]), XFA=doc.make_stream(b"<xdp:xdp/>"))


@pytest.mark.parametrize(("decorate", "words"), [
    (_names_tree, JS),
    (_page_additional_action, JS),
    (_open_action(lambda: Dictionary(S=Name.Launch, F=String("cmd.exe"))),
     "a PDF with an action that opens programs"),
    (_embedded_file, ATTACHED),
    (_annotation(Subtype=Name.FileAttachment, FS=String("x.exe")), ATTACHED),
    (_annotation(Subtype=Name.RichMedia), "a PDF with embedded media or 3D content"),
    (_annotation(Subtype=Name.Link, A=Dictionary(S=Name.SubmitForm, F=String("https://x.test"))),
     "a PDF with a form that sends or fetches data"),
    (_open_action(lambda: Dictionary(S=Name.ImportData, F=String("data.fdf"))),
     "a PDF with a form that sends or fetches data"),
    (_open_action(lambda: Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0]))),
     "a PDF with a link that opens another file"),
    (_xfa_form, "a PDF with an XFA form"),
], ids=["names-javascript", "page-aa", "launch", "embedded-file", "file-attachment",
        "rich-media", "submit-form", "import-data", "goto-remote", "xfa"])
def test_it_refuses_every_kind_of_active_content(upload: Any, media: Path,
                                                 decorate: Any, words: str) -> None:
    assert_refused(_upload_pdf(upload, pdf(decorate)), media, f"plan.pdf is {words}")


def _link_and_open_at_page(doc: pikepdf.Pdf) -> None:
    doc.Root.OpenAction = Array([doc.pages[0].obj, Name.Fit])
    _annotation(Subtype=Name.Link, A=Dictionary(S=Name.URI,
                                                URI=String("https://example.org/")))(doc)


@pytest.mark.parametrize("decorate", [None, _link_and_open_at_page], ids=["plain", "links"])
def test_it_accepts_a_clean_pdf(upload: Any, media: Path, decorate: Any) -> None:
    r = _upload_pdf(upload, pdf(decorate))
    assert r.status_code == 302, r.content.decode()[:2000]
    artifact = Artifact.objects.get()
    assert artifact.content_type == "application/pdf"


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + b"garbage " * 50 + b"\n%%EOF\n",
    pdf()[:300],
], ids=["garbage", "truncated"])
def test_it_refuses_a_damaged_pdf_with_a_message(upload: Any, media: Path,
                                                 data: bytes) -> None:
    assert_refused(_upload_pdf(upload, data), media, "plan.pdf looks like a PDF but is "
                   "damaged")


def test_it_refuses_a_password_protected_pdf(upload: Any, media: Path) -> None:
    assert_refused(_upload_pdf(upload, pdf(password="secret")), media,
                   "plan.pdf is protected by a password")


def test_it_refuses_a_pdf_that_unpacks_beyond_what_is_safe_to_read(
        upload: Any, media: Path) -> None:
    data = pdf_object_stream_bomb()
    assert len(data) < 100_000
    assert_refused(_upload_pdf(upload, data), media,
                   "plan.pdf is built in a way too large or complex for Uptake to check")
