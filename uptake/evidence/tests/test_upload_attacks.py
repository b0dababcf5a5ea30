"""Hostile or wrong uploads are refused with a clear message, and nothing is half-saved:
no artifact row, no stored file, no audit event of an addition."""

from __future__ import annotations

from html import unescape
from pathlib import Path
from typing import Any

import pytest

from uptake.audit.models import AuditAction, AuditEvent
from uptake.evidence.models import Artifact
from uptake.evidence.scanning import EICAR
from uptake.evidence.tests.files import (
    PDF,
    docx,
    jpeg,
    png,
    png_bomb,
    stored_files,
    video,
    zip_bytes,
)

GIF_JS_POLYGLOT = (b"GIF89a/*\x0a\x00\x0a\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00"
                   b"\x00\x0a\x00\x0a\x00\x00\x02\x02D\x01\x00;*/=alert(document.cookie);//")


def _summary(text: str) -> str:
    start = text.find('class="error-summary"')
    return text[start:text.find("</div>", start)] if start >= 0 else "(no error summary)"


def assert_refused(response: Any, media: Path, *phrases: str) -> str:
    assert response.status_code == 400, response.content[:500]
    text = unescape(response.content.decode())
    assert 'class="error-summary" role="alert"' in text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in the page: {_summary(text)}"
    assert Artifact.objects.count() == 0
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_ADDED).exists()
    return text


@pytest.mark.parametrize(("name", "data", "kind", "phrases"), [
    ("photo.jpg", b"<!doctype html><html><body><script>alert(1)</script></body></html>",
     "photo", ["photo.jpg: the content of this file is a web page (HTML)"]),
    ("lesson.pdf", zip_bytes({"evil.exe": b"MZ" + b"\0" * 100}), "lesson_plan",
     ["lesson.pdf: the content of this file is a ZIP archive"]),
    ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "photo", ["drawing.png: the content of this file is"]),
    ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,
     "document", ["notes.txt: the content of this file is"]),
    ("photo.jpg", png(), "photo",
     ["photo.jpg: the name ends in .jpg but the content is a PNG image (.png)"]),
    ("photo", jpeg(), "photo", ["photo: the name has no extension but the content is a JPEG"]),
    ("plan.docx", PDF, "lesson_plan", ["plan.docx: the name ends in .docx but the content is a "
                                       "PDF document"]),
], ids=["html-as-jpg", "zip-as-pdf", "svg-as-png", "program-as-txt", "png-as-jpg",
        "no-extension", "pdf-as-docx"])
def test_it_refuses_content_that_disagrees_with_the_name(
        upload: Any, media: Path, name: str, data: bytes, kind: str, phrases: list[str]) -> None:
    assert_refused(upload(name, data, kind=kind), media, *phrases)


def test_it_refuses_a_file_of_the_wrong_kind_of_evidence(upload: Any, media: Path) -> None:
    assert_refused(upload("plan.pdf", PDF, kind="photo"), media,
                   "plan.pdf is a PDF document; this kind of evidence takes image files")


@pytest.mark.parametrize(("name", "data", "phrase"), [
    # A GIF that is also valid JavaScript: GIFs are not accepted at all (cameras and phones
    # make JPEG/HEIC/PNG; animated GIFs cannot be re-encoded faithfully).
    ("funny.gif", GIF_JS_POLYGLOT, "funny.gif: the content of this file is a GIF image"),
    ("funny.jpg", GIF_JS_POLYGLOT, "funny.jpg: the content of this file is a GIF image"),
    # A real JPEG with a ZIP appended: re-encoding would drop the ZIP, but a file built to
    # be read two ways is refused so that the teacher (and the audit trail) know.
    ("photo.jpg", jpeg() + zip_bytes({"payload.html": b"<script>x</script>"}),
     "photo.jpg is a JPEG image with a ZIP archive hidden inside it"),
    ("photo.jpg", jpeg(comment=b"<script>fetch('/x')</script>"),
     "photo.jpg is a JPEG image that also contains web-page script"),
], ids=["gif-js", "gif-js-named-jpg", "jpeg-plus-zip", "jpeg-with-script"])
def test_it_refuses_image_polyglots(upload: Any, media: Path, name: str, data: bytes,
                                    phrase: str) -> None:
    assert_refused(upload(name, data, kind="photo"), media, phrase)


@pytest.mark.parametrize(("name", "data", "phrase"), [
    ("plan.pdf", PDF + zip_bytes({"a.js": b"x"}),
     "plan.pdf is a PDF document with a ZIP archive hidden inside it"),
    ("plan.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S "
                             b"/JavaScript /JS (app.alert(1)) >>"),
     "plan.pdf is a PDF with JavaScript in it"),
    ("plan.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch "
                             b"/F (cmd.exe) >>"),
     "plan.pdf is a PDF with an action that opens programs"),
    ("plan.docx", docx({"word/vbaProject.bin": b"macro"}),
     "plan.docx contains macros"),
    ("plan.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "other/x.xml": b"<x/>"}),
     "plan.docx: the content of this file is"),
    ("notes.txt", "Café".encode("latin-1") + b" notes\n" * 3,
     "notes.txt is a text file that is not UTF-8"),
], ids=["pdf-plus-zip", "pdf-javascript", "pdf-launch", "docx-macros", "zip-not-docx",
        "latin1-text"])
def test_it_refuses_documents_that_carry_more_than_a_document(
        upload: Any, media: Path, name: str, data: bytes, phrase: str) -> None:
    assert_refused(upload(name, data, kind="lesson_plan", identifies_students="no"), media,
                   phrase)


def test_it_refuses_an_image_over_the_image_limit(upload: Any, media: Path,
                                                  settings: Any) -> None:
    settings.EVIDENCE_MAX_IMAGE_BYTES = 2048
    data = jpeg((400, 400), quality=100)
    assert len(data) > 2048
    assert_refused(upload("big.jpg", data), media,
                   f"big.jpg is {len(data):,} bytes ({len(data):,} bytes); the largest image "
                   "Uptake accepts is 2,048 bytes")


def test_it_stops_reading_a_file_larger_than_every_limit(upload: Any, media: Path,
                                                         settings: Any) -> None:
    settings.EVIDENCE_MAX_IMAGE_BYTES = 1024
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 1024
    settings.EVIDENCE_MAX_VIDEO_BYTES = 1024
    assert_refused(upload("huge.pdf", PDF + b"%" + b"x" * 5000, kind="document",
                          identifies_students="no"), media,
                   "huge.pdf is larger than anything Uptake accepts as evidence")


def test_it_refuses_a_decompression_bomb_before_decoding_it(upload: Any, media: Path) -> None:
    bomb = png_bomb(100_000, 100_000)
    assert len(bomb) < 200
    assert_refused(upload("tiny.png", bomb), media,
                   "tiny.png has more pixels than Uptake opens safely (the most is 60 "
                   "megapixels)")


def test_it_refuses_an_image_just_over_the_pixel_limit(upload: Any, media: Path) -> None:
    assert_refused(upload("wide.png", png_bomb(10_000, 6_001)), media,
                   "wide.png has more pixels than Uptake opens safely")


def test_it_refuses_a_damaged_image(upload: Any, media: Path) -> None:
    assert_refused(upload("broken.jpg", jpeg()[:40]), media,
                   "broken.jpg looks like a JPEG image but cannot be read")


def test_it_refuses_an_empty_file(upload: Any, media: Path) -> None:
    # Django's form refuses an empty upload before the checks run; nothing is stored.
    assert_refused(upload("empty.jpg", b""), media, "The submitted file is empty.")


def test_it_refuses_the_eicar_test_file_with_the_test_scanner(
        upload: Any, media: Path, settings: Any) -> None:
    settings.EVIDENCE_SCANNER = "uptake.evidence.scanning.eicar_only"
    assert_refused(upload("eicar.txt", EICAR + b"\n", kind="document", identifies_students="no"),
                   media, "eicar.txt was refused by the malware scanner "
                          "(infected: EICAR-Test-File)")


def broken_scanner(path: Path) -> Any:
    raise ConnectionError("clamd is down")


def test_it_refuses_uploads_while_the_scanner_is_broken(upload: Any, media: Path,
                                                        settings: Any) -> None:
    settings.EVIDENCE_SCANNER = f"{__name__}.broken_scanner"
    assert_refused(upload("notes.txt", b"hello\n", kind="document", identifies_students="no"),
                   media, "notes.txt could not be checked for malware just now")


def test_it_refuses_video_when_ffmpeg_is_missing(upload: Any, media: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clip = video(tmp_path)
    monkeypatch.setattr("uptake.evidence.uploads.shutil.which", lambda name: None)
    assert_refused(upload("clip.mp4", clip, kind="video", content_type="video/mp4"), media,
                   "clip.mp4 was not stored: videos are accepted only when the server can "
                   "remove their metadata", "ffmpeg is not installed")


def test_it_refuses_a_damaged_video(upload: Any, media: Path, tmp_path: Path) -> None:
    clip = video(tmp_path)
    assert_refused(upload("clip.mp4", clip[:200], kind="video"), media,
                   "clip.mp4 looks like a MP4 video but cannot be read")
