"""Benchmark: Open Badges signed per second in a bulk award, against its own floors.

    .venv/bin/python bench/badge_signing.py [--awards 1000] [--repeats 200] [--quick]

A throw-away SQLite database in a temporary folder (migrated; production settings, DEBUG
off, a fresh ``BADGE_KEY_ENCRYPTION_KEYS`` key), one district whose coordinator publishes
the four-tier credential (``do_create_credential``, ``do_publish``), and ``--awards``
educators each awarded it (the ``Award`` rows written with ``bulk_create``, as the badges
tests' fixture makes them: the workflow that leads to an award is the credentials app's
to measure). The district's issuer (its Ed25519 and RSA keys, its first status list) is
made before the clock starts: that happens once per district.

Timed with ``time.perf_counter``:

- bulk: ``actions.do_issue`` on every award in turn, as the award hook calls it: a random
  free status index, the credential built, checked (the official JSON Schema, the
  strict-term check), signed (eddsa-rdfc-2022: two canonicalisations, one Ed25519
  signature), its VC-JWT (RS256), the badge and the audit row saved. Credentials per
  second is the awards over the whole run's time.
- floor "ed25519": one raw Ed25519 signature of the same 64 bytes a proof signs (the two
  SHA-256 hashes), ``--repeats`` times, half before the bulk run and half after;
- floor "canonical": one RDFC-1.0 canonicalisation (``jsonld.canonical``) of an issued
  credential without its proof, the same way;
- and, for where the time goes, the steps alone on that credential:
  ``documents.unsigned_credential`` (the badge read afresh: its queries), ``documents.problems``
  (schema and strict terms), ``proof.sign``, ``keys`` (both private keys decrypted and
  loaded, as each issue does), ``vcjwt.encode``.

The first award is issued before the clock starts (its credential is what the floors and
steps work on). Prints the per-credential median of the bulk run, credentials per second,
and each step's median and its ratio to both floors. The machine's other load moves the
absolute figures; the ratios are what to compare. ``--quick`` (50 awards, 20 repeats) is
for trying the script, not for figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import secrets
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

WARM_UP = 3


def setup(workdir: Path) -> None:
    from web_throughput import django_env  # production settings, as every benchmark

    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    os.environ.update({**django_env(workdir / "bench.sqlite3", workdir),
                       "BADGE_KEY_ENCRYPTION_KEYS": key})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(awards: int) -> tuple[Any, list[Any]]:
    """The district's issuer and its awards (not yet issued)."""
    from uptake.accounts.models import District, Role, RoleAssignment, User
    from uptake.badges.actions import issuer_for
    from uptake.credentials.actions import do_create_credential, do_publish
    from uptake.credentials.models import Award

    district = District.objects.create(name="Maple Valley Unified", slug="maple-valley")
    coordinator = User.objects.create_user(email="renata@maple.test", password=None,
                                           first_name="Renata", last_name="Okafor",
                                           district=district)
    RoleAssignment.objects.create(user=coordinator, district=district, role=Role.COORDINATOR)
    version = do_publish(do_create_credential(
        actor=coordinator, title="Academic conversations", preset="four_tier",
        competency="Leads academic conversations in which every student explains her "
                   "thinking, listens to a partner and builds on or questions the idea."),
        actor=coordinator)
    educators = User.objects.bulk_create([
        User(email=f"educator{n}@maple.test", first_name="Educator", last_name=f"{n:04d}",
             district=district) for n in range(awards)])
    made = Award.objects.bulk_create([
        Award(district=district, educator=e, credential=version.credential, version=version)
        for e in educators])
    return issuer_for(district), made


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    for _ in range(WARM_UP):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def steps_on(badge: Any) -> dict[str, Callable[[], Any]]:
    """The floors and the steps, on this issued badge's credential and keys."""
    from django.utils import timezone

    from uptake.badges import documents, keystore
    from uptake.badges.models import Badge, IssuerKey
    from uptake.openbadges import jsonld, proof, vcjwt

    signed = json.loads(badge.document)
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    key = keystore.signing_key(badge.issuer, IssuerKey.Kind.ED25519)
    rsa_key = keystore.signing_key(badge.issuer, IssuerKey.Kind.RSA)
    assert key is not None and rsa_key is not None
    private, rsa_private = keystore.ed25519_private(key), keystore.rsa_private(rsa_key)
    method, rsa_method = (keystore.verification_method(key),
                          keystore.verification_method(rsa_key))
    created = signed["proof"][0]["created"]
    data = proof.hashes(unsigned, proof.options(method, created)).data
    now = timezone.now()
    return {
        "ed25519": lambda: private.sign(data),
        "canonical": lambda: jsonld.canonical(unsigned),
        "build": lambda: documents.unsigned_credential(
            Badge.objects.select_related("issuer__district", "status_list__issuer")
            .get(pk=badge.pk), badge.award, now=now),
        "check": lambda: documents.problems(unsigned),
        "sign": lambda: proof.sign(unsigned, private, method, created),
        "keys": lambda: (keystore.ed25519_private(key), keystore.rsa_private(rsa_key)),
        "jwt": lambda: vcjwt.encode(signed, rsa_private, rsa_method),
    }


FLOORS = ("ed25519", "canonical")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--awards", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=200,
                        help="calls of each floor (half before, half after) and step")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny size to try the script; not for figures")
    args = parser.parse_args()
    if args.quick:
        args.awards, args.repeats = min(args.awards, 50), min(args.repeats, 20)

    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder))
        from uptake.badges.actions import do_issue
        from uptake.badges.models import Badge

        started = time.perf_counter()
        _issuer, awards = build(args.awards)
        built = time.perf_counter() - started

        # The first award is issued before the clock starts: its credential is what the
        # floors and steps work on. The floors are timed before and after the bulk run.
        first = do_issue(awards[0])
        if first is None:
            raise SystemExit(f"not issued: {awards[0].issue_problems.first().problems}")
        targets = steps_on(first)
        results = {name: timed(targets[name], args.repeats // 2) for name in FLOORS}
        each = []
        started = time.perf_counter()
        for award in awards[1:]:
            begun = time.perf_counter()
            if do_issue(award) is None:
                raise SystemExit(f"award {award.pk} was not issued: "
                                 f"{award.issue_problems.first().problems}")
            each.append(time.perf_counter() - begun)
        bulk = time.perf_counter() - started
        if Badge.objects.count() != args.awards:
            raise SystemExit("not every award was issued")
        for name, fn in targets.items():
            after = timed(fn, args.repeats - args.repeats // 2 if name in FLOORS
                          else args.repeats)
            results[name] = results.get(name, []) + after

    count = len(each)
    floors = {name: statistics.median(results[name]) for name in FLOORS}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"bulk award: {count} awards of the four-tier credential issued with "
          f"actions.do_issue in {bulk:.1f} s ({count / bulk:.2f} credentials/s; the first "
          f"of {args.awards} before the clock); district built in {built:.1f} s; floors "
          f"{args.repeats} calls (half before, half after), steps {args.repeats} after, "
          f"each after {WARM_UP} warm-up")
    print(f"{'target':<11}{'median ms':>11}{'p90 ms':>9}{'x ed25519':>11}{'x canonical':>13}")
    summary: dict[str, Any] = {"awards": count, "seconds": round(bulk, 2),
                               "credentials_per_second": round(count / bulk, 2)}
    for name, times in {"do_issue": each, **results}.items():
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 2 else median
        summary[name] = {"median_ms": round(median * 1000, 3), "p90_ms": round(p90 * 1000, 3),
                         "x_ed25519": round(median / floors["ed25519"], 1),
                         "x_canonical": round(median / floors["canonical"], 2)}
        print(f"{name:<11}{median * 1000:>11.3f}{p90 * 1000:>9.3f}"
              f"{median / floors['ed25519']:>11.1f}{median / floors['canonical']:>13.2f}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
