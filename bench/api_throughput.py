"""Benchmark: the inquiry API at district size (a class's series results, a 10,000-value
occasion upsert), each against the bare view floor measured in the same run.

    .venv/bin/python bench/api_throughput.py [--seed 1] [--teachers 300] [--clients 50]
                                             [--requests 1500] [--seconds 60]
                                             [--upserts 5] [--quick]

1. The district database of bench/web_throughput.py (``uptake seed --size district`` and
   300 teachers' inquiries with 16 weekly occasions; built there if missing, else reused
   and migrated), copied to ``var/bench/api-…`` so that this run's writes never reach it.
2. In the copy: a personal access token for each bench teacher
   (``uptake.api.actions.create_token``, every scope), a session for each (as
   web_throughput), and a "sync" teacher who teaches classes of the district, chosen so
   that no student is in two of them, until they hold 10,000 students (the roster's
   ``TeacherAssignment`` rows, as a roster import writes them), with an inquiry and a
   score measure on those classes made by the inquiry actions.
3. Counts the queries of one results read and of upserts of 1,000 and 10,000 values
   (``CaptureQueriesContext``): the count must not grow with the number of values.
4. Starts gunicorn as web_throughput does (2 workers x 4 threads, production settings,
   the floor view added to the URLconf; the token rate limit raised for the run) and
   drives, with ``--clients`` threads each acting as a bench teacher:

   - floor: ``/__bench/ok/``, the bare view (session), as in web_throughput;
   - me: ``GET /api/v1/me`` with the teacher's token (the API's own floor: token, scopes,
     envelope, ETag);
   - results: ``GET /api/v1/measures/<id>/results`` of her score measure (two classes,
     16 weeks: verdicts, limits, paired change, growth, groups), with her token;
   - study: the study page of the same measure (session), for comparison;

   then, alone (one client), ``--upserts`` PUTs of 10,000 values to the sync teacher's
   measure (the first creates the occasions, the others update every value), timed, and
   as many single-client floor requests, so that the upsert's time has a floor of its own.

Prints requests/s, p50/p95 and each target's ratio to the floor. The clients share the
machine's cores with the server: the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import web_throughput as web  # noqa: E402  (the district database, server and driver)

SYNC_VALUES = 10_000
SYNC_DATE = "2026-12-01"


# ------------------------------------------------------------------------- phases


def _sync_classes(n_students: int) -> tuple[list[Any], list[int]]:
    """Classes with no student in common, until they hold ``n_students`` students."""
    from uptake.roster.models import Enrollment, Section
    from uptake.roster.queries import current_enrollment

    members: dict[int, list[int]] = {}
    for section_id, student_id in (Enrollment.objects.filter(current_enrollment())
                                   .values_list("section_id", "student_id")
                                   .order_by("section_id", "student_id")):
        members.setdefault(section_id, []).append(student_id)
    taken: set[int] = set()
    chosen: list[int] = []
    for section_id, students in members.items():
        if taken.isdisjoint(students):
            chosen.append(section_id)
            taken.update(students)
        if len(taken) >= n_students:
            break
    return list(Section.objects.filter(pk__in=chosen).order_by("pk")), sorted(taken)


def phase_setup(db: Path, workdir: Path) -> dict[str, Any]:
    """Tokens and sessions for the bench teachers; the sync teacher and her measure."""
    web._setup(db, workdir)
    from uptake.accounts.models import Role, RoleAssignment, User
    from uptake.api import actions as api_actions
    from uptake.api import scopes
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure
    from uptake.roster.models import Student, TeacherAssignment

    sessions = web.phase_sessions(db, workdir)
    teachers = web._bench_teachers()
    for client, user in zip(sessions["clients"], teachers, strict=True):
        client["token"] = api_actions.create_token(user, name="bench",
                                                   scopes=scopes.known()).secret
        client["results"] = "/api/v1" + client["study"].replace(
            "/inquiries/measures/", "/measures/").replace("/study/", "/results")
    sync = User.objects.filter(email="sync.bench@bench.test").first()
    if sync is None:
        first = teachers[0]
        sync = User.objects.create_user(email="sync.bench@bench.test", password=None,
                                        first_name="Sync", last_name="Bench",
                                        district=first.district)
        school = first.roles.filter(role=Role.TEACHER).first()
        RoleAssignment.objects.create(user=sync, role=Role.TEACHER, district=first.district,
                                      school=school.school if school else None)
    classes, students = _sync_classes(SYNC_VALUES)
    TeacherAssignment.objects.bulk_create(
        [TeacherAssignment(section=s, teacher=sync) for s in classes], ignore_conflicts=True)
    inquiry = do_create_inquiry(sync, title="Benchmark sync", change_idea="Weekly quiz")
    measure = do_create_measure(sync, inquiry, sections=classes, name="Weekly quiz",
                                kind="score", scale_min=0, scale_max=100)
    pseudonyms = list(Student.objects.filter(pk__in=students[:SYNC_VALUES])
                      .values_list("pseudonym", flat=True))
    return {**sessions, "sync": {
        "token": api_actions.create_token(sync, name="bench sync",
                                          scopes=scopes.known()).secret,
        "measure": measure.pk, "classes": len(classes), "pseudonyms": pseudonyms}}


def phase_queries(db: Path, workdir: Path, setup: dict[str, Any]) -> dict[str, Any]:
    """Queries of one results read, and of upserts of 1,000 and 10,000 values."""
    web._setup(db, workdir)
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    out: dict[str, Any] = {}
    me = setup["clients"][0]
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(me["results"],
                            headers={"Authorization": f"Bearer {me['token']}"}).status_code
    out["results"] = {"status": status, "queries": len(ctx)}
    sync = setup["sync"]
    for n in (1_000, SYNC_VALUES):
        body = json.dumps({"values": [{"student": p, "value": 50}
                                      for p in sync["pseudonyms"][:n]]})
        # Measured inside a transaction that is rolled back: the run's upserts start afresh.
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                status = client.put(f"/api/v1/measures/{sync['measure']}/occasions/2026-11-02",
                                    body, content_type="application/json",
                                    headers={"Authorization": f"Bearer {sync['token']}"}
                                    ).status_code
            transaction.set_rollback(True)
        out[f"upsert_{n}"] = {"status": status, "queries": len(ctx)}
    return out


def _phase(name: str, args: argparse.Namespace, db: Path, data: Path | None = None
           ) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name, "--db", str(db),
               "--workdir", args.workdir]
    if data is not None:
        command += ["--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- driving


def drive_token(base: str, setup: dict[str, Any], target: str, *, clients: int,
                requests_n: int, seconds: float) -> dict[str, Any]:
    """web_throughput's driver, each request carrying the bearer token of the teacher
    whose URL it is (her own measure) instead of her session."""
    import requests

    tokens = {base + c[target]: c["token"] for c in setup["clients"]}
    original = requests.Session

    class TokenSession(original):  # type: ignore[misc, valid-type]
        def get(self, url: Any, **kwargs: Any) -> Any:
            kwargs["headers"] = {"Authorization": f"Bearer {tokens[url]}"}
            return super().get(url, **kwargs)

    requests.Session = TokenSession  # type: ignore[misc]
    try:
        return web.drive(base, setup, target, clients=clients, requests_n=requests_n,
                         seconds=seconds)
    finally:
        requests.Session = original  # type: ignore[misc]


def upserts(base: str, setup: dict[str, Any], n: int) -> dict[str, Any]:
    """``n`` PUTs of 10,000 values in turn (the first creates, the others update), and as
    many single-client floor requests; both timed."""
    import requests

    sync = setup["sync"]
    url = f"{base}/api/v1/measures/{sync['measure']}/occasions/{SYNC_DATE}"
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {sync['token']}"
    times, statuses, sizes = [], [], []
    for i in range(n):
        body = json.dumps({"values": [{"student": p, "value": float((i + j) % 101)}
                                      for j, p in enumerate(sync["pseudonyms"])]})
        started = time.perf_counter()
        r = http.put(url, data=body, timeout=600,
                     headers={"Content-Type": "application/json",
                              "Idempotency-Key": f"bench-{time.time_ns()}-{i}"})
        times.append(time.perf_counter() - started)
        statuses.append(r.status_code)
        sizes.append(len(body))
        if r.status_code not in (200, 201):
            raise SystemExit(f"upsert {i} answered {r.status_code}: {r.text[:500]}")
    floor_http = requests.Session()
    me = setup["clients"][0]
    floor_http.cookies.set(setup["cookie_name"], me["cookie"], domain="127.0.0.1")
    floor = []
    for _ in range(max(n, 20)):
        started = time.perf_counter()
        floor_http.get(base + web.FLOOR_PATH, timeout=60)
        floor.append(time.perf_counter() - started)
    return {"statuses": statuses, "seconds": times, "body_bytes": sizes[0],
            "floor_ms": statistics.median(floor) * 1e3}


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1500, help="per target")
    parser.add_argument("--seconds", type=float, default=60, help="per target, at most")
    parser.add_argument("--upserts", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="300 requests, 20 s per target")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", choices=["setup", "queries"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        db, workdir = Path(args.db), Path(args.workdir)
        result = (phase_setup(db, workdir) if args.phase == "setup" else
                  phase_queries(db, workdir, json.loads(Path(args.data).read_text())))
        print(json.dumps(result, default=str))
        return
    if args.quick:
        args.requests, args.seconds = 300, 20.0

    source = web.ensure_db(args)
    db = source.with_name("api-" + source.name)
    shutil.copyfile(source, db)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    setup = _phase("setup", args, db)
    data = db.with_suffix(".json")
    data.write_text(json.dumps(setup))
    queries = _phase("queries", args, db, data)
    os.environ["API_TOKEN_RATE_PER_MINUTE"] = "1000000"
    proc, base = web.start_server(db, Path(args.workdir), args.workers, args.threads)
    results: list[dict[str, Any]] = []
    try:
        web.wait_ready(base, proc)
        for target in ("floor", "me", "results", "study"):
            run = drive_token if target in ("me", "results") else web.drive
            if target == "me":
                for c in setup["clients"]:
                    c["me"] = "/api/v1/me"
            run(base, setup, target, clients=args.clients, requests_n=args.clients,
                seconds=args.seconds)  # warm-up: one request per client
            results.append(run(base, setup, target, clients=args.clients,
                               requests_n=args.requests, seconds=args.seconds))
        upsert = upserts(base, setup, args.upserts)
    finally:
        web.stop_server(proc)
        data.unlink(missing_ok=True)
    _report(args, setup, queries, results, upsert)


def _report(args: argparse.Namespace, setup: dict[str, Any], queries: dict[str, Any],
            results: list[dict[str, Any]], upsert: dict[str, Any]) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average "
          f"{os.getloadavg()[0]:.1f}; gunicorn {args.workers} workers x {args.threads} "
          f"threads; {args.clients} clients")
    print("queries: " + ", ".join(f"{k} {v['queries']} (HTTP {v['status']})"
                                  for k, v in queries.items()))
    floor = results[0]
    if not all(r["ok"] for r in results):
        raise SystemExit(f"a target answered no request: {results}")
    print(f"{'target':<8}{'ok':>7}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'x floor time':>14}{'x floor p95':>13}")
    for r in results:
        print(f"{r['target']:<8}{r['ok']:>7}{r['errors']:>8}{r['rps']:>9.1f}"
              f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{floor['rps'] / r['rps']:>14.1f}"
              f"{r['p95_ms'] / floor['p95_ms']:>13.1f}")
        if r["errors"]:
            print(f"  errors, e.g. {r['error_sample']}")
    secs = upsert["seconds"]
    update = statistics.median(secs[1:] or secs)
    print(f"upsert of {SYNC_VALUES:,} values into {setup['sync']['classes']} classes "
          f"({upsert['body_bytes']:,} bytes), one client: HTTP {upsert['statuses']}; "
          f"first (creates) {secs[0]:.2f} s, updates median {update:.2f} s; single-client "
          f"floor {upsert['floor_ms']:.1f} ms, so x{update * 1e3 / upsert['floor_ms']:.0f} "
          f"the floor ({update * 1e6 / SYNC_VALUES:.0f} µs a value)")


if __name__ == "__main__":
    main()
