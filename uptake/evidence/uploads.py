"""Checking and cleaning an uploaded evidence file before anything is stored.

The policy (docs/decisions.md, "Evidence uploads: sniff, agree, clean"):

1. The content decides what a file is: libmagic (python-magic) sniffs it, and only the
   types in :data:`ALLOWED` are accepted. The file name and the browser's content type are
   never trusted; the name's extension must *agree* with the sniffed type.
2. Each kind of artifact takes certain categories (a photo is an image, a short video is a
   video), each category has its own size limit (``EVIDENCE_MAX_*_BYTES``).
3. Polyglots — files that are valid as two formats at once — are refused when we can see
   them: an archive appended to an image, video, PDF or text file (``zipfile`` finds its
   end-of-central-directory record), script markup inside a binary file, a PDF with
   active content (JavaScript, launch or submit actions, attached files, rich media, XFA:
   found by parsing the PDF with qpdf, names decoded and object streams opened), an Office
   file with macros.
4. The malware-scan hook judges the file as received.
5. Images are decoded and re-encoded (dropping EXIF, GPS, XMP, comments and anything
   appended); HEIC becomes JPEG so every browser can show it. Images whose dimensions
   would need too much memory to decode are refused before decoding. Videos are remuxed
   by ffmpeg without metadata; without ffmpeg they are refused, never stored unstripped.
   Documents are stored as sniffed (re-encoding them safely is not possible).

Everything happens in a temporary directory; :func:`prepare` yields the cleaned file and
removes the directory afterwards, so a refusal leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import magic
from django.conf import settings

from uptake.evidence import pdfcheck
from uptake.evidence.models import Kind
from uptake.evidence.scanning import scanner
from uptake.rules import Invalid

# Decoding an image needs about 4 bytes per pixel; 60 megapixels (about 240 MB) covers
# every phone camera sold today with room to spare, and stops a 100-byte PNG that
# claims to be 100,000 x 100,000 pixels (a "decompression bomb") before it is decoded.
MAX_IMAGE_PIXELS = 60_000_000
FFMPEG_TIMEOUT_SECONDS = 300
CHUNK = 1024 * 1024
# The PDF parser's child process: enough for any real document, not for a PDF bomb.
PDF_CHECK_SECONDS = 60
PDF_CHECK_MEMORY = 1024 * 1024 * 1024


class Refused(Invalid):
    """An upload that is not stored; the message says why, in words a teacher can act on."""

    def __init__(self, message: str, *, field: str | None = "file") -> None:
        super().__init__(message, field=field)  # what is refused is the file sent


@dataclass(frozen=True)
class FileType:
    mime: str
    category: str  # "image", "video" or "document"
    extensions: tuple[str, ...]  # the first is the one stored files get
    label: str


_TYPES = [
    FileType("image/jpeg", "image", ("jpg", "jpeg"), "JPEG image"),
    FileType("image/png", "image", ("png",), "PNG image"),
    FileType("image/webp", "image", ("webp",), "WebP image"),
    FileType("image/heic", "image", ("heic", "heif"), "HEIC photo"),
    FileType("image/heif", "image", ("heif", "heic"), "HEIF photo"),
    FileType("video/mp4", "video", ("mp4", "m4v"), "MP4 video"),
    FileType("video/x-m4v", "video", ("m4v", "mp4"), "MP4 video"),
    FileType("video/webm", "video", ("webm",), "WebM video"),
    FileType("video/quicktime", "video", ("mov",), "QuickTime video"),
    FileType("application/pdf", "document", ("pdf",), "PDF document"),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "document", ("docx",), "Word document"),
    FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "document", ("pptx",), "PowerPoint presentation"),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "document", ("xlsx",), "Excel workbook"),
    FileType("text/plain", "document", ("txt",), "plain text file"),
]
ALLOWED: dict[str, FileType] = {t.mime: t for t in _TYPES}

# What libmagic calls some common refused types, in words a teacher recognises.
_REFUSED_LABELS = {
    "text/html": "a web page (HTML)", "image/gif": "a GIF image", "image/svg+xml":
    "an SVG drawing (it can contain scripts)", "application/zip": "a ZIP archive",
    "application/x-msdownload": "a Windows program", "application/x-dosexec":
    "a Windows program", "application/x-executable": "a program", "text/javascript":
    "a script", "application/javascript": "a script", "text/x-shellscript": "a script",
    "application/msword": "an old Word (.doc) document", "application/x-empty": "empty",
}

CATEGORIES_FOR_KIND: dict[str, tuple[str, ...]] = {
    Kind.PHOTO: ("image",),
    Kind.VIDEO: ("video",),
    Kind.DOCUMENT: ("document",),
    Kind.LESSON_PLAN: ("document", "image"),
    Kind.STUDENT_WORK: ("image", "document", "video"),
    Kind.LINK: (),
    Kind.TEXT: (),
}

_OOXML_MAIN_PART = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
_OOXML_TYPES = {t.extensions[0]: t.mime for t in _TYPES if t.extensions[0] in _OOXML_MAIN_PART}
# Markup that has no business inside an image, a video or a PDF: its presence means the
# file was built to be read as something else too. Long enough not to occur by chance.
_SCRIPT_MARKERS = (b"<script", b"<?php", b"<iframe", b"javascript:")

def category_limit(category: str) -> int:
    return int({"image": settings.EVIDENCE_MAX_IMAGE_BYTES,
                "video": settings.EVIDENCE_MAX_VIDEO_BYTES,
                "document": settings.EVIDENCE_MAX_DOCUMENT_BYTES}[category])


def accepted_extensions(kind: str) -> list[str]:
    cats = CATEGORIES_FOR_KIND.get(kind, ())
    return sorted({e for t in _TYPES if t.category in cats for e in t.extensions})


def describe_limits() -> str:
    return (f"images up to {_mb(category_limit('image'))}, documents up to "
            f"{_mb(category_limit('document'))}, videos up to {_mb(category_limit('video'))}")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


@dataclass(frozen=True)
class Prepared:
    """A cleaned file ready to store, and the facts recorded about it."""

    path: Path
    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    scan_label: str


@contextmanager
def prepare(upload: Any, kind: str) -> Iterator[Prepared]:
    """Check and clean ``upload`` for an artifact of ``kind``; raise :class:`Refused`."""
    name = Path(str(upload.name or "")).name[:255] or "file"
    with tempfile.TemporaryDirectory(prefix="uptake-evidence-") as tmp:
        workdir = Path(tmp)
        received = _receive(upload, workdir / "received", name)
        ftype = _identify(received, name, kind)
        _refuse_polyglots(received, ftype, name)
        verdict = _scan(received, name)
        if ftype.category == "image":
            final, ftype = _reencode_image(received, workdir, ftype, name)
        elif ftype.category == "video":
            final = _strip_video(received, workdir, ftype, name)
        else:
            final = received
        yield Prepared(path=final, original_name=name, content_type=ftype.mime,
                       extension=ftype.extensions[0], size=final.stat().st_size,
                       sha256=_sha256(final), scan_label=verdict.label)


def _receive(upload: Any, dest: Path, name: str) -> Path:
    """Copy the upload into our own file, refusing as soon as it passes every limit."""
    ceiling = max(category_limit(c) for c in ("image", "video", "document"))
    written = 0
    with dest.open("wb") as out:
        for chunk in upload.chunks(CHUNK):
            written += len(chunk)
            if written > ceiling:
                raise Refused(f"{name} is larger than anything Uptake accepts as evidence "
                              f"({describe_limits()}).")
            out.write(chunk)
    if written == 0:
        raise Refused(f"{name} is empty.")
    return dest


def _identify(path: Path, name: str, kind: str) -> FileType:
    mime = magic.from_file(str(path), mime=True)
    extension = Path(name).suffix.lower().lstrip(".")
    if mime == "application/zip" and _has_ooxml_parts(path, extension):
        # libmagic recognises Office files only when [Content_Types].xml is among the first
        # entries of the zip; some writers put it last. Its parts decide, not the name.
        mime = _OOXML_TYPES[extension]
    ftype = ALLOWED.get(mime)
    if ftype is None:
        what = _REFUSED_LABELS.get(mime, f"of a type Uptake does not accept ({mime})")
        raise Refused(f"{name}: the content of this file is {what}, whatever its name says. "
                      "Uptake accepts JPEG, PNG, WebP and HEIC images; MP4, WebM and MOV "
                      "videos; PDF, Word, PowerPoint, Excel and plain-text documents.")
    if extension not in ftype.extensions:
        said = f"ends in .{extension}" if extension else "has no extension"
        raise Refused(f"{name}: the name {said} but the content is a {ftype.label} "
                      f"(.{ftype.extensions[0]}). Files whose name and content disagree are "
                      "refused; export or save the file again in the format its name says.")
    allowed = CATEGORIES_FOR_KIND.get(kind, ())
    if ftype.category not in allowed:
        wanted = " or ".join(f"{c}" for c in allowed) or "no file"
        raise Refused(f"{name} is a {ftype.label}; this kind of evidence takes {wanted} "
                      "files. Choose another kind, or another file.")
    limit = category_limit(ftype.category)
    size = path.stat().st_size
    if size > limit:
        raise Refused(f"{name} is {_mb(size)} ({size:,} bytes); the largest "
                      f"{ftype.category} Uptake accepts is {_mb(limit)} ({limit:,} bytes).")
    return ftype


def _contains(path: Path, needles: tuple[bytes, ...]) -> bytes | None:
    """The first needle found in the file (case-insensitive), read in overlapping chunks."""
    overlap = max(len(n) for n in needles) - 1
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            window = (tail + chunk).lower()
            for needle in needles:
                if needle in window:
                    return needle
            tail = window[-overlap:]
    return None


def _refuse_polyglots(path: Path, ftype: FileType, name: str) -> None:
    ext = ftype.extensions[0]
    if ext in _OOXML_MAIN_PART:
        _check_ooxml(path, ext, ftype, name)
        return
    if zipfile.is_zipfile(path):
        raise Refused(f"{name} is a {ftype.label} with a ZIP archive hidden inside it (a file "
                      "built to be read two ways, a 'polyglot'). It was refused; save the "
                      "original again from the program that made it.")
    if ext == "txt":
        _check_text(path, name)
        return
    found = _contains(path, _SCRIPT_MARKERS)
    if found is not None:
        raise Refused(f"{name} is a {ftype.label} that also contains web-page script "
                      f"({found.decode()}…), a sign it was built to be read two ways. "
                      "It was refused.")
    if ext == "pdf":
        _check_pdf(path, name)


def _check_pdf(path: Path, name: str) -> None:
    """Refuse a PDF with active content (docs/decisions.md, "PDFs are parsed")."""
    found = pdfcheck.raw_active(path.read_bytes())
    verdict = {"found": found} if found else _pdf_parsed(path)
    problem = {
        "password": "is protected by a password, so Uptake cannot check it. Save a copy "
                    "without the password and upload that.",
        "damaged": "looks like a PDF but is damaged and cannot be read. Save or print it "
                   "to a new PDF and upload that.",
        "too_complex": "is built in a way too large or complex for Uptake to check safely. "
                       "Print it to a new PDF (File > Print > Save as PDF) and upload that.",
    }.get(verdict.get("problem", ""))
    if problem:
        raise Refused(f"{name} {problem}")
    if verdict.get("found"):
        raise Refused(f"{name} is a PDF with {verdict['found']}, which Uptake does not "
                      "accept. Print it to a new PDF (File > Print > Save as PDF) and upload "
                      "that.")


def _pdf_parsed(path: Path) -> dict[str, str]:
    """Run the parser in a child process with a memory and time limit (a few kilobytes of
    PDF can unpack into gigabytes); a child that runs out of either is a refusal."""
    command = [sys.executable, "-m", "uptake.evidence.pdfcheck", str(path),
               str(PDF_CHECK_MEMORY)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PDF_CHECK_SECONDS,  # noqa: S603 (fixed argv)
                              check=False, text=True)
    except subprocess.TimeoutExpired:
        return {"problem": "too_complex"}
    try:
        verdict = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 \
            else {}
    except (ValueError, IndexError):
        verdict = {}
    return verdict if isinstance(verdict, dict) and verdict else {"problem": "too_complex"}


def _has_ooxml_parts(path: Path, extension: str) -> bool:
    if extension not in _OOXML_MAIN_PART:
        return False
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(
        n.startswith(_OOXML_MAIN_PART[extension]) for n in names)


def _check_ooxml(path: Path, ext: str, ftype: FileType, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(f"{name} looks like a {ftype.label} but is damaged and cannot be "
                      "opened.") from None
    if "[Content_Types].xml" not in names or not any(
            n.startswith(_OOXML_MAIN_PART[ext]) for n in names):
        raise Refused(f"{name} looks like a {ftype.label} but its parts are missing; save it "
                      "again from Word, PowerPoint or Excel.")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused(f"{name} contains macros, which Uptake does not accept. Save a copy "
                      "without macros (.docx, .pptx, .xlsx) and upload that.")


def _check_text(path: Path, name: str) -> None:
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # libmagic also calls Latin-1 and UTF-16 "text"; we store UTF-8 so it shows the same
        # everywhere.
        raise Refused(f"{name} is a text file that is not UTF-8; save it as UTF-8 text and "
                      "upload it again.") from None


def _scan(path: Path, name: str) -> Any:
    try:
        verdict = scanner()(path)
    except Exception as exc:  # a broken scanner must refuse, never wave files through
        raise Refused(f"{name} could not be checked for malware just now, so it was not "
                      "stored. Please try again later.") from exc
    if not verdict.clean:
        raise Refused(f"{name} was refused by the malware scanner ({verdict.label}). "
                      "Nothing was stored.")
    return verdict


def _reencode_image(src: Path, workdir: Path, ftype: FileType, name: str
                    ) -> tuple[Path, FileType]:
    from PIL import Image, ImageOps, UnidentifiedImageError
    from pillow_heif import register_heif_opener

    register_heif_opener()
    # Pillow's own guard (a warning above the limit, an error above twice it) at our limit.
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    out_type = ALLOWED["image/jpeg"] if ftype.mime in ("image/heic", "image/heif") else ftype
    out = workdir / f"clean.{out_type.extensions[0]}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(src) as im:
                _save_clean(ImageOps.exif_transpose(im), out, out_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses while reading the header, before we see the dimensions.
        raise Refused(f"{name} has more pixels than Uptake opens safely (the most is "
                      f"{MAX_IMAGE_PIXELS / 1e6:,.0f} megapixels). Resize the image and upload "
                      "it again.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise Refused(f"{name} looks like a {ftype.label} but cannot be read (damaged or "
                      "incomplete). Save or export it again.") from None
    return out, out_type


def _save_clean(im: Any, out: Path, out_type: FileType) -> None:
    """Save pixels only: no EXIF, GPS, XMP, comments or text chunks (only the colour
    profile, which says nothing about who or where)."""
    icc = im.info.get("icc_profile")
    im.info = {}
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if out_type.mime == "image/jpeg":
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        im.save(out, "JPEG", quality=90, **options)
    elif out_type.mime == "image/png":
        im.save(out, "PNG", optimize=False, **options)
    else:
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
        im.save(out, "WEBP", quality=90, **options)


_FFMPEG_FORMATS = {"mp4": "mp4", "m4v": "mp4", "webm": "webm", "mov": "mov"}


def _strip_video(src: Path, workdir: Path, ftype: FileType, name: str) -> Path:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise Refused(f"{name} was not stored: videos are accepted only when the server can "
                      "remove their metadata (location, device, names) with ffmpeg, and "
                      "ffmpeg is not installed. Ask your district's administrator.")
    ext = ftype.extensions[0]
    out = workdir / f"clean.{ext}"
    # Keep the video and audio streams as they are (no re-encoding); drop global, stream
    # and chapter metadata, and data/subtitle streams (which can carry GPS tracks).
    command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(src),
               "-map", "0:v?", "-map", "0:a?", "-map_metadata", "-1",
               "-map_metadata:s:v", "-1", "-map_metadata:s:a", "-1", "-map_chapters", "-1",
               "-c", "copy", "-f", _FFMPEG_FORMATS[ext], str(out)]
    try:
        subprocess.run(command, check=True, capture_output=True,  # noqa: S603 (fixed argv, no shell)
                       timeout=FFMPEG_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise Refused(f"{name} took too long to process; upload a shorter video.") from None
    except subprocess.CalledProcessError:
        raise Refused(f"{name} looks like a {ftype.label} but cannot be read (damaged or "
                      "incomplete). Export it again.") from None
    if not out.exists() or out.stat().st_size == 0:
        raise Refused(f"{name} has no video or sound in it that Uptake can keep.")
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
