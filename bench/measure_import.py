"""Benchmark: import 1 million measure rows, against a bare ``csv`` parse of the same files.

    .venv/bin/python bench/measure_import.py [--rows 1000000] [--classes 1000] [--seed 1]
                                             [--quick]

``--quick`` is ``--rows 100000 --classes 100``. The class files are imported twice, each
time into a fresh copy of the database: the first tenth of them (100,000 rows by default)
and all of them (1,000,000), so that the peak memory at the two sizes shows whether it
grows with the rows.

Uses the district database of ``bench/web_throughput.py`` (``uptake seed --size district``:
5,000 educators, 50,000 students; built once under var/bench/ and reused), copied so the
original stays untouched. The measure import takes one file per measure and class (the
page is /inquiries/measures/<m>/classes/<c>/import/), so the million rows are written as
long-layout files (``student_id,date,value``) for ``--classes`` real classes and their
enrolled students, one score measure per teacher made with ``do_create_measure``, with as
many weekly occasions per class as it takes to reach ``--rows`` (about 39 for 1,000
classes of ~26 students). The same rows are also written as one file, to show what the
import makes of a million rows at once.

Phases, each in a fresh process so that its peak memory (``ru_maxrss``) is its own:

- ``csv``: stdlib ``csv.reader`` over every class file, counting rows: the floor;
- ``import``: what the import pages do, file by file: ``parse_measure_file`` (the
  preview's check) and the session round trip (``to_session`` + JSON + ``from_session``),
  then ``do_apply_import`` (all or nothing, audited);
- ``largest``: the largest single file the limits accept (``MAX_CELLS`` cells: 25
  students x 2,640 daily occasions, 66,000 rows), preview then apply;
- ``single``: the million rows as one file for one class: refused, and how fast.

Prints time (wall and CPU), rows/s and peak memory per phase and the import's ratios to
the floor, per row. The CPU-time ratio is the steadier one on a shared machine: SQLite
runs inside the process, so its work is counted, while waiting for a core is not.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_throughput import _setup, ensure_db  # noqa: E402  (sibling bench script)

FIRST_DAY = date(2025, 9, 1)


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- making


def _score_measure(teacher: Any, sections: list[Any], title: str) -> Any:
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure
    from uptake.inquiry.models import Measure

    inquiry = do_create_inquiry(teacher, title=title)
    return do_create_measure(teacher, inquiry, sections=sections, name="Unit quiz",
                             kind=Measure.Kind.SCORE, scale_min=0, scale_max=100)


def _write(path: Path, pseudonyms: list[str], dates: list[date], rng: random.Random,
           limit: int, single: Any = None) -> int:
    """Long-layout rows, occasion by occasion, at most ``limit``; returns rows written."""
    n = 0
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student_id", "date", "value"])
        for d in dates:
            for p in pseudonyms:
                if n == limit:
                    return n
                row = [p, d.isoformat(), "NA" if rng.random() < 0.03 else rng.randint(0, 100)]
                out.writerow(row)
                if single is not None:
                    single.writerow(row)
                n += 1
    return n


def phase_make(db: Path, workdir: Path, rows: int, classes: int, seed: int) -> dict[str, Any]:
    """Measures for ``classes`` classes (through the actions) and their files."""
    _setup(db, workdir)
    from uptake.accounts.models import Role, User
    from uptake.inquiry.actions import current_students

    rng = random.Random(seed)
    files: list[dict[str, Any]] = []
    plan: list[tuple[Any, Any, list[str]]] = []
    teachers = list(User.objects.filter(roles__role=Role.TEACHER, inquiries__isnull=True)
                    .distinct().order_by("-pk"))
    for teacher in teachers:
        sections = list(teacher.sections.order_by("pk")[:classes - len(plan)])
        roster = [(s, [st.pseudonym for st in current_students(s)]) for s in sections]
        roster = [(s, p) for s, p in roster if p]
        if not roster:
            continue
        measure = _score_measure(teacher, [s for s, _ in roster], "Quiz import bench")
        plan += [(measure, s, p) for s, p in roster]
        if len(plan) >= classes:
            break
    students = sum(len(p) for _, _, p in plan)
    weeks = math.ceil(rows / students)
    dates = [FIRST_DAY + timedelta(days=7 * w) for w in range(weeks)]
    left = rows
    with (workdir / "single.csv").open("w", newline="") as f:
        single = csv.writer(f)
        single.writerow(["student_id", "date", "value"])
        for i, (measure, section, pseudonyms) in enumerate(plan):
            path = workdir / f"class-{i:05d}.csv"
            n = _write(path, pseudonyms, dates, rng, left, single)
            if n == 0:  # the rows ran out before the classes did
                path.unlink()
                break
            left -= n
            files.append({"path": str(path), "measure": measure.pk, "section": section.pk,
                          "actor": measure.created_by_id, "rows": n})
    largest = _make_largest(workdir, rng)
    return {"files": files, "students": students, "weeks": weeks, "largest": largest,
            "single": str(workdir / "single.csv"), "single_rows": rows - left}


def _make_largest(workdir: Path, rng: random.Random) -> dict[str, Any]:
    """One class's file just under MAX_CELLS: 25 students x 2,640 daily occasions."""
    from uptake.accounts.models import Role, User
    from uptake.inquiry.actions import current_students

    for teacher in list(User.objects.filter(roles__role=Role.TEACHER, inquiries__isnull=True)
                        .distinct().order_by("pk")):
        section = teacher.sections.order_by("pk").first()
        pseudonyms = [s.pseudonym for s in current_students(section)] if section else []
        if len(pseudonyms) >= 25:
            break
    measure = _score_measure(teacher, [section], "Largest file bench")
    path = workdir / "largest.csv"
    dates = [FIRST_DAY + timedelta(days=d) for d in range(2640)]
    n = _write(path, pseudonyms[:25], dates, rng, 25 * 2640)
    return {"path": str(path), "measure": measure.pk, "section": section.pk,  # type: ignore[union-attr]
            "actor": teacher.pk, "rows": n}


# ---------------------------------------------------------------------------- phases


def phase_csv(paths: list[str]) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for p in paths:
        with open(p, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            next(reader)
            rows += sum(1 for _ in reader)
    return {"rows": rows, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu, "peak_mb": _peak_mb()}


def _import_one(item: dict[str, Any]) -> tuple[int, float, float]:
    """Preview (check + session round trip) then apply, as the two import pages do."""
    from uptake.accounts.models import User
    from uptake.inquiry import imports
    from uptake.inquiry.actions import current_students, do_apply_import
    from uptake.inquiry.models import Measure
    from uptake.roster.models import Section

    t0 = time.perf_counter()
    measure = Measure.objects.get(pk=item["measure"])
    section = Section.objects.get(pk=item["section"])
    content = Path(item["path"]).read_bytes()
    parsed = imports.parse_measure_file(Path(item["path"]).name, content, measure=measure,
                                        students=current_students(section))
    if parsed.errors:
        raise SystemExit(f"{item['path']}: {parsed.errors[:3]}")
    held = json.loads(json.dumps(imports.to_session(parsed)))
    t1 = time.perf_counter()
    do_apply_import(User.objects.get(pk=item["actor"]), measure, section,
                    imports.from_session(held), file_name=Path(item["path"]).name)
    return parsed.n_rows, t1 - t0, time.perf_counter() - t1


def phase_import(db: Path, workdir: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    _setup(db, workdir)
    from uptake.inquiry.models import StudentValue

    base_mb = _peak_mb()
    before = StudentValue.objects.count()
    rows = preview = apply = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    for item in items:
        n, p, a = _import_one(item)
        rows, preview, apply = rows + n, preview + p, apply + a
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "cpu_seconds": time.process_time() - cpu,
            "preview_seconds": preview,
            "apply_seconds": apply, "stored": StudentValue.objects.count() - before,
            "peak_mb": _peak_mb(), "django_baseline_mb": base_mb}


def phase_single(db: Path, workdir: Path, path: str, section_of: dict[str, Any]
                 ) -> dict[str, Any]:
    _setup(db, workdir)
    from uptake.inquiry import imports
    from uptake.inquiry.actions import current_students
    from uptake.inquiry.models import Measure
    from uptake.roster.models import Section

    measure = Measure.objects.get(pk=section_of["measure"])
    section = Section.objects.get(pk=section_of["section"])
    content = Path(path).read_bytes()
    started = time.perf_counter()
    try:
        imports.parse_measure_file("single.csv", content, measure=measure,
                                   students=current_students(section))
        outcome = "accepted"
    except imports.ImportRefused as exc:
        outcome = f"refused: {exc}"
    return {"bytes": len(content), "seconds": time.perf_counter() - started,
            "outcome": outcome, "max_bytes": imports.MAX_BYTES,
            "max_cells": imports.MAX_CELLS, "peak_mb": _peak_mb()}


# ------------------------------------------------------------------------------ main


def _run_phase(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    # Each phase runs in a fresh interpreter started from this small parent: on Linux a
    # child's ru_maxrss starts at its parent's size at fork, so the parent stays lean.
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
    try:
        done = subprocess.run([sys.executable, __file__, "--phase", name, "--payload", f.name],
                              capture_output=True, text=True, check=False, cwd=ROOT)
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _phase_main(name: str, payload_path: str) -> None:
    p = json.loads(Path(payload_path).read_text())
    db, workdir = Path(p.get("db", "")), Path(p.get("workdir", ""))
    if name == "make":
        result = phase_make(db, workdir, p["rows"], p["classes"], p["seed"])
    elif name == "csv":
        result = phase_csv(p["paths"])
    elif name == "import":
        result = phase_import(db, workdir, p["items"])
    else:
        result = phase_single(db, workdir, p["path"], p["item"])
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--teachers", type=int, default=300,
                        help="as bench/web_throughput.py (the database it builds)")
    parser.add_argument("--quick", action="store_true", help="100,000 rows in 100 classes")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--payload", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase_main(args.phase, args.payload)
        return
    if args.quick:
        args.rows, args.classes = 100_000, 100
    source = ensure_db(args)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        db = work / "import.sqlite3"
        shutil.copy(source, db)
        common = {"db": str(db), "workdir": str(work)}
        made = _run_phase("make", {**common, "rows": args.rows, "classes": args.classes,
                                   "seed": args.seed})
        size = sum(Path(f["path"]).stat().st_size for f in made["files"])
        print(f"{len(made['files'])} class files, {made['students']:,} students x up to "
              f"{made['weeks']} weekly occasions: {sum(f['rows'] for f in made['files']):,} "
              f"rows, {size / 1e6:.1f} MB")
        sizes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        for part in (_first_rows(made["files"], args.rows // 10), made["files"]):
            fresh = work / f"import-{len(sizes)}.sqlite3"  # each size on the made database
            for suffix in ("", "-wal"):
                if Path(f"{db}{suffix}").exists():
                    shutil.copy(f"{db}{suffix}", f"{fresh}{suffix}")
            floor = _run_phase("csv", {"paths": [f["path"] for f in part]})
            imported = _run_phase("import", {**common, "db": str(fresh), "items": part})
            for suffix in ("", "-wal", "-shm"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)
            sizes.append((len(part), floor, imported))
        largest_floor = _run_phase("csv", {"paths": [made["largest"]["path"]]})
        largest = _run_phase("import", {**common, "items": [made["largest"]]})
        single = _run_phase("single", {**common, "path": made["single"],
                                       "item": made["files"][0]})
    _report(sizes, largest_floor, largest, single, made["single_rows"])


def _first_rows(files: list[dict[str, Any]], rows: int) -> list[dict[str, Any]]:
    """The first class files holding at least ``rows`` rows."""
    taken, n = [], 0
    for f in files:
        if n >= rows:
            break
        taken.append(f)
        n += f["rows"]
    return taken


def _line(name: str, r: dict[str, Any]) -> str:
    return (f"{name:<34}{r['rows']:>10,.0f}{r['seconds']:>9.1f}{r['cpu_seconds']:>9.1f}"
            f"{r['rows'] / r['seconds']:>11,.0f}{r['peak_mb']:>9.0f}")


def _ratio(name: str, floor: dict[str, Any], imported: dict[str, Any]) -> str:
    wall, cpu = (imported[k] / imported["rows"] / (floor[k] / floor["rows"])
                 for k in ("seconds", "cpu_seconds"))
    return (f"ratio, {name}: import takes {wall:.1f}x the bare parse's time per row "
            f"({cpu:.1f}x its CPU time), and peaks at "
            f"{imported['peak_mb'] / floor['peak_mb']:.1f}x its memory "
            f"({imported['peak_mb'] - imported['django_baseline_mb']:.0f} MB above Django's "
            "own)")


def _report(sizes: list[tuple[int, dict[str, Any], dict[str, Any]]],
            largest_floor: dict[str, Any], largest: dict[str, Any], single: dict[str, Any],
            single_rows: int) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"{'phase':<34}{'rows':>10}{'seconds':>9}{'CPU s':>9}{'rows/s':>11}{'peak MB':>9}")
    for files, floor, imported in sizes:
        print(_line(f"bare csv parse, {files} class files", floor))
        print(_line(f"import, {files} class files", imported))
        print(f"  of which preview (check + session): {imported['preview_seconds']:.1f} s; "
              f"apply: {imported['apply_seconds']:.1f} s; values stored: "
              f"{imported['stored']:,}; Django before import: "
              f"{imported['django_baseline_mb']:.0f} MB")
    print(_line("bare csv parse, largest file", largest_floor))
    print(_line("import, largest file", largest))
    print(f"  of which preview: {largest['preview_seconds']:.1f} s; apply: "
          f"{largest['apply_seconds']:.1f} s")
    print(f"one file of {single_rows:,} rows ({single['bytes'] / 1e6:.1f} MB): "
          f"{single['outcome']} (in {single['seconds'] * 1e3:.0f} ms; limits "
          f"{single['max_bytes']:,} bytes, {single['max_cells']:,} cells)")
    for files, floor, imported in sizes:
        print(_ratio(f"{imported['rows']:,.0f} rows in {files} class files", floor, imported))
    print(_ratio("largest file", largest_floor, largest))
    (_, _, small), (_, _, big) = sizes[0], sizes[-1]
    print(f"peak memory of the import: {small['peak_mb']:.0f} MB for {small['rows']:,.0f} rows, "
          f"{big['peak_mb']:.0f} MB for {big['rows']:,.0f} rows")


if __name__ == "__main__":
    main()
