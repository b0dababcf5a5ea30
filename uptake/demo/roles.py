"""Something for every demo role to open: an outside peer observer with a class to observe
now, each school leader an inquiry shared with her, the coach a piece of shared evidence.

Written through the apps' actions; loading the demo again adds nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from uptake.accounts.models import Role, User
from uptake.demo.inquiries import BASELINE, fill_scores, subject_class
from uptake.demo.model import Design
from uptake.inquiry.actions import do_create_inquiry, do_create_measure, do_share_inquiry
from uptake.inquiry.demo import occasion_dates
from uptake.inquiry.models import Inquiry

if TYPE_CHECKING:
    from uptake.accounts.models import District, School
    from uptake.roster.models import Section

PEER_EMAIL = "observer@partner-school.example.org"
PEER_NAME = ("Priya", "Raman")
LEADER_SHARED = "Independent reading blocks"  # the inquiry that got worse: a leader's concern
SECOND_SCHOOL_INQUIRY = "Vocabulary routines: word of the week"
SECOND_SCHOOL_SEED = 7
ROUTINE_CARD = "Word-of-the-week routine card"


def load_peer_observer(teacher: User, inquiry: Inquiry, section: Section, measure_name: str,
                       password: str) -> None:
    """A teacher from a partner school, outside the district, invited by e-mail to observe
    the demo teacher's class this week; she accepted, so her start page lists it."""
    from uptake.accounts.actions import (
        do_accept_invitation_existing_account,
        do_accept_invitation_new_account,
    )
    from uptake.observation.actions import (
        RequestPlan,
        do_request_observation,
        do_seed_default_protocol,
    )
    from uptake.observation.models import ObservationRequest

    now = timezone.now()
    measure = inquiry.measures.filter(name=measure_name).first()
    open_now = ObservationRequest.objects.filter(
        inquiry=inquiry, invitation__email=PEER_EMAIL, closes_at__gt=now,
        status=ObservationRequest.Status.OPEN)
    if measure is None or open_now.exists():
        return
    prompt = do_seed_default_protocol(inquiry.district).prompts.filter(
        retired=False).order_by("position").first()
    if prompt is None:
        return
    secrets: list[str] = []
    do_request_observation(teacher, inquiry, RequestPlan(
        measure=measure, section=section, prompt=prompt, email=PEER_EMAIL,
        opens_at=now - timedelta(minutes=10), closes_at=now + timedelta(days=7),
        message="Could you tally explanations in my Tuesday math lesson?"),
        notify=False, deliver=lambda _invitation, secret: secrets.append(secret))
    person = User.objects.filter(email=PEER_EMAIL).first()
    if person is None:
        do_accept_invitation_new_account(token=secrets[0], first_name=PEER_NAME[0],
                                         last_name=PEER_NAME[1], password=password)
    else:
        do_accept_invitation_existing_account(token=secrets[0], person=person)


def school_leader(school: School) -> User | None:
    return (User.objects.filter(is_active=True, roles__role=Role.SCHOOL_LEADER,
                                roles__school=school)
            .order_by("last_name", "first_name", "pk").first())


def share_with_leader(teacher: User, school: School) -> None:
    """The demo teacher shares the inquiry that went wrong with her principal."""
    leader = school_leader(school)
    inquiry = Inquiry.objects.filter(owner=teacher, title=LEADER_SHARED).first()
    if leader is not None and inquiry is not None:
        do_share_inquiry(teacher, inquiry, leader, share=True)


def load_second_school(district: District, first_school: School) -> None:
    """At the other school, a teacher's ELA inquiry shared with her own principal, so the
    second leader's start page has a result to read."""
    from uptake.accounts.models import School

    school = (School.objects.filter(district=district).exclude(pk=first_school.pk)
              .order_by("name").first())
    leader = None if school is None else school_leader(school)
    if school is None or leader is None:
        return
    teacher = (User.objects.filter(is_active=True, roles__role=Role.TEACHER,
                                   roles__school=school)
               .order_by("last_name", "first_name", "pk").first())
    section = None if teacher is None else subject_class(teacher, "English Language Arts")
    if teacher is None or section is None or Inquiry.objects.filter(
            owner=teacher, title=SECOND_SCHOOL_INQUIRY).exists():
        return
    inquiry = do_create_inquiry(
        teacher, title=SECOND_SCHOOL_INQUIRY,
        problem_of_practice="Students skip unfamiliar words instead of working them out.",
        question="Does a weekly word routine help students use new words in writing?",
        change_idea="One word a week: say it, act it, draw it, use it in a sentence daily.",
        prediction="Scores on the Friday vocabulary check will rise within a month.")
    design = Design(mean=12, ability_sd=3.5, difficulty_sd=0.8, noise_sd=2, scale=(0, 20),
                    effect=0.4)
    measure = do_create_measure(
        teacher, inquiry, sections=[section], name="Friday vocabulary check (0-20)",
        kind="score", scale_min=0, scale_max=20, direction="up",
        change_date=occasion_dates(BASELINE + 9)[BASELINE])
    fill_scores(teacher, measure, section, design, after=9, seed=SECOND_SCHOOL_SEED)
    do_share_inquiry(teacher, inquiry, leader, share=True)
    _share_routine_card(teacher, inquiry)


def _share_routine_card(teacher: User, inquiry: Inquiry) -> None:
    """Evidence shared with her school (it names no student), so her principal sees it."""
    from uptake.evidence.actions import do_add_artifact, do_share_artifact
    from uptake.evidence.models import GuskeyLevel, Kind

    card = do_add_artifact(
        teacher, kind=Kind.TEXT, title=ROUTINE_CARD, guskey_level=GuskeyLevel.USE,
        identifies_students=False, inquiry=inquiry,
        description="The steps on the wall beside the word of the week.",
        body="Say it.\nAct it.\nDraw it.\nUse it in a sentence today.")
    do_share_artifact(card, actor=teacher)


def share_evidence_with_coach(teacher: User, coach: User | None) -> None:
    """The stems card goes to the school and, by name, to the coach."""
    from uptake.evidence.actions import do_share_artifact
    from uptake.evidence.models import Artifact

    card = Artifact.objects.filter(owner=teacher, title="Sentence stems card").first()
    if coach is None or card is None or card.shared:
        return
    do_share_artifact(card, actor=teacher, coaches=[coach])
