"""Benchmark: the district dashboard at district size under 50 concurrent clients, against
a bare view measured in the same run.

    .venv/bin/python bench/district_dashboard.py [--seed 1] [--clients 50]
                                                 [--requests 600] [--seconds 60] [--quick]

1. Builds (or reuses, keyed by seed, after applying any new migrations and collecting the
   static files again) a SQLite database under var/bench/: a district of 50 schools,
   5,000 educators (4,500 teachers, coaches, school leaders, coordinators, researchers)
   and 50,000 students in 2,000 classes. A
   district's worth of five million data points is too big to enter through the actions in
   a benchmark, and the dashboard never reads them: it reads the precomputed per-series
   summaries (``inquiry.SeriesSummary``). So the build writes, with ``bulk_create``, the
   rows the dashboard reads, at that scale: an inquiry per class teacher with a score
   measure on her class (and a second measure for every other one: 3,000 measures), one
   summary per class and measure plus each measure's classes-together row (every verdict,
   effect, interval and student-group count filled, as ``refresh_measure`` writes them,
   none stale), 30 programs with sessions, 3,000 participants, attendance and the
   teachers' links to their inquiries, five fiscal years of spending (2,000 ledger lines)
   and 30 anonymous reactions surveys with 40 responses each.
2. Counts the queries the dashboard makes (``CaptureQueriesContext``) for a coordinator,
   a researcher and a school leader, and times warm requests in that one process against
   the bare view (the floor below, through the test client): the page's own cost with no
   other clients.
3. Starts gunicorn as bench/web_throughput.py does (2 workers x 4 threads, production
   settings, the same floor view ``/__bench/ok/`` in the same URLconf), with sessions for
   the coordinators and school leaders written to the database as a sign-in writes them.
4. Drives ``--clients`` threads at four targets in turn: the floor, the district dashboard
   (coordinators), a school leader's dashboard (her school only) and one program's
   dashboard with Guskey's five levels (coordinators). Prints requests/s and p50/p95
   latency per target and each one's ratio to the floor. The clients share the server's
   two cores, so absolute figures are low: the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
# Production settings refuse to start without a key for the issuers' signing keys; the
# bench district has no issuer, so a fixed throwaway key does (inherited by every phase
# and by gunicorn through web_throughput.django_env).
os.environ.setdefault("BADGE_KEY_ENCRYPTION_KEYS", "eGazrEdwdAkn1kWrV7SaURXQoZNc0AADsrFME9LvUUo=")

from web_throughput import (  # noqa: E402  (bench/ is on the path above)
    _setup,
    drive,
    start_server,
    stop_server,
    wait_ready,
)

SCHOOLS = 50
EDUCATORS = 5_000
STUDENTS = 50_000
CLASSES = 2_000
PROGRAMS = 30
SURVEYS = 30
VERDICTS = ("sustained_improvement", "change_not_sustained", "got_worse", "no_signal",
            "not_enough_data")
GROUPS = {"english_learner": ("Yes", "No"), "special_education": ("Yes", "No"),
          "economically_disadvantaged": ("Yes", "No"), "sex": ("Female", "Male"),
          "race_ethnicity": ("Asian", "Black or African American", "Hispanic or Latino",
                             "White", "Two or more races")}
TARGETS = ("floor", "district", "school", "program")


def db_path(workdir: Path, seed: int) -> Path:
    return workdir / f"district-dashboard-s{seed}.sqlite3"


# ------------------------------------------------------------------------ building


def phase_build(db: Path, workdir: Path, seed: int) -> dict[str, Any]:
    """The district and everything the dashboard reads; renamed into place when done."""
    tmp = db.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    _setup(tmp, workdir)
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    with transaction.atomic():
        counts = build_district(random.Random(seed))
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    tmp.rename(db)
    return {"migrate_seconds": migrated - started,
            "build_seconds": time.perf_counter() - migrated, **counts}


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    return list(model.objects.bulk_create(rows, batch_size=2000))


def build_district(rng: random.Random) -> dict[str, int]:
    from django.utils import timezone

    from uptake.accounts.models import District, Role, RoleAssignment, School, User
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    district = District.objects.create(name="Bench Unified School District", slug="bench")
    schools = _bulk(School, [School(district=district, name=f"School {i:02d}",
                                    sourced_id=f"sch-{i}") for i in range(SCHOOLS)])
    # 5,000 educators: 90 teachers per school, then coaches, leaders, district staff.
    plan: list[tuple[str, School | None]] = []
    for school in schools:
        plan += [(Role.TEACHER, school)] * 90 + [(Role.COACH, school)] * 8
        plan.append((Role.SCHOOL_LEADER, school))
    plan += [(Role.COORDINATOR, None)] * 25 + [(Role.RESEARCHER, None)] * 25
    plan = plan[:EDUCATORS]
    users = _bulk(User, [User(email=f"bench-{i}@bench.example.org",
                              first_name="Educator", last_name=f"{i:05d}", district=district,
                              password="!unusable", sourced_id=f"u-{i}")
                         for i in range(len(plan))])
    _bulk(RoleAssignment, [RoleAssignment(user=u, district=district, school=s, role=r)
                           for u, (r, s) in zip(users, plan, strict=True)])
    teachers = [u for u, (r, _s) in zip(users, plan, strict=True) if r == Role.TEACHER]
    school_of = {u.pk: s for u, (_r, s) in zip(users, plan, strict=True)}

    grades = ("KG", "01", "02", "03", "04", "05")
    students = _bulk(Student, [
        Student(district=district, school=schools[i % SCHOOLS], sourced_id=f"s-{i}",
                pseudonym=f"B{i:07d}", given_name="Student", family_name=f"{i:06d}",
                grade=grades[(i // SCHOOLS) % 6], sex=rng.choice(("female", "male")),
                english_learner=rng.random() < 0.15, special_education=rng.random() < 0.12,
                economically_disadvantaged=rng.random() < 0.45)
        for i in range(STUDENTS)])
    by_school: dict[int, list[Any]] = {}
    for s in students:
        by_school.setdefault(s.school_id, []).append(s)
    class_teachers = teachers[:CLASSES]
    sections = _bulk(Section, [
        Section(district=district, school=school_of[t.pk], sourced_id=f"c-{k}",
                title=f"Grade {grades[k % 6]} Math — Period {k % 6 + 1} ({t.last_name})",
                grades=grades[k % 6], subjects="Mathematics" if k % 2 else "English Language Arts")
        for k, t in enumerate(class_teachers)])
    _bulk(TeacherAssignment, [TeacherAssignment(section=c, teacher=t, primary=True)
                              for c, t in zip(sections, class_teachers, strict=True)])
    enrolments = []
    for k, c in enumerate(sections):
        pool = by_school[c.school_id]
        start = (k // SCHOOLS) * 25 % len(pool)
        enrolments += [Enrollment(section=c, student=pool[(start + j) % len(pool)])
                       for j in range(25)]
    _bulk(Enrollment, enrolments)
    made = _inquiries(rng, district, sections, class_teachers)
    made |= _programs(rng, district, users, plan, made.pop("inquiries_list"))
    made |= _spending(rng, district, made.pop("programs_list"))
    return {"schools": len(schools), "educators": len(users), "students": len(students),
            "classes": len(sections), "enrolments": len(enrolments),
            "built_at": int(timezone.now().timestamp()), **made}


def _group_counts(rng: random.Random, n: int) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for attr, labels in GROUPS.items():
        weights = [rng.random() + 0.2 for _ in labels]
        counts = [int(n * w / sum(weights)) for w in weights]
        counts[0] += n - sum(counts)
        out[attr] = {label: {"n": c, "mean_change": round(rng.gauss(2, 5), 3) if c else None}
                     for label, c in zip(labels, counts, strict=True)}
    return out


def _inquiries(rng: random.Random, district: Any, sections: list[Any], teachers: list[Any]
               ) -> dict[str, Any]:
    from django.utils import timezone

    from uptake.inquiry.models import Inquiry, Measure, SeriesSummary

    today = timezone.localdate()
    inquiries = _bulk(Inquiry, [
        Inquiry(district=district, owner=t, title=f"Exit tickets with sentence stems {k}",
                change_idea="Sentence stems on every exit ticket.",
                prediction="Scores rise above the baseline.")
        for k, t in enumerate(teachers)])
    pairs = [(inq, c, k) for k, (inq, c) in enumerate(zip(inquiries, sections, strict=True))]
    pairs += [(inq, c, k + len(pairs)) for inq, c, k in pairs[::2]]  # a second measure
    measures = _bulk(Measure, [
        Measure(inquiry=inq, name=f"Exit ticket {k}", kind=Measure.Kind.SCORE, scale_min=0,
                scale_max=100, change_date=today - timedelta(days=60), created_by=inq.owner)
        for inq, _c, k in pairs])
    through = Measure.sections.through
    _bulk(through, [through(measure_id=m.pk, section_id=c.pk)
                    for m, (_i, c, _k) in zip(measures, pairs, strict=True)])
    now = timezone.now()
    rows = []
    for m, (_inq, c, _k) in zip(measures, pairs, strict=True):
        verdict = rng.choices(VERDICTS, weights=(3, 2, 1, 4, 3))[0]
        n = 25
        smc = None if verdict == "not_enough_data" else rng.gauss(0.15, 0.25)
        change = None if smc is None else smc * 15
        common = {"measure": m, "district": district, "school": c.school, "grade": c.grades,
                  "kind": Measure.Kind.SCORE, "verdict": verdict,
                  "reason": "Bench summary.", "n_students": n, "n_points": 17,
                  "paired_n": None if smc is None else n - rng.randint(0, 3),
                  "mean_change": change,
                  "ci_low": None if change is None else change - 6,
                  "ci_high": None if change is None else change + 6,
                  "d_av": smc, "smc": smc,
                  "smc_variance": None if smc is None else 0.008 + rng.random() * 0.01,
                  "groups": _group_counts(rng, n), "refreshed_at": now, "stale": False}
        rows.append(SeriesSummary(section=c, **common))
        rows.append(SeriesSummary(section=None, **common))
    _bulk(SeriesSummary, rows)
    return {"inquiries": len(inquiries), "measures": len(measures), "summaries": len(rows),
            "inquiries_list": inquiries}


def _programs(rng: random.Random, district: Any, users: list[Any], plan: list[Any],
              inquiries: list[Any]) -> dict[str, Any]:
    from django.utils import timezone

    from uptake.accounts.models import Role
    from uptake.programs.models import (
        Attendance,
        Participant,
        Program,
        ProgramLink,
        ProgramSession,
    )
    from uptake.surveys.models import Answer, Question, Recipient, Response, Survey

    today = timezone.localdate()
    kinds = [k for k, _ in Program.Kind.choices]
    sources = ("title_ii_a", "title_i", "title_iv", "state", "district", "grant")
    coordinator = next(u for u, (r, _s) in zip(users, plan, strict=True)
                       if r == Role.COORDINATOR)
    programs = _bulk(Program, [
        Program(district=district, name=f"Program {i:02d}", kind=kinds[i % len(kinds)],
                focus_area=("Math discourse", "Writing", "Science inquiry", "Reading")[i % 4],
                starts_on=today - timedelta(days=60 + 30 * i), funding_source=sources[i % 6],
                created_by=coordinator)
        for i in range(PROGRAMS)])
    sessions = _bulk(ProgramSession, [
        ProgramSession(program=p, held_on=p.starts_on + timedelta(days=14 * k),
                       title=f"Session {k + 1}", hours=Decimal("1.5"))
        for p in programs for k in range(6)])
    teachers = [u for u, (r, _s) in zip(users, plan, strict=True) if r == Role.TEACHER]
    participants, attendance = [], []
    for i, p in enumerate(programs):
        for t in teachers[i * 100:(i + 1) * 100]:
            status = rng.choices(("enrolled", "completed", "withdrawn"), (5, 4, 1))[0]
            participants.append(Participant(
                program=p, person=t, status=status, enrolled_on=p.starts_on,
                completed_on=today if status == "completed" else None))
            attendance += [Attendance(session=s, person=t, present=rng.random() < 0.85)
                           for s in sessions[i * 6:(i + 1) * 6]]
    _bulk(Participant, participants)
    _bulk(Attendance, attendance)
    links = _bulk(ProgramLink, [
        ProgramLink(program=programs[k % PROGRAMS], owner_id=inq.owner_id, inquiry=inq)
        for k, inq in enumerate(inquiries) if k % 10 < 7])
    answers = 0
    for i, p in enumerate(programs[:SURVEYS]):
        survey = Survey.objects.create(
            district=district, title=f"Reactions to {p.name}", purpose="reactions",
            program=p, anonymous=True, opens_at=timezone.now() - timedelta(days=30),
            closes_at=timezone.now() - timedelta(days=9), published_at=timezone.now()
            - timedelta(days=30), created_by=coordinator)
        questions = _bulk(Question, [
            Question(survey=survey, order=q, kind="likert", prompt=f"Statement {q}",
                     likert_labels=["Strongly disagree", "Disagree", "Neutral", "Agree",
                                    "Strongly agree"]) for q in range(4)])
        asked = teachers[i * 100:i * 100 + 50]
        _bulk(Recipient, [Recipient(survey=survey, person=t,
                                    responded_at=timezone.now() if k < 40 else None)
                          for k, t in enumerate(asked)])
        responses = _bulk(Response, [Response(survey=survey, role="teacher")
                                     for _ in range(40)])
        rows = [Answer(response=r, question=q, number=float(rng.randint(2, 5)))
                for r in responses for q in questions]
        _bulk(Answer, rows)
        answers += len(rows)
    return {"programs": len(programs), "participants": len(participants),
            "attendance": len(attendance), "links": len(links), "survey_answers": answers,
            "programs_list": programs}


def _spending(rng: random.Random, district: Any, programs: list[Any]) -> dict[str, int]:
    from django.utils import timezone

    from uptake.spending.models import SpendingEntry
    from uptake.spending.queries import fiscal_year_bounds, fiscal_year_of

    uses = ("coaching", "courses_workshops", "stipends", "substitutes", "conferences",
            "materials", "other")
    sources = ("title_ii_a", "title_i", "title_iv", "state", "district", "grant", "other")
    this_year = fiscal_year_of(timezone.localdate())
    rows = []
    for back in range(5):
        first, _last = fiscal_year_bounds(this_year - back)
        for k in range(400):
            rows.append(SpendingEntry(
                district=district, fiscal_year=this_year - back,
                spent_on=min(first + timedelta(days=rng.randint(0, 360)),
                             timezone.localdate()),
                amount=Decimal(rng.randint(100, 40_000)), source=rng.choice(sources),
                use=rng.choice(uses), program=programs[k % len(programs)] if k % 3 else None,
                description="Bench line", reference=f"B{this_year - back}-{k:04d}"))
    _bulk(SpendingEntry, rows)
    return {"spending_lines": len(rows)}


def phase_migrate(db: Path, workdir: Path) -> dict[str, Any]:
    _setup(db, workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # A reused database keeps its collected static files: collect again, so that a page
    # linking a stylesheet added since the build finds it in the manifest.
    call_command("collectstatic", verbosity=0, interactive=False)
    return {}


# ------------------------------------------------------------------ sessions, queries


def _viewers() -> dict[str, list[Any]]:
    from uptake.accounts.models import Role, User

    def holders(role: str, n: int) -> list[Any]:
        return list(User.objects.filter(roles__role=role, district__slug="bench")
                    .order_by("pk").distinct()[:n])

    return {"district": holders(Role.COORDINATOR, 25), "school": holders(Role.SCHOOL_LEADER, 50),
            "program": holders(Role.COORDINATOR, 25),
            "researcher": holders(Role.RESEARCHER, 1)}


def _url(target: str) -> str:
    from django.urls import reverse

    from uptake.programs.models import Program

    if target == "program":
        program = Program.objects.filter(district__slug="bench").order_by("pk").first()
        return reverse("district:program", args=[program.pk])  # type: ignore[union-attr]
    return reverse("district:dashboard")


def phase_sessions(db: Path, workdir: Path) -> dict[str, Any]:
    """A signed-in session per viewer, stored as a sign-in stores it."""
    _setup(db, workdir)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    out: dict[str, Any] = {"cookie_name": settings.SESSION_COOKIE_NAME, "targets": {}}
    for target, people in _viewers().items():
        if target == "researcher":
            continue
        clients = []
        for user in people:
            s = SessionStore()
            s[SESSION_KEY] = str(user.pk)
            s[BACKEND_SESSION_KEY] = backend
            s[HASH_SESSION_KEY] = user.get_session_auth_hash()
            s.create()
            clients.append({"cookie": s.session_key, target: _url(target)})
        out["targets"][target] = clients
    return out


def phase_queries(db: Path, workdir: Path) -> dict[str, Any]:
    """Queries and time of one request per viewer kind, warm (a second request)."""
    _setup(db, workdir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    from credential_pages import FLOOR_PATH, bench_urls  # the app's URLs plus the floor view

    bench_urls()
    out: dict[str, Any] = {}
    viewers = _viewers()
    floor_client = Client()
    floor_client.force_login(viewers["district"][0])
    floor_ms = _median_ms(lambda: floor_client.get(FLOOR_PATH), 20)
    out["floor"] = {"status": 200, "queries": 2, "cold_ms": floor_ms, "warm_ms": floor_ms,
                    "median_ms": floor_ms}
    for name, person, target in (("coordinator", viewers["district"][0], "district"),
                                 ("researcher", viewers["researcher"][0], "district"),
                                 ("school leader", viewers["school"][0], "school"),
                                 ("coordinator, program", viewers["program"][0], "program")):
        client = Client()
        client.force_login(person)
        url = _url(target)
        first = time.perf_counter()
        client.get(url)
        cold = time.perf_counter() - first
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            status = client.get(url).status_code
            warm = time.perf_counter() - started
        out[name] = {"status": status, "queries": len(ctx), "cold_ms": cold * 1e3,
                     "warm_ms": warm * 1e3,
                     "median_ms": _median_ms(lambda: client.get(url), 5)}  # noqa: B023
    return out


def _median_ms(get: Any, repeats: int) -> float:
    """The median time of ``repeats`` requests in this process (after the ones above)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1e3


# ----------------------------------------------------------------------------- main


def _run_phase(name: str, args: argparse.Namespace, db: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--db", str(db),
                           "--workdir", args.workdir, "--seed", str(args.seed)],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ensure_db(args: argparse.Namespace) -> Path:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = db_path(workdir, args.seed)
    if db.exists():
        print(f"reusing {db}")
        _run_phase("migrate", args, db)
        return db
    print(f"building {db} (seed {args.seed})…", flush=True)
    made = _run_phase("build", args, db)
    print(f"  built in {made['build_seconds']:.0f} s (migrations {made['migrate_seconds']:.0f}"
          f" s): {made['schools']} schools, {made['educators']:,} educators, "
          f"{made['students']:,} students, {made['classes']:,} classes, "
          f"{made['measures']:,} measures, {made['summaries']:,} summaries, "
          f"{made['programs']} programs, {made['participants']:,} participants, "
          f"{made['attendance']:,} attendance rows, {made['links']:,} links, "
          f"{made['spending_lines']:,} ledger lines, {made['survey_answers']:,} survey "
          f"answers", flush=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=600, help="per target")
    parser.add_argument("--seconds", type=float, default=60, help="per target, at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="200 requests, 20 s per target")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", choices=["build", "migrate", "sessions", "queries"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        db, workdir = Path(args.db), Path(args.workdir)
        result = (phase_build(db, workdir, args.seed) if args.phase == "build"
                  else phase_migrate(db, workdir) if args.phase == "migrate"
                  else phase_sessions(db, workdir) if args.phase == "sessions"
                  else phase_queries(db, workdir))
        print(json.dumps(result, default=str))
        return
    if args.quick:
        args.requests, args.seconds = 200, 20.0

    db = ensure_db(args)
    queries = _run_phase("queries", args, db)
    sessions = _run_phase("sessions", args, db)
    proc, base = start_server(db, Path(args.workdir), args.workers, args.threads)
    results = []
    try:
        wait_ready(base, proc)
        for target in TARGETS:
            clients = sessions["targets"]["district" if target == "floor" else target]
            one = {"cookie_name": sessions["cookie_name"], "clients": clients}
            drive(base, one, target, clients=args.clients, requests_n=args.clients,
                  seconds=args.seconds)  # warm-up: one request per client
            results.append(drive(base, one, target, clients=args.clients,
                                 requests_n=args.requests, seconds=args.seconds))
    finally:
        stop_server(proc)
    _report(args, queries, results)


def _report(args: argparse.Namespace, queries: dict[str, Any],
            results: list[dict[str, Any]]) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.1f}; "
          f"gunicorn {args.workers} workers x {args.threads} threads; {args.clients} clients")
    in_process_floor = queries.get("floor", {}).get("median_ms")
    for name, row in queries.items():
        ratio = (f"; median of warm requests {row['median_ms']:.1f} ms, "
                 f"{row['median_ms'] / in_process_floor:.1f}x the bare view in one process"
                 if in_process_floor and "median_ms" in row else "")
        print(f"one request as {name}: HTTP {row['status']}, {row['queries']} queries, "
              f"{row['cold_ms']:.0f} ms first, {row['warm_ms']:.0f} ms again{ratio}")
    floor = results[0]
    if not floor["ok"]:
        raise SystemExit(f"the floor answered no request: {floor}")
    print(f"{'target':<10}{'ok':>7}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'x floor time':>14}{'x floor p95':>13}")
    for r in results:
        if not r["ok"]:
            # Every request timed out (web_throughput.drive waits 120 s): no ratio.
            print(f"{r['target']:<10}{0:>7}{r['errors']:>8}   no answer within 120 s: "
                  f"{r['error_sample'][:1]}")
            continue
        print(f"{r['target']:<10}{r['ok']:>7}{r['errors']:>8}{r['rps']:>9.1f}"
              f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{floor['rps'] / r['rps']:>14.1f}"
              f"{r['p95_ms'] / floor['p95_ms']:>13.1f}")
        if r["errors"]:
            print(f"  errors, e.g. {r['error_sample']}")


if __name__ == "__main__":
    main()
