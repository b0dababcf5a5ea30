"""Loading the demo district: every write goes through the domain apps' actions."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from uptake.accounts.actions import (
    RoleGrant,
    do_add_coordinator_from_command_line,
    do_add_person,
    do_ensure_district,
)
from uptake.accounts.models import District, Role, School, User
from uptake.inquiry.models import Inquiry
from uptake.learning.actions import do_load_learning_demo
from uptake.observation.actions import do_seed_default_protocol
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.models import RosterImport, Section
from uptake.roster.synthetic import write_oneroster_zip

MATH = "Mathematics"

DEMO_SLUG = "maple-valley"
DEMO_NAME = "Maple Valley Unified School District"
DEMO_PASSWORD = "uptake-demo-2026"
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    where: str


# Non-teaching staff the roster does not carry; coordinators add them in the product.
_STAFF = [
    ("coach@maple-valley.example.org", "Cora", "Whitfield", Role.COACH, 0),
    ("assessor@maple-valley.example.org", "Alex", "Mbeki", Role.ASSESSOR, None),
    ("researcher@maple-valley.example.org", "Rosa", "Lindqvist", Role.RESEARCHER, None),
]


def _import_roster(district: District) -> RosterImport:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "maple-valley-roster.zip"
        write_oneroster_zip(path, district_name=district.name, schools=2,
                            teachers_per_school=6, students_per_school=160,
                            administrators_per_school=1, seed=DEMO_SEED,
                            district_sourced_id=district.sourced_id,
                            email_domain="maple-valley.example.org")
        checked = do_preview_import(district, str(path), actor=None)
        if checked.status == RosterImport.Status.REJECTED:
            raise RuntimeError(f"the demo roster was rejected: {checked.report.get('errors')}")
        return do_apply_import(checked, actor=None, confirm_removals=True)


def _add_staff(district: District, coordinator: User) -> None:
    schools = list(School.objects.filter(district=district).order_by("name"))
    for email, first, last, role, school_index in _STAFF:
        if User.objects.filter(email=email).exists():
            continue
        school = schools[school_index] if school_index is not None else None
        do_add_person(actor=coordinator, email=email, first_name=first, last_name=last,
                      roles=[RoleGrant(role, school)], send_email=False)


@transaction.atomic
def do_set_demo_passwords(district: District, password: str) -> int:
    """Give demo accounts without a password the printed one (the demo sends no e-mail).

    One hash serves every account: argon2 is slow on purpose, and the demo password is
    public anyway. Accounts whose password was set (or changed) keep it.
    """
    hashed = make_password(password)
    people = [p for p in User.objects.filter(district=district, is_active=True)
              if not p.has_usable_password()]
    for person in people:
        person.password = hashed
    User.objects.bulk_update(people, ["password"])
    return len(people)


def do_load_demo() -> list[DemoLogin]:
    """Create or refresh the demo district; safe to run again and again."""
    district = do_ensure_district(DEMO_SLUG, name=DEMO_NAME)
    _import_roster(district)
    coordinator, _ = do_add_coordinator_from_command_line(
        district=district, email="coordinator@maple-valley.example.org", first_name="Renata",
        last_name="Okafor", operator_label="uptake demo", send_email=False, again_is_fine=True)
    _add_staff(district, coordinator)
    do_set_demo_passwords(district, DEMO_PASSWORD)
    do_load_demo_inquiries(district)
    do_load_learning_demo(district)
    do_seed_default_protocol(district)
    _load_story(district)
    _load_family_story(district)
    _load_library(district)
    _load_credentials(district)
    _load_badges(district)
    _load_district_view(district)
    _load_networks(district)
    return demo_logins(district)


def do_load_demo_inquiries(district: District) -> int:
    """Give the demo teacher one inquiry per verdict (sustained improvement, change not
    sustained, got worse, no signal, not enough data), each in the class of its subject;
    the first is shared with her coach."""
    from uptake.demo.inquiries import load_demo_inquiries

    found = _demo_teacher_and_class(district)
    if found is None:
        return 0
    teacher, section = found
    coach = (User.objects.filter(district=district, is_active=True, roles__role=Role.COACH,
                                 roles__school=section.school).first())
    return len(load_demo_inquiries(teacher, coach=coach))


# The demo teacher teaches upper-elementary math (fractions are grade 4-5 work) at a school
# where a colleague teaches the same grade's math, so the team can share a common check.
DEMO_GRADES = ("04", "05")


def _demo_teacher_and_class(district: District) -> tuple[User, Section] | None:
    """The demo teacher and her math class: the first teacher (in the learning demo's order,
    so that she has a learning plan) who leads a grade 4-5 math class and has a colleague
    teaching the same grade's math at her school."""
    from uptake.demo.inquiries import subject_class
    from uptake.demo.story import colleague_of

    ids = (User.objects.filter(district=district, is_active=True, roles__role=Role.TEACHER)
           .order_by("roles__school__name", "last_name", "first_name", "pk")
           .values_list("pk", flat=True))
    for pk in dict.fromkeys(ids):
        teacher = User.objects.get(pk=pk)
        section = subject_class(teacher, MATH)
        if (section is not None and section.grades in DEMO_GRADES
                and colleague_of(teacher, section) is not None):
            return teacher, section
    return None


def _load_story(district: District) -> None:
    """The cycles, survey, observation, learning, evidence and team around the demo
    teacher's first inquiry (after the learning demo, whose sources it links), then what
    the other roles open: the peer observer's class, the leaders' and coach's shares."""
    from uptake.demo import roles
    from uptake.demo.story import OBSERVED, STORY_INQUIRY, load_demo_story

    found = _demo_teacher_and_class(district)
    if found is None:
        return
    teacher, section = found
    load_demo_story(teacher, section)
    story = Inquiry.objects.filter(owner=teacher, title=STORY_INQUIRY).first()
    if story is not None:
        roles.load_peer_observer(teacher, story, section, OBSERVED, DEMO_PASSWORD)
    roles.share_with_leader(teacher, section.school)
    roles.load_second_school(district, section.school)
    roles.share_evidence_with_coach(teacher, _coach_at(section.school))


def _load_family_story(district: District) -> None:
    """The demo teacher's first inquiry told to families: a published story
    (``uptake.demo.stories``; its share link is made when the sign-ins are printed)."""
    from uptake.demo.stories import load_demo_family_story

    found = _demo_teacher_and_class(district)
    if found is not None:
        load_demo_family_story(found[0])


def _coach_at(school: School) -> User | None:
    return (User.objects.filter(is_active=True, roles__role=Role.COACH, roles__school=school)
            .order_by("last_name", "pk").first())


def _first_holder(district: District, role: str) -> User | None:
    return (User.objects.filter(district=district, is_active=True, roles__role=role)
            .order_by("roles__school__name", "last_name", "first_name").first())


def demo_logins(district: District) -> list[DemoLogin]:
    """A sign-in for every role: the demo teacher and her colleague, the coach, each
    school's leader, the district's coordinator, assessor and researcher, and the peer
    observer from outside the district."""
    from uptake.demo.roles import PEER_EMAIL, school_leader
    from uptake.demo.story import colleague_of

    found = _demo_teacher_and_class(district)
    teacher = found[0] if found else _first_holder(district, Role.TEACHER)
    colleague = colleague_of(*found) if found else None
    people: list[tuple[str, User | None]] = [
        (Role.TEACHER.label, teacher),
        (f"{Role.TEACHER.label} (a colleague)", colleague[0] if colleague else None),
        (Role.COACH.label, _first_holder(district, Role.COACH))]
    for school in School.objects.filter(district=district).order_by("name"):
        people.append((Role.SCHOOL_LEADER.label, school_leader(school)))
    people += [(Role(r).label, _first_holder(district, r))
               for r in (Role.COORDINATOR, Role.ASSESSOR, Role.RESEARCHER)]
    logins = [DemoLogin(label, p.email, p.display_name, _where(p)) for label, p in people
              if p is not None]
    observer = User.objects.filter(email=PEER_EMAIL, is_active=True).first()
    if observer is not None and teacher is not None:
        logins.append(DemoLogin("Peer observer", observer.email, observer.display_name,
                                f"no district; invited by {teacher.display_name}"))
    return logins


def _where(person: User) -> str:
    schools = sorted({r.school.name for r in person.roles.select_related("school")
                      if r.school is not None})
    return ", ".join(schools) or "district-wide"


def _load_library(district: District) -> None:
    """The shared-practice library: practices shared from the demo's inquiries, each
    tried by colleagues in inquiries of their own (``uptake.demo.library``)."""
    from uptake.demo.library import load_demo_library

    load_demo_library(district)


def _load_credentials(district: District) -> None:
    """Micro-credentials from the three presets, with work in every state, a credential
    earned, a second reader and a version 2 (``uptake.demo.credentials``)."""
    from uptake.demo.credentials import load_demo_credentials
    from uptake.demo.story import colleague_of
    from uptake.notifications.actions import quiet

    found = _demo_teacher_and_class(district)
    if found is None:
        return
    teacher, section = found
    colleague = colleague_of(teacher, section)
    # The demo's people are not told by e-mail of the work the loader makes for them;
    # their notices wait in the product.
    with quiet():
        load_demo_credentials(district, teacher, section,
                              colleague[0] if colleague else None, DEMO_PASSWORD)


def _load_badges(district: District) -> None:
    """Open Badges: every award issued, the demo teacher's shared on its public page, a
    second educator's revoked (``uptake.demo.badges``)."""
    from uptake.demo.badges import load_demo_badges
    from uptake.notifications.actions import quiet

    found = _demo_teacher_and_class(district)
    if found is None:
        return
    with quiet():
        load_demo_badges(district, *found)


def _load_district_view(district: District) -> None:
    """Programs, participation, spending, surveys and the classrooms behind the district
    view, then the precomputed summaries refreshed (``uptake.demo.district``)."""
    from uptake.demo.district import load_demo_district_view

    found = _demo_teacher_and_class(district)
    load_demo_district_view(district, found[0] if found else None)


def _load_networks(district: District) -> None:
    """Who learns from whom (an informal broker, a gatekeeper school, contacts outside the
    district) and the changes it led to (``uptake.demo.networks``)."""
    from uptake.demo.networks import load_demo_networks
    from uptake.notifications.actions import quiet

    with quiet():
        load_demo_networks(district)
