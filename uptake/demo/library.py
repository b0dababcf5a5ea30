"""The demo district's shared-practice library: practices shared by demo teachers from their
own inquiries, each tried by one to three colleagues whose own inquiries have a measure with
data, so that every practice shows how far it travelled and what happened where it was
tried.

Everything is written through the apps' actions with fixed seeds (docs/demo.md), after the
inquiries and the story exist (``do_load_demo`` calls :func:`load_demo_library` last).
Loading again adds nothing twice: a practice is found by its author and title, a trial's
inquiry by its owner and title.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction

from uptake.accounts.models import District, Role, School, User
from uptake.demo.inquiries import BASELINE, ELA, MATH, SCIENCE, fill_scores, subject_class
from uptake.demo.model import Design
from uptake.inquiry.actions import do_create_inquiry, do_create_measure
from uptake.inquiry.demo import occasion_dates
from uptake.inquiry.models import Inquiry
from uptake.library.access import attachable_artifacts
from uptake.library.actions import PracticeFields, do_add_trial, do_create_practice
from uptake.library.models import Practice, Trial

AFTER = 9  # occasions after the change: enough for a verdict (analysis.verdict)


@dataclass(frozen=True)
class Tried:
    """A colleague's own inquiry that tried the practice, and how it went in her class."""

    title: str
    note: str
    effect: float
    seed: int
    fade_after: int | None = None


@dataclass(frozen=True)
class DemoPractice:
    source: str  # the author's inquiry it was shared from
    title: str
    subject: str
    focus: str
    codes: tuple[str, ...]
    overview: str
    steps: str
    materials: str
    lessons_learned: str
    suggested_revisions: str
    links: tuple[tuple[str, str], ...]
    measure: str
    design: Design
    tried: tuple[Tried, ...]


SCORES = Design(mean=58, ability_sd=14, difficulty_sd=3, noise_sd=9, scale=(0, 100))
SMALL = Design(mean=12, ability_sd=3.5, difficulty_sd=0.8, noise_sd=2, scale=(0, 20))

MATH_TALK = DemoPractice(
    source="Math talk moves: explaining thinking",
    title="Math talk moves: turn-and-talk with sentence stems",
    subject=MATH, focus="Discourse", codes=("CCSS.MATH.PRACTICE.MP3",),
    overview="Before whole-class discussion, partners turn and talk for two minutes using "
             "sentence stems (“I think … because …”, “I agree with … and I'd add …”). "
             "Students who rehearse an explanation with a partner explain more, and more "
             "of them take part.",
    steps="1. Pose one problem with more than one way in (2 min of silent work).\n"
          "2. Show the three stems on the board; model one yourself.\n"
          "3. Turn and talk: partner A explains, partner B uses a stem to respond (2 min), "
          "then swap.\n"
          "4. Cold-call two pairs to share a partner's thinking, not their own.\n"
          "5. Exit ticket: “Explain your thinking” on one similar problem, scored 0-100.",
    materials="Stem cards on each table; a seating chart of partners that changes weekly.",
    lessons_learned="Written stems on the table mattered more than stems on the board. "
                    "Quiet students spoke first when they explained a partner's idea.",
    suggested_revisions="In grades K-2, use two stems and picture cues. Keep the talk to two "
                        "minutes: longer drifted off topic.",
    links=(("Talk moves: a teacher's guide", "https://www.nctm.org/"),),
    measure="Exit ticket: explain your thinking (0-100)", design=SCORES,
    tried=(Tried("Turn-and-talk stems in my math class",
                 "Used it three times a week instead of daily.", 0.45, 41),
           Tried("Sentence stems for math explanations",
                 "Added picture cues for my English learners.", 0.3, 42),
           Tried("Partner talk before discussion", "Tried it with fractions only.", 0.05, 43)))

RETRIEVAL = DemoPractice(
    source="Retrieval practice warm-ups",
    title="Retrieval practice warm-ups",
    subject=SCIENCE, focus="Retrieval practice", codes=(),
    overview="Five-minute, low-stakes quizzes at the start of each lesson on material from "
             "last week and last month: remembering is practice.",
    steps="1. Three to five questions on the board as students come in (no grades).\n"
          "2. Students answer alone, from memory, in 4 minutes.\n"
          "3. Go over answers together; students mark their own.\n"
          "4. Mix in one question from a month ago every time.",
    materials="A bank of questions per unit.",
    lessons_learned="The gains faded once the questions only covered last lesson: spacing "
                    "matters.",
    suggested_revisions="Keep older questions in the mix every week.",
    links=(("Retrieval Practice (research summaries)", "https://www.retrievalpractice.org/"),),
    measure="Unit quiz (0-100)", design=SCORES,
    tried=(Tried("Retrieval warm-ups in science", "Added a question from last month daily.",
                 0.4, 44),))

WORD_OF_THE_WEEK = DemoPractice(
    source="Vocabulary routines: word of the week",
    title="Word of the week: say it, act it, draw it, use it",
    subject=ELA, focus="Vocabulary", codes=("CCSS.ELA-LITERACY.L.4.6",),
    overview="One rich word a week, met every day in four ways, so that students use new "
             "words in their own writing.",
    steps="Monday: say it and define it together.\nTuesday: act it out.\n"
          "Wednesday: draw it.\nThursday and Friday: use it in a sentence of their own; "
          "Friday's vocabulary check (0-20).",
    materials="The routine card on the wall beside the word.",
    lessons_learned="Words chosen from the class novel stuck better than words from a list.",
    suggested_revisions="Let students nominate next week's word.",
    links=(),
    measure="Friday vocabulary check (0-20)", design=SMALL,
    tried=(Tried("Word of the week in my ELA class", "Picked words from our read-aloud.",
                 0.4, 45),
           Tried("Vocabulary routine with picture cards", "Drew it before acting it.",
                 0.2, 46)))

PRACTICES = (MATH_TALK, RETRIEVAL, WORD_OF_THE_WEEK)


def _teachers(district: District) -> list[User]:
    ids = (User.objects.filter(district=district, is_active=True, roles__role=Role.TEACHER)
           .order_by("roles__school__name", "last_name", "first_name", "pk")
           .values_list("pk", flat=True))
    by_pk = User.objects.in_bulk(list(dict.fromkeys(ids)))
    return [by_pk[pk] for pk in dict.fromkeys(ids)]


def _author_of(district: District, source: str) -> tuple[User, Inquiry] | None:
    inquiry = (Inquiry.objects.filter(district=district, title=source)
               .select_related("owner").order_by("pk").first())
    return None if inquiry is None else (inquiry.owner, inquiry)


def _grades_of(author: User, subject: str) -> list[str]:
    section = subject_class(author, subject)
    return [g.strip() for g in section.grades.split(",") if g.strip()] if section else []


def _share(author: User, source: Inquiry, p: DemoPractice) -> Practice:
    found = Practice.objects.filter(author=author, title=p.title).first()
    if found is not None:
        return found
    evidence = list(attachable_artifacts(author).filter(inquiry=source)[:2])
    return do_create_practice(author, PracticeFields(
        title=p.title, overview=p.overview, steps=p.steps, materials=p.materials,
        lessons_learned=p.lessons_learned, suggested_revisions=p.suggested_revisions,
        grades=_grades_of(author, p.subject), subject=p.subject, focus=p.focus,
        standard_codes=list(p.codes), links=list(p.links), source_inquiry=source,
        artifacts=evidence), publish=True)


def _try(practice: Practice, teacher: User, p: DemoPractice, t: Tried) -> None:
    inquiry = Inquiry.objects.filter(owner=teacher, title=t.title).first()
    if inquiry is None:
        section = subject_class(teacher, p.subject)
        if section is None:
            return
        inquiry = do_create_inquiry(
            teacher, title=t.title, change_idea=f"Try “{p.title}” from the library. {t.note}",
            problem_of_practice="A colleague's practice looked like it would fit my class.",
            question=f"What happens to {p.measure.split(' (')[0].lower()} when I try it?",
            prediction="Scores will rise after I start.")
        dates = occasion_dates(BASELINE + AFTER)
        measure = do_create_measure(
            teacher, inquiry, sections=[section], name=p.measure, kind="score",
            scale_min=p.design.scale[0], scale_max=p.design.scale[1], direction="up",
            change_date=dates[BASELINE])
        design = replace(p.design, effect=t.effect, fade_after=t.fade_after)
        fill_scores(teacher, measure, section, design, after=AFTER, seed=t.seed)
    if not Trial.objects.filter(practice=practice, inquiry=inquiry).exists():
        do_add_trial(practice, actor=teacher, inquiry=inquiry, note=t.note)


def _school_of(user: User) -> School | None:
    role = user.roles.filter(role=Role.TEACHER, school__isnull=False).order_by("pk").first()
    return role.school if role else None


@transaction.atomic
def load_demo_library(district: District) -> int:
    """Publish the demo practices and have colleagues try them; return how many practices
    the library holds. Run after the demo's inquiries and story (it shares from them)."""
    teachers = _teachers(district)
    for p in PRACTICES:
        found = _author_of(district, p.source)
        if found is None:
            continue
        author, source = found
        practice = _share(author, source, p)
        # Colleagues who teach the subject, from the other school first: the practice
        # travels beyond the author's building.
        home = _school_of(author)
        fits = [t for t in teachers if t.pk != author.pk
                and subject_class(t, p.subject) is not None]
        fits.sort(key=lambda t: _school_of(t) == home)
        for teacher, tried in zip(fits, p.tried, strict=False):
            _try(practice, teacher, p, tried)
    return Practice.objects.filter(district=district).count()
