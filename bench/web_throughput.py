"""Benchmark: teacher home and study view under 50 concurrent clients, against a bare view.

    .venv/bin/python bench/web_throughput.py [--seed 1] [--teachers 300] [--clients 50]
                                             [--requests 1500] [--seconds 60] [--quick]

1. Builds (or reuses, keyed by size and seed, after applying any new migrations) a SQLite
   database under var/bench/: the district of ``uptake seed --size district`` (5,000
   educators, 50,000 students, through the roster import actions), then for
   ``--teachers`` teachers an inquiry made with ``do_create_inquiry`` and two measures
   made with ``do_create_measure`` (a score on two of her classes, a proportion on one),
   each with 16 weekly occasions. Occasions, student values and class totals are written
   with ``bulk_create``, rows exactly as ``_write_occasion`` writes them (one
   ``do_save_occasion`` per occasion would take most of an hour and adds only audit rows,
   which the pages do not read).
2. Counts the queries each page makes (``CaptureQueriesContext``) for a few teachers.
3. Starts gunicorn on 127.0.0.1 (a free port; 2 workers x 4 threads and
   gunicorn.conf.py, as ``make demo``: the app loaded before the workers fork, the chart
   renderer started in each worker before its first request) with production settings
   (DEBUG off, a SECRET_KEY, only the TLS redirect off), and a session for each teacher
   written to the database (as a sign-in would).
4. Drives ``--clients`` threads (``requests``, keep-alive) at three targets in turn, each
   bounded by ``--requests`` and ``--seconds``:

   - floor: ``/__bench/ok/``, a view added only in this benchmark's URLconf (the app's
     URLs plus this one) that reads ``request.user`` (so the session and user are loaded,
     as on every page) and returns "ok", through the same middleware;
   - home: ``/``, the teacher's home (inquiries in progress, needs data, what changed);
   - study: ``/inquiries/measures/<id>/study/`` of the teacher's score measure.

Prints requests/s and p50/p95 latency per target and each one's ratio to the floor.
The clients run on the same two cores as the server, so absolute figures are low; the
ratios are what to compare. gunicorn is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

FLOOR_PATH = "/__bench/ok/"
WEEKS = 16


# --------------------------------------------------------------------------- settings


Db = Path | str  # a SQLite file, or a PostgreSQL URL


def database_url(db: Db) -> str:
    return db if isinstance(db, str) else f"sqlite:///{db}"


def django_env(db: Db, workdir: Path) -> dict[str, str]:
    """Production settings (no DEBUG, no test or demo mode) on the bench database."""
    return {**os.environ,
            "DJANGO_SETTINGS_MODULE": "uptake.settings", "SECRET_KEY": "bench-" + "x" * 50,
            "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": database_url(db),
            "UPTAKE_VAR_DIR": str(workdir), "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            # Production refuses to start without it (issue 14); a throw-away key for the
            # bench database only, the same every run so a built database stays readable.
            "BADGE_KEY_ENCRYPTION_KEYS": os.environ.get(
                "BADGE_KEY_ENCRYPTION_KEYS", "eGazrEdwdAkn1kWrV7SaURXQoZNc0AADsrFME9LvUUo=")}


def _setup(db: Db, workdir: Path) -> None:
    os.environ.update(django_env(db, workdir))
    import django

    django.setup()


def db_path(workdir: Path, seed: int, teachers: int, *, key_pages: bool = False,
            database: str = "sqlite", tag: str = "", size: str = "district") -> Db:
    """The bench database: with ``key_pages`` also the data of every key page
    (bench/_key_pages.py); ``tag`` keeps apart two copies (a before and an after)."""
    name = f"web-{size}-s{seed}-t{teachers}{'-k' if key_pages else ''}{tag and '-' + tag}"
    if database == "postgres":
        return f"{PG_SERVER}/uptake_bench_{name.replace('-', '_')}"
    return workdir / f"{name}.sqlite3"


PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def _pg_admin(sql: str, *params: Any) -> list[Any]:
    """One statement on the server's ``postgres`` database (autocommit: CREATE/DROP)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        cur = conn.execute(sql, params or None)  # type: ignore[call-overload]
        return list(cur.fetchall()) if cur.description else []


def db_exists(db: Db) -> bool:
    if isinstance(db, Path):
        return db.exists()
    return bool(_pg_admin("SELECT 1 FROM pg_database WHERE datname = %s",
                          db.rsplit("/", 1)[1]))


def _db_arg(value: str) -> Db:
    return value if value.startswith("postgres") else Path(value)


# ------------------------------------------------------------------------ building


def copy_db(source: Db, target: Db) -> None:
    """A copy of a bench database (SQLite's back-up API; PostgreSQL's TEMPLATE)."""
    if isinstance(source, Path) and isinstance(target, Path):
        import sqlite3

        for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            p.unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    assert isinstance(source, str) and isinstance(target, str)
    name = target.rsplit("/", 1)[1]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{source.rsplit("/", 1)[1]}"')


def phase_build(db: Db, workdir: Path, seed: int, teachers: int, key_pages: bool = False,
                size: str = "district", plain: Db | None = None,
                from_sqlite: Path | None = None) -> dict[str, Any]:
    """Seed the district and add inquiries (and with ``key_pages`` the data of every key
    page); or, given the database without the key pages' data (``plain``), a copy of it
    with that data added; or, on PostgreSQL, a copy of the same SQLite bench database
    (``from_sqlite``, bench/_sqlite_to_pg.py). The file or database is renamed into
    place when done."""
    tmp: Db
    if isinstance(db, Path):
        tmp = db.with_suffix(".building")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
    else:
        tmp = db + "_building"
        _pg_admin(f'DROP DATABASE IF EXISTS "{tmp.rsplit("/", 1)[1]}" WITH (FORCE)')
        if plain is None:
            _pg_admin(f'CREATE DATABASE "{tmp.rsplit("/", 1)[1]}"')
    if plain is not None:
        copy_db(plain, tmp)
    _setup(tmp, workdir)
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    made: dict[str, Any] = {}
    if from_sqlite is not None:
        from _sqlite_to_pg import copy_sqlite_to_postgres

        connection.close()
        assert isinstance(tmp, str)
        copied = copy_sqlite_to_postgres(from_sqlite, tmp)
        made = {"copied_from": str(from_sqlite), "rows_copied": sum(copied.values())}
        key_pages = False
    elif plain is None:
        call_command("seed", size=size, seed=seed, district="bench", verbosity=0)
    seeded = time.perf_counter()
    if plain is None and from_sqlite is None:
        made = add_inquiries(teachers, seed)
    if key_pages:
        from _key_pages import add_key_page_data

        made |= add_key_page_data(seed, _bench_teachers())
    if isinstance(db, Path):
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        assert isinstance(tmp, Path)
        tmp.rename(db)
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        connection.close()
        assert isinstance(tmp, str)
        _pg_admin(f'ALTER DATABASE "{tmp.rsplit("/", 1)[1]}" RENAME TO "{db.rsplit("/", 1)[1]}"')
    return {"seed_seconds": seeded - started, "inquiry_seconds": time.perf_counter() - seeded,
            **made}


def phase_migrate(db: Db, workdir: Path) -> dict[str, Any]:
    """Bring a reused database up to the code's migrations (new columns, new tables), and
    collect the static files again (a page may link a stylesheet added since the build)."""
    _setup(db, workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    return {"applied": [f"{m.app_label}.{m.name}" for m, _ in pending]}


def add_inquiries(n_teachers: int, seed: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.utils import timezone

    from uptake.accounts.models import Role, User
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure
    from uptake.inquiry.models import Measure

    rng = random.Random(seed)
    teachers = list(User.objects.filter(roles__role=Role.TEACHER)
                    .annotate(n=Count("teacher_assignments")).filter(n__gte=2)
                    .order_by("pk").distinct()[:n_teachers])
    today = timezone.localdate()
    dates = [today - timedelta(days=3 + 7 * w) for w in reversed(range(WEEKS))]
    counts = {"teachers": len(teachers), "measures": 0, "occasions": 0, "values": 0}
    for i, teacher in enumerate(teachers):
        sections = list(teacher.sections.order_by("pk")[:2])
        inquiry = do_create_inquiry(
            teacher, title=f"Exit tickets with sentence stems {i}",
            problem_of_practice="Students rarely explain their reasoning in writing.",
            question="Do sentence stems raise the quality of written explanations?",
            change_idea="Sentence stems on every exit ticket.",
            prediction="Scores rise above the baseline median within six weeks.")
        # A third of the teachers stopped entering data three weeks ago: "needs data".
        stop = WEEKS - 3 if i % 3 == 0 else WEEKS
        score = do_create_measure(teacher, inquiry, sections=sections, name="Exit ticket score",
                                  kind=Measure.Kind.SCORE, scale_min=0, scale_max=100,
                                  direction="up", change_date=dates[8])
        share = do_create_measure(teacher, inquiry, sections=sections[:1],
                                  name="Students who explain their thinking",
                                  kind=Measure.Kind.PROPORTION, direction="up",
                                  change_date=dates[8])
        for section in sections:
            counts["values"] += _occasions(teacher, score, section, dates[:stop], rng)
        counts["values"] += _occasions(teacher, share, sections[0], dates[:stop], rng)
        counts["measures"] += 2
        counts["occasions"] += stop * (len(sections) + 1)
    return counts


def _occasions(teacher: Any, measure: Any, section: Any, dates: list[Any],
               rng: random.Random) -> int:
    """Occasions with values or totals, the rows ``_write_occasion`` makes, in bulk."""
    from uptake.inquiry.actions import current_students
    from uptake.inquiry.models import ClassTotal, Occasion, StudentValue

    students = [s.pk for s in current_students(section)]
    occasions = Occasion.objects.bulk_create(
        [Occasion(measure=measure, section=section, date=d, entered_by=teacher)
         for d in dates])
    lift = rng.choice([0, 0, 8, -5])
    if measure.per_student:
        rows = [StudentValue(occasion=o, student_id=s,
                             value=None if rng.random() < 0.05 else
                             round(min(100, max(0, rng.gauss(55 + lift * (w >= 8), 12)))))
                for w, o in enumerate(occasions) for s in students]
        StudentValue.objects.bulk_create(rows, batch_size=2000)
        return len(rows)
    n = max(len(students), 1)
    ClassTotal.objects.bulk_create(
        [ClassTotal(occasion=o, denominator=n,
                    numerator=min(n, max(0, round(rng.gauss(0.4 + 0.02 * lift * (w >= 8),
                                                            0.1) * n))))
         for w, o in enumerate(occasions)])
    return len(occasions)


# ------------------------------------------------------------------ sessions, queries


def _targets_for(user: Any) -> dict[str, str]:
    from uptake.inquiry.models import Measure

    m = Measure.objects.filter(inquiry__owner=user, kind=Measure.Kind.SCORE).order_by("pk")
    return {"home": "/", "study": f"/inquiries/measures/{m.first().pk}/study/"}  # type: ignore[union-attr]


def _bench_teachers() -> list[Any]:
    from uptake.accounts.models import User

    return list(User.objects.filter(inquiries__isnull=False).distinct().order_by("pk"))


def session_cookie(user: Any) -> str:
    """A signed-in session for ``user``, stored as a password sign-in stores it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    # The backend a password sign-in records (axes only guards, it loads no users).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = backend
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key or ""


def phase_sessions(db: Db, workdir: Path) -> dict[str, Any]:
    """A signed-in session per bench teacher, stored as a sign-in stores it."""
    _setup(db, workdir)
    from django.conf import settings

    clients = [{"cookie": session_cookie(user), **_targets_for(user)}
               for user in _bench_teachers()]
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "clients": clients}


def phase_queries(db: Db, workdir: Path) -> dict[str, Any]:
    """Queries per page for a few teachers (same counts for all means no N+1)."""
    _setup(db, workdir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    out: dict[str, Any] = {}
    client = Client()
    for user in _bench_teachers()[:3]:
        client.force_login(user)
        for name, url in _targets_for(user).items():
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(url).status_code
            out.setdefault(name, []).append({"status": status, "queries": len(ctx)})
    return out


# ------------------------------------------------------------------- the key pages

PAGES = ("home", "inquiry", "study", "submission", "queue", "story", "dashboard", "map")


def _page_viewers() -> dict[str, list[tuple[Any, str]]]:
    """For each key page, the people who open it and the URL each opens."""
    from django.urls import reverse

    from uptake.accounts.models import Role, User
    from uptake.credentials.models import Submission
    from uptake.stories.models import Story

    teachers = _bench_teachers()
    out: dict[str, list[tuple[Any, str]]] = {p: [] for p in PAGES}
    for user in teachers:
        mine = _targets_for(user)
        inquiry = user.inquiries.order_by("pk").first()
        out["home"].append((user, mine["home"]))
        out["study"].append((user, mine["study"]))
        out["inquiry"].append((user, reverse("inquiry:detail", args=[inquiry.pk])))
        # Her draft (the builder: records, reflection, pre-check, impact rows); two
        # teachers in three have sent theirs to an assessor.
        sub = Submission.objects.filter(educator=user, submitted_at__isnull=True).first()
        if sub is not None:
            out["submission"].append((user, reverse("credentials:submission", args=[sub.pk])))
        story = Story.objects.filter(inquiry=inquiry).first()
        if story is not None:
            out["story"].append((user, reverse("stories:detail", args=[story.pk])))
    staff = User.objects.filter(district__slug="bench").order_by("pk").distinct()
    for user in staff.filter(roles__role=Role.ASSESSOR, credential_reviews__isnull=False):
        out["queue"].append((user, reverse("credentials:queue")))
    for user in staff.filter(roles__role=Role.COORDINATOR, email__startswith="bench-"):
        out["dashboard"].append((user, reverse("district:dashboard")))
        out["map"].append((user, reverse("networks:home")))
    return out


def phase_page_sessions(db: Db, workdir: Path) -> dict[str, Any]:
    """A signed-in session per viewer of each key page, stored as a sign-in stores it."""
    _setup(db, workdir)
    from django.conf import settings

    cookies: dict[int, str] = {}

    def cookie(user: Any) -> str:
        if user.pk not in cookies:
            cookies[user.pk] = session_cookie(user)
        return cookies[user.pk]

    pages = {page: [{"cookie": cookie(u), page: url} for u, url in viewers]
             for page, viewers in _page_viewers().items()}
    pages["floor"] = [{"cookie": c["cookie"]} for c in pages["home"]]
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "pages": pages}


QUERY_VIEWERS = int(os.environ.get("BENCH_QUERY_VIEWERS", "3"))


def phase_page_queries(db: Db, workdir: Path) -> dict[str, Any]:
    """Status and queries of each key page for three of its viewers ($BENCH_QUERY_VIEWERS;
    after one warm-up request each: same counts for all means no N+1)."""
    _setup(db, workdir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    out: dict[str, Any] = {}
    for page, viewers in _page_viewers().items():
        for user, url in viewers[:QUERY_VIEWERS]:
            client = Client()
            client.force_login(user)
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(url).status_code
            out.setdefault(page, []).append({"status": status, "queries": len(ctx)})
    return out


# --------------------------------------------------------------------------- serving


def bench_application() -> Any:
    """gunicorn factory: the app with one more URL, the floor view."""
    import django
    from django.conf import settings

    django.setup()
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    def ok(request: HttpRequest) -> HttpResponse:
        # Touch the user so the session and user rows are read, as on every real page.
        return HttpResponse("ok" if request.user.is_authenticated else "anonymous",
                            content_type="text/plain")

    global urlpatterns
    urlpatterns = [path(FLOOR_PATH.strip("/") + "/", ok), path("", include("uptake.urls"))]
    settings.ROOT_URLCONF = __name__
    # The application `make demo` serves, loaded as it loads it (URLconf and chart code
    # imported before the workers fork), on this URLconf.
    from uptake.wsgi import application

    return application


urlpatterns: list[Any] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Db, workdir: Path, workers: int, threads: int, *,
                 log: Path | None = None, more: tuple[str, ...] = ()
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn serving ``bench_application``; its output to ``log`` when given; ``more``
    gunicorn options."""
    port = _free_port()
    out = log.open("ab") if log is not None else None
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "web_throughput:bench_application()",
         "--config", str(ROOT / "gunicorn.conf.py"),
         "--pythonpath", f"{BENCH},{ROOT}", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
         "--timeout", "120", *more],
        env=django_env(db, workdir), cwd=ROOT, start_new_session=True,
        stdout=out, stderr=subprocess.STDOUT if out is not None else None)
    if out is not None:
        out.close()  # the child has its own descriptor
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(base: str, proc: subprocess.Popen[bytes], limit: float = 180) -> None:
    import requests

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            if requests.get(base + FLOOR_PATH, timeout=limit).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {limit:.0f} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # gunicorn's own process group (new session)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --------------------------------------------------------------------------- driving


def drive(base: str, sessions: dict[str, Any], target: str, *, clients: int, requests_n: int,
          seconds: float) -> dict[str, Any]:
    """``clients`` threads, each a signed-in teacher, until the count or the time is up."""
    import requests

    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        me = sessions["clients"][k % len(sessions["clients"])]
        url = base + (FLOOR_PATH if target == "floor" else me[target])
        http = requests.Session()
        http.cookies.set(sessions["cookie_name"], me["cookie"], domain="127.0.0.1")
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= requests_n:
                    return
                issued[0] += 1
            t = time.perf_counter()
            try:
                r = http.get(url, timeout=120, allow_redirects=False)
                ok = r.status_code == 200
                problem = f"{r.status_code} {url}"
            except requests.RequestException as exc:
                ok, problem = False, f"{type(exc).__name__} {url}"
            with lock:
                (latencies.append(time.perf_counter() - t) if ok else errors.append(problem))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")

    return {"target": target, "ok": len(lat), "errors": len(errors),
            "error_sample": errors[:3], "seconds": elapsed, "rps": len(lat) / elapsed,
            "p50_ms": pct(0.50) * 1e3, "p95_ms": pct(0.95) * 1e3,
            "mean_ms": statistics.fmean(lat) * 1e3 if lat else float("nan")}


# ----------------------------------------------------------------------------- main


def _run_phase(name: str, args: argparse.Namespace, db: Db, *more: str) -> dict[str, Any]:
    extra = (["--key-pages"] if getattr(args, "key_pages", False) else [])
    extra += ["--size", getattr(args, "size", "district")]
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--db", str(db),
                           "--workdir", args.workdir, "--seed", str(args.seed),
                           "--teachers", str(args.teachers), *extra, *more],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ensure_db(args: argparse.Namespace) -> Db:
    """The bench database of ``args`` (seed, teachers; and when given, database, key_pages,
    tag), built when missing, else brought up to the code's migrations."""
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = db_path(workdir, args.seed, args.teachers,
                 key_pages=getattr(args, "key_pages", False),
                 database=getattr(args, "database", "sqlite"), tag=getattr(args, "tag", ""),
                 size=getattr(args, "size", "district"))
    shown = db if isinstance(db, str) else (
        db.relative_to(ROOT) if db.is_relative_to(ROOT) else db)
    if db_exists(db):
        print(f"reusing {shown}")
        migrated = _run_phase("migrate", args, db)
        if migrated["applied"]:
            print(f"  migrated: {', '.join(migrated['applied'])}")
        return db
    plain = db_path(workdir, args.seed, args.teachers, database=getattr(args, "database",
                                                                         "sqlite"),
                    size=getattr(args, "size", "district"))
    extra: list[str] = []
    twin = db_path(workdir, args.seed, args.teachers, key_pages=getattr(args, "key_pages", False),
                   tag=getattr(args, "tag", ""), size=getattr(args, "size", "district"))
    if isinstance(db, str) and db_exists(twin):
        # The same data on SQLite: copied (a seed on each database would take minutes).
        print(f"building {shown} from {twin}…", flush=True)
        _run_phase("migrate", args, twin)
        extra = ["--from-sqlite", str(twin)]
    elif getattr(args, "key_pages", False) and db_exists(plain):
        print(f"building {shown} from {plain} (every key page's data added)…", flush=True)
        extra = ["--plain", str(plain)]
    else:
        print(f"building {shown} (district seed {args.seed}, {args.teachers} teachers' "
              f"inquiries{', every key page' if getattr(args, 'key_pages', False) else ''})…",
              flush=True)
    made = _run_phase("build", args, db, *extra)
    print(f"  migrated and seeded (or copied) in {made.pop('seed_seconds'):.0f} s, the rest in "
          f"{made.pop('inquiry_seconds'):.0f} s: "
          + ", ".join(f"{v:,} {k}" if isinstance(v, int) else f"{k} {v}"
                      for k, v in made.items()), flush=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1500, help="per target")
    parser.add_argument("--seconds", type=float, default=60, help="per target, at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="300 requests, 20 s per target")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite",
                        help="postgres: a database on $BENCH_PG_SERVER "
                             "(default postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--pages", default="home,study",
                        help=f"comma-separated, of {','.join(PAGES)}, or 'all' (default "
                             "home,study: the teacher's pages, on the database without "
                             "the other pages' data)")
    parser.add_argument("--tag", default="", help="a name for a separate copy of the "
                                                  "database (e.g. before)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", choices=["build", "migrate", "sessions", "queries",
                                            "page_sessions", "page_queries"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--key-pages", action="store_true", help=argparse.SUPPRESS)
    # `uptake seed --size`: "small" only to try the script out, never for figures.
    parser.add_argument("--size", default="district", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--plain", help=argparse.SUPPRESS)
    parser.add_argument("--from-sqlite", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        db, workdir = _db_arg(args.db), Path(args.workdir)
        phases = {"build": lambda: phase_build(db, workdir, args.seed, args.teachers,
                                               args.key_pages, args.size,
                                               _db_arg(args.plain) if args.plain else None,
                                               Path(args.from_sqlite) if args.from_sqlite
                                               else None),
                  "migrate": lambda: phase_migrate(db, workdir),
                  "sessions": lambda: phase_sessions(db, workdir),
                  "queries": lambda: phase_queries(db, workdir),
                  "page_sessions": lambda: phase_page_sessions(db, workdir),
                  "page_queries": lambda: phase_page_queries(db, workdir)}
        print(json.dumps(phases[args.phase](), default=str))
        return
    if args.quick:
        args.requests, args.seconds = 300, 20.0
    pages = list(PAGES) if args.pages == "all" else [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; choose of "
                     f"{', '.join(PAGES)}")
    # The teacher home and study view alone run on the database without the other pages'
    # data (the figures recorded before issue 17); any other page needs it all.
    args.key_pages = set(pages) != {"home", "study"} and set(pages) != {"home"} \
        and set(pages) != {"study"}

    db = ensure_db(args)
    if args.key_pages:
        queries = _run_phase("page_queries", args, db)
        sessions = _run_phase("page_sessions", args, db)
        runs = {t: {"cookie_name": sessions["cookie_name"], "clients": sessions["pages"][t]}
                for t in ["floor", *pages]}
    else:
        queries = _run_phase("queries", args, db)
        one = _run_phase("sessions", args, db)
        runs = {t: one for t in ["floor", *pages]}
    empty = [t for t, r in runs.items() if not r["clients"]]
    if empty:
        raise SystemExit(f"nobody to open: {', '.join(empty)} (the data is missing)")
    proc, base = start_server(db, Path(args.workdir), args.workers, args.threads)
    results = []
    try:
        wait_ready(base, proc)
        for target, sessions in runs.items():
            drive(base, sessions, target, clients=args.clients, requests_n=args.clients,
                  seconds=args.seconds)  # warm-up: one request per client
            results.append(drive(base, sessions, target, clients=args.clients,
                                 requests_n=args.requests, seconds=args.seconds))
    finally:
        stop_server(proc)
    _report(args, queries, results)


def _report(args: argparse.Namespace, queries: dict[str, Any],
            results: list[dict[str, Any]]) -> None:
    load = [f"{x:.2f}" for x in os.getloadavg()]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, "
          f"{'PostgreSQL' if args.database == 'postgres' else 'SQLite'}; load average "
          f"{' '.join(load)}; gunicorn {args.workers} workers x {args.threads} "
          f"threads; {args.clients} clients; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for name, rows in queries.items():
        print(f"queries per {name} page ({len(rows)} viewers): "
              + ", ".join(f"{r['queries']} (HTTP {r['status']})" for r in rows))
    floor = results[0]
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"database": args.database, "load": load, "queries": queries,
             "results": results, "at": time.time()}, indent=1, default=str))
    if not floor["ok"]:
        raise SystemExit(f"the floor answered no request: {floor}")
    print(f"{'target':<11}{'ok':>7}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'x floor time':>14}{'x floor p95':>13}")
    for r in results:
        if not r["ok"]:
            print(f"{r['target']:<11}{0:>7}{r['errors']:>8}  no request answered: "
                  f"{r['error_sample']}")
            continue
        print(f"{r['target']:<11}{r['ok']:>7}{r['errors']:>8}{r['rps']:>9.1f}"
              f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{floor['rps'] / r['rps']:>14.1f}"
              f"{r['p95_ms'] / floor['p95_ms']:>13.1f}")
        if r["errors"]:
            print(f"  errors, e.g. {r['error_sample']}")
    if any(r["errors"] or not r["ok"] for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
