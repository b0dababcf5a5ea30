"""Back-up and restore of a whole installation: the database and every stored file.

One archive (a tar file, gzip-compressed when its name ends in ``.gz``) holds:

- ``database.sqlite3`` (SQLite's online back-up API: a consistent copy while Uptake runs)
  or ``database.dump`` (``pg_dump --format=custom`` in one snapshot);
- ``files/<name>``: every file in Django's default storage (``MEDIA_ROOT`` or the bucket);
- ``manifest.json``, written last: each member's size and SHA-256, and for every table of
  the database its row count and the SHA-256 of its rows in a canonical form (sorted by
  primary key), read in the same snapshot as the copy.

``restore`` checks every checksum before it touches anything, refuses to start while a
worker runs and a target that is in use unless forced, restores the database and then the
files, and reads the restored database's tables again to prove they hold what was backed
up (all but the tables running processes rewrite on their own: ``volatile_tables``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

from uptake.operations.models import WorkerLease
from uptake.operations.workers import lease_is_alive

FORMAT = "uptake-backup/1"
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must act on; the message says what."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    archive_bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    vendor: str
    created: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    files_left_in_place: int


# --------------------------------------------------------------------------- canonical rows


def _sqlite_rows_digest(cursor: Any) -> tuple[int, str]:
    """SQLite hands back only int, float, str, bytes and None: ``repr`` is canonical."""
    digest = hashlib.sha256()
    count = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(repr(row).encode())
            digest.update(b"\n")
        count += len(batch)
    return count, digest.hexdigest()


def _postgresql_rows_digest(cursor: Any, query: str) -> tuple[int, str]:
    """PostgreSQL's own text form of each row (``COPY … TO STDOUT``), one line a row."""
    digest = hashlib.sha256()
    count = 0
    with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
        for block in copy:
            data = bytes(block)
            digest.update(data)
            count += data.count(b"\n")  # newlines inside values are escaped as \\n
    return count, digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_table_digests(path: Path) -> dict[str, dict[str, Any]]:
    """Every table of a SQLite file: row count and SHA-256 of its rows by primary key."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        result = {}
        for table in tables:
            info = db.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
            keys = [col[1] for col in sorted(info, key=lambda c: c[5]) if col[5] > 0]
            order = ", ".join(_quote(c) for c in (keys or [col[1] for col in info]))
            cursor = db.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
            count, digest = _sqlite_rows_digest(cursor)
            result[table] = {"rows": count, "sha256": digest}
        return result
    finally:
        db.close()


def postgresql_table_digests(cursor: Any) -> dict[str, dict[str, Any]]:
    """Every table of the current schema, read with ``cursor`` (a psycopg cursor, in the
    caller's snapshot)."""
    # The text form of a row depends on these; fixed, so any server hashes the same rows
    # the same way.
    cursor.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; "
                   "SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'; "
                   "SET extra_float_digits = 1")
    cursor.execute(
        "SELECT c.relname, coalesce(("
        "  SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i"
        "  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
        "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        "  WHERE i.indrelid = c.oid AND i.indisprimary), '{}')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        " ORDER BY c.relname")
    tables = cursor.fetchall()
    result = {}
    for table, keys in tables:
        if not keys:
            cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                           "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                           [_quote(table)])
            keys = [name for (name,) in cursor.fetchall()]
        order = ", ".join(_quote(c) for c in keys)
        count, digest = _postgresql_rows_digest(
            cursor, f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
        result[table] = {"rows": count, "sha256": digest}
    return result


# --------------------------------------------------------------------------- stored files


def stored_files(storage: Storage | None = None, folder: str = "") -> list[str]:
    """Every file name in the storage, sorted (``listdir`` walks the folders)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a MEDIA_ROOT not yet created holds nothing
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names.extend(stored_files(storage, f"{folder}{sub}/"))
    return sorted(names)


class _HashingReader(io.RawIOBase):
    """Reads through ``source`` while hashing, so a file is read once on its way to the tar."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _sha256_of(fileobj: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# --------------------------------------------------------------------------- the database


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"back-up supports SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_env(alias: str) -> tuple[dict[str, str], str]:
    """libpq environment and database name for pg_dump / pg_restore (no password on argv)."""
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD")]:
        if conf.get(key):
            env[var] = str(conf[key])
    for option, var in [("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")]:
        if conf.get("OPTIONS", {}).get(option):
            env[var] = str(conf["OPTIONS"][option])
    return env, str(conf["NAME"])


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client "
                          "tools of the server's major version or newer (Debian: "
                          "postgresql-client)")
    return path


def _dump_sqlite(alias: str, target: Path) -> dict[str, dict[str, Any]]:
    connection = connections[alias]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return sqlite_table_digests(target)


def _dump_postgresql(alias: str, target: Path) -> dict[str, dict[str, Any]]:
    """``pg_dump`` of the snapshot this transaction exports, and the digests read in it."""
    tool = _pg_tool("pg_dump")
    env, name = _pg_env(alias)
    connection = connections[alias]
    # A connection of its own: its snapshot must not depend on the caller's transaction.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            result = subprocess.run(  # noqa: S603
                [tool, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={target}", f"--dbname={name}"],
                env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            digests = postgresql_table_digests(cursor)
        raw.rollback()
    finally:
        raw.close()
    return digests


def _restore_sqlite(alias: str, source: Path) -> None:
    connection = connections[alias]
    connection.close()
    connection.ensure_connection()
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()
    connection.close()


def _restore_postgresql(alias: str, source: Path) -> None:
    tool = _pg_tool("pg_restore")
    env, name = _pg_env(alias)
    connections[alias].close()
    result = subprocess.run(  # noqa: S603
        [tool, "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", f"--dbname={name}", str(source)],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")


def current_table_digests(alias: str = "default") -> dict[str, dict[str, Any]]:
    """The live database's tables, as a back-up's manifest records them."""
    if _vendor(alias) == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            return _dump_sqlite(alias, Path(tmp) / "copy.sqlite3")
    connection = connections[alias]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        with raw.cursor() as cursor:
            return postgresql_table_digests(cursor)
    finally:
        raw.close()


# --------------------------------------------------------------------------- back-up


def _compressed(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def _open_for_writing(fileobj: IO[bytes], name: Path) -> tarfile.TarFile:
    return tarfile.open(fileobj=fileobj, mode="w:gz" if _compressed(name) else "w")


def _create_private(path: Path) -> IO[bytes]:
    """A new file that only its owner can read, whatever the umask: a back-up holds every
    account and every roster (mode 0600 from the start, kept through the rename)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} exists: another back-up is being written, or one was cut "
                          "short (then delete it and try again)") from None
    os.fchmod(fd, 0o600)  # a umask can only take bits away; this is the mode, exactly
    return os.fdopen(fd, "wb")


def _open_for_reading(path: Path) -> tarfile.TarFile:
    return tarfile.open(path, "r:gz") if _compressed(path) else tarfile.open(path, "r")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, fileobj: IO[bytes],
              size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    reader = _HashingReader(fileobj)
    tar.addfile(info, reader)
    if reader.size != size:
        raise BackupError(f"{name} changed size while it was being copied")
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def backup(path: Path, *, alias: str = "default", storage: Storage | None = None,
           note: Callable[[str], None] = lambda _: None) -> BackupSummary:
    """Write the database and every stored file to the archive at ``path`` (or, when
    ``path`` is a folder, to ``uptake-<UTC time>.tar.gz`` inside it).

    The database is copied first, then the files: every file the copy names exists in the
    file copy (Uptake never rewrites a stored file), unless it was deleted in between.
    The archive is written beside ``path`` and renamed into place when complete.
    """
    storage = storage or default_storage
    vendor = _vendor(alias)
    path = path.resolve()
    if path.is_dir():  # a folder of back-ups: name the archive by the time it is taken
        now = datetime.datetime.now(datetime.UTC)
        path = path / f"uptake-{now:%Y-%m-%dT%H%M%SZ}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} already exists; back-ups are never overwritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    manifest: dict[str, Any] = {
        "format": FORMAT, "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": vendor, "files": {}}
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        dump = Path(tmp) / ("database.sqlite3" if vendor == "sqlite" else "database.dump")
        note(f"Copying the {vendor} database…")
        manifest["tables"] = (_dump_sqlite(alias, dump) if vendor == "sqlite"
                              else _dump_postgresql(alias, dump))
        out = _create_private(partial)
        try:
            with out, _open_for_writing(out, path) as tar:
                with dump.open("rb") as fh:
                    manifest["database"] = {"name": dump.name, **_add_file(
                        tar, dump.name, fh, dump.stat().st_size)}
                names = stored_files(storage)
                note(f"Copying {len(names)} stored files…")
                for name in names:
                    with storage.open(name, "rb") as fh:
                        manifest["files"][name] = _add_file(
                            tar, FILES_PREFIX + name, fh, storage.size(name))
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1,
                                                     sort_keys=True).encode())
            partial.rename(path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path, vendor=vendor, tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        files=len(manifest["files"]),
        file_bytes=sum(f["size"] for f in manifest["files"].values()),
        archive_bytes=path.stat().st_size)


# --------------------------------------------------------------------------- restore


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("this is not an Uptake back-up (it has no manifest.json); "
                          "was it cut short?") from None
    fh = tar.extractfile(member)
    assert fh is not None
    manifest = json.loads(fh.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown back-up format {manifest.get('format')!r}; "
                          f"this version of Uptake reads {FORMAT}")
    return manifest


def _verify_archive(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member's size and SHA-256 against the manifest, before anything is changed."""
    expected = {manifest["database"]["name"]: manifest["database"]}
    expected.update({FILES_PREFIX + name: meta for name, meta in manifest["files"].items()})
    seen = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(f"the archive holds {member.name!r}, which its manifest "
                              "does not list")
        fh = tar.extractfile(member)
        assert fh is not None
        digest, size = _sha256_of(fh)
        meta = expected[member.name]
        if (digest, size) != (meta["sha256"], meta["size"]):
            raise BackupError(f"{member.name} is damaged: its checksum does not match the "
                              "manifest. Nothing was restored.")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{len(missing)} files named in the manifest are missing from "
                          f"the archive (first: {missing[0]}). Nothing was restored.")


def _database_in_use(alias: str) -> bool:
    connection = connections[alias]
    table = get_user_model()._meta.db_table
    if table not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
        return cursor.fetchone() is not None


def target_in_use(alias: str = "default", storage: Storage | None = None) -> str:
    """Why the target is not empty ('' when it is): any account, or any stored file."""
    storage = storage or default_storage
    reasons = []
    if _database_in_use(alias):
        reasons.append("the database has user accounts")
    if stored_files(storage):
        reasons.append("the storage holds files")
    return " and ".join(reasons)


def live_workers(alias: str = "default") -> list[str]:
    """The workers whose lease says they run now (uptake.operations.workers)."""
    if WorkerLease._meta.db_table not in connections[alias].introspection.table_names():
        return []
    now = timezone.now()
    return sorted(lease.pk for lease in WorkerLease.objects.using(alias).all()
                  if lease_is_alive(lease, now=now))


def volatile_tables() -> set[str]:
    """Tables that running processes rewrite on their own (worker heartbeats, sessions, the
    database cache): a back-up copies them, but a restored database need not hold the same
    rows there a moment later, so they are left out of the check after a restore."""
    tables = {WorkerLease._meta.db_table, Session._meta.db_table}
    tables.update(cache["LOCATION"] for cache in settings.CACHES.values()
                  if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache")
    return tables


def changed_tables(expected: dict[str, dict[str, Any]],
                   actual: dict[str, dict[str, Any]]) -> list[str]:
    """The tables of a manifest whose rows ``actual`` does not hold, volatile ones aside."""
    volatile = volatile_tables()
    return sorted(table for table, digest in expected.items()
                  if table not in volatile and actual.get(table) != digest)


def restore(path: Path, *, force: bool = False, alias: str = "default",
            storage: Storage | None = None,
            note: Callable[[str], None] = lambda _: None) -> RestoreSummary:
    """Restore the archive at ``path`` over this installation's database and storage."""
    storage = storage or default_storage
    vendor = _vendor(alias)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with _open_for_reading(path) as tar:
        manifest = read_manifest(tar)
        if manifest["vendor"] != vendor:
            raise BackupError(f"this back-up is of a {manifest['vendor']} database; this "
                              f"installation uses {vendor}. Nothing was restored.")
        running = live_workers(alias)
        if running:  # --force or not: a worker would write into the database as it changes
            raise BackupError(
                f"{len(running)} background workers are running ({', '.join(running[:3])}). "
                "Stop the web hosts and workers before restoring (a worker that was killed "
                f"counts as running for {settings.WORKER_LOST_AFTER_SECONDS} seconds after "
                "its last heartbeat). Nothing was restored.")
        note("Checking every checksum…")
        _verify_archive(tar, manifest)
        in_use = target_in_use(alias, storage)
        if in_use and not force:
            raise BackupError(f"refusing to restore over an installation in use: {in_use}. "
                              "Restore into an empty database and storage, or pass --force "
                              "to replace the database and overwrite files of the same name.")
        with tempfile.TemporaryDirectory() as tmp:
            member = tar.getmember(manifest["database"]["name"])
            tar.extract(member, tmp, filter="data")
            dump = Path(tmp) / member.name
            note(f"Restoring the {vendor} database…")
            if vendor == "sqlite":
                _restore_sqlite(alias, dump)
            else:
                _restore_postgresql(alias, dump)
        written = 0
        try:
            changed = changed_tables(manifest["tables"], current_table_digests(alias))
            if changed:
                raise BackupError(f"the restored database differs from the back-up in "
                                  f"{len(changed)} tables ({', '.join(changed[:5])}); was "
                                  "a web host or worker still running?")
            note(f"Restoring {len(manifest['files'])} stored files…")
            existing = set(stored_files(storage))
            for name, meta in sorted(manifest["files"].items()):
                fh = tar.extractfile(FILES_PREFIX + name)
                assert fh is not None
                _write_file(storage, name, fh, meta)
                written += 1
            left = len(existing - set(manifest["files"]))
        except Exception as exc:  # any failure here leaves a half-restored installation
            raise BackupError(
                f"The database was restored; the stored files were not ({written} of "
                f"{len(manifest['files'])} written): {exc}. Run restore again with --force "
                "once that is fixed, with the web hosts and workers stopped.") from exc
    return RestoreSummary(
        vendor=vendor, created=manifest["created"], tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        files=len(manifest["files"]),
        file_bytes=sum(f["size"] for f in manifest["files"].values()),
        files_left_in_place=left)


def _write_file(storage: Storage, name: str, fh: IO[bytes], meta: dict[str, Any]) -> None:
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, File(fh, name=name))
    if saved != name:
        raise BackupError(f"the storage saved {name} as {saved}")
    with storage.open(name, "rb") as check:
        if _sha256_of(check) != (meta["sha256"], meta["size"]):
            raise BackupError(f"{name} was not stored intact (checksum differs)")
