"""Benchmark (not a test): verdicts for 20,000 series of 30 points.

Prints the time for ``uptake.analysis.verdict`` over every series, one call per series
as pages and reports make them, and for the batch path ``uptake.analysis.verdicts``
(every series at once: labels and figures; then also every ``Verdict`` object with its
reason built from it), each with its ratio to a numpy-vectorised floor measured in the
same run: the least work any verdict needs (baseline medians, signs, crossings and
longest runs for all series at once). Stops with an error if a batch verdict differs
from the per-series one. Record the figures in docs/performance.md.

    .venv/bin/python bench/analysis.py [--series 20000] [--points 30] [--baseline 15]
"""

from __future__ import annotations

import argparse
import platform
import time
from collections import Counter

import numpy as np

from uptake.analysis import Verdict, verdict, verdicts


def floor(y: np.ndarray, baseline: int) -> tuple[np.ndarray, np.ndarray]:
    """Crossings and longest runs around the baseline medians, vectorised over series."""
    med = np.median(y[:, :baseline], axis=1)
    s = np.sign(y - med[:, None])
    crossings = (s[:, 1:] != s[:, :-1]).sum(axis=1)
    current = np.ones(len(y), dtype=int)
    longest = current.copy()
    for j in range(1, y.shape[1]):
        current = np.where(s[:, j] == s[:, j - 1], current + 1, 1)
        np.maximum(longest, current, out=longest)
    return crossings, longest


def best_of(repeats: int, fn, *args):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t)
    return min(times), result


def run_verdicts(y: np.ndarray, baseline: int) -> list[Verdict]:
    return [verdict(row, baseline_n=baseline) for row in y]


def run_batch(y: np.ndarray, baseline: int) -> list[str]:
    return verdicts(y, baseline_n=baseline).labels


def run_batch_objects(y: np.ndarray, baseline: int) -> list[Verdict]:
    return list(verdicts(y, baseline_n=baseline))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", type=int, default=20_000)
    p.add_argument("--points", type=int, default=30)
    p.add_argument("--baseline", type=int, default=15)
    p.add_argument("--seed", type=int, default=3)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    y = rng.normal(size=(a.series, a.points))
    y[a.series // 2 :, a.baseline :] += 1.5  # half the series improve after the baseline
    verdict(y[0], baseline_n=a.baseline)  # warm caches and imports outside the timing
    floor_s, _ = best_of(5, floor, y, a.baseline)
    verdicts(y[:2], baseline_n=a.baseline)
    batch_s, batch_labels = best_of(5, run_batch, y, a.baseline)
    verdict_s, each = best_of(1, run_verdicts, y, a.baseline)
    objects_s, built = best_of(1, run_batch_objects, y, a.baseline)
    labels = Counter(v.label for v in each)
    if built != each or batch_labels != [v.label for v in each]:
        raise SystemExit("The batch verdicts differ from the per-series verdicts.")
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, numpy {np.__version__}")
    print(f"{a.series} series x {a.points} points, baseline {a.baseline}")
    print(f"floor (numpy, vectorised): {floor_s * 1e3:.1f} ms")
    print(f"verdict (one call per series): {verdict_s:.2f} s "
          f"({verdict_s / a.series * 1e6:.0f} us per series)")
    print(f"ratio verdict / floor: {verdict_s / floor_s:.0f}x")
    print(f"batch (verdicts(), labels and figures): {batch_s * 1e3:.1f} ms, "
          f"ratio to floor {batch_s / floor_s:.2f}x")
    print(f"batch with every Verdict and reason built: {objects_s:.2f} s "
          f"({objects_s / a.series * 1e6:.0f} us per series), "
          f"ratio to floor {objects_s / floor_s:.0f}x")
    print("batch verdicts equal the per-series verdicts: yes")
    with open("/proc/loadavg") as f:
        print(f"load average: {' '.join(f.read().split()[:3])}")
    print("labels:", dict(sorted(labels.items())))


if __name__ == "__main__":
    main()
