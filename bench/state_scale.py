"""Sizes for the state-scale plan (docs/scale.md): rows and bytes per table, per student and
per teacher, and the back-up and restore commands' throughput, on one seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/uptake_ops_scale UPTAKE_DEMO=1 \\
        .venv/bin/python bench/state_scale.py [--backup] [--restore-into DBNAME] [--top 30]
        [--probe-rows 2000000]

Seed the database first, e.g. (PostgreSQL, a fresh database)::

    createdb uptake_ops_scale
    DATABASE_URL=... UPTAKE_DEMO=1 .venv/bin/python manage.py migrate
    DATABASE_URL=... UPTAKE_DEMO=1 .venv/bin/python manage.py seed --size district

1. Counts every table's rows exactly and reads ``pg_total_relation_size`` (heap, TOAST and
   indexes), then divides by the district's students and teachers.
2. ``--probe-rows N``: bytes per row of ``inquiry_studentvalue`` (students' scores, the
   table that grows with every measure) at N rows, on a copy of its layout and indexes.
3. ``--audit-as EMAIL``: views that person's home, inquiries, inquiry pages and study
   views once and counts the audit rows written (reads of student data are audited).
4. ``--backup``: times ``manage.py backup`` into a temporary folder (the archive's size,
   the database's size, MB/s and rows/s); the floor is ``pg_dump --format=custom`` of the
   same database alone, timed in the same run, so the ratio says what the manifest (every
   row read and hashed) and the stored files add.
5. ``--restore-into DBNAME``: creates that (empty) database and times ``manage.py
   restore`` of the archive into it, in a fresh process (then drops it).

Prints markdown tables for docs/performance.md, with the load average.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")
os.environ.setdefault("UPTAKE_DEMO", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from uptake.accounts.models import District, Role, User  # noqa: E402
from uptake.roster.models import Student  # noqa: E402


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _tables() -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = current_schema() AND c.relkind = 'r'")
        sizes = cursor.fetchall()
        result = []
        for table, size in sizes:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            result.append((table, cursor.fetchone()[0], size))
    return sorted(result, key=lambda t: -t[2])


def _database_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def sizes(top: int) -> None:
    students = Student.objects.count()
    teachers = User.objects.filter(roles__role=Role.TEACHER).distinct().count()
    educators = User.objects.count()
    print(f"\n{District.objects.count()} districts, {students:,} students, {teachers:,} "
          f"teachers, {educators:,} accounts; database {_database_bytes() / 1e6:,.1f} MB "
          f"(pg_database_size); load {_load()}\n")
    print("| table | rows | MB (with indexes) | bytes/row | rows per student "
          "| rows per teacher |")
    print("|---|---:|---:|---:|---:|---:|")
    tables = _tables()
    for table, rows, size in tables[:top]:
        print(f"| `{table}` | {rows:,} | {size / 1e6:,.2f} | {size // max(rows, 1):,} | "
              f"{rows / max(students, 1):.3f} | {rows / max(teachers, 1):.2f} |")
    rest = tables[top:]
    print(f"| {len(rest)} other tables | {sum(r for _, r, _ in rest):,} | "
          f"{sum(s for _, _, s in rest) / 1e6:,.2f} | | | |")
    total_rows = sum(r for _, r, _ in tables)
    total_bytes = sum(s for _, _, s in tables)
    print(f"| **all {len(tables)} tables** | {total_rows:,} | {total_bytes / 1e6:,.2f} | "
          f"{total_bytes // max(total_rows, 1):,} | {total_rows / max(students, 1):.2f} | "
          f"{total_rows / max(teachers, 1):.1f} |")


def probe(rows: int) -> None:
    """Bytes per row of the table that grows most, at a realistic count.

    A seeded roster has no scores, and the demo's few thousand sit in half-empty pages, so
    bytes per row are measured on a copy of ``inquiry_studentvalue``'s layout (its columns
    and every index, ``LIKE … INCLUDING ALL``) filled with ``rows`` values: 25 students per
    occasion, a value on 95 % of them, as a class's weekly scores look.
    """
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_probe_values")
        cursor.execute("CREATE TABLE bench_probe_values "
                       "(LIKE inquiry_studentvalue INCLUDING ALL)")
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO bench_probe_values (occasion_id, student_id, value) "
            "SELECT i / 25, (i::bigint * 7919) %% 5000000, "
            "CASE WHEN i %% 20 = 0 THEN NULL ELSE (i %% 97)::float / 4 END "
            "FROM generate_series(1, %s) AS i", [rows])
        took = time.perf_counter() - started
        cursor.execute("SELECT pg_relation_size('bench_probe_values'), "
                       "pg_indexes_size('bench_probe_values'), "
                       "pg_total_relation_size('bench_probe_values')")
        heap, indexes, total = cursor.fetchone()
        cursor.execute("DROP TABLE bench_probe_values")
    print(f"\n`inquiry_studentvalue` layout with {rows:,} rows (load {_load()}): heap "
          f"{heap / rows:.1f} B/row, indexes {indexes / rows:.1f} B/row, total "
          f"{total / rows:.1f} B/row; inserted at {rows / took:,.0f} rows/s\n")


def audit_per_page(email: str) -> None:
    """Audit rows one person's ordinary pages write (reads of student data are audited),
    and the audit table's average row width, from the rows already there."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from uptake.audit.models import AuditEvent
    from uptake.inquiry.models import Inquiry, Measure

    setup_test_environment()
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    urls = ["/", "/inquiries/"]
    urls += [f"/inquiries/{pk}/" for pk in Inquiry.objects.filter(
        owner=user).values_list("pk", flat=True)[:3]]
    urls += [f"/inquiries/measures/{pk}/study/" for pk in Measure.objects.filter(
        inquiry__owner=user).values_list("pk", flat=True)[:3]]
    before = AuditEvent.objects.count()
    for url in urls:
        client.get(url, HTTP_HOST=(settings.ALLOWED_HOSTS or ["127.0.0.1"])[0])
    written = AuditEvent.objects.count() - before
    with connection.cursor() as cursor:
        cursor.execute("SELECT avg(pg_column_size(a.*)), count(*) FROM audit_auditevent a")
        width, count = cursor.fetchone()
        cursor.execute("SELECT pg_total_relation_size('audit_auditevent')")
        total = cursor.fetchone()[0]
    print(f"\n{email}: {len(urls)} pages ({', '.join(urls)}) wrote {written} audit rows; "
          f"audit rows average {float(width):.0f} B of row data; table with indexes "
          f"{total / max(count, 1):,.0f} B/row over {count:,} rows\n")


def _pg_dump_floor(out: Path) -> float:
    conf = connection.settings_dict
    env = dict(os.environ, PGHOST=str(conf["HOST"] or ""), PGPORT=str(conf["PORT"] or ""),
               PGUSER=str(conf["USER"] or ""), PGPASSWORD=str(conf["PASSWORD"] or ""))
    started = time.perf_counter()
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}",
                    f"--dbname={conf['NAME']}"], env=env, check=True)
    return time.perf_counter() - started


def backup_and_restore(restore_into: str) -> None:
    database = _database_bytes()
    rows = sum(r for _, r, _ in _tables())
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp:
        floor = _pg_dump_floor(Path(tmp) / "floor.dump")
        floor_bytes = (Path(tmp) / "floor.dump").stat().st_size
        archive = Path(tmp) / "backup.tar"
        started = time.perf_counter()
        call_command("backup", str(archive))
        took = time.perf_counter() - started
        print(f"\nload {_load()}\n")
        print("| step | seconds | output MB | database MB/s | rows/s | ratio to floor |")
        print("|---|---:|---:|---:|---:|---:|")
        print(f"| floor: `pg_dump -Fc` alone | {floor:.1f} | {floor_bytes / 1e6:,.1f} | "
              f"{database / 1e6 / floor:,.1f} | {rows / floor:,.0f} | 1.0x |")
        print(f"| `manage.py backup` | {took:.1f} | {archive.stat().st_size / 1e6:,.1f} | "
              f"{database / 1e6 / took:,.1f} | {rows / took:,.0f} | {took / floor:.1f}x |")
        if restore_into:
            _restore(archive, restore_into, database, rows, floor)


def _restore(archive: Path, name: str, database: int, rows: int, floor: float) -> None:
    conf = connection.settings_dict
    admin = ["psql", "-h", str(conf["HOST"]), "-p", str(conf["PORT"] or 5432),
             "-U", str(conf["USER"]), "-d", "postgres", "-q", "-c"]
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    url = (f"postgres://{conf['USER']}@{conf['HOST']}:{conf['PORT'] or 5432}/{name}")
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as media:
        env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=media)
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "restore", str(archive)],
                       cwd=ROOT, env=env, check=True)
        took = time.perf_counter() - started
    subprocess.run([*admin, f'DROP DATABASE "{name}"'], check=True)
    print(f"| `manage.py restore` (new process, empty database) | {took:.1f} | | "
          f"{database / 1e6 / took:,.1f} | {rows / took:,.0f} | {took / floor:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backup", action="store_true")
    parser.add_argument("--restore-into", default="")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--audit-as", default="",
                        help="view a few pages as this person; count the audit rows written")
    parser.add_argument("--probe-rows", type=int, default=0,
                        help="also measure inquiry_studentvalue's bytes per row at this count")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/state_scale.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    print(f"{datetime.date.today()} {platform.node()} {platform.processor() or ''} "
          f"Python {platform.python_version()}, {os.cpu_count()} cores; pg_dump: "
          f"{shutil.which('pg_dump')}")
    sizes(args.top)
    if args.probe_rows:
        probe(args.probe_rows)
    if args.audit_as:
        audit_per_page(args.audit_as)
    if args.backup or args.restore_into:
        backup_and_restore(args.restore_into)


if __name__ == "__main__":
    main()
