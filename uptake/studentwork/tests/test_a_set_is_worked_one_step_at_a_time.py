"""Seen 6 of issue 10: the Looking at Student Work page was one 7,700 px page of forms. The
set now opens on an overview (no student names, so no read is recorded) and each step of
the protocol (score, group, interventions, what followed) is its own page with only its
own forms; every form brings the teacher back to the step she was on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.roster.models import TeacherAssignment
from uptake.studentwork.actions import do_add_group, do_add_intervention

pytestmark = pytest.mark.django_db

# How each step's form action ends.
FORMS = {"score": '/scores"', "group": '/assign"', "interventions": '/interventions"',
         "outcome": '/outcome"'}


def _page(client: Any, work_set: Any, step: str = "") -> str:
    url = reverse("studentwork:detail", args=[work_set.pk]) + (f"?step={step}" if step else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def worked(world: Any, work_set: Any) -> Any:
    group = do_add_group(work_set.created_by, work_set, name="Needs models",
                         next_step="Model one on the number line")
    do_add_intervention(work_set.created_by, group, what="Modelled with strips",
                        when=dt.date(2026, 10, 6))
    return work_set


def test_it_opens_on_an_overview_without_names_or_a_recorded_read(
        login: Any, world: Any, worked: Any) -> None:
    html = _page(login(world.people["teacher"]), worked)
    assert "Where this set stands" in html and 'aria-current="step">Overview' in html
    assert "Kid0" not in html
    assert not any(action in html for action in FORMS.values())
    assert not AuditEvent.objects.filter(action="student_data_read").exists()


@pytest.mark.parametrize("step", list(FORMS))
def test_each_step_holds_only_its_own_forms(login: Any, world: Any, worked: Any,
                                            step: str) -> None:
    html = _page(login(world.people["teacher"]), worked, step)
    assert 'aria-current="step">' in html
    assert FORMS[step] in html
    assert [s for s, action in FORMS.items() if action in html] == [step]
    read = AuditEvent.objects.filter(action="student_data_read").latest("at")
    assert len(read.subjects) == 12


def test_a_form_brings_her_back_to_its_step(login: Any, world: Any, worked: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("studentwork:scores", args=[worked.pk]), {})
    assert response["Location"].endswith("?step=score")
    response = client.post(reverse("studentwork:assign", args=[worked.pk]), {})
    assert response["Location"].endswith("?step=group")


def test_an_unknown_step_shows_the_overview(login: Any, world: Any, worked: Any) -> None:
    html = _page(login(world.people["teacher"]), worked, "everything")
    assert "Where this set stands" in html


def test_a_teacher_whose_class_ended_reaches_no_step(login: Any, world: Any,
                                                     worked: Any) -> None:
    TeacherAssignment.objects.filter(section=world.section, teacher=world.people["teacher"]
                                     ).update(end_date=dt.date(2020, 6, 30))
    client = login(world.people["teacher"])
    for step in ["", *FORMS]:
        url = reverse("studentwork:detail", args=[worked.pk]) + f"?step={step}"
        assert client.get(url).status_code == 404
