"""The disk fills up while an upload is received or stored: the person reads that there was
no room and nothing was saved (507), no row names a file that is not there, and the
operator finds it in the log.

Two places run out of room: the temporary file Django spools a large upload to (before
any view runs, in production inside the CSRF check) and the storage the file is kept in
(evidence, roster zips, community exports). Both are made to raise ``ENOSPC`` the way
the operating system does.
"""

from __future__ import annotations

import errno
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.faults_support import changed_tables, database_state
from uptake.evidence.tests.files import jpeg
from uptake.networks.tests.examples_community import EXPORT
from uptake.roster.tests.conftest import build_zip, fixture_files

pytestmark = pytest.mark.django_db

NO_ROOM = ("The server has no room to store this file just now; nothing was saved; try "
           "again later or tell your coordinator.")


def _no_space(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _evidence() -> dict[str, Any]:
    return {"kind": "photo", "title": "Anchor chart", "guskey_level": "4",
            "identifies_students": "yes", "description": "", "link": "", "body": "",
            "file": SimpleUploadedFile("chart.jpg", jpeg(), content_type="image/jpeg")}


def _measure_file(world: Any) -> tuple[str, dict[str, Any]]:
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure

    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk", status="active")
    measure = do_create_measure(teacher, inquiry, sections=[world.section], name="Explained",
                                kind="proportion", direction="up")
    return reverse("inquiry:import", args=[measure.pk, world.section.pk]), {
        "file": SimpleUploadedFile("weeks.csv", b"date,numerator,denominator\n"
                                                b"2026-09-14,7,12\n")}


def _roster() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("roster.zip", build_zip(fixture_files("v1p1-bulk")),
                                       content_type="application/zip")}


def _edges() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("edges.csv", b"from,to,relation\nGuest,"
                                                    b"jamie@maple.test,advice\n"),
            "direction": "flows", "observed_on": "2026-10-01"}


def _community() -> dict[str, Any]:
    return {"name": "r/Teachers", "period_months": "6",
            "file": SimpleUploadedFile("export.csv", EXPORT, content_type="text/csv")}


# (the upload, who sends it, its URL and form)
UPLOADS: dict[str, tuple[str, Callable[[Any], tuple[str, dict[str, Any]]]]] = {
    "evidence photo": ("teacher", lambda w: (reverse("evidence:upload"), _evidence())),
    "measure import file": ("teacher", _measure_file),
    "roster zip": ("coordinator", lambda w: (reverse("roster:import"), _roster())),
    "network edge list": ("coordinator", lambda w: (reverse("networks:import_edges"),
                                                    _edges())),
    "community export": ("teacher", lambda w: (reverse("networks:community_new"),
                                               _community())),
}
STORED = ["evidence photo", "roster zip", "community export"]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)}}}
    return root


def _files_named_by_rows() -> list[str]:
    names = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                names += [n for n in model._base_manager.exclude(**{f.name: ""})
                          .values_list(f.name, flat=True) if n]
    return names


def _assert_told_and_nothing_kept(response: Any, before: Any, media: Path,
                                  caplog: Any) -> None:
    assert response.status_code == 507, response.content[:2000]
    assert NO_ROOM in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert changed_tables(before) == []
    assert all((media / name).is_file() for name in _files_named_by_rows())
    assert any(r.name == "uptake.faults" and r.levelno == logging.ERROR
               and "disk full" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("kind", list(UPLOADS))
def test_no_room_for_the_spooled_upload_is_a_clear_507(
        world: Any, login: Any, media: Path, settings: Any, monkeypatch: Any, caplog: Any,
        kind: str) -> None:
    who, form = UPLOADS[kind]
    url, data = form(world)
    client = login(world.people[who])
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload is spooled to a temporary file
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", _no_space)
    before = database_state()

    response = client.post(url, data)

    _assert_told_and_nothing_kept(response, before, media, caplog)


def _partly_written(self: FileSystemStorage, name: str, content: Any) -> str:
    """What the disk does when it fills mid-file: some bytes written, then ENOSPC."""
    path = Path(self.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as half:
        half.write(next(iter(content.chunks()))[:100])
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.parametrize("kind", STORED)
def test_no_room_in_storage_keeps_no_row_and_says_so(
        world: Any, login: Any, media: Path, monkeypatch: Any, caplog: Any,
        kind: str) -> None:
    who, form = UPLOADS[kind]
    url, data = form(world)
    client = login(world.people[who])
    monkeypatch.setattr(FileSystemStorage, "_save", _partly_written)
    before = database_state()

    response = client.post(url, data)

    _assert_told_and_nothing_kept(response, before, media, caplog)
    monkeypatch.undo()
    _, again = form(world)
    assert client.post(url, again).status_code == 302  # room again: it goes through


def test_the_api_answers_no_room_with_the_envelope(
        world: Any, api: Any, media: Path, monkeypatch: Any, caplog: Any) -> None:
    coordinator = api(world.people["coordinator"])
    monkeypatch.setattr(FileSystemStorage, "_save", _partly_written)
    before = database_state()

    response = coordinator.client.post("/api/v1/roster-imports", _roster(),
                                       headers=coordinator._headers(None))

    assert response.status_code == 507, response.content
    assert response.json() == {"error": {"status": 507, "code": "insufficient_storage",
                                         "message": NO_ROOM, "fields": {}, "rows": []}}
    assert int(response["Retry-After"]) > 0
    assert changed_tables(before) == []


def test_no_room_while_the_csrf_check_reads_the_upload_is_a_507_too(
        world: Any, media: Path, settings: Any, monkeypatch: Any, caplog: Any) -> None:
    """In production the CSRF check reads the form (and so receives the file) before any
    view runs; what it raises reaches the project's handler500."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.people["teacher"],
                       backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("evidence:upload")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", _no_space)
    before = database_state()

    response = client.post(reverse("evidence:upload"),
                           {**_evidence(), "csrfmiddlewaretoken": token.group(1)})

    _assert_told_and_nothing_kept(response, before, media, caplog)
