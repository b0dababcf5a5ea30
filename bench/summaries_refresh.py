"""Benchmark: refreshing a measure's per-series summaries after a 1,000-row import, against
floors measured in the same run.

    .venv/bin/python bench/summaries_refresh.py [--students 40] [--occasions 25]
                                                [--classes 4] [--repeats 5]

Builds a small SQLite database in a temporary folder (migrated; production settings as
bench/web_throughput.py): one school, one teacher with ``--classes`` classes of
``--students`` students, one score measure on all of them (made with
``do_create_measure``, change date halfway), and every class but the last filled with
``--occasions`` weekly occasions through the import (``parse_measure_file`` then
``do_apply_import``), as bench/measure_import.py imports. Then, timed:

- ``csv``: a bare ``csv.reader`` over the last class's file (students x occasions rows,
  1,000 by default): the floor of any import;
- ``import``: that file through ``parse_measure_file`` and ``do_apply_import`` (which
  marks the measure's summaries stale);
- ``study_series``: a bare ``study_series`` per class and for the classes together, no
  chart (the verdicts alone, as ``latest_verdicts`` reads them): the floor of any
  refresh;
- ``study page``: ``study_measure`` without charts (what the study page computes: series,
  verdicts, paired changes with their bootstrap, growth and group tables);
- ``refresh``: ``refresh_measure`` (the page's computation once, plus the standardized
  mean changes, written in one transaction);
- ``read, stale``/``read, fresh``: ``series_summaries(district)`` when the measure's rows
  are stale (it refreshes them first) and when they are not.

Each timed step is the best of ``--repeats`` (the study's bootstrap cache is emptied before
each, so every run computes as a worker's first refresh would). Prints seconds and the
ratios to the floors.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_throughput import django_env  # noqa: E402  (sibling bench script)

FIRST_DAY = date(2025, 9, 1)


def best_of(repeats: int, fn: Callable[[], Any], before: Callable[[], Any] | None = None
            ) -> float:
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _file(pseudonyms: list[str], dates: list[date], rng: random.Random, lift: float) -> bytes:
    """Long layout (student_id, date, value); scores rise by ``lift`` after halfway."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["student_id", "date", "value"])
    half = len(dates) // 2
    for i, d in enumerate(dates):
        for p in pseudonyms:
            base = 50 + (lift if i >= half else 0)
            w.writerow([p, d.isoformat(), max(0, min(100, round(rng.gauss(base, 8))))])
    return out.getvalue().encode()


def build(students: int, occasions: int, classes: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from uptake.accounts.models import District, Role, RoleAssignment, School, User
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    district = District.objects.create(name="Bench Unified", slug="bench")
    school = School.objects.create(district=district, name="Bench Elementary",
                                   sourced_id="org-1")
    teacher = User.objects.create_user(email="t@bench.test", password=None,
                                       district=district, first_name="Tess", last_name="T")
    RoleAssignment.objects.create(user=teacher, district=district, school=school,
                                  role=Role.TEACHER)
    sections = []
    for c in range(classes):
        section = Section.objects.create(district=district, school=school,
                                         sourced_id=f"cls-{c}", title=f"Class {c + 1}",
                                         grades="04")
        TeacherAssignment.objects.create(section=section, teacher=teacher)
        kids = Student.objects.bulk_create([
            Student(district=district, school=school, sourced_id=f"stu-{c}-{i}",
                    given_name=f"K{i}", family_name=f"C{c}", grade="04",
                    english_learner=(i % 4 == 0), pseudonym=f"S-{c:02d}{i:04d}")
            for i in range(students)])
        Enrollment.objects.bulk_create([Enrollment(section=section, student=k)
                                        for k in kids])
        sections.append(section)
    dates = [FIRST_DAY + timedelta(days=7 * w) for w in range(occasions)]
    inquiry = do_create_inquiry(teacher, title="Talk moves")
    measure = do_create_measure(teacher, inquiry, sections=sections, name="Exit ticket",
                                kind="score", scale_min=0, scale_max=100, direction="up",
                                change_date=dates[len(dates) // 2])
    rng = random.Random(seed)
    for section in sections[:-1]:
        _import(teacher, measure, section, _file(_pseudonyms(section), dates, rng, 6.0))
    last = _file(_pseudonyms(sections[-1]), dates, rng, 6.0)
    return {"teacher": teacher, "measure": measure, "sections": sections, "last": last,
            "district": district}


def _pseudonyms(section: Any) -> list[str]:
    from uptake.inquiry.actions import current_students

    return [s.pseudonym for s in current_students(section)]


def _import(teacher: Any, measure: Any, section: Any, content: bytes) -> int:
    from uptake.inquiry import imports
    from uptake.inquiry.actions import current_students, do_apply_import

    parsed = imports.parse_measure_file("class.csv", content, measure=measure,
                                        students=current_students(section))
    if parsed.errors:
        raise SystemExit(str(parsed.errors[:3]))
    do_apply_import(teacher, measure, section, parsed.occasions, file_name="class.csv")
    return parsed.n_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--occasions", type=int, default=25)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        from cryptography.fernet import Fernet

        os.environ.update(django_env(Path(tmp) / "bench.sqlite3", Path(tmp)))
        os.environ["BADGE_KEY_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
        import django

        django.setup()
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import transaction

    from uptake.inquiry import study
    from uptake.inquiry.queries import series_summaries
    from uptake.inquiry.summaries import mark_stale, refresh_measure

    started = time.perf_counter()
    made = build(args.students, args.occasions, args.classes, args.seed)
    setup_seconds = time.perf_counter() - started
    measure, sections, last = made["measure"], made["sections"], made["last"]
    district_id = made["district"].pk
    clear = study._paired_change.cache_clear

    def bare_csv() -> int:
        return sum(1 for _ in csv.reader(io.StringIO(last.decode()))) - 1

    rows = bare_csv()
    t_csv = best_of(args.repeats, bare_csv)
    started = time.perf_counter()
    _import(made["teacher"], measure, sections[-1], last)
    t_import = time.perf_counter() - started

    def bare_series() -> None:
        for s in sections:
            study.study_series(measure, [s], title=s.title, render=False)
        study.study_series(measure, sections, title="together", together=True, render=False)

    t_series = best_of(args.repeats, bare_series)
    t_page = best_of(args.repeats, lambda: study.study_measure(
        made["teacher"], measure, names=False, render=False), clear)
    t_refresh = best_of(args.repeats, lambda: refresh_measure(measure), clear)

    def stale() -> None:
        clear()
        with transaction.atomic():
            mark_stale([measure.pk])  # the queued task is left to no worker here

    t_read_stale = best_of(args.repeats, lambda: list(series_summaries(district_id)), stale)
    t_read_fresh = best_of(args.repeats, lambda: list(series_summaries(district_id)))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"{args.classes} classes x {args.students} students x {args.occasions} occasions;"
          f" the import: {rows:,} rows into the last class (set up in {setup_seconds:.0f} s);"
          f" best of {args.repeats}")
    print(f"{'step':<44}{'ms':>10}")
    for name, t in (("bare csv parse of the file (floor)", t_csv),
                    ("import: parse_measure_file + do_apply_import", t_import),
                    ("bare study_series, each class + together", t_series),
                    ("study page's numbers (study_measure)", t_page),
                    ("refresh_measure", t_refresh),
                    ("series_summaries, rows stale", t_read_stale),
                    ("series_summaries, rows fresh", t_read_fresh)):
        print(f"{name:<44}{t * 1e3:>10.1f}")
    print(f"ratio: refresh / bare study_series = {t_refresh / t_series:.1f}x; "
          f"refresh / study page = {t_refresh / t_page:.2f}x; "
          f"refresh / bare csv parse = {t_refresh / t_csv:.0f}x; "
          f"refresh / import = {t_refresh / t_import:.2f}x")
    print(f"ratio: a stale read / a fresh read = {t_read_stale / t_read_fresh:.0f}x")


if __name__ == "__main__":
    main()
