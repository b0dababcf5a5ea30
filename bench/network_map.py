"""Benchmark: the PLN network map in one process, against a bare view.

    .venv/bin/python bench/network_map.py [--people 1500] [--ties 7500] [--repeats 20]
                                          [--quick]

A throw-away SQLite database (migrated; production settings, DEBUG off, only the TLS
redirect off, as bench/credential_pages.py) holding a district of ``--people`` educators
in 15 schools (one in ten a coach) and a coordinator, and ``--ties`` distinct advice ties
between them, brought in as one edge-list import (``Tie`` rows written with
``bulk_create``: the rows ``do_import_edges`` writes). Beyond 400 people the map draws the
largest connected part only when it fits, so at district size the page is the measures,
the brokers and the table.

Targets, through Django's test ``Client`` signed in as the coordinator, each timed with
``time.perf_counter``:

- floor: ``/__bench/ok/`` (the app's URLs plus this view, which reads ``request.user`` and
  returns "ok"), as in bench/web_throughput.py;
- first view: ``networks:home`` with every cache emptied first (nobody has seen this
  network, no worker has run): the network read, measured, laid out, rendered;
- after the worker: ``networks:home`` with this process's page cache emptied but the
  shared (default) cache holding what ``precompute_map`` stored, which is what a web
  process sees after the worker ran;
- cached: ``networks:home`` again (this process's page cache warm).

Prints the median of each, its ratio to the floor and its queries, and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BADGE_KEY_ENCRYPTION_KEYS", "eGazrEdwdAkn1kWrV7SaURXQoZNc0AADsrFME9LvUUo=")

from credential_pages import (  # noqa: E402  (bench/ is on the path above)
    BACKEND,
    FLOOR_PATH,
    bench_urls,
    page,
    queries,
    setup,
    timed,
)

SCHOOLS = 15


def build(rng: random.Random, *, people: int, ties: int) -> dict[str, Any]:
    from uptake.accounts.models import District, Role, RoleAssignment, School, User
    from uptake.networks.models import NetworkImport, Tie

    district = District.objects.create(name="Bench Network District", slug="bench-network")
    schools = School.objects.bulk_create(
        [School(district=district, name=f"School {i:02d}", sourced_id=f"s{i}")
         for i in range(SCHOOLS)])
    users = User.objects.bulk_create(
        [User(email=f"net-{i}@bench.example.org", first_name="Educator",
              last_name=f"{i:05d}", district=district, password="!unusable")
         for i in range(people)], batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, district=district, school=schools[i % SCHOOLS],
                        role=Role.COACH if i % 10 == 0 else Role.TEACHER)
         for i, u in enumerate(users)], batch_size=2000)
    coordinator = User.objects.create(email="coordinator@bench.example.org",
                                      first_name="Cora", last_name="Coordinator",
                                      district=district)
    RoleAssignment.objects.create(user=coordinator, district=district,
                                  role=Role.COORDINATOR)
    observed = date(2026, 10, 1)
    made = NetworkImport.objects.create(district=district, kind=NetworkImport.Kind.EDGE_LIST,
                                        file_name="bench.csv", observed_on=observed,
                                        rows=ties, ties=ties, created_by=coordinator)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = rng.randrange(people), rng.randrange(people)
        if a != b:
            pairs.add((a, b))
    Tie.objects.bulk_create(
        [Tie(district=district, relation="advice", source_person=users[a],
             target_person=users[b], weight=rng.randint(1, 5), observed_on=observed,
             origin=Tie.Origin.IMPORT, network_import=made) for a, b in sorted(pairs)],
        batch_size=2000)
    return {"district": district, "coordinator": coordinator}


def emptied(get: Callable[[], Any], *, shared: bool) -> Callable[[], Any]:
    """``get`` after emptying this process's page cache (and the shared one)."""
    from django.core.cache import caches

    def run() -> Any:
        caches["pages"].clear()
        if shared:
            caches["default"].clear()
        return get()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--ties", type=int, default=7500)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--first", type=int, default=3, help="first views timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="300 people, 1,500 ties")
    args = parser.parse_args()
    if args.quick:
        args.people, args.ties, args.repeats, args.first = 300, 1500, 5, 1
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder))
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        call_command("createcachetable", verbosity=0)
        setup_test_environment()
        made = build(random.Random(args.seed), people=args.people, ties=args.ties)
        bench_urls()
        client = Client()
        client.force_login(made["coordinator"], backend=BACKEND)
        home = page(client, reverse("networks:home"))
        floor = page(client, FLOOR_PATH)
        results = {"floor": timed(floor, args.repeats)}
        cold = emptied(home, shared=True)
        results["first view"] = []
        for _ in range(args.first):
            started = time.perf_counter()
            cold()
            results["first view"].append(time.perf_counter() - started)
        counts = {"floor": queries(floor), "first view": queries(cold)}
        try:
            from uptake.networks.precompute import warm
        except ImportError:  # the code before the precompute: no worker to have run
            warm = None
        if warm is not None:
            from django.core.cache import caches

            caches["default"].clear()
            warm(made["district"].pk)
            worker = emptied(home, shared=False)
            results["after the worker"] = timed(worker, args.repeats)
            counts["after the worker"] = queries(worker)
        results["cached"] = timed(home, args.repeats)
        counts["cached"] = queries(home)
        results["floor"] += timed(floor, args.repeats)
    base = statistics.median(results["floor"])
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"{args.people:,} people, {args.ties:,} ties; load average "
          f"{' '.join(load_before)} before, {' '.join(load_after)} after")
    print(f"{'target':<18}{'median ms':>11}{'x floor':>9}{'queries':>9}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<18}{1000 * median:>11.1f}{median / base:>9.1f}{counts[name]:>9}")


if __name__ == "__main__":
    main()
