"""Benchmark: the micro-credential pages in one process, against a bare view.

    .venv/bin/python bench/credential_pages.py [--repeats 30] [--seed 1] [--credentials 12]
                                               [--quick]

A throw-away SQLite database in a temporary folder (migrated, static files collected:
production settings, DEBUG off, only the TLS redirect off), then a district-size impact
submission made through the apps' actions: a teacher at one school with an inquiry
(``do_create_inquiry``) whose score measure (0-100, direction up, ``do_create_measure``)
runs in 3 classes of 30 students over 40 weekly points, the change after point 20
(occasions and student values written with ``bulk_create``, the rows ``_write_occasion``
writes, as ``bench/web_throughput.py`` does); two learning sources (``do_add_source``, one
research-based with a link) and a text artifact (``do_add_artifact``). The district's
coordinator publishes ``--credentials`` credentials (the three presets in turn; the
first is the four-tier model) and the teacher starts its "Impact" tier (data and a
reflection on it) and selects the inquiry, the measure, the two sources and the artifact
into it with ``do_add_item``, with a reflection of 300 words (``do_update_submission``).

Targets, each timed ``--repeats`` times after three warm-up calls (templates compiled,
charts drawn and cached), with ``time.perf_counter``, through Django's test ``Client``
signed in with ``force_login``:

- floor: ``/__bench/ok/``, a view added only in this benchmark's URLconf (the app's URLs
  plus this one, as in web_throughput) that reads ``request.user`` (so the session and
  the user are loaded, as on every page) and returns "ok", through the same middleware;
- builder: the teacher's draft, ``credentials:submission`` (her records by kind, the
  reflection form, the pre-check and the impact rows from her measure);
- autosave: what the builder's reflection posts 1.2 s after she stops typing
  (``credentials:save`` with ``HX-Request``): the save, then the refreshed pre-check;
- precheck: ``precheck.precheck`` alone on the submission (read afresh each time, as the
  page reads it), which studies her measure through ``impact_rows``;
- study: ``study_measure(..., names=False, render=False)`` alone, the study of the
  measure inside ``impact_rows`` (three classes and all together: verdicts, paired
  changes);
- catalog: ``credentials:catalog`` for the teacher (her progress on every tier);
- review: after ``do_submit`` (the least busy assessor assigned, her grant given), the
  assessor's ``credentials:review`` of the open round: the records sent read through the
  grant, the impact rows and the class-level charts of the measure, the scoring form; each
  GET also writes the ``submission_read`` audit row.

Prints the median and p90 milliseconds of each, its ratio to the floor (the median of
the floor's timings before and after the others) and the queries each makes
(``CaptureQueriesContext``, one call after warm-up). The machine's other load moves the
absolute figures; the ratios are what to compare. ``--quick`` is a tiny size for trying
the script (one class of 10 over 12 points, 3 credentials, 5 repeats), not for figures.
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
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR_PATH = "/__bench/ok/"
BACKEND = "django.contrib.auth.backends.ModelBackend"
WARM_UP = 3
PRESETS = ("four_tier", "data_use", "social_media")
REFLECTION = (
    "My goal was that every student explains their reasoning in writing, not only the "
    "confident ones. Before the change the exit ticket scores sat near the middle of the "
    "scale in all three classes, and the same few students wrote full explanations. After "
    "I started the talk moves and the sentence stems the class means rose in two classes "
    "and held in the third; the paired change says the same students gained, not a new "
    "group. The third class met last period, and the stems came late there. "
)


def setup(workdir: Path) -> None:
    from web_throughput import django_env  # production settings, as every benchmark

    os.environ.update(django_env(workdir / "bench.sqlite3", workdir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


# --------------------------------------------------------------------------- the data


def _person(email: str, first: str, last: str, district: Any, role: str,
            school: Any = None) -> Any:
    from uptake.accounts.models import RoleAssignment, User

    user = User.objects.create_user(email=email, password=None, first_name=first,
                                    last_name=last, district=district)
    RoleAssignment.objects.create(user=user, district=district, school=school, role=role)
    return user


def _reflection(words: int) -> str:
    text = REFLECTION.split()
    return " ".join(text[i % len(text)] for i in range(words))


def build(rng: random.Random, *, classes: int, class_size: int, weeks: int,
          credentials: int) -> dict[str, Any]:
    """The district, the teacher's data and her draft of the impact tier."""
    from uptake.accounts.models import District, Role, School
    from uptake.credentials.actions import (
        do_add_item,
        do_create_credential,
        do_publish,
        do_start_submission,
        do_update_submission,
    )
    from uptake.evidence.actions import do_add_artifact
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure
    from uptake.inquiry.models import Measure, Occasion, StudentValue
    from uptake.learning.actions import SourceFields, do_add_source
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    district = District.objects.create(name="Maple Valley Unified", slug="maple-valley")
    school = School.objects.create(district=district, name="Cedar Middle", sourced_id="org-1")
    teacher = _person("jamie@maple.test", "Jamie", "Nguyen", district, Role.TEACHER, school)
    assessor = _person("alex@maple.test", "Alex", "Assessor", district, Role.ASSESSOR)
    coordinator = _person("renata@maple.test", "Renata", "Okafor", district,
                          Role.COORDINATOR)

    sections = []
    for c in range(classes):
        section = Section.objects.create(district=district, school=school,
                                         sourced_id=f"cls-{c}", grades="07",
                                         title=f"Grade 7 Math - Period {c + 1}")
        TeacherAssignment.objects.create(section=section, teacher=teacher)
        students = Student.objects.bulk_create([
            Student(district=district, school=school, sourced_id=f"stu-{c}-{i}",
                    given_name=f"Kid{i}", family_name=f"Period{c + 1}", grade="07",
                    english_learner=(i % 4 == 0))
            for i in range(class_size)])
        Enrollment.objects.bulk_create([Enrollment(section=section, student=s)
                                        for s in students])
        sections.append(section)

    today = date.today()
    dates = [today - timedelta(days=3 + 7 * w) for w in reversed(range(weeks))]
    baseline = weeks // 2
    inquiry = do_create_inquiry(
        teacher, title="Talk moves in Grade 7 math",
        problem_of_practice="Students rarely explain their reasoning in writing.",
        question="Do talk moves and sentence stems raise the quality of explanations?",
        change_idea="Talk moves every lesson, sentence stems on every exit ticket.",
        prediction="Scores rise above the baseline median within six weeks.")
    measure = do_create_measure(teacher, inquiry, sections=sections, name="Exit ticket score",
                                kind=Measure.Kind.SCORE, scale_min=0, scale_max=100,
                                direction="up", change_date=dates[baseline])
    values = 0
    for section in sections:
        occasions = Occasion.objects.bulk_create(
            [Occasion(measure=measure, section=section, date=d, entered_by=teacher)
             for d in dates])
        lift = rng.choice([9, 6, 0])
        students = list(section.enrollments.values_list("student_id", flat=True))
        rows = [StudentValue(occasion=o, student_id=s,
                             value=None if rng.random() < 0.05 else
                             round(min(100, max(0, rng.gauss(
                                 55 + lift * (w >= baseline), 12)))))
                for w, o in enumerate(occasions) for s in students]
        StudentValue.objects.bulk_create(rows, batch_size=2000)
        values += len(rows)

    sources = [
        do_add_source(owner=teacher, fields=SourceFields(
            kind="book", title="The Teacher's Guide to Academic Conversations",
            learned_on=today - timedelta(days=200), hours=Decimal("6"),
            research_based=True, author="Zwiers",
            link="https://example.org/academic-conversations")),
        do_add_source(owner=teacher, fields=SourceFields(
            kind="webinar", title="Talk moves in middle-school math",
            learned_on=today - timedelta(days=190), hours=Decimal("1.5"))),
    ]
    artifact = do_add_artifact(
        teacher, kind="text", title="Sentence stems for exit tickets", guskey_level=4,
        identifies_students=False, body="\n".join(
            ["I noticed that ...", "I agree with ... because ...",
             "Another way to see it is ...", "My answer makes sense because ..."] * 5))

    versions = []
    for k in range(credentials):
        version = do_create_credential(
            actor=coordinator, title=f"Academic conversations {k + 1}",
            preset=PRESETS[k % len(PRESETS)],
            competency="Leads academic conversations in which every student explains and "
                       "builds on ideas.")
        versions.append(do_publish(version, actor=coordinator))
    tier = versions[0].tiers.get(kind="impact")
    submission = do_start_submission(tier, actor=teacher)
    for kind, record in (("inquiry", inquiry), ("measure", measure), ("source", sources[0]),
                         ("source", sources[1]), ("artifact", artifact)):
        do_add_item(submission, actor=teacher, kind=kind, record_id=record.pk,
                    note=f"Why this {kind}: it shows the change in my classes.")
    words = ((tier.reflection_min_words or 250) + (tier.reflection_max_words or 350)) // 2
    submission = do_update_submission(submission, actor=teacher,
                                      reflection=_reflection(words))
    return {"teacher": teacher, "assessor": assessor, "submission": submission,
            "measure": measure, "values": values, "words": words}


# --------------------------------------------------------------------------- serving


def _ok(request: Any) -> Any:
    from django.http import HttpResponse

    # Touch the user so the session and user rows are read, as on every real page.
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous",
                        content_type="text/plain")


urlpatterns: list[Any] = []


def bench_urls() -> None:
    """The app's URLs plus the floor view, as this module's URLconf."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    urlpatterns[:] = [path(FLOOR_PATH.strip("/") + "/", _ok), path("", include("uptake.urls"))]
    settings.ROOT_URLCONF = sys.modules[__name__]
    clear_url_caches()


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    for _ in range(WARM_UP):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def page(client: Any, url: str, **extra: Any) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(url, **extra)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        return response
    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--credentials", type=int, default=12,
                        help="published credentials in the district's catalog")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny size to try the script; not for figures")
    args = parser.parse_args()
    classes, class_size, weeks = 3, 30, 40
    if args.quick:
        classes, class_size, weeks = 1, 10, 12
        args.repeats, args.credentials = min(args.repeats, 5), min(args.credentials, 3)

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        setup(Path(folder))
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from uptake.credentials.actions import do_submit
        from uptake.credentials.models import Review, Submission
        from uptake.credentials.precheck import precheck
        from uptake.inquiry.study import study_measure

        setup_test_environment()  # "testserver" allowed, mail kept in memory
        made = build(random.Random(args.seed), classes=classes, class_size=class_size,
                     weeks=weeks, credentials=args.credentials)
        built = time.perf_counter() - started
        bench_urls()
        teacher, assessor = made["teacher"], made["assessor"]
        sub_pk, measure = made["submission"].pk, made["measure"]
        educator, reader = Client(), Client()
        educator.force_login(teacher, backend=BACKEND)
        reader.force_login(assessor, backend=BACKEND)
        builder_url = reverse("credentials:submission", args=[sub_pk])
        save_url = reverse("credentials:save", args=[sub_pk])
        reflection = made["submission"].reflection

        def autosave() -> Any:
            response = educator.post(save_url, {"reflection": reflection},
                                     HTTP_HX_REQUEST="true")
            if response.status_code != 200 or b"Saved" not in response.content:
                raise SystemExit(f"autosave: HTTP {response.status_code}")
            return response

        def check() -> Any:
            return precheck(Submission.objects.get(pk=sub_pk))

        def study() -> Any:
            return study_measure(teacher, measure, names=False, render=False)

        checks = check()
        if not all(c.ok for c in checks):
            raise SystemExit(f"the draft does not pass its pre-check: {checks}")
        draft_targets: dict[str, Callable[[], Any]] = {
            "floor": page(educator, FLOOR_PATH),
            "builder": page(educator, builder_url),
            "autosave": autosave,
            "precheck": check,
            "study": study,
            "catalog": page(educator, reverse("credentials:catalog")),
        }
        results = {name: timed(fn, args.repeats) for name, fn in draft_targets.items()}
        counts = {name: queries(fn) for name, fn in draft_targets.items()}

        submitted = do_submit(Submission.objects.get(pk=sub_pk), actor=teacher)
        review = Review.objects.get(round__submission=submitted, decided_at__isnull=True,
                                    released_at__isnull=True)
        if review.assessor_id != assessor.pk:
            raise SystemExit("the review went to someone else")
        review_page = page(reader, reverse("credentials:review", args=[review.pk]))
        results["review"] = timed(review_page, args.repeats)
        counts["review"] = queries(review_page)
        results["floor"] += timed(draft_targets["floor"], args.repeats)  # before and after

    floor_median = statistics.median(results["floor"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"submission: impact tier, {classes} classes x {class_size} students x {weeks} "
          f"weekly points ({made['values']:,} values), 1 inquiry, 1 measure, 2 sources, "
          f"1 text artifact, reflection {made['words']} words; catalog of "
          f"{args.credentials} credentials; built in {built:.0f} s; {args.repeats} calls "
          f"each after {WARM_UP} warm-up (floor {2 * args.repeats}: before and after)")
    print(f"{'target':<10}{'median ms':>11}{'p90 ms':>9}{'x floor':>9}{'queries':>9}")
    summary = {}
    for name in ("floor", "builder", "autosave", "precheck", "study", "catalog", "review"):
        times = results[name]
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 2 else median
        summary[name] = {"median_ms": round(median * 1000, 2), "p90_ms": round(p90 * 1000, 2),
                         "ratio": round(median / floor_median, 1), "queries": counts[name]}
        print(f"{name:<10}{median * 1000:>11.1f}{p90 * 1000:>9.1f}"
              f"{median / floor_median:>9.1f}{counts[name]:>9}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
