"""Serving a credential's image: one response for the catalog's readers and its authors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

if TYPE_CHECKING:
    from uptake.credentials.models import Version

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def image_response(version: Version) -> FileResponse:
    """The version's image (PNG or JPEG, as stored by ``do_set_image``), sent so that no
    browser runs or sniffs it; 404 when it has none."""
    name = str(version.image.name) if version.image else ""
    kind = next((t for ext, t in IMAGE_TYPES.items() if name.lower().endswith(ext)), None)
    if kind is None:
        raise Http404("No image.")
    response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
