"""Benchmark: the teacher's key pages in one process, against a bare view.

    .venv/bin/python bench/pages.py [--repeats 30] [--first 5] [--seed 1] [--quick]

The data are those of ``bench/credential_pages.py`` (``build``: a throw-away SQLite
database in a temporary folder, production settings, DEBUG off, only the TLS redirect
off; a teacher whose 0-100 score measure runs in 3 classes of 30 students over 40 weekly
points, 3,600 student values, the change after point 20; two learning sources, a text
artifact and her draft of a credential's impact tier with every item selected), plus a
story of the inquiry (``do_start_story``, the measure's classes together chosen,
published) and a share link to it for families. Pages, each through Django's test
``Client`` (``force_login``; the shared story without signing in):

- floor: ``/__bench/ok/``, a bare view behind the same middleware that reads
  ``request.user`` and returns "ok" (this benchmark's URLconf adds it to the app's URLs);
- home: ``/`` for the teacher (the panels the apps register);
- inquiry: ``inquiry:detail`` of her inquiry (the measures' verdicts);
- study: ``inquiry:study`` of the measure (three classes and together: four charts, each
  drawn wide and narrow, per-student growth, groups);
- submission: ``credentials:submission``, her draft of the impact tier (pre-check and the
  measure's impact rows);
- story: ``stories:detail``, the teacher's page of her published story;
- builder: ``stories:edit``, the story's builder (which chart may be published);
- shared: ``/s/<secret>/``, the story as a family reads it through the link.

Each page is timed ``--repeats`` times warm (after three warm-up calls: templates
compiled, rendered parts in the ``pages`` cache), and ``--first`` times as a first view:
before each of those calls the ``pages`` cache and the per-process caches of the study
(drawn charts, bootstraps, group suppression) are emptied, as after a deploy or a change
of the data. The floor is timed before and after the pages. Prints the mean and p95
milliseconds of each, their ratios to the floor's mean and p95, and the queries of one
warm call (``CaptureQueriesContext``); the last line is the same as JSON. Ratios are what
to compare: the machine's other load moves the absolute figures. ``--quick`` is a tiny
size for trying the script (one class of 14 over 12 points), not for figures.

Importing this module does nothing (the work is in :func:`main`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ("home", "inquiry", "study", "submission", "story", "builder", "shared")


def add_story(made: dict[str, Any]) -> dict[str, Any]:
    """The teacher's story of the inquiry, published with the measure's classes together,
    and a link that families read it through."""
    from uptake.stories.actions import (
        ChartChoice,
        do_choose_charts,
        do_create_share_link,
        do_publish,
        do_start_story,
        do_update_story,
    )

    teacher, measure = made["teacher"], made["measure"]
    story = do_start_story(measure.inquiry, actor=teacher)
    do_update_story(story, actor=teacher, title="Talk moves in Grade 7 math")
    do_choose_charts(story, [ChartChoice(measure)], actor=teacher)
    story = do_publish(story, actor=teacher)
    link = do_create_share_link(story, actor=teacher, label="Families, period 1")
    return {"story": story, "secret": link.secret}


def empty_caches() -> None:
    """What a first view finds: nothing rendered yet, in this process or the shared cache."""
    from django.core.cache import caches

    from uptake.inquiry import study

    caches["pages"].clear()
    for name in ("_svg", "_paired_change"):
        fn = getattr(study, name, None)
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def first_views(fn: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        empty_caches()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--first", type=int, default=5, help="first views of each page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="a tiny size to try the script; not for figures")
    args = parser.parse_args()
    classes, class_size, weeks = 3, 30, 40
    if args.quick:
        classes, class_size, weeks = 1, 14, 12
        args.repeats, args.first = min(args.repeats, 5), min(args.first, 2)

    import credential_pages as cp

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        cp.setup(Path(folder))
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        setup_test_environment()  # "testserver" allowed, mail kept in memory
        made = cp.build(random.Random(args.seed), classes=classes, class_size=class_size,
                        weeks=weeks, credentials=3)
        made.update(add_story(made))
        built = time.perf_counter() - started
        cp.bench_urls()
        teacher, measure, story = made["teacher"], made["measure"], made["story"]
        educator, family = Client(), Client()
        educator.force_login(teacher, backend=cp.BACKEND)
        targets: dict[str, Callable[[], Any]] = {
            "floor": cp.page(educator, cp.FLOOR_PATH),
            "home": cp.page(educator, "/"),
            "inquiry": cp.page(educator, reverse("inquiry:detail",
                                                 args=[measure.inquiry_id])),
            "study": cp.page(educator, reverse("inquiry:study", args=[measure.pk])),
            "submission": cp.page(educator, reverse("credentials:submission",
                                                    args=[made["submission"].pk])),
            "story": cp.page(educator, reverse("stories:detail", args=[story.pk])),
            "builder": cp.page(educator, reverse("stories:edit", args=[story.pk])),
            "shared": cp.page(family, f"/s/{made['secret']}/"),
        }
        warm = {name: cp.timed(fn, args.repeats) for name, fn in targets.items()}
        counts = {name: cp.queries(fn) for name, fn in targets.items()}
        first = {name: first_views(fn, args.first) for name, fn in targets.items()
                 if name != "floor"}
        warm["floor"] += cp.timed(targets["floor"], args.repeats)  # before and after

    floor = warm["floor"]
    f_mean, f_p95 = statistics.fmean(floor), p95(floor)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"data: {classes} classes x {class_size} students x {weeks} weekly points "
          f"({made['values']:,} values); built in {built:.0f} s; {args.repeats} warm calls "
          f"each after {cp.WARM_UP} warm-up, {args.first} first views (floor "
          f"{2 * args.repeats} calls, before and after)")
    print(f"{'page':<11}{'mean ms':>9}{'p95 ms':>9}{'mean/fl':>9}{'p95/fl':>9}"
          f"{'first ms':>10}{'first/fl':>10}{'queries':>9}")
    summary: dict[str, Any] = {}
    for name in ("floor", *PAGES):
        times = warm[name]
        mean, high = statistics.fmean(times), p95(times)
        cold = statistics.fmean(first[name]) if name in first else mean
        summary[name] = {"mean_ms": round(mean * 1000, 2), "p95_ms": round(high * 1000, 2),
                         "ratio": round(mean / f_mean, 1), "p95_ratio": round(high / f_p95, 1),
                         "first_ms": round(cold * 1000, 1),
                         "first_ratio": round(cold / f_mean, 1), "queries": counts[name]}
        print(f"{name:<11}{mean * 1000:>9.2f}{high * 1000:>9.2f}{mean / f_mean:>9.1f}"
              f"{high / f_p95:>9.1f}{cold * 1000:>10.1f}{cold / f_mean:>10.1f}"
              f"{counts[name]:>9}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
