"""The demo teacher's practice around her first inquiry: a colleague's peer observations
(one submitted, whose tally became a point of the class-level measure, and one open now,
so that the colleague can try the tally page) and a Looking at Student Work set (scored
against a rubric, students grouped by next step, an intervention per group, one with its
outcome and re-scores).

Written through the observation and student-work actions, with a fixed seed and dates
counted back from today; loading the demo again adds nothing twice.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from uptake.inquiry.actions import current_students

if TYPE_CHECKING:
    from uptake.accounts.models import User
    from uptake.inquiry.models import Inquiry
    from uptake.roster.models import Section

WORK_SET = "Explain-your-thinking task: sharing 3 pizzas among 4 friends"
RUBRIC = ("Restates: gives the answer with no reason\n"
          "Partial: gives a reason but skips steps\n"
          "Complete: explains each step\n"
          "Extends: explains and connects to a picture or another way")
NEEDS_FRAME = "Needs words for a reason"
READY = "Ready to justify another way"
SUBMITTED_TALLIES = (15, 6, 4, 9)  # explains, builds on, asks, vocabulary; of 22 present


def _observations(teacher: User, inquiry: Inquiry, section: Section, measure_name: str
                  ) -> None:
    from uptake.demo.story import colleague_of
    from uptake.observation.actions import (
        RequestPlan,
        active_prompts,
        do_record_tallies,
        do_request_observation,
        do_seed_default_protocol,
        do_submit_observation,
    )
    from uptake.observation.models import ObservationRequest

    if ObservationRequest.objects.filter(inquiry=inquiry).exists():
        return
    measure = inquiry.measures.filter(name=measure_name).first()
    found = colleague_of(teacher, section)
    if measure is None or found is None:
        return
    colleague = found[0]
    protocol = do_seed_default_protocol(inquiry.district)
    prompt = protocol.prompts.filter(retired=False).order_by("position").first()
    if prompt is None:
        return
    now = timezone.now()
    done = do_request_observation(teacher, inquiry, RequestPlan(
        measure=measure, section=section, prompt=prompt, observer=colleague,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1)), notify=False)
    prompts = active_prompts(done)
    taps = [{"id": f"demo-{p.pk}-{i}", "prompt": p.pk, "delta": 1}
            for p, n in zip(prompts, SUBMITTED_TALLIES, strict=False) for i in range(n)]
    present = len(current_students(section)) or 22
    do_record_tallies(colleague, done, taps, present={"value": present, "seq": 1})
    tallies = {str(p.pk): min(n, present)
               for p, n in zip(prompts, SUBMITTED_TALLIES, strict=False)}
    do_submit_observation(colleague, done, tallies=tallies, present=present)
    do_request_observation(teacher, inquiry, RequestPlan(
        measure=measure, section=section, prompt=prompt, observer=colleague,
        opens_at=now - timedelta(minutes=10), closes_at=now + timedelta(days=7)),
        notify=False)


def _student_work(teacher: User, inquiry: Inquiry, section: Section, dates: list[date]
                  ) -> None:
    from uptake.studentwork.actions import (
        do_add_group,
        do_add_intervention,
        do_assign,
        do_create_set,
        do_record_outcome,
        do_score,
    )
    from uptake.studentwork.models import WorkSampleSet

    if WorkSampleSet.objects.filter(inquiry=inquiry).exists() or len(dates) < 6:
        return
    when = dates[-6]
    today = timezone.localdate()
    rng = random.Random(2028)
    work = do_create_set(teacher, inquiry, section=section, title=WORK_SET, when=when,
                         rubric=RUBRIC)
    levels = list(work.levels.order_by("position"))
    students = current_students(section)
    scores: dict[int, int | None] = {}
    for i, student in enumerate(students):
        scores[student.pk] = None if i == 4 else levels[rng.choice((0, 1, 1, 2, 2, 2, 3))].pk
    do_score(teacher, work, scores)
    frame = do_add_group(teacher, work, name=NEEDS_FRAME,
                         next_step="Model a worked example with the sentence stems, then "
                                   "rehearse a reason in pairs before writing.")
    ready = do_add_group(teacher, work, name=READY,
                         next_step="Explain the same answer with a picture and with numbers, "
                                   "and say which convinces a partner more.")
    low = {levels[0].pk, levels[1].pk}
    members = {sid: (frame.pk if level in low else ready.pk)
               for sid, level in scores.items() if level is not None}
    do_assign(teacher, work, members)
    helped = do_add_intervention(teacher, frame, when=when + timedelta(days=2),
                                 what="Three 10-minute small-group sessions at the back "
                                      "table: worked example, stems, rehearse, write.")
    do_add_intervention(teacher, ready, when=when + timedelta(days=2),
                        what="Two-representation challenge cards during independent work.")
    outcome_day = min(today, when + timedelta(days=9))
    step_up = {lv.pk: levels[min(len(levels) - 1, i + 1)].pk for i, lv in enumerate(levels)}
    rescores = {sid: (step_up[level] if rng.random() < 0.7 else level)
                for sid, level in scores.items() if level in low}
    do_record_outcome(teacher, helped, when=max(outcome_day, helped.when),
                      outcome="On the next task most of the group gave a reason with a "
                              "stem; two still restate the answer and join the group again.",
                      rescores=rescores)


def load_demo_practice(teacher: User, inquiry: Inquiry, section: Section, dates: list[date]
                       ) -> None:
    """Peer observations and a Looking at Student Work set for the story inquiry."""
    from uptake.demo.story import OBSERVED

    _observations(teacher, inquiry, section, OBSERVED)
    _student_work(teacher, inquiry, section, dates)
