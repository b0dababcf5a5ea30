"""The demo district's professional-learning programs, the money behind them, what
participants said about them and what happened in their classrooms (issue 15).

Three programs over the last three school years, each telling one story the district view
has to show honestly:

- **Math Talk coaching cycle** (coaching, both schools, Title II-A): clearly moving
  outcomes. Six classrooms' explain-your-thinking exit tickets, each with a sustained
  improvement (effects of 0.40-0.55 SD of a student's score, docs/demo.md), so the pooled
  standardised mean change is positive with an interval clear of zero and little
  heterogeneity.
- **Writing workshop series** (course, Title I): not moving. Five ELA classes' writing
  rubric: no signal in four, a change that did not last in the fifth; effects near zero.
- **Science inquiry PLC** (PLC, the second school, grant): too early to tell. It started
  this term; its classes have only three points after the change: not enough data yet.

Participation (sessions and attendance), spending over five fiscal years by source and use,
a reactions survey (Guskey level 1), an organisational-support survey (level 3) and a
needs assessment, all anonymous, with responses. Everything goes through the apps' actions
with fixed seeds (the scores from ``uptake.demo.model``); loading again adds nothing twice.
Dates are relative to today, as the rest of the demo's: "this school year" is the one today
falls in, so the science PLC is always new and the coaching cycle always three years old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from uptake.accounts.models import District, Role, School, User
from uptake.demo.inquiries import BASELINE, ELA, MATH, SCIENCE, fill_scores, subject_class
from uptake.demo.model import Design
from uptake.inquiry.actions import do_create_inquiry, do_create_measure
from uptake.inquiry.demo import occasion_dates
from uptake.inquiry.models import Inquiry, Measure
from uptake.programs.models import Program

if TYPE_CHECKING:
    from uptake.roster.models import Section

AFTER = 9  # occasions after the change: enough for a verdict (analysis.verdict)
EARLY = 3  # the science PLC's classes: too few points after the change for a verdict

TICKET = Design(mean=58, ability_sd=14, difficulty_sd=3, noise_sd=9, scale=(0, 100))
RUBRIC = Design(mean=13, ability_sd=3.5, difficulty_sd=0.8, noise_sd=2.3, scale=(0, 24))
CHECK = Design(mean=11, ability_sd=3, difficulty_sd=0.8, noise_sd=2, scale=(0, 20))


@dataclass(frozen=True)
class Classroom:
    """One participant's class and how the program's change went there."""

    teacher: str  # last name in the synthetic roster (fixed seed)
    effect: float
    seed: int
    after: int = AFTER
    fade_after: int | None = None


@dataclass(frozen=True)
class ProgramStory:
    key: str
    name: str
    subject: str
    inquiry_title: str
    change_idea: str
    prediction: str
    measure: str
    design: Design
    classrooms: tuple[Classroom, ...]


MATH_TALK = ProgramStory(
    key="math_talk", name="Math Talk coaching cycle", subject=MATH,
    inquiry_title="Math Talk: partners explain before we discuss",
    change_idea="Partners rehearse an explanation with sentence stems before whole-class "
                "discussion, as modelled in the coaching cycle.",
    prediction="Explain-your-thinking scores will rise above the baseline and stay there.",
    measure="Exit ticket: explain your thinking (0-100)", design=TICKET,
    classrooms=(Classroom("Vasquez", 0.5, 5), Classroom("Osei", 0.45, 3),
                Classroom("Bianchi", 0.55, 3), Classroom("Singh", 0.4, 5),
                Classroom("Lee", 0.5, 5)))

WRITING = ProgramStory(
    key="writing", name="Writing workshop series", subject=ELA,
    inquiry_title="Writing workshop: mini-lesson, write, confer",
    change_idea="A ten-minute mini-lesson, twenty minutes of writing and conferences, as "
                "in the workshop series.",
    prediction="Rubric scores on the weekly writing sample will rise.",
    measure="Weekly writing sample, rubric (0-24)", design=RUBRIC,
    classrooms=(Classroom("Silva", 0.0, 12), Classroom("Lee", 0.05, 12),
                Classroom("Singh", -0.05, 13), Classroom("Whitehorse", 0.4, 47, fade_after=4),
                Classroom("Vasquez", 0.0, 15)))

SCIENCE_PLC = ProgramStory(
    key="science", name="Science inquiry PLC", subject=SCIENCE,
    inquiry_title="Science PLC: students plan their own investigation",
    change_idea="Students plan a fair test in groups before the lab, using the PLC's "
                "planning board.",
    prediction="Scores on the investigation check will rise by the end of the unit.",
    measure="Investigation planning check (0-20)", design=CHECK,
    classrooms=(Classroom("Kahale", 0.35, 21, after=EARLY),
                Classroom("Whitehorse", 0.3, 22, after=EARLY),
                Classroom("Singh", 0.3, 23, after=EARLY),
                Classroom("Lee", 0.35, 24, after=EARLY)))

STORIES = (MATH_TALK, WRITING, SCIENCE_PLC)


def school_year_start(today: date, years_back: int = 0) -> date:
    """1 August of the school year today falls in (or ``years_back`` before it)."""
    year = today.year if today.month >= 8 else today.year - 1
    return date(year - years_back, 8, 1)


def _teachers_by_name(district: District) -> dict[str, User]:
    people = (User.objects.filter(district=district, is_active=True, roles__role=Role.TEACHER)
              .order_by("last_name", "pk").distinct())
    found: dict[str, User] = {}
    for person in people:
        found.setdefault(person.last_name, person)
    return found


def _classroom_inquiry(story: ProgramStory, teacher: User, section: Section,
                       room: Classroom) -> Inquiry:
    """Her inquiry in her class of the program's subject, with the model's scores."""
    inquiry = Inquiry.objects.filter(owner=teacher, title=story.inquiry_title).first()
    if inquiry is not None:
        return inquiry
    inquiry = do_create_inquiry(
        teacher, title=story.inquiry_title, change_idea=story.change_idea,
        prediction=story.prediction,
        problem_of_practice="Students' results on this skill have been flat.",
        question=f"Does what I learned in “{story.name}” improve results in my class?")
    scale = story.design.scale
    dates = occasion_dates(BASELINE + room.after)
    measure = do_create_measure(
        teacher, inquiry, sections=[section], name=story.measure, kind=Measure.Kind.SCORE,
        scale_min=scale[0], scale_max=scale[1], direction="up", change_date=dates[BASELINE])
    design = Design(**{**story.design.__dict__, "effect": room.effect,
                       "fade_after": room.fade_after})
    fill_scores(teacher, measure, section, design, after=room.after, seed=room.seed)
    return inquiry


def load_classrooms(district: District, story: ProgramStory
                    ) -> list[tuple[User, Section, Inquiry]]:
    """Each participant's inquiry in her class of the program's subject (skipping anyone
    the roster does not have)."""
    teachers = _teachers_by_name(district)
    out = []
    for room in story.classrooms:
        teacher = teachers.get(room.teacher)
        section = subject_class(teacher, story.subject) if teacher is not None else None
        if teacher is None or section is None:
            continue
        out.append((teacher, section, _classroom_inquiry(story, teacher, section, room)))
    return out


# ---------------------------------------------------------------------- the programs


@dataclass(frozen=True)
class Offering:
    """A program as the coordinator entered it: who took part, when they met."""

    story: ProgramStory
    kind: str
    focus_area: str
    description: str
    facilitator: str
    funding_source: str
    years: int  # school years it has run, this one included
    cohorts: tuple[tuple[str, ...], ...]  # participants by the school year they joined
    sessions_per_year: tuple[str, ...]  # session titles, repeated each year
    hours: str
    elements: tuple[str, ...]  # framework element codes (its standards alignment)
    school: str = ""  # "second": runs at the second school only; "": district-wide
    withdrawn: tuple[str, ...] = ()
    credentials: tuple[str, ...] = ()


OFFERINGS = (
    Offering(
        MATH_TALK, kind="coaching", focus_area="Math discourse",
        description="Three coaching cycles a year (plan, model, co-teach, debrief) on talk "
                    "moves: partners rehearse an explanation with sentence stems before "
                    "whole-class discussion.",
        facilitator="Instructional coach", funding_source="title_ii_a", years=3,
        cohorts=(("Alvarez", "Hughes", "Kaur"), ("Nguyen", "Vasquez", "Osei", "Kahale"),
                 ("Bianchi", "Singh", "Lee", "Silva", "Whitehorse")),
        sessions_per_year=("Cycle 1: planning conference", "Cycle 1: co-teaching and debrief",
                           "Cycle 2: planning conference", "Cycle 2: co-teaching and debrief"),
        hours="1.5", elements=("3.2", "LD"), withdrawn=("Kahale",),
        credentials=("Academic conversations",)),
    Offering(
        WRITING, kind="course", focus_area="Writing",
        description="Four Saturday workshops a year on writer's workshop: the mini-lesson, "
                    "sustained writing time and one-to-one conferences.",
        facilitator="Regional writing project (external provider)", funding_source="title_i",
        years=2,
        cohorts=(("Silva", "Lee", "Singh", "Kaur", "Osei", "Hughes"),
                 ("Whitehorse", "Vasquez", "Bianchi", "Alvarez", "Nguyen")),
        sessions_per_year=("Workshop 1: the mini-lesson", "Workshop 2: writing time",
                           "Workshop 3: conferring", "Workshop 4: publishing"),
        hours="3", elements=("3.4", "LD")),
    Offering(
        SCIENCE_PLC, kind="plc", focus_area="Science inquiry",
        description="A fortnightly professional learning community at the second school: "
                    "teachers plan investigations together and bring back student work.",
        facilitator="Grade-level team leads", funding_source="grant", years=1,
        cohorts=(("Kahale", "Whitehorse", "Singh", "Lee", "Hughes", "Alvarez"),),
        sessions_per_year=("PLC 1: what makes a fair test", "PLC 2: the planning board",
                           "PLC 3: looking at student plans"),
        hours="1", elements=("3.3", "LC"), school="second"),
)


def _session_dates(start: date, count: int, today: date) -> list[date]:
    """Sessions of one school year: from mid-September, every five weeks in a past year;
    this year's spread evenly up to last week (the sessions so far)."""
    first = date(start.year, 9, 15).toordinal()
    last = today.toordinal() - 3
    step = 35 if first + 35 * count < last else max(7, (last - first) // max(1, count))
    return [date.fromordinal(first + i * step) for i in range(count)
            if first + i * step <= last]


def _element(district: District, code: str) -> Any:
    from uptake.learning.models import FrameworkElement

    return (FrameworkElement.objects.filter(framework__district=district, code=code)
            .order_by("pk").first())


def _program(coordinator: User, offering: Offering, today: date, coach: User | None,
             second_school: School | None) -> Program:
    from uptake.credentials.models import Credential
    from uptake.programs.actions import do_create_program

    district = coordinator.district
    assert district is not None  # a coordinator of the demo district
    found = Program.objects.filter(district=district, name=offering.story.name).first()
    if found is not None:
        return found
    start = school_year_start(today, offering.years - 1)
    elements = [e for e in (_element(district, c) for c in offering.elements) if e is not None]
    credentials = list(Credential.objects.filter(
        district=district, versions__title__in=offering.credentials).distinct())
    schools = [second_school] if offering.school == "second" and second_school else []
    return do_create_program(
        actor=coordinator, name=offering.story.name, kind=offering.kind,
        starts_on=date(start.year, 9, 1), ends_on=date(today.year + (today.month >= 8), 6, 15),
        focus_area=offering.focus_area, description=offering.description,
        facilitator=offering.facilitator,
        facilitator_person=coach if offering.kind == "coaching" else None,
        funding_source=offering.funding_source, schools=schools, elements=elements,
        credentials=credentials)


def _participation(program: Program, coordinator: User, offering: Offering, today: date,
                   teachers: dict[str, User]) -> None:
    """Sessions year by year, the cohorts enrolled as they joined (earlier cohorts
    completed), and attendance: nearly everyone, nearly always."""
    from uptake.programs.actions import (
        do_add_session,
        do_enrol,
        do_record_attendance,
        do_set_participant_status,
    )

    if program.sessions.exists():
        return
    joined: dict[int, int] = {}  # person -> school year index she joined
    for year in range(offering.years):
        start = school_year_start(today, offering.years - 1 - year)
        for held_on, title in zip(_session_dates(start, len(offering.sessions_per_year),
                                                 today), offering.sessions_per_year,
                                  strict=False):
            do_add_session(program, actor=coordinator, held_on=held_on, title=title,
                           hours=Decimal(offering.hours))
        for name in offering.cohorts[year] if year < len(offering.cohorts) else ():
            person = teachers.get(name)
            if person is None:
                continue
            participant = do_enrol(program, actor=coordinator, person=person,
                                   enrolled_on=date(start.year, 9, 10))
            joined[person.pk] = year
            if name in offering.withdrawn:
                do_set_participant_status(participant, actor=coordinator,
                                          status="withdrawn")
            elif year < offering.years - 1:
                do_set_participant_status(participant, actor=coordinator, status="completed",
                                          on=date(start.year + 1, 6, 1))
    present = []
    for k, session in enumerate(program.sessions.order_by("held_on", "pk")):
        year = offering.years - 1 - _years_back(session.held_on, today)
        for person_id, joined_year in sorted(joined.items()):
            # Her cohort's year (the coaching cycle: each cohort is coached for one year);
            # one absence in every seven places, fixed.
            if joined_year == year and (person_id + k) % 7:
                present.append((session.pk, person_id))
    do_record_attendance(program, actor=coordinator, present=present)


def _years_back(day: date, today: date) -> int:
    return school_year_start(today).year - school_year_start(day).year


def _links(program: Program, rooms: list[tuple[User, Section, Inquiry]],
           extra: list[tuple[User, Any]]) -> None:
    """Each participant links her classroom inquiry (and the demo teacher her first
    inquiry and her micro-credential) to the program she learned it in."""
    from uptake.programs.actions import do_link
    from uptake.programs.models import ProgramLink

    for teacher, _section, inquiry in rooms:
        if not ProgramLink.objects.filter(program=program, inquiry=inquiry).exists():
            do_link(teacher, program, inquiry=inquiry)
    for teacher, record in extra:
        kind = "inquiry" if isinstance(record, Inquiry) else "credential"
        if not ProgramLink.objects.filter(program=program, **{kind: record}).exists():
            do_link(teacher, program, **{kind: record})


# ---------------------------------------------------------------------- the surveys


AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]


@dataclass(frozen=True)
class DemoSurvey:
    title: str
    purpose: str
    program: str  # a program's name, or "" for a district survey
    years_back: int  # the school year it ran in (0: this one)
    month: int  # when it opened (its window is three weeks)
    intro: str
    likert: tuple[str, ...]
    # Each respondent's Likert points, one string per respondent ("4453": four questions);
    # the respondents are the invited in a fixed order, the last ones did not answer.
    answers: tuple[str, ...]
    choice: tuple[str, tuple[str, ...]] | None = None  # prompt, options (answers cycle)
    text: str = ""
    open_now: bool = False  # open today (the demo teacher has yet to answer)


SURVEYS = (
    DemoSurvey(
        "What professional learning do you need? (needs assessment)", "needs_assessment", "",
        years_back=2, month=8,
        intro="Tell us what would help your teaching most next year. Your answers are "
              "anonymous.",
        likert=("I get the professional learning I need to teach well.",
                "Professional learning here is connected to my classroom."),
        answers=("22", "32", "21", "23", "22", "31", "22", "12", "33", "22", "23"),
        choice=("Which area do you most want to learn about?",
                ("Math discourse", "Writing", "Science inquiry", "Using data",
                 "Classroom routines")),
        text="What would help you most?"),
    DemoSurvey(
        "Math Talk coaching cycle: how was this cycle?", "reactions", "Math Talk coaching cycle",
        years_back=0, month=11,
        intro="Five questions about this coaching cycle, anonymous: what worked, what to "
              "change.",
        likert=("The cycle was a good use of my time.",
                "I can use what I learned in my class next week.",
                "My coach modelled the practice clearly.",
                "I had time to plan with my coach."),
        answers=("5554", "4544", "5453", "4444", "5554", "4543", "5454", "4443", "5545",
                 "4554", "4444", "5443"),
        text="One thing you will try next week:"),
    DemoSurvey(
        "Math Talk: does your school support the new practice?", "organisation",
        "Math Talk coaching cycle", years_back=0, month=11,
        intro="Guskey's level 3: does the organisation make room for what you learned? "
              "Anonymous.",
        likert=("My school leader makes time for the coaching cycle.",
                "I have the materials I need (stem cards, partner charts).",
                "Colleagues at my school use talk moves too.",
                "Our schedule leaves room for discussion in math."),
        answers=("4443", "4433", "5444", "3443", "4434", "4343", "4444", "3433", "4443",
                 "4344", "4433"),
        text="What gets in the way?"),
    DemoSurvey(
        "Writing workshop: how was today's workshop?", "reactions", "Writing workshop series",
        years_back=0, month=11,
        intro="Your reactions to the workshop, anonymous.",
        likert=("The workshop was a good use of my time.",
                "I can use what I learned in my class next week.",
                "The presenter modelled the practice clearly.",
                "The materials were useful."),
        answers=("5454", "4544", "5555", "4444", "5454", "4445", "5544", "4454", "5445",
                 "4544", "4444"),
        text="One thing you will try next week:"),
    DemoSurvey(
        "Next year's professional learning: what do you need?", "needs_assessment", "",
        years_back=0, month=12, open_now=True,
        intro="Help plan next year's professional learning: six questions, anonymous, about "
              "five minutes.",
        likert=("I get the professional learning I need to teach well.",
                "Professional learning here is connected to my classroom.",
                "I have time to try what I learn before the next session."),
        answers=("433", "442", "343", "432", "443", "332"),
        choice=("Which area do you most want to learn about next year?",
                ("Math discourse", "Writing", "Science inquiry", "Using data",
                 "Classroom routines")),
        text="What would help you most?"),
)


def _moment(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _survey(coordinator: User, spec: DemoSurvey, today: date, programs: dict[str, Program],
            teachers: dict[str, User], teacher: User | None) -> None:
    """Written, published and answered in its window (past, through the actions' ``now``);
    an open survey is answered by some, never by the demo ``teacher``."""
    from uptake.surveys.actions import (
        QuestionData,
        do_add_question,
        do_create_survey,
        do_invite,
        do_publish,
        do_respond,
    )
    from uptake.surveys.models import Question, Survey

    if Survey.objects.filter(district=coordinator.district, title=spec.title).exists():
        return
    start = school_year_start(today, spec.years_back)
    opens = date(start.year + (spec.month < 8), spec.month, 3)
    if opens > today - timedelta(days=5):  # this year's: opened a fortnight ago
        opens = today - timedelta(days=14)
    closes = opens + timedelta(days=21)
    if spec.open_now:
        opens, closes = today - timedelta(days=3), today + timedelta(days=11)
    elif closes > today - timedelta(days=1):
        closes = today - timedelta(days=1)
    program = programs.get(spec.program)
    survey = do_create_survey(
        coordinator, title=spec.title, purpose=spec.purpose, anonymous=True,
        intro=spec.intro, opens_at=_moment(opens, 7), closes_at=_moment(closes, 18),
        program=program)
    likert = [do_add_question(survey, coordinator, QuestionData(
        kind=Question.Kind.LIKERT, prompt=prompt, required=True, likert_labels=AGREE))
        for prompt in spec.likert]
    choice = None
    if spec.choice is not None:
        choice = do_add_question(survey, coordinator, QuestionData(
            kind=Question.Kind.CHOICE, prompt=spec.choice[0], options=spec.choice[1]))
    text = None
    if spec.text:
        text = do_add_question(survey, coordinator, QuestionData(
            kind=Question.Kind.TEXT, prompt=spec.text))
    if program is not None:
        people = [p.person for p in program.participants.select_related("person")
                  .exclude(status="withdrawn").order_by("person__last_name", "person_id")]
    else:
        people = sorted({p.pk: p for p in teachers.values()}.values(),
                        key=lambda p: (p.last_name, p.pk))
    do_invite(survey, coordinator, people=people)
    do_publish(survey, coordinator, now=_moment(opens, 7))
    answering = [p for p in people if teacher is None or p.pk != teacher.pk]
    for k, (person, points) in enumerate(zip(answering, spec.answers, strict=False)):
        answers: dict[Any, Any] = {q.pk: int(points[i % len(points)])
                                   for i, q in enumerate(likert)}
        if choice is not None and spec.choice is not None:
            options = spec.choice[1]
            answers[choice.pk] = options[(k * 3) % len(options) if k % 3 else 0]
        if text is not None and k % 4 == 0:
            answers[text.pk] = _SAID[k // 4 % len(_SAID)]
        answered = (timezone.now() - timedelta(hours=k + 1) if spec.open_now
                    else _moment(opens + timedelta(days=1 + k % 10)))
        do_respond(survey, person, answers, now=answered)


_SAID = ("More time to try it with a colleague before the next session.",
         "Seeing it modelled in my own class helped most.",
         "Cover for a half day so that we can plan together.")


# ---------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class Spend:
    source: str
    use: str
    amount: int  # dollars in the first year it appears; +3 % a year after
    description: str
    program: str = ""  # a program's name: charged to it
    years: tuple[int, int] = (4, 0)  # fiscal years back: from, to (0: this one)
    month: int = 10


LEDGER = (
    Spend("title_ii_a", "conferences", 6400, "Summer institute registrations", month=7),
    Spend("title_ii_a", "substitutes", 4200, "Release days for peer observation", month=2),
    Spend("title_i", "materials", 3100, "Professional reading and classroom sets", month=9),
    Spend("state", "courses_workshops", 8800, "State PD allotment: online courses", month=11),
    Spend("district", "substitutes", 5200, "Substitute cover on district PL days", month=3),
    Spend("district", "stipends", 3600, "Summer curriculum-writing stipends", month=7),
    Spend("grant", "courses_workshops", 12500, "Early-literacy foundation grant: training",
          years=(4, 3), month=10),
    Spend("title_ii_a", "coaching", 24000, "Instructional coach, half-time (before Math Talk)",
          years=(4, 3), month=8),
    Spend("title_ii_a", "coaching", 41500, "Instructional coach, Math Talk coaching cycles",
          program="Math Talk coaching cycle", years=(2, 0), month=8),
    Spend("title_ii_a", "substitutes", 2900, "Cover while teachers co-plan with the coach",
          program="Math Talk coaching cycle", years=(2, 0), month=1),
    Spend("title_i", "courses_workshops", 17800, "Regional writing project: four workshops",
          program="Writing workshop series", years=(1, 0), month=9),
    Spend("district", "stipends", 5400, "Saturday workshop stipends",
          program="Writing workshop series", years=(1, 0), month=12),
    Spend("grant", "materials", 6100, "Investigation kits for the science PLC",
          program="Science inquiry PLC", years=(0, 0), month=9),
    Spend("grant", "stipends", 2400, "PLC after-hours stipends",
          program="Science inquiry PLC", years=(0, 0), month=11),
)


def _ledger(coordinator: User, today: date, programs: dict[str, Program]) -> None:
    """Five fiscal years of ledger lines by source and use, each with a reference so that
    loading again adds nothing twice (the finance system's voucher number)."""
    from uptake.spending.actions import EntryData, do_add_entry
    from uptake.spending.models import SpendingEntry
    from uptake.spending.queries import fiscal_year_bounds, fiscal_year_of

    this_year = fiscal_year_of(today)
    known = set(SpendingEntry.objects.filter(district=coordinator.district)
                .values_list("reference", flat=True))
    for n, line in enumerate(LEDGER, start=1):
        first, last = line.years
        for back in range(first, last - 1, -1):
            year = this_year - back
            reference = f"DEMO-FY{year}-{n:02d}"
            if reference in known:
                continue
            begins, _ends = fiscal_year_bounds(year)
            spent_on = date(begins.year, line.month, 15)
            if spent_on < begins:
                spent_on = date(begins.year + 1, line.month, 15)
            spent_on = min(spent_on, today - timedelta(days=1))
            amount = Decimal(round(line.amount * 1.03 ** (first - back)))
            program = programs.get(line.program)
            do_add_entry(coordinator, EntryData(
                spent_on=spent_on, amount=amount, source=line.source, use=line.use,
                program_id=program.pk if program else None, description=line.description,
                reference=reference))


# ---------------------------------------------------------------------- loading


def _coordinator(district: District) -> User | None:
    return (User.objects.filter(district=district, is_active=True, roles__role=Role.COORDINATOR)
            .order_by("pk").first())


def _first_story_links(district: District, teacher: User | None) -> list[tuple[User, Any]]:
    """The demo teacher's first inquiry and the credential she earned came out of the
    coaching cycle."""
    from uptake.credentials.models import Credential
    from uptake.demo.inquiries import SERIES

    if teacher is None:
        return []
    out: list[tuple[User, Any]] = []
    first = Inquiry.objects.filter(owner=teacher, title=SERIES[0].title).first()
    if first is not None:
        out.append((teacher, first))
    for credential in Credential.objects.filter(district=district,
                                                versions__title="Academic conversations",
                                                awards__educator=teacher).distinct():
        out.append((teacher, credential))
    return out


def load_demo_district_view(district: District, teacher: User | None = None) -> None:
    """The programs, their participation, the ledger, the surveys and the classrooms'
    inquiries behind the district view; then the precomputed summaries, refreshed.
    ``teacher``: the demo teacher (her first inquiry is the coaching cycle's)."""
    from uptake.inquiry.summaries import refresh_measures
    from uptake.notifications.actions import quiet

    coordinator = _coordinator(district)
    if coordinator is None:
        return
    today = timezone.localdate()
    teachers = _teachers_by_name(district)
    schools = list(School.objects.filter(district=district).order_by("name"))
    coach = (User.objects.filter(is_active=True, roles__role=Role.COACH,
                                 roles__school=schools[0]).order_by("pk").first()
             if schools else None)
    with quiet():
        programs: dict[str, Program] = {}
        for offering in OFFERINGS:
            rooms = load_classrooms(district, offering.story)
            program = _program(coordinator, offering, today, coach,
                               schools[1] if len(schools) > 1 else None)
            programs[program.name] = program
            _participation(program, coordinator, offering, today, teachers)
            extra = (_first_story_links(district, teacher)
                     if offering.story is MATH_TALK else [])
            _links(program, rooms, extra)
        _ledger(coordinator, today, programs)
        for spec in SURVEYS:
            _survey(coordinator, spec, today, programs, teachers, teacher)
    refresh_measures(Measure.objects.filter(inquiry__district=district)
                     .values_list("pk", flat=True))
