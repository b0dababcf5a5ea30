"""Benchmark: import a district-sized OneRoster zip, against a bare ``csv`` parse of it.

    .venv/bin/python bench/roster_import.py [--size district] [--seed 1] [--workdir var/bench]

Writes the synthetic zip (``uptake.roster.synthetic``), then runs two measured phases, each
in its own fresh process so that peak memory (``ru_maxrss``) belongs to that phase alone:

- ``csv``: stdlib ``csv.reader`` over every member of the zip, counting rows: the floor;
- ``import``: ``do_preview_import`` then ``do_apply_import`` into a fresh SQLite database.

Prints rows per second and peak memory for both, and the import's cost as ratios to the
floor measured in the same run (never absolute thresholds: machines differ).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_csv(zip_path: Path) -> dict[str, float]:
    started = time.perf_counter()
    rows = 0
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            if info.filename == "manifest.csv":
                continue
            with zf.open(info) as raw:
                reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
                next(reader)
                rows += sum(1 for _ in reader)
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_import(zip_path: Path, workdir: Path) -> dict[str, float]:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "uptake.settings", "UPTAKE_TESTING": "1",
        "UPTAKE_VAR_DIR": str(workdir), "MEDIA_ROOT": str(workdir / "media"),
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from uptake.accounts.models import District
    from uptake.roster.actions import do_apply_import, do_preview_import

    district = District.objects.create(name="Synthetic District", slug="bench")
    base_mb = _peak_mb()
    started = time.perf_counter()
    ri = do_preview_import(district, str(zip_path), actor=None)
    previewed = time.perf_counter()
    if ri.status != "previewed":
        raise SystemExit(f"rejected: {ri.report['errors'][:3]}")
    do_apply_import(ri, actor=None, confirm_removals=True)
    applied = time.perf_counter()
    rows = sum(f["rows"] for f in ri.report["files"])
    return {"rows": rows, "seconds": applied - started, "preview_seconds": previewed - started,
            "apply_seconds": applied - previewed, "peak_mb": _peak_mb(),
            "django_baseline_mb": base_mb}


def phase_write(zip_path: Path, size_name: str, seed: int) -> dict[str, float]:
    from uptake.roster.synthetic import SIZES, write_oneroster_zip

    size = SIZES[size_name]
    summary = write_oneroster_zip(
        zip_path, district_name="Synthetic District", schools=size.schools,
        teachers_per_school=size.teachers_per_school,
        students_per_school=size.students_per_school,
        administrators_per_school=size.administrators_per_school, seed=seed)
    return {"educators": summary.educators, "students": summary.students,
            "classes": summary.classes, "enrollments": summary.enrollments}


def _run_phase(name: str, zip_path: Path, workdir: Path, *extra: str) -> dict[str, float]:
    # Each phase runs in a fresh interpreter started from this small parent: on Linux a
    # child's ru_maxrss starts at its parent's size at fork, so the parent stays lean.
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--zip", str(zip_path),
                           "--workdir", str(workdir), *extra], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="district", choices=["small", "school", "district"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", choices=["write", "csv", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--zip", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        workdir = Path(args.workdir)
        if args.phase == "write":
            result = phase_write(Path(args.zip), args.size, args.seed)
        elif args.phase == "csv":
            result = phase_csv(Path(args.zip))
        else:
            result = phase_import(Path(args.zip), workdir)
        print(json.dumps(result))
        return

    base = Path(args.workdir)
    base.mkdir(parents=True, exist_ok=True)
    zip_path = base / f"roster-{args.size}-{args.seed}.zip"
    made = _run_phase("write", zip_path, base, "--size", args.size, "--seed", str(args.seed))
    print(f"{args.size}: {made['educators']:,} educators, {made['students']:,} students, "
          f"{made['classes']:,} classes, {made['enrollments']:,} enrollments; zip "
          f"{zip_path.stat().st_size / 1e6:.1f} MB")
    floor = _run_phase("csv", zip_path, base)
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        imported = _run_phase("import", zip_path, Path(tmp))
    _report(floor, imported)


def _report(floor: dict[str, float], imported: dict[str, float]) -> None:
    floor_rate = floor["rows"] / floor["seconds"]
    rate = imported["rows"] / imported["seconds"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite")
    print(f"{'phase':<28}{'rows':>10}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
    print(f"{'bare csv parse (floor)':<28}{floor['rows']:>10,.0f}{floor['seconds']:>10.1f}"
          f"{floor_rate:>12,.0f}{floor['peak_mb']:>10.0f}")
    print(f"{'import (check + apply)':<28}{imported['rows']:>10,.0f}"
          f"{imported['seconds']:>10.1f}{rate:>12,.0f}{imported['peak_mb']:>10.0f}")
    print(f"  of which check (preview): {imported['preview_seconds']:.1f} s; "
          f"apply (re-check + write): {imported['apply_seconds']:.1f} s; "
          f"Django + migrations before import: {imported['django_baseline_mb']:.0f} MB")
    print(f"ratio: import is {floor_rate / rate:.1f}x slower per row than the bare parse, "
          f"and peaks at {imported['peak_mb'] / floor['peak_mb']:.1f}x its memory")


if __name__ == "__main__":
    main()
