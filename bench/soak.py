"""Load and soak test: a district's mixed workload on gunicorn and the worker, with locust.

    .venv/bin/python bench/soak.py [--users 100] [--minutes 10] [--database postgres]
                                   [--spawn-rate 5] [--quick]
    make soak

1. The district database of bench/web_throughput.py with every key page's data
   (``--pages all``: ``uptake seed --size district``, 300 teachers' inquiries, credential
   drafts and submissions, assessors' queues, stories, the dashboard's summaries and
   programs, 20,000 named ties; built there if missing, else migrated), copied afresh for
   each run (PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: the file) so that one
   run's writes never reach the next.
2. In the copy, as a sign-in and the token page write them: a session for each bench
   teacher, assessor, coordinator and school leader; a personal access token (every
   scope) for each bench teacher, for the API sync jobs. Written to a JSON file that
   bench/locustfile.py reads.
3. Starts gunicorn on 127.0.0.1 (a free port, 2 workers x 4 threads, ``gunicorn.conf.py``,
   production settings: as web_throughput) and ``manage.py db_worker`` (the summaries
   refreshed after every data change run there), then locust headless with
   ``--users`` users spawned ``--spawn-rate`` a second for ``--minutes``. The workload
   (bench/locustfile.py): teachers reading their pages and entering data through the data
   entry page (a new occasion or a corrected one), assessors on their queue and reading
   submissions, coordinators and school leaders on the dashboards and the PLN map, API
   sync jobs (a token: who am I, the inquiries, a measure's results, a date's values
   upserted with an Idempotency-Key).
4. Stops locust, the worker and gunicorn whatever happens; prints per request type the
   count, failures, p50, p95, p99 and max, and the worker's tasks by status; exits 1 on
   any failed request, any failed task, or a traceback or a worker killed in gunicorn's log
   (var/bench/soak-gunicorn.log, kept with locust's CSV files under var/bench/soak-*).

``--quick``: 20 users for one minute, to try the script out (not for figures).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import web_throughput as web  # noqa: E402  (the district database, server and settings)

SOAK_DB = "uptake_bench_soak"
OCCASIONS_SHOWN = 6  # of each teacher's occasions, the ones the soak corrects


# ------------------------------------------------------------------------ the copy


def fresh_copy(source: web.Db, workdir: Path) -> web.Db:
    """A copy of the built database for this run only."""
    if isinstance(source, Path):
        copy = workdir / "soak.sqlite3"
        for p in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            p.unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        return copy
    name = source.rsplit("/", 1)[1]
    web._pg_admin(f'DROP DATABASE IF EXISTS "{SOAK_DB}" WITH (FORCE)')
    web._pg_admin(f'CREATE DATABASE "{SOAK_DB}" TEMPLATE "{name}"')
    return f"{web.PG_SERVER}/{SOAK_DB}"


def phase_people(db: web.Db, workdir: Path) -> dict[str, Any]:
    """Sessions and tokens for everyone the workload acts as, and what each opens."""
    web._setup(db, workdir)
    from django.conf import settings
    from django.urls import reverse

    from uptake.accounts.models import Role, User
    from uptake.api import actions as api_actions
    from uptake.api import scopes
    from uptake.credentials.models import Review, Submission
    from uptake.inquiry.actions import current_students
    from uptake.inquiry.models import Measure, Occasion
    from uptake.programs.models import Program
    from uptake.stories.models import Story

    cookie = web.session_cookie
    teachers, sync = [], []
    for user in web._bench_teachers():
        inquiry = user.inquiries.order_by("pk").first()
        score = Measure.objects.filter(inquiry=inquiry, kind=Measure.Kind.SCORE).first()
        assert score is not None
        sections = list(score.sections.order_by("pk"))
        me: dict[str, Any] = {
            "cookie": cookie(user), "inquiry": reverse("inquiry:detail", args=[inquiry.pk]),
            "study": reverse("inquiry:study", args=[score.pk]),
            "enter": [reverse("inquiry:enter", args=[score.pk, s.pk]) for s in sections],
            "occasions": [{"url": reverse("inquiry:occasion", args=[o.pk]),
                           "when": o.date.isoformat(), "label": o.label}
                          for o in Occasion.objects.filter(measure=score)
                          .order_by("-date", "pk")[:OCCASIONS_SHOWN]]}
        story = Story.objects.filter(inquiry=inquiry, published_at__isnull=False).first()
        if story is not None:
            me["story"] = reverse("stories:detail", args=[story.pk])
        draft = Submission.objects.filter(educator=user, submitted_at__isnull=True).first()
        if draft is not None:
            me["submission"] = reverse("credentials:submission", args=[draft.pk])
        teachers.append(me)
        sync.append({
            "token": api_actions.create_token(user, name="soak sync",
                                              scopes=scopes.known()).secret,
            "inquiries": "/api/v1/inquiries",
            "results": f"/api/v1/measures/{score.pk}/results",
            "occasions": f"/api/v1/measures/{score.pk}/occasions/",
            "classes": [{"id": sec.pk, "students": [s.pseudonym for s in current_students(sec)]}
                        for sec in sections]})
    staff = User.objects.filter(district__slug="bench").order_by("pk").distinct()
    assessors = []
    for user in staff.filter(roles__role=Role.ASSESSOR):
        reviews = Review.objects.filter(assessor=user, decided_at__isnull=True,
                                        released_at__isnull=True).order_by("pk")
        if reviews:
            assessors.append({"cookie": cookie(user), "queue": reverse("credentials:queue"),
                              "reviews": [reverse("credentials:review", args=[r.pk])
                                          for r in reviews]})
    programs = [reverse("district:program", args=[p.pk])
                for p in Program.objects.filter(district__slug="bench").order_by("pk")[:10]]
    leaders = [{"cookie": cookie(u), "dashboard": reverse("district:dashboard"),
                "map": reverse("networks:home"), "programs": programs}
               for u in staff.filter(roles__role=Role.COORDINATOR,
                                     email__startswith="bench-")]
    leaders += [{"cookie": cookie(u), "dashboard": reverse("district:dashboard"),
                 "map": reverse("networks:home"), "programs": []}
                for u in staff.filter(roles__role=Role.SCHOOL_LEADER)[:20]]
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "csrf_cookie_name":
            settings.CSRF_COOKIE_NAME, "teachers": teachers, "sync": sync,
            "assessors": assessors, "leaders": leaders}


def phase_tasks(db: web.Db, workdir: Path, since: float) -> dict[str, Any]:
    """The worker's tasks enqueued since ``since``, by status."""
    web._setup(db, workdir)
    from datetime import UTC, datetime

    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (DBTaskResult.objects.filter(enqueued_at__gte=datetime.fromtimestamp(since, UTC))
            .values("status").annotate(n=Count("id")))
    return {str(r["status"]): r["n"] for r in rows}


# --------------------------------------------------------------------------- running


def _phase(name: str, args: Namespace, db: web.Db, *extra: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--db", str(db),
                           "--workdir", args.workdir, *extra],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def start_worker(db: web.Db, workdir: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload",
                                 "-v", "1"], env=web.django_env(db, workdir), cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def run_locust(args: Namespace, base: str, people: Path, prefix: Path) -> int:
    env = {**os.environ, "SOAK_PEOPLE": str(people)}
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(BENCH / "locustfile.py"),
               "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
               "--run-time", f"{int(args.minutes * 60)}s", "--host", base,
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "180",
               "--loglevel", "WARNING"]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        return proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()


def stop(proc: subprocess.Popen[bytes]) -> None:
    web.stop_server(proc)  # SIGTERM to its process group, SIGKILL after 20 s


def read_stats(prefix: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    def rows(suffix: str) -> list[dict[str, str]]:
        path = Path(f"{prefix}_{suffix}.csv")
        if not path.exists():
            return []
        with path.open(newline="") as f:
            return list(csv.DictReader(f))
    return rows("stats"), rows("failures") + rows("exceptions")


def server_errors(log: Path) -> list[str]:
    """Tracebacks, worker timeouts and crashes in gunicorn's log."""
    if not log.exists():
        return []
    text = log.read_text(errors="replace")
    blocks = text.split("Traceback (most recent call last):")[1:]
    out = [("Traceback (most recent call last):" + b)[:3000] for b in blocks]
    # A worker killed for taking too long, or dying, shows only here (the client sees
    # its connection reset).
    out += [line for line in text.splitlines()
            if "WORKER TIMEOUT" in line or "[CRITICAL]" in line or "Worker exiting" in line]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="20 users for one minute")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--size", default="district", help=argparse.SUPPRESS)  # "small": tries
    parser.add_argument("--phase", choices=["people", "tasks"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--since", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(args.workdir)
    if args.phase:
        db = web._db_arg(args.db)
        result = (phase_people(db, workdir) if args.phase == "people"
                  else phase_tasks(db, workdir, args.since))
        print(json.dumps(result))
        return
    if args.quick:
        args.users, args.minutes = 20, 1.0

    built = web.ensure_db(Namespace(seed=args.seed, teachers=args.teachers,
                                    workdir=args.workdir, database=args.database,
                                    key_pages=True, tag="", size=args.size))
    db = fresh_copy(built, workdir)
    people = _phase("people", args, db)
    people_file = workdir / "soak-people.json"
    people_file.write_text(json.dumps(people))
    print(f"acting as {len(people['teachers'])} teachers, {len(people['sync'])} API sync "
          f"tokens, {len(people['assessors'])} assessors, {len(people['leaders'])} leaders "
          f"and coordinators", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prefix = workdir / f"soak-{stamp}"
    glog, wlog = workdir / "soak-gunicorn.log", workdir / "soak-worker.log"
    glog.unlink(missing_ok=True)
    wlog.unlink(missing_ok=True)
    started = time.time()
    # Idle connections kept 75 s, as nginx keeps a browser's (its keepalive_timeout) in
    # front of gunicorn in production: with gunicorn's own 2 s, a user thinking 1-6 s
    # between clicks races the server closing her connection (a reset no proxy shows).
    server, base = web.start_server(db, workdir, args.workers, args.threads, log=glog,
                                    more=("--keep-alive", "75"))
    worker = start_worker(db, workdir, wlog)
    loads = []
    try:
        web.wait_ready(base, server)
        print(f"locust: {args.users} users, {args.minutes:g} min, on {base} "
              f"({args.database}); load average {os.getloadavg()[0]:.1f}", flush=True)
        code = run_locust(args, base, people_file, prefix)
        loads.append(os.getloadavg())
    finally:
        stop(worker)
        stop(server)
    tasks = _phase("tasks", args, db, "--since", str(started - 5))
    report(args, prefix, code, tasks, loads, server_errors(glog), glog)


def report(args: Namespace, prefix: Path, code: int, tasks: dict[str, int],
           loads: list[tuple[float, float, float]], errors: list[str], glog: Path) -> None:
    stats, failures = read_stats(prefix)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.database}; "
          f"{args.users} users for {args.minutes:g} min; gunicorn {args.workers} workers x "
          f"{args.threads} threads + db_worker; load average at the end "
          + (" ".join(f"{x:.1f}" for x in loads[-1]) if loads else "?"))
    print(f"{'request':<42}{'count':>8}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'max ms':>9}{'req/s':>7}")
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        print(f"{name[:41]:<42}{int(row['Request Count']):>8}{int(row['Failure Count']):>6}"
              f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
              f"{float(row['Max Response Time']):>9.0f}{float(row['Requests/s']):>7.1f}")
    print("worker tasks: " + (", ".join(f"{n} {s.lower()}" for s, n in sorted(tasks.items()))
                              or "none"))
    failed_requests = sum(int(r["Failure Count"]) for r in stats if r["Name"] == "Aggregated")
    failed_tasks = sum(n for s, n in tasks.items() if s.upper() == "FAILED")
    for f in failures[:20]:
        print("FAILURE:", {k: v for k, v in f.items() if v})
    for e in errors[:5]:
        print("SERVER ERROR (gunicorn log):\n" + e)
    if errors:
        print(f"{len(errors)} traceback(s) in {glog}")
    if code or failed_requests or failed_tasks or errors or not stats:
        raise SystemExit(1)
    print("0 errors")


if __name__ == "__main__":
    main()
