"""Fixtures for evidence tests: a private media directory and uploads through the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

FILESYSTEM = "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Files stored during the test land in (and only in) this directory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": FILESYSTEM, "OPTIONS": {"location": str(root)}}}
    return root


@pytest.fixture
def upload(login: Callable[[Any], Any], world: Any, media: Path) -> Callable[..., Any]:
    """``upload(name, data, kind=..., **fields)`` posts the upload form as the teacher."""

    def _upload(name: str, data: bytes, *, kind: str = "photo", as_user: Any = None,
                content_type: str = "image/jpeg", **fields: Any) -> Any:
        client = login(as_user or world.people["teacher"])
        form = {"kind": kind, "title": fields.pop("title", "Anchor chart"),
                "guskey_level": fields.pop("guskey_level", 4),
                "identifies_students": fields.pop("identifies_students", "yes"),
                "description": "", "link": "", "body": "", **fields}
        if data is not None:
            form["file"] = SimpleUploadedFile(name, data, content_type=content_type)
        return client.post(reverse("evidence:upload"), form)

    return _upload
