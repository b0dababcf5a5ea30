"""Sending an artifact's stored file: one response for every page that may serve it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from uptake.evidence.models import Artifact

# Shown in the page (a photo, a short video); everything else is downloaded.
INLINE_TYPES = ("image/", "video/")


def artifact_file_response(artifact: Artifact) -> FileResponse:
    """The artifact's file under the name it had, sandboxed and never cached or sniffed;
    404 when it has none. The caller has decided that the reader may have it."""
    if not artifact.file:
        raise Http404("No such file.")
    stored = str(artifact.file.name)
    inline = artifact.content_type.startswith(INLINE_TYPES)
    download_name = artifact.original_name or f"evidence.{stored.rsplit('.', 1)[-1]}"
    if artifact.content_type == "image/jpeg" and not download_name.lower().endswith(
            (".jpg", ".jpeg")):
        download_name = download_name.rsplit(".", 1)[0] + ".jpg"  # HEIC stored as JPEG
    response = FileResponse(default_storage.open(stored, "rb"),
                            content_type=artifact.content_type or "application/octet-stream")
    response["Content-Disposition"] = str(content_disposition_header(not inline, download_name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if artifact.size:
        response["Content-Length"] = str(artifact.size)
    return response
