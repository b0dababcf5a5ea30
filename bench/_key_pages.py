"""The data the eight key pages read, on top of ``uptake seed --size district`` and the
bench teachers' inquiries that bench/web_throughput.py builds (shared with bench/soak.py).

``add_key_page_data`` adds, through the apps' actions wherever one call per record is
affordable, and with ``bulk_create`` of the rows the action writes where it is not:

- district staff: coordinators, assessors and a researcher (``RoleAssignment``, as the
  roster import or a coordinator's grant writes it);
- the per-series summaries of every bench measure (``refresh_measures``, what the data
  actions refresh), then programs with sessions, attendance, links to the inquiries and
  reactions surveys, and five years of spending (bench/district_dashboard.py's builders):
  what the district dashboard reads;
- a published four-tier credential and, for the first ``WITH_WORK`` bench teachers, two
  learning sources, an artifact and a draft of its impact tier holding her inquiry, her
  score measure, the sources and the artifact with a reflection (``do_start_submission``,
  ``do_add_item``, ``do_update_submission``); two teachers in three submit it
  (``do_submit``), which gives it to the least busy assessor: the assessors' queues;
- a story per one of those teachers (``do_start_story``, ``do_update_story``,
  ``do_choose_charts``: her score measure's classes together and each class), published
  (``do_publish``: the snapshot families see);
- the PLN: every educator of the district names four colleagues (three at her school,
  one elsewhere) she learns from, on the built-in relations, as ``do_name_tie`` writes
  them (``bulk_create``: 20,000 calls would take longer than the rest of the build); a
  few through ``do_name_tie`` itself.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

COORDINATORS = 5
ASSESSORS = 10
TIES_PER_EDUCATOR = 4
WITH_WORK = 150
REFLECTION = (
    "My goal was that every student explains their reasoning in writing, not only the "
    "confident ones. Before the change the exit ticket scores sat near the middle of the "
    "scale in both classes, and the same few students wrote full explanations. After I "
    "started the sentence stems the class means rose and the paired change says the same "
    "students gained, not a new group. "
)


def _staff(district: Any, role: str, n: int, tag: str) -> list[Any]:
    from uptake.accounts.models import RoleAssignment, User

    people = []
    for i in range(n):
        user = User.objects.create_user(
            email=f"bench-{tag}-{i}@bench.example.org", password=None,
            first_name=tag.title(), last_name=f"{i:02d}", district=district)
        RoleAssignment.objects.create(user=user, district=district, role=role)
        people.append(user)
    return people


def _words(n: int) -> str:
    text = REFLECTION.split()
    return " ".join(text[i % len(text)] for i in range(n))


def add_key_page_data(seed: int, teachers: list[Any]) -> dict[str, Any]:
    """Everything the key pages beyond the teacher's own read (see the module's doc)."""
    from uptake.accounts.models import District, Role

    rng = random.Random(seed + 17)
    district = District.objects.get(slug="bench")
    out: dict[str, Any] = {}
    started = time.perf_counter()
    coordinators = _staff(district, Role.COORDINATOR, COORDINATORS, "coordinator")
    assessors = _staff(district, Role.ASSESSOR, ASSESSORS, "assessor")
    _staff(district, Role.RESEARCHER, 1, "researcher")
    out |= _dashboard(rng, district, coordinators, teachers)
    # The credential drafts and the stories of the first bench teachers: enough viewers
    # for 50 clients (a third keep their draft) and a queue for every assessor.
    out |= _credentials(coordinators[0], teachers[:WITH_WORK])
    out |= _stories(teachers[:WITH_WORK])
    out |= _ties(rng, district)
    out["assessors"] = len(assessors)
    out["extras_seconds"] = round(time.perf_counter() - started)
    return out


def _dashboard(rng: random.Random, district: Any, coordinators: list[Any],
               teachers: list[Any]) -> dict[str, Any]:
    from district_dashboard import _programs, _spending

    from uptake.accounts.models import Role, User
    from uptake.inquiry.models import Inquiry, Measure
    from uptake.inquiry.summaries import refresh_measures

    refreshed = refresh_measures(Measure.objects.filter(inquiry__district=district)
                                 .values_list("pk", flat=True))
    everyone = list(User.objects.filter(district=district, roles__role=Role.TEACHER)
                    .order_by("pk").distinct())
    users = coordinators + everyone
    plan = [(Role.COORDINATOR, None)] * len(coordinators) + [(Role.TEACHER, None)] * len(everyone)
    inquiries = list(Inquiry.objects.filter(district=district).order_by("pk"))
    made = _programs(rng, district, users, plan, inquiries)
    made |= _spending(rng, district, made.pop("programs_list"))
    return {"summaries_refreshed": refreshed, **made}


def _credentials(coordinator: Any, teachers: list[Any]) -> dict[str, Any]:
    from django.utils import timezone

    from uptake.credentials.actions import (
        do_add_item,
        do_create_credential,
        do_publish,
        do_start_submission,
        do_submit,
        do_update_submission,
    )
    from uptake.evidence.actions import do_add_artifact
    from uptake.inquiry.models import Measure
    from uptake.learning.actions import SourceFields, do_add_source
    from uptake.rules import Invalid

    version = do_publish(do_create_credential(
        actor=coordinator, title="Academic conversations", preset="four_tier",
        competency="Leads academic conversations in which every student explains and "
                   "builds on ideas."), actor=coordinator)
    tier = version.tiers.get(kind="impact")
    words = ((tier.reflection_min_words or 250) + (tier.reflection_max_words or 350)) // 2
    today = timezone.localdate()
    drafts = submitted = refused = 0
    for i, teacher in enumerate(teachers):
        inquiry = teacher.inquiries.order_by("pk").first()
        measure = Measure.objects.filter(inquiry=inquiry, kind=Measure.Kind.SCORE).first()
        sources = [
            do_add_source(owner=teacher, fields=SourceFields(
                kind="book", title="The Teacher's Guide to Academic Conversations",
                learned_on=today - timedelta(days=200), hours=Decimal("6"),
                research_based=True, author="Zwiers",
                link="https://example.org/academic-conversations")),
            do_add_source(owner=teacher, fields=SourceFields(
                kind="webinar", title="Talk moves in middle-school math",
                learned_on=today - timedelta(days=190), hours=Decimal("1.5")))]
        artifact = do_add_artifact(
            teacher, kind="text", title="Sentence stems for exit tickets", guskey_level=4,
            identifies_students=False,
            body="I noticed that ...\nI agree with ... because ...\nAnother way to see it is ...")
        submission = do_start_submission(tier, actor=teacher)
        for kind, record in (("inquiry", inquiry), ("measure", measure),
                             ("source", sources[0]), ("source", sources[1]),
                             ("artifact", artifact)):
            do_add_item(submission, actor=teacher, kind=kind, record_id=record.pk,
                        note=f"Why this {kind}: it shows the change in my classes.")
        submission = do_update_submission(submission, actor=teacher, reflection=_words(words))
        drafts += 1
        if i % 3:
            try:
                do_submit(submission, actor=teacher)
                submitted += 1
            except Invalid:  # a pre-check she fails leaves it a draft
                refused += 1
    return {"submissions": drafts, "submitted": submitted, "submit_refused": refused}


def _stories(teachers: list[Any]) -> dict[str, Any]:
    from uptake.inquiry.models import Measure
    from uptake.rules import Invalid
    from uptake.stories.actions import (
        ChartChoice,
        do_choose_charts,
        do_publish,
        do_start_story,
        do_update_story,
    )

    made = published = 0
    for teacher in teachers:
        inquiry = teacher.inquiries.order_by("pk").first()
        measure = Measure.objects.filter(inquiry=inquiry, kind=Measure.Kind.SCORE).first()
        story = do_start_story(inquiry, actor=teacher)
        do_update_story(story, actor=teacher, what_happened=(
            "Most students now write a full explanation on the exit ticket, and the "
            "scores rose in both classes after the sentence stems came in."))
        sections = list(measure.sections.order_by("pk"))  # type: ignore[union-attr]
        do_choose_charts(story, [ChartChoice(measure)] + [ChartChoice(measure, s)
                                                          for s in sections], actor=teacher)
        made += 1
        try:
            do_publish(story, actor=teacher)
            published += 1
        except Invalid:  # a chart that may not be published (too few students): a draft
            pass
    return {"stories": made, "stories_published": published}


def _ties(rng: random.Random, district: Any) -> dict[str, Any]:
    from django.utils import timezone

    from uptake.accounts.models import RoleAssignment, User
    from uptake.networks.actions.ties import (
        FREQUENCIES,
        FREQUENCY_LABELS,
        FREQUENCY_WEIGHTS,
        NamedTieData,
        do_name_tie,
    )
    from uptake.networks.models import BUILTIN_RELATIONS, Tie
    from uptake.networks.queries import NODE_ROLES

    rows = (RoleAssignment.objects.filter(district=district, role__in=NODE_ROLES,
                                          user__is_active=True)
            .values_list("user_id", "school_id").order_by("user_id"))
    school_of: dict[int, int | None] = {}
    for user_id, school_id in rows:
        if school_of.get(user_id) is None:
            school_of[user_id] = school_id
    people = sorted(school_of)
    by_school: dict[int | None, list[int]] = {}
    for p, s in school_of.items():
        by_school.setdefault(s, []).append(p)
    relations = list(BUILTIN_RELATIONS)
    keys = [k for k, _, _ in FREQUENCIES]
    today = timezone.localdate()
    seen: set[tuple[int, int, str]] = set()
    ties = []
    for me in people[5:]:
        mates = by_school[school_of[me]]
        for k in range(TIES_PER_EDUCATOR):
            other = rng.choice(mates if k < 3 and len(mates) > 1 else people)
            relation = relations[k % len(relations)]
            if other == me or (other, me, relation) in seen:
                continue
            seen.add((other, me, relation))
            freq = rng.choice(keys)
            ties.append(Tie(district=district, relation=relation, source_person_id=other,
                            target_person_id=me, weight=FREQUENCY_WEIGHTS[freq],
                            frequency=FREQUENCY_LABELS[freq],
                            observed_on=today - timedelta(days=rng.randint(0, 200)),
                            origin=Tie.Origin.REPORTED, reported_by_id=me))
    Tie.objects.bulk_create(ties, batch_size=2000)
    users = {u.pk: u for u in User.objects.filter(pk__in=people[:6])}
    for a, b in itertools.pairwise(people[:6]):  # a few through the action
        do_name_tie(users[a], NamedTieData(direction="from", relation="advice",
                                           frequency="weekly", person=users[b]))
    return {"ties": len(ties) + 5, "network_people": len(people)}
