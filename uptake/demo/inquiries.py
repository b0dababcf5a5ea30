"""The demo teacher's five inquiries, one per verdict, each in the class whose subject it
serves, with data drawn from the model in ``uptake.demo.model`` (docs/demo.md).

The effect written beside each inquiry is the design; the seed fixes one plausible class
that the design could produce. Seeds were chosen so that each inquiry shows the verdict its
story needs (as any demo shows the typical case); ``test_demo_verdicts`` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from uptake.demo.model import Design, class_scores
from uptake.inquiry.actions import (
    OccasionData,
    current_students,
    do_create_inquiry,
    do_create_measure,
    do_save_occasion,
    do_share_inquiry,
)
from uptake.inquiry.demo import occasion_dates
from uptake.inquiry.models import Inquiry, Measure
from uptake.roster.queries import current_assignment

if TYPE_CHECKING:
    from uptake.accounts.models import User
    from uptake.roster.models import Section

BASELINE = 8  # occasions before the change: the verdict's minimum (analysis.verdict)
MATH, ELA, SCIENCE = "Mathematics", "English Language Arts", "Science"


@dataclass(frozen=True)
class DemoInquiry:
    verdict: str
    subject: str
    title: str
    change_idea: str
    prediction: str
    measure: str
    design: Design
    after: int
    seed: int


SERIES = (
    DemoInquiry("sustained_improvement", MATH, "Math talk moves: explaining thinking",
                "Daily turn-and-talk with sentence stems before whole-class discussion.",
                "Explain-your-thinking scores will rise above the baseline and stay there.",
                "Exit ticket: explain your thinking (0-100)",
                Design(mean=58, ability_sd=14, difficulty_sd=3, noise_sd=9, scale=(0, 100),
                       effect=0.45), 9, 3),
    DemoInquiry("change_not_sustained", SCIENCE, "Retrieval practice warm-ups",
                "Five-minute low-stakes quizzes at the start of each lesson.",
                "Unit quiz scores will climb and hold.",
                "Science quiz (0-100)",
                Design(mean=62, ability_sd=13, difficulty_sd=3, noise_sd=9, scale=(0, 100),
                       effect=0.5, fade_after=8), 11, 1),
    DemoInquiry("got_worse", ELA, "Independent reading blocks",
                "Replace guided reading with longer independent reading blocks.",
                "Comprehension scores will hold steady or rise.",
                "Reading comprehension check (0-100)",
                Design(mean=64, ability_sd=15, difficulty_sd=3, noise_sd=9, scale=(0, 100),
                       effect=-0.35), 9, 4),
    DemoInquiry("no_signal", ELA, "Color-coded feedback",
                "Mark written work with a three-colour code instead of comments.",
                "Revision scores will go up.",
                "Revision score (0-20)",
                Design(mean=11, ability_sd=3, difficulty_sd=0.8, noise_sd=2.2, scale=(0, 20),
                       effect=0.0), 9, 2),
    DemoInquiry("not_enough_data", MATH, "Number talks",
                "Ten-minute number talks three times a week.",
                "Mental-math scores will rise by the end of the unit.",
                "Mental-math check (0-20)",
                Design(mean=12, ability_sd=3.5, difficulty_sd=0.8, noise_sd=2, scale=(0, 20),
                       effect=0.3), 3, 5),
)


def subject_class(teacher: User, subject: str) -> Section | None:
    """The current, active class she leads in a subject (the first by period)."""
    from uptake.roster.models import Section

    return (Section.objects.filter(active=True, subjects=subject,
                                   teacher_assignments__teacher=teacher,
                                   teacher_assignments__primary=True)
            .filter(current_assignment("teacher_assignments__"))
            .order_by("periods", "pk").first())


def fill_scores(teacher: User, measure: Measure, section: Section, design: Design, *,
                after: int, seed: int) -> None:
    """Save the model's scores for the class, one occasion per exit-ticket day."""
    students = current_students(section)
    table = class_scores(design, students=len(students), baseline=BASELINE, after=after,
                         seed=seed)
    for when, row in zip(occasion_dates(BASELINE + after), table, strict=True):
        values = {s.pk: v for s, v in zip(students, row, strict=True)}
        do_save_occasion(teacher, measure, section, OccasionData(when=when, values=values))


def load_demo_inquiries(teacher: User, *, coach: User | None = None) -> list[Inquiry]:
    """One inquiry per verdict, each in the teacher's class of its subject; safe to run
    again (skips titles the teacher already has)."""
    made = []
    for s in SERIES:
        section = subject_class(teacher, s.subject)
        if section is None or Inquiry.objects.filter(owner=teacher, title=s.title).exists():
            continue
        inquiry = do_create_inquiry(
            teacher, title=s.title, change_idea=s.change_idea, prediction=s.prediction,
            problem_of_practice="Students' results on this skill have been flat.",
            question=f"Does “{s.change_idea.rstrip('.')}” improve results?")
        scale = s.design.scale
        measure = do_create_measure(
            teacher, inquiry, sections=[section], name=s.measure, kind="score",
            scale_min=scale[0], scale_max=scale[1], direction="up",
            change_date=occasion_dates(BASELINE + s.after)[BASELINE])
        fill_scores(teacher, measure, section, s.design, after=s.after, seed=s.seed)
        if coach is not None and s.verdict == "sustained_improvement":
            do_share_inquiry(teacher, inquiry, coach, share=True)
        made.append(inquiry)
    return made
