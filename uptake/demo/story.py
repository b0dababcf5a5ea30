"""The demo teacher's story around her first inquiry, so that every part of the loop has
something to show: a PDSA cycle that was planned, logged, studied and acted on, a second
cycle under way, a student-voice survey item beside her own exit tickets, a class-level
share from peer observation, learning sources that informed the inquiry, evidence, and a
team inquiry with a common formative assessment across two classes; then, in
``uptake.demo.practice``, a colleague's peer observations and a Looking at Student Work set.

Everything is written through the apps' own ``do_*`` actions, with fixed seeds and dates
counted back from today, so the demo looks the same every time it is loaded. Loading it
again adds nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from uptake.demo.model import Design, class_counts, class_scores
from uptake.demo.practice import load_demo_practice
from uptake.inquiry.actions import (
    OccasionData,
    current_students,
    do_add_log_entry,
    do_create_inquiry,
    do_create_measure,
    do_create_team,
    do_decide,
    do_save_occasion,
    do_save_study_notes,
    do_start_next_cycle,
    do_update_plan,
)
from uptake.inquiry.models import Inquiry, Measure, Occasion, Team

if TYPE_CHECKING:
    from uptake.accounts.models import User
    from uptake.roster.models import Section

STORY_INQUIRY = "Math talk moves: explaining thinking"
SURVEY_ITEM = "Student voice: “I can explain my thinking to a partner”"
SURVEY_LABELS = "Not yet\nA little\nMostly\nYes, clearly"
OBSERVED = "Students explaining their thinking (peer observation)"
TEAM_NAME = "Grade-level team: shared fractions check"
TEAM_INQUIRY = "Fractions on a number line: common formative assessment"
SURVEY_SEED, OBSERVED_SEED, TEAM_SEEDS = 21, 22, (23, 24)


def _exit_ticket_dates(inquiry: Inquiry) -> list[date]:
    return sorted(set(Occasion.objects.filter(measure__inquiry=inquiry)
                      .values_list("date", flat=True)))


def _per_student(teacher: User, measure: Measure, section: Section, dates: list[date],
                 design: Design, seed: int) -> None:
    baseline = sum(d < measure.change_date for d in dates) if measure.change_date else 0
    students = current_students(section)
    table = class_scores(design, students=len(students), baseline=baseline,
                         after=len(dates) - baseline, seed=seed)
    for when, row in zip(dates, table, strict=True):
        values = {s.pk: v for s, v in zip(students, row, strict=True)}
        do_save_occasion(teacher, measure, section, OccasionData(when=when, values=values))


def _cycle_story(teacher: User, inquiry: Inquiry, change: date, dates: list[date]) -> None:
    cycle = inquiry.cycles.get(number=1)
    if cycle.decision:
        return
    do_update_plan(teacher, cycle, start_date=change,
                   data_collection="Exit ticket twice a week (one explain-your-thinking item, "
                                   "0 to 100); the survey item weekly too; a "
                                   "colleague tallies explanations in one lesson a week.")
    log = [(0, "Introduced turn-and-talk with the sentence stems card; modelled with a "
               "student."),
           (9, "Stems are used by most pairs; three pairs still answer with one word."),
           (20, "Added a 30-second think time before talking; the room is noisier in a "
                "good way.")]
    for days, text in log:
        do_add_log_entry(teacher, cycle, when=change + timedelta(days=days), text=text)
    do_save_study_notes(teacher, cycle, notes=(
        "The exit-ticket mean moved above the baseline median and stayed there, as predicted. "
        "The survey item rose more slowly than the scores. Quiet students still rely on their "
        "partner's words."))
    do_decide(teacher, cycle, decision="adapt",
              reason="Keep the stems and add a written stem before the talk, so that quieter "
                     "students have words ready.")
    cycle_end = dates[min(len(dates) - 1, 12)]
    do_update_plan(teacher, cycle, end_date=cycle_end)
    nxt = do_start_next_cycle(teacher, cycle)
    do_update_plan(teacher, nxt, start_date=cycle_end + timedelta(days=1))
    do_add_log_entry(teacher, nxt, when=cycle_end + timedelta(days=2),
                     text="Written stem on the board before each talk; two quiet students "
                          "read theirs aloud.")


def _survey(teacher: User, inquiry: Inquiry, section: Section, change: date,
            dates: list[date]) -> None:
    if inquiry.measures.filter(name=SURVEY_ITEM).exists():
        return
    measure = do_create_measure(
        teacher, inquiry, sections=[section], name=SURVEY_ITEM, kind="likert",
        scale_min=1, scale_max=4, likert_labels=SURVEY_LABELS, direction="up",
        change_date=change)
    # Agreement items spread less than scores and move slowly: students need time to
    # believe they can explain (effect 0.6 SD reached over six weeks).
    _per_student(teacher, measure, section, dates,
                 Design(mean=2.1, ability_sd=0.6, difficulty_sd=0.1, noise_sd=0.45,
                        scale=(1, 4), effect=0.6, ramp=6), seed=SURVEY_SEED)


def _observed(teacher: User, inquiry: Inquiry, section: Section, change: date,
              dates: list[date]) -> None:
    if inquiry.measures.filter(name=OBSERVED).exists():
        return
    measure = do_create_measure(
        teacher, inquiry, sections=[section], name=OBSERVED, kind="proportion",
        direction="up", change_date=change)
    n = len(current_students(section)) or 22
    baseline = sum(d < change for d in dates)
    explained = class_counts(p_before=0.25, p_after=0.55, present=[n] * len(dates),
                             baseline=baseline, seed=OBSERVED_SEED)
    for when, k in zip(dates, explained, strict=True):
        do_save_occasion(teacher, measure, section,
                         OccasionData(when=when, label="observed", total=(min(k, n), n)))


def _learning(teacher: User, inquiry: Inquiry) -> None:
    from uptake.learning.actions import SourceFields, do_update_source
    from uptake.learning.models import LearningSource

    for source in LearningSource.objects.filter(owner=teacher).prefetch_related(
            "goals", "inquiries"):
        if source.inquiries.filter(pk=inquiry.pk).exists():
            continue
        do_update_source(source, actor=teacher, fields=SourceFields(
            kind=source.kind, title=source.title, learned_on=source.learned_on,
            hours=source.hours, author=source.author, link=source.link,
            research_based=source.research_based, citation=source.citation,
            reflection=source.reflection, goals=tuple(source.goals.all()),
            inquiries=(*source.inquiries.all(), inquiry)))


def _evidence(teacher: User, inquiry: Inquiry) -> None:
    from uptake.evidence.actions import do_add_artifact
    from uptake.evidence.models import Artifact, GuskeyLevel, Kind

    if Artifact.objects.filter(owner=teacher, inquiry=inquiry).exists():
        return
    cycle = inquiry.cycles.get(number=1)
    do_add_artifact(teacher, kind=Kind.TEXT, title="Sentence stems card",
                    guskey_level=GuskeyLevel.USE, identifies_students=False, inquiry=inquiry,
                    cycle=cycle, description="The card each pair has on the table.",
                    body="I think … because …\nI agree with … and I want to add …\n"
                         "I see it differently: …\nCan you say more about …?")
    do_add_artifact(teacher, kind=Kind.LINK, title="Talk moves video the team watched",
                    guskey_level=GuskeyLevel.LEARNING, identifies_students=False,
                    inquiry=inquiry, link="https://example.org/talk-moves",
                    description="Ten minutes; we paused at each move and tried it in pairs.")


def colleague_of(teacher: User, section: Section) -> tuple[User, Section] | None:
    """The demo teacher's colleague who teaches the same grade and subject at her school,
    and that class (the same person every time the demo is loaded)."""
    from django.db.models import Q

    from uptake.roster.models import Section as SectionModel

    other = (SectionModel.objects.filter(school=section.school, active=True,
                                         grades=section.grades, subjects=section.subjects)
             .filter(Q(teacher_assignments__end_date__isnull=True))
             .exclude(teacher_assignments__teacher=teacher)
             .order_by("periods", "pk").first())
    if other is None:
        return None
    assignment = other.teacher_assignments.select_related("teacher").first()
    return None if assignment is None else (assignment.teacher, other)


def _team(teacher: User, section: Section, dates: list[date], change: date) -> None:
    if Team.objects.filter(district=section.district_id, name=TEAM_NAME).exists():
        return
    found = colleague_of(teacher, section)
    if found is None:
        return
    colleague, other = found
    team = do_create_team(teacher, name=TEAM_NAME, kind=Team.Kind.GRADE_LEVEL,
                          school=section.school, members=[colleague])
    inquiry = do_create_inquiry(
        teacher, team=team, title=TEAM_INQUIRY,
        problem_of_practice="Students place unit fractions but not fractions greater than "
                            "one on a number line.",
        question="What do our students need to learn, and how will we know they learned it?",
        change_idea="Number-line warm-up with paper strips, three times a week, in both "
                    "classes.",
        prediction="Both classes' mean on the weekly check will rise from about 5 to 7 of 10.")
    measure = do_create_measure(
        teacher, inquiry, sections=[section, other], name="Weekly fractions check (of 10)",
        kind="score", scale_min=0, scale_max=10, direction="up", change_date=change)
    # The teacher used the strips from the start; her colleague fitted them in less often
    # (a smaller effect): the team sees the same change land differently in two rooms.
    for who, where, effect, seed in ((teacher, section, 0.5, TEAM_SEEDS[0]),
                                     (colleague, other, 0.25, TEAM_SEEDS[1])):
        _per_student(who, measure, where, dates,
                     Design(mean=5.2, ability_sd=1.8, difficulty_sd=0.3, noise_sd=1.2,
                            scale=(0, 10), effect=effect), seed=seed)


@transaction.atomic
def load_demo_story(teacher: User, section: Section) -> None:
    """Add the story to the teacher's first demo inquiry (idempotent)."""
    inquiry = Inquiry.objects.filter(owner=teacher, title=STORY_INQUIRY).first()
    if inquiry is None:
        return
    ticket = inquiry.measures.filter(kind="score").exclude(change_date=None).first()
    dates = _exit_ticket_dates(inquiry)
    if ticket is None or ticket.change_date is None or not dates:
        return
    _cycle_story(teacher, inquiry, ticket.change_date, dates)
    _survey(teacher, inquiry, section, ticket.change_date, dates)
    _observed(teacher, inquiry, section, ticket.change_date, dates)
    _learning(teacher, inquiry)
    _evidence(teacher, inquiry)
    _team(teacher, section, dates, ticket.change_date)
    load_demo_practice(teacher, inquiry, section, dates)
