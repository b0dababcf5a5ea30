"""What is stored is clean: photos lose EXIF and GPS, videos lose their metadata, and the
recorded facts (sha256, sniffed type, size) describe the stored bytes."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from uptake.evidence.models import Artifact
from uptake.evidence.tests.files import (
    jpeg_with_gps,
    probe_tags,
    stored_files,
    video,
    zip_bytes,
)


def stored_bytes(client: Any, artifact: Artifact) -> bytes:
    response = client.get(reverse("evidence:file", args=[artifact.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_it_removes_exif_and_gps_from_a_photo(upload: Any, media: Path, client: Any) -> None:
    from PIL import ExifTags, Image

    original = jpeg_with_gps()
    response = upload("IMG_0042.jpg", original)
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    data = stored_bytes(client, artifact)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    assert b"TattletalePhone" not in data and b"Exif" not in data
    # The orientation was applied to the pixels before the tag was dropped.
    assert image.size == (48, 64)
    assert artifact.content_type == "image/jpeg"
    assert artifact.size == len(data)
    assert artifact.sha256 == hashlib.sha256(data).hexdigest() != hashlib.sha256(
        original).hexdigest()
    assert artifact.original_name == "IMG_0042.jpg"
    assert artifact.scan_verdict == "not scanned"
    [path] = stored_files(media)
    assert path.suffix == ".jpg" and "IMG_0042" not in path.name


def test_it_turns_a_heic_photo_into_a_jpeg_without_metadata(upload: Any, client: Any) -> None:
    from PIL import ExifTags, Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TattletalePhone"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 10)).save(buffer, "HEIF", exif=exif.tobytes())
    assert upload("IMG_0043.HEIC", buffer.getvalue()).status_code == 302
    artifact = Artifact.objects.get()
    data = stored_bytes(client, artifact)
    assert artifact.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert b"TattletalePhone" not in data
    response = client.get(reverse("evidence:file", args=[artifact.pk]))
    assert 'filename="IMG_0043.jpg"' in response["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["mp4", "webm", "mov"])
def test_it_strips_video_metadata(upload: Any, client: Any, tmp_path: Path, fmt: str) -> None:
    clip = video(tmp_path, fmt)
    before = probe_tags(tmp_path / f"clip.{fmt}")
    assert "Kid0" in str(before), "the test video must carry a title"
    response = upload(f"clip.{fmt}", clip, kind="video", content_type=f"video/{fmt}")
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    data = stored_bytes(client, artifact)
    out = tmp_path / f"stored.{fmt}"
    out.write_bytes(data)
    after = probe_tags(out)
    assert "Kid0" not in str(after) and "GPS" not in str(after)
    assert b"Kid0" not in data
    assert artifact.content_type.startswith("video/")
    assert artifact.sha256 == hashlib.sha256(data).hexdigest()


def test_it_stores_documents_as_sniffed(upload: Any, client: Any) -> None:
    response = upload("plan.txt", "Exit ticket: 3 questions — été\n".encode(),
                      kind="lesson_plan", identifies_students="no")
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    assert stored_bytes(client, artifact) == "Exit ticket: 3 questions — été\n".encode()
    assert artifact.content_type == "text/plain"
    assert artifact.identifies_students is False


def test_it_recognises_an_office_file_by_its_parts_whatever_their_order(
        upload: Any, client: Any) -> None:
    # libmagic calls this "application/zip" because [Content_Types].xml comes last.
    data = zip_bytes({"docProps/app.xml": b"<x/>", "word/document.xml": b"<w:document/>",
                      "_rels/.rels": b"<Relationships/>",
                      "[Content_Types].xml": b"<Types/>"})
    response = upload("plan.docx", data, kind="lesson_plan", identifies_students="no")
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    assert artifact.content_type == ("application/vnd.openxmlformats-officedocument."
                                     "wordprocessingml.document")
    assert stored_bytes(client, artifact) == data
