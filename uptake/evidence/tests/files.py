"""Files built in the tests (never downloaded) to feed and attack the upload checks."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def jpeg(size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(size: tuple[int, int] = (32, 32)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    """A phone-like photo: camera make, an orientation and a GPS position in its EXIF."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TattletalePhone"
    exif[ExifTags.Base.Orientation] = 6  # rotated 90 degrees clockwise when shown
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 46.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (122.0, 25.0, 9.0)
    data = jpeg((64, 48), exif=exif.tobytes())
    reread = Image.open(io.BytesIO(data)).getexif()
    assert reread.get_ifd(ExifTags.IFD.GPSInfo), "the test photo must carry GPS"
    return data


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid-looking PNG of a few dozen bytes that claims ``width`` x ``height`` pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_bytes({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
                               b'openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
        **(extra or {})})


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


def pdf(decorate: Any = None, *, object_streams: bool = True, password: str = "") -> bytes:
    """A one-page PDF written by qpdf (through pikepdf). ``decorate(doc)`` adds to it before
    saving; with ``object_streams`` most objects go into compressed object streams, where a
    byte search cannot see their names."""
    import pikepdf

    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200, 200))
    page = doc.pages[0]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = doc.make_stream(b"BT /F1 12 Tf 20 100 Td (Lesson plan) Tj ET")
    if decorate is not None:
        decorate(doc)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else \
        pikepdf.ObjectStreamMode.disable
    encryption = pikepdf.Encryption(user=password, owner=password + "-owner") if password \
        else False
    doc.save(out, object_stream_mode=mode, compress_streams=True, encryption=encryption)
    return out.getvalue()


def pdf_object_stream_bomb(zeros: int = 40_000_000) -> bytes:
    """A PDF of some 80 KB whose one object stream unpacks into an array of ``zeros``
    numbers (gigabytes once parsed), written by hand: building it with pikepdf would cost
    the test those gigabytes."""
    header = b"4 0 "
    body = zlib.compress(header + b"[" + b"0 " * zeros + b"]", 9)
    parts = [b"%PDF-1.5\n"]
    offsets: dict[int, int] = {}

    def add(number: int, text: bytes) -> None:
        offsets[number] = sum(len(p) for p in parts)
        parts.append(b"%d 0 obj\n" % number + text + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /Big 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(5, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(body)) + body + b"\nendstream")
    xref_at = sum(len(p) for p in parts)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 7):
        if number == 4:
            rows.append(struct.pack(">BIH", 2, 5, 0))  # in object stream 5, first object
        else:
            rows.append(struct.pack(">BIH", 1, xref_at if number == 6 else offsets[number], 0))
    table = b"".join(rows)
    parts.append(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\n"
                 b"stream\n" % len(table) + table + b"\nendstream\nendobj\n")
    parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return b"".join(parts)


def video(path: Path, fmt: str = "mp4", title: str = "Room 12, Kid0 presenting") -> bytes:
    """A 0.2-second video made by ffmpeg with a title at file and stream level."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is a test dependency (scripts/test-deps.sh)"
    out = path / f"clip.{fmt}"
    codec = ["-c:v", "libvpx"] if fmt == "webm" else ["-c:v", "mpeg4"]
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    "color=c=red:s=32x32:d=0.2", *codec, "-metadata", f"title={title}",
                    "-metadata:s:v:0", f"title={title}", "-metadata", "comment=GPS 37.77",
                    str(out)], check=True)
    return out.read_bytes()


def probe_tags(path: Path) -> dict[str, Any]:
    import json

    ffprobe = shutil.which("ffprobe")
    assert ffprobe
    result = subprocess.run([ffprobe, "-v", "error", "-show_entries",
                             "format_tags:stream_tags", "-of", "json", str(path)],
                            capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout))
