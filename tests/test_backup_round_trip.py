"""``manage.py backup`` and ``manage.py restore`` carry a whole district across, byte for byte.

The demo district is backed up, restored into a fresh database (every table dropped) and
a fresh media folder, and backed up again: both back-ups hold the same rows in every table
(sorted by primary key) and the same bytes in every stored file, and a teacher still signed
in reads the same pages. Runs on SQLite, and on PostgreSQL when DATABASE_URL points there.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from uptake.accounts.models import User
from uptake.demo.story import STORY_INQUIRY
from uptake.inquiry.models import Inquiry
from uptake.operations import backup, workers
from uptake.operations.backup import current_table_digests
from uptake.operations.models import WorkerLease

pytestmark = pytest.mark.django_db(transaction=True)

TEACHER = "inguyen14@maple-valley.example.org"
COORDINATOR = "coordinator@maple-valley.example.org"


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _drop_every_table() -> None:
    """What a new database looks like: no tables at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def _archive(path: Path) -> tuple[dict[str, Any], dict[str, bytes], bytes]:
    """A back-up's manifest, its stored files' bytes, and its database file's bytes."""
    with tarfile.open(path) as tar:
        def read(name: str) -> bytes:
            member = tar.extractfile(name)
            assert member is not None
            return member.read()

        manifest = json.loads(read("manifest.json"))
        files = {name: read(f"files/{name}") for name in manifest["files"]}
        return manifest, files, read(manifest["database"]["name"])


def _sql_dump(database: bytes, tmp: Path) -> list[str]:
    """SQLite's own ``.dump`` of a database file: schema and every row, as SQL text."""
    path = tmp / "dump.sqlite3"
    path.write_bytes(database)
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()
        path.unlink()


def _signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    # Fresh per response, by design: the CSRF token's mask and the CSP nonce; and the
    # district charts' element ids, numbered by a counter in each process.
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    html = re.sub(r"\bdc-([td])\d+\b", r"dc-\1", html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def test_it_round_trips_the_demo_district_byte_for_byte(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _run("demo")
    teacher, coordinator = _signed_in(TEACHER), _signed_in(COORDINATOR)
    inquiry = Inquiry.objects.get(title=STORY_INQUIRY).pk
    pages = {(teacher, "/"), (teacher, f"/inquiries/{inquiry}/"), (coordinator, "/district/")}
    before = {url: _page(client, url) for client, url in pages}
    original_rows = current_table_digests()
    original_files = {str(p.relative_to(settings.MEDIA_ROOT)): p.read_bytes()
                      for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    assert original_files, "the demo stores its roster upload"

    first = tmp_path / "first.tar.gz"
    assert "Backed up to" in _run("backup", str(first))

    _drop_every_table()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    said = _run("restore", str(first))
    assert f"{len(original_files)} stored files" in said
    assert "each table checked against the manifest" in said
    assert current_table_digests() == original_rows

    second = tmp_path / "second.tar.gz"
    _run("backup", str(second))
    manifest_1, files_1, database_1 = _archive(first)
    manifest_2, files_2, database_2 = _archive(second)
    assert manifest_2["tables"] == manifest_1["tables"] == original_rows
    assert sum(t["rows"] for t in original_rows.values()) > 10_000
    assert files_2 == files_1 == original_files
    if connection.vendor == "sqlite":
        assert _sql_dump(database_2, tmp_path) == _sql_dump(database_1, tmp_path)

    for name in caches:
        caches[name].clear()  # read the restored database, not a part cached before
    for client, url in pages:
        after = _page(client, url)
        assert after == before[url], "\n".join(difflib.unified_diff(
            before[url].splitlines(), after.splitlines(), url, "after restore", lineterm=""))


def test_it_refuses_to_restore_over_a_district_in_use(tmp_path: Path, settings: Any,
                                                       world: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar"
    _run("backup", str(archive))
    with pytest.raises(CommandError, match="refusing to restore over an installation in "
                                           "use: the database has user accounts"):
        _run("restore", str(archive))
    User.objects.filter(email="jamie@maple.test").update(first_name="Changed")
    said = _run("restore", "--force", str(archive))
    assert "Restored the back-up taken" in said
    assert User.objects.get(email="jamie@maple.test").first_name == "Jamie"


def test_it_refuses_a_damaged_back_up_and_changes_nothing(tmp_path: Path, settings: Any,
                                                          world: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    archive = tmp_path / "backup.tar"
    _run("backup", str(archive))
    data = bytearray(archive.read_bytes())
    at = data.index(b"\xff\xd8 a photo")
    data[at + 3] ^= 0xFF
    archive.write_bytes(bytes(data))
    User.objects.filter(email="jamie@maple.test").update(first_name="Changed")
    with pytest.raises(CommandError, match=r"files/evidence/photo.jpg is damaged.*Nothing "
                                           "was restored"):
        _run("restore", "--force", str(archive))
    assert User.objects.get(email="jamie@maple.test").first_name == "Changed"


def test_it_never_overwrites_a_back_up(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar"
    archive.write_bytes(b"last night's")
    with pytest.raises(CommandError, match="already exists; back-ups are never overwritten"):
        _run("backup", str(archive))
    assert archive.read_bytes() == b"last night's"


def test_it_names_the_archive_by_its_time_inside_a_folder(tmp_path: Path,
                                                          settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "backups"
    folder.mkdir()
    said = _run("backup", str(folder))
    [archive] = folder.iterdir()
    assert re.fullmatch(r"uptake-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", archive.name)
    assert str(archive) in said
    assert _archive(archive)[0]["vendor"] == connection.vendor


def test_only_its_owner_can_read_the_archive_whatever_the_umask(tmp_path: Path,
                                                                 settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar.gz"
    before = os.umask(0o022)
    try:
        _run("backup", str(archive))
    finally:
        os.umask(before)
    assert archive.stat().st_mode & 0o777 == 0o600


def _with_photo(tmp_path: Path, settings: Any) -> Path:
    """A back-up holding one stored file; the media folder is emptied afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "media" / "evidence" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a photo")
    archive = tmp_path / "backup.tar"
    _run("backup", str(archive))
    photo.unlink()
    return photo


def _after_the_database_is_restored(monkeypatch: pytest.MonkeyPatch,
                                    write: Any) -> None:
    """Run ``write`` right after the database is replaced, as a running process would."""
    for name in ("_restore_sqlite", "_restore_postgresql"):
        original = getattr(backup, name)

        def then_write(alias: str, source: Path, original: Any = original) -> None:
            original(alias, source)
            write()

        monkeypatch.setattr(backup, name, then_write)


def test_it_refuses_to_restore_while_a_worker_runs(tmp_path: Path, settings: Any,
                                                   world: Any) -> None:
    photo = _with_photo(tmp_path, settings)
    User.objects.filter(email="jamie@maple.test").update(first_name="Changed")
    workers.hold_lease("worker-1")  # this very process: alive
    with pytest.raises(CommandError, match=r"1 background workers are running \(worker-1\)\. "
                                           "Stop the web hosts and workers before restoring"):
        _run("restore", "--force", str(tmp_path / "backup.tar"))
    assert User.objects.get(email="jamie@maple.test").first_name == "Changed"
    assert not photo.exists()
    workers.release_lease("worker-1")  # the worker stopped
    _run("restore", "--force", str(tmp_path / "backup.tar"))
    assert User.objects.get(email="jamie@maple.test").first_name == "Jamie"
    assert photo.read_bytes() == b"\xff\xd8 a photo"


def test_heartbeats_sessions_and_the_cache_may_change_during_a_restore(
        tmp_path: Path, settings: Any, world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = _with_photo(tmp_path, settings)

    def a_running_installation_writes() -> None:
        now = timezone.now()
        WorkerLease.objects.create(worker_id="elsewhere.1", machine="elsewhere", pid=1,
                                   started_at=now, seen_at=now)
        SessionStore().create()
        caches["default"].set("sign-in-attempts", 1)

    _after_the_database_is_restored(monkeypatch, a_running_installation_writes)
    said = _run("restore", "--force", str(tmp_path / "backup.tar"))
    assert "each table checked against the manifest" in said
    assert photo.read_bytes() == b"\xff\xd8 a photo"


def test_it_says_so_when_the_files_are_not_restored_after_the_database(
        tmp_path: Path, settings: Any, world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = _with_photo(tmp_path, settings)

    def someone_edits_an_account() -> None:
        User.objects.filter(email="jamie@maple.test").update(first_name="Edited")

    _after_the_database_is_restored(monkeypatch, someone_edits_an_account)
    with pytest.raises(CommandError, match=r"The database was restored; the stored files "
                                           r"were not \(0 of 1 written\): the restored "
                                           r"database differs .*accounts_user.*Run restore "
                                           "again with --force once that is fixed"):
        _run("restore", "--force", str(tmp_path / "backup.tar"))
    assert not photo.exists()
