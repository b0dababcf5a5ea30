"""Benchmark: read and measure a million-contribution community export, against a bare
``csv.reader`` pass over the same file.

    .venv/bin/python bench/community_import.py [--contributions 1000000] [--authors 100000]
        [--seed 1] [--workdir var/bench]

Writes a synthetic Reddit-style export (posts and nested comments over three years,
authors drawn with a heavy tail, 3 % deleted or removed, mentions in the text) as CSV and
as JSON lines, then runs each measured phase in its own fresh process, so that peak memory
(``ru_maxrss``) belongs to that phase alone:

- ``floor``: stdlib ``csv.reader`` over the CSV, counting rows (the floor);
- ``floor-jsonl``: ``json.loads`` of every line of the JSON lines file;
- ``read-csv``: ``read_contributions`` over the CSV, nothing else;
- ``measure-csv`` and ``measure-jsonl``: ``community_measures(read_contributions(...))``
  with the default half-years and a 100-item sample.

Prints seconds, contributions per second and peak memory, and each phase's cost as a ratio
to the floor measured in the same run (never absolute thresholds: machines differ).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = ["id", "author", "created_utc", "score", "title", "selftext", "body", "parent_id",
           "link_id"]
WORDS = ["students", "rubric", "grading", "lesson", "plan", "district", "parents", "homework",
         "classroom", "behaviour", "math", "reading", "science", "admin", "contract", "union",
         "planning", "period", "recess", "report", "cards", "feedback", "curriculum",
         "standards", "test", "scores"]


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_write(base: Path, contributions: int, authors: int, seed: int) -> dict[str, float]:
    import numpy as np

    rng = np.random.default_rng(seed)
    start = 1_546_300_800  # 2019-01-01 UTC
    span = 3 * 365 * 86_400
    created = np.sort(rng.integers(start, start + span, contributions))
    # A heavy tail: a few authors write much, most once or twice.
    author = (rng.pareto(1.2, contributions) * authors / 50).astype(np.int64) % authors
    is_post = rng.random(contributions) < 0.15
    is_post[0] = True
    gone = rng.random(contributions) < 0.03
    look_back = rng.integers(1, 2_000, contributions)
    words = rng.integers(0, len(WORDS), (contributions, 12))
    posts_so_far: list[int] = []
    started = time.perf_counter()
    with (open(base / "community.csv", "w", newline="", encoding="utf-8") as csv_file,
          open(base / "community.jsonl", "w", encoding="utf-8") as jsonl_file):
        writer = csv.writer(csv_file)
        writer.writerow(COLUMNS)
        for i in range(contributions):
            text = " ".join(WORDS[w] for w in words[i])
            if i % 20 == 0:
                text += f" thanks u/user{author[max(i - 5, 0)]}"
            name = "[deleted]" if gone[i] else f"user{author[i]}"
            if is_post[i]:
                posts_so_far.append(i)
                row = {"id": f"p{i}", "author": name, "created_utc": int(created[i]),
                       "score": int(look_back[i] % 50), "title": text[:40],
                       "selftext": "[removed]" if gone[i] and i % 2 else text, "body": "",
                       "parent_id": "", "link_id": ""}
            else:
                parent = max(i - int(look_back[i]), 0)
                # The thread's post: the latest post at or before the parent.
                post = posts_so_far[max(bisect.bisect_right(posts_so_far, parent) - 1, 0)]
                parent_id = f"t3_p{parent}" if is_post[parent] else f"t1_c{parent}"
                row = {"id": f"c{i}", "author": name, "created_utc": int(created[i]),
                       "score": int(look_back[i] % 20) - 3, "title": "", "selftext": "",
                       "body": text, "parent_id": parent_id,
                       "link_id": f"t3_p{post}" if is_post[post] else ""}
            writer.writerow([row[c] for c in COLUMNS])
            jsonl_file.write(json.dumps(row) + "\n")
    return {"contributions": contributions, "seconds": time.perf_counter() - started,
            "csv_mb": (base / "community.csv").stat().st_size / 1e6,
            "jsonl_mb": (base / "community.jsonl").stat().st_size / 1e6}


def phase_floor(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = sum(1 for _ in reader)
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_floor_jsonl(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    rows = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
            rows += 1
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_read(path: Path) -> dict[str, float]:
    from uptake.analysis.community import read_contributions

    started = time.perf_counter()
    with open(path, "rb") as handle:
        rows = sum(1 for _ in read_contributions(handle, file_name=path.name))
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_measure(path: Path) -> dict[str, float]:
    from uptake.analysis.community import community_measures, read_contributions

    calls: list[int] = []
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(n: int) -> None:
        calls.append(n)
        marks["read"] = time.perf_counter()

    with open(path, "rb") as handle:
        result = community_measures(read_contributions(handle, file_name=path.name),
                                    salt="bench", progress=progress)
    done = time.perf_counter()
    return {"rows": result.contributions + result.dropped + result.orphaned,
            "seconds": done - started, "read_seconds": marks["read"] - started,
            "measure_seconds": done - marks["read"], "peak_mb": _peak_mb(),
            "progress_calls": len(calls), "periods": len(result.periods),
            "kept": result.contributions, "dropped": result.dropped,
            "orphaned": result.orphaned, "contributors": result.contributors,
            "largest_network_arcs": max(p.network.arcs for p in result.periods)}


PHASES = {"floor": (phase_floor, "community.csv"),
          "floor-jsonl": (phase_floor_jsonl, "community.jsonl"),
          "read-csv": (phase_read, "community.csv"),
          "measure-csv": (phase_measure, "community.csv"),
          "measure-jsonl": (phase_measure, "community.jsonl")}


def _run_phase(name: str, base: Path, *extra: str) -> dict[str, float]:
    # A fresh interpreter per phase: on Linux a child's ru_maxrss starts at its parent's
    # size at fork, so the parent stays lean.
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--workdir", str(base),
                           *extra], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contributions", type=int, default=1_000_000)
    parser.add_argument("--authors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--phase", choices=["write", *PHASES], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        base = Path(args.workdir)
        if args.phase == "write":
            result = phase_write(base, args.contributions, args.authors, args.seed)
        else:
            run, file = PHASES[args.phase]
            result = run(base / file)
        print(json.dumps(result))
        return

    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        base = Path(tmp)
        made = _run_phase("write", base, "--contributions", str(args.contributions),
                          "--authors", str(args.authors), "--seed", str(args.seed))
        print(f"{made['contributions']:,} contributions, up to {args.authors:,} authors: CSV "
              f"{made['csv_mb']:.0f} MB, JSON lines {made['jsonl_mb']:.0f} MB "
              f"(written in {made['seconds']:.0f} s)")
        results = {name: _run_phase(name, base) for name in PHASES}
    _report(results)


def _report(results: dict[str, dict[str, float]]) -> None:
    floor = results["floor"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"{'phase':<34}{'rows':>11}{'seconds':>9}{'rows/s':>11}{'peak MB':>9}{'ratio':>7}")
    labels = {"floor": "bare csv.reader (floor)", "floor-jsonl": "bare json.loads per line",
              "read-csv": "read_contributions, CSV",
              "measure-csv": "read + community_measures, CSV",
              "measure-jsonl": "read + community_measures, JSONL"}
    for name, label in labels.items():
        r = results[name]
        print(f"{label:<34}{r['rows']:>11,.0f}{r['seconds']:>9.1f}"
              f"{r['rows'] / r['seconds']:>11,.0f}{r['peak_mb']:>9.0f}"
              f"{r['seconds'] / floor['seconds']:>6.1f}x")
    for name in ("measure-csv", "measure-jsonl"):
        r = results[name]
        print(f"  {name}: reading {r['read_seconds']:.1f} s, measuring after the last row "
              f"{r['measure_seconds']:.1f} s; {r['progress_calls']:.0f} progress calls; "
              f"{r['periods']:.0f} periods; kept {r['kept']:,.0f}, dropped "
              f"{r['dropped']:,.0f}, orphaned {r['orphaned']:,.0f}; {r['contributors']:,.0f} "
              f"contributors; largest reply network {r['largest_network_arcs']:,.0f} arcs")
    measured = results["measure-csv"]
    print(f"ratio: read + measure (CSV) is {measured['seconds'] / floor['seconds']:.1f}x the "
          f"bare csv pass, peaking at {measured['peak_mb'] / floor['peak_mb']:.1f}x its memory")


if __name__ == "__main__":
    main()
