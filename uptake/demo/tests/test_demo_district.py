"""``uptake demo`` builds a believable district that every role can sign in to, repeatably."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uptake.accounts.models import District, Role, School, User
from uptake.demo.actions import DEMO_PASSWORD
from uptake.roster.models import Enrollment, Section, Student

pytestmark = pytest.mark.django_db


def _run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return (District.objects.count(), School.objects.count(), User.objects.count(),
            Section.objects.count(), Student.objects.count(), Enrollment.objects.count())


def test_it_loads_two_schools_a_dozen_teachers_and_a_few_hundred_students() -> None:
    _run_demo()
    district = District.objects.get(slug="maple-valley")
    assert School.objects.filter(district=district).count() == 2
    teachers = User.objects.filter(district=district, roles__role=Role.TEACHER).distinct()
    assert teachers.count() == 12
    assert 200 <= Student.objects.filter(district=district).count() <= 500
    assert Section.objects.filter(district=district).count() >= 24
    for role in [Role.COACH, Role.ASSESSOR, Role.SCHOOL_LEADER, Role.COORDINATOR,
                 Role.RESEARCHER]:
        assert User.objects.filter(district=district, roles__role=role).exists(), role


def test_it_can_be_loaded_again_without_duplicating_anything() -> None:
    _run_demo()
    before = _counts()
    _run_demo()
    assert _counts() == before


def test_it_prints_a_sign_in_for_every_role_that_works(client: Any) -> None:
    output = _run_demo()
    assert DEMO_PASSWORD in output
    emails = re.findall(r"\S+@\S+\.example\.org", output)
    for label in [*(Role(r).label for r in Role.values), "Peer observer"]:
        assert label in output, f"no demo sign-in printed for {label}"
    assert output.count("School leader") == 2  # one for each school
    assert len(emails) == len(set(emails)) == 9
    for email in emails:
        response = client.post("/accounts/login/", {"login": email,
                                                     "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200
        client.logout()


def test_it_names_every_class_once_with_its_grade_subject_period_and_teacher() -> None:
    _run_demo()
    titles = list(Section.objects.filter(district__slug="maple-valley")
                  .values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    assert all(re.fullmatch(r"(Grade \d|Kindergarten) \w[\w ]* — Period \d \(.+\)", t)
               for t in titles), titles


def test_it_records_equity_attributes_for_students() -> None:
    _run_demo()
    students = Student.objects.filter(district__slug="maple-valley")
    assert students.filter(english_learner=True).exists()
    assert students.filter(special_education=True).exists()
    assert students.filter(economically_disadvantaged=True).exists()
    assert students.exclude(race_ethnicity="").exists()


def test_it_gives_the_demo_teacher_plans_inquiries_and_an_observation_protocol() -> None:
    from uptake.inquiry.models import Inquiry
    from uptake.learning.models import LearningPlan
    from uptake.observation.models import ObservationProtocol

    _run_demo()
    district = District.objects.get(slug="maple-valley")
    assert Inquiry.objects.filter(district=district).count() >= 5
    assert LearningPlan.objects.filter(owner__district=district).exists()
    assert ObservationProtocol.objects.filter(district=district).exists()
