"""Shared personas for every test: one small district with two schools and a neighbour.

- ``teacher``: Jamie Nguyen, teaches Grade 3 ELA at Cedar (owns that class's data)
- ``colleague``: Asha Patel, another teacher at Cedar (not in Jamie's class)
- ``outsider``: Miguel Garcia, a teacher at Birch (another school, same district)
- ``coach``: an instructional coach at Cedar
- ``assessor``: a district-wide assessor
- ``leader``: Cedar's principal (school leader)
- ``coordinator``: the district's professional-learning coordinator
- ``researcher``: a district researcher
- ``other_coordinator``: a coordinator in another district
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Two shared cores in CI: wall-clock deadlines would make property tests flaky, and a
# fixed seed keeps a failing example reproducible from the log.
hypothesis_settings.register_profile("uptake", deadline=None, derandomize=True,
                                     print_blob=True)
hypothesis_settings.load_profile("uptake")

os.environ.setdefault("UPTAKE_TESTING", "1")

pytest_plugins = ["tests.browser.fixtures"]

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    district: Any
    other_district: Any
    cedar: Any
    birch: Any
    elm: Any
    section: Any
    other_section: Any
    students: list[Any]
    people: dict[str, Any]


def _person(email: str, first: str, last: str, district: Any, roles: list[tuple[str, Any]]) -> Any:
    from uptake.accounts.models import RoleAssignment, User

    user = User.objects.create_user(email=email, password=PASSWORD, first_name=first,
                                    last_name=last, district=district)
    for role, school in roles:
        RoleAssignment.objects.create(user=user, district=district, school=school, role=role)
    return user


@pytest.fixture
def world(db: Any) -> World:
    from uptake.accounts.models import District, Role, School
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    district = District.objects.create(name="Maple Valley Unified", slug="maple-valley")
    other = District.objects.create(name="Oak Ridge Schools", slug="oak-ridge")
    cedar = School.objects.create(district=district, name="Cedar Elementary", sourced_id="org-s1")
    birch = School.objects.create(district=district, name="Birch Middle", sourced_id="org-s2")
    elm = School.objects.create(district=other, name="Elm High", sourced_id="org-x1")
    people = {
        "teacher": _person("jamie@maple.test", "Jamie", "Nguyen", district,
                           [(Role.TEACHER, cedar)]),
        "colleague": _person("asha@maple.test", "Asha", "Patel", district,
                             [(Role.TEACHER, cedar)]),
        "outsider": _person("miguel@maple.test", "Miguel", "Garcia", district,
                            [(Role.TEACHER, birch)]),
        "coach": _person("cora@maple.test", "Cora", "Coach", district, [(Role.COACH, cedar)]),
        "assessor": _person("alex@maple.test", "Alex", "Assessor", district,
                            [(Role.ASSESSOR, None)]),
        "leader": _person("lee@maple.test", "Lee", "Principal", district,
                          [(Role.SCHOOL_LEADER, cedar)]),
        "coordinator": _person("renata@maple.test", "Renata", "Okafor", district,
                               [(Role.COORDINATOR, None)]),
        "researcher": _person("rosa@maple.test", "Rosa", "Research", district,
                              [(Role.RESEARCHER, None)]),
        "other_coordinator": _person("olive@oak.test", "Olive", "Other", other,
                                     [(Role.COORDINATOR, None)]),
    }
    section = Section.objects.create(district=district, school=cedar, sourced_id="cls-3a",
                                     title="Grade 3 ELA - Room 12", grades="03")
    other_section = Section.objects.create(district=district, school=birch, sourced_id="cls-m7",
                                           title="Math 7 - Period 2", grades="07")
    TeacherAssignment.objects.create(section=section, teacher=people["teacher"])
    TeacherAssignment.objects.create(section=other_section, teacher=people["outsider"])
    students = []
    for i in range(12):
        student = Student.objects.create(
            district=district, school=cedar, sourced_id=f"stu-{i}", given_name=f"Kid{i}",
            family_name="Cedar", grade="03", english_learner=(i % 3 == 0),
        )
        Enrollment.objects.create(section=section, student=student)
        students.append(student)
    return World(district, other, cedar, birch, elm, section, other_section, students, people)


@pytest.fixture(autouse=True)
def _task_queue_empty() -> None:
    """With the task queue in Redis (``UPTAKE_TEST_TASKS=rq``), each test starts with it
    empty, as each starts with an empty database."""
    if os.environ.get("UPTAKE_TEST_TASKS") == "rq":
        from uptake.operations.testing import flush_task_queue

        flush_task_queue()


@pytest.fixture
def login(client: Any) -> Any:
    """``login(user)`` signs the test client in as that person and returns the client."""

    def _login(user: Any) -> Any:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def api(db: Any) -> Any:
    """``api(user, scopes=None)``: an API client with a real personal access token of that
    person's (every scope unless ``scopes`` is given); ``api(None)`` sends no credential."""
    from uptake.api.testing import anonymous, token_client

    def _api(user: Any, scopes: list[str] | None = None) -> Any:
        return anonymous() if user is None else token_client(user, scopes)

    return _api


def world_roles() -> dict[str, set[str]]:
    """The roles each persona of ``world`` holds (anonymous holds none)."""
    from uptake.accounts.models import Role

    return {
        "anonymous": set(),
        "teacher": {Role.TEACHER},
        "colleague": {Role.TEACHER},
        "outsider": {Role.TEACHER},
        "coach": {Role.COACH},
        "assessor": {Role.ASSESSOR},
        "leader": {Role.SCHOOL_LEADER},
        "coordinator": {Role.COORDINATOR},
        "researcher": {Role.RESEARCHER},
        "other_coordinator": {Role.COORDINATOR},
    }


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests that drive chromium are marked ``browser`` wherever they live, so that
    ``make test`` can run them in their own process (Playwright's sync API wants a thread
    with no asyncio loop of its own)."""
    for item in items:
        if {"browser", "page_factory"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
