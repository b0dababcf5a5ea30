"""Class pages: names only for the class's own teachers and coordinators, and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uptake.audit.models import AuditAction, AuditEvent
from uptake.roster.models import TeacherAssignment

pytestmark = pytest.mark.django_db


def _reads() -> int:
    return AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).count()


def test_it_shows_the_owner_teacher_her_students_and_audits_it(world, login):
    response = login(world.people["teacher"]).get(reverse("roster:class",
                                                          args=[world.section.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kid0 Cedar" in page
    assert world.students[0].pseudonym in page
    event = AuditEvent.objects.get(action=AuditAction.STUDENT_DATA_READ)
    assert event.actor == world.people["teacher"]
    assert set(event.subjects) == {s.pseudonym for s in world.students}
    assert event.object_id == str(world.section.pk)


def test_it_shows_the_coordinator_names_and_audits_it(world, login):
    response = login(world.people["coordinator"]).get(reverse("roster:class",
                                                              args=[world.section.pk]))

    assert "Kid0 Cedar" in response.content.decode()
    assert _reads() == 1


@pytest.mark.parametrize("persona", ["leader", "coach"])
def test_it_shows_leaders_and_coaches_counts_but_no_names(world, login, persona):
    response = login(world.people[persona]).get(reverse("roster:class",
                                                        args=[world.section.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kid0" not in page
    assert world.students[0].pseudonym not in page
    assert "<dt>Students now enrolled</dt><dd>12</dd>" in page
    assert _reads() == 0


@pytest.mark.parametrize("persona", ["colleague", "outsider", "other_coordinator",
                                     "researcher", "assessor"])
def test_it_hides_the_class_from_everyone_else(world, login, persona):
    response = login(world.people[persona]).get(reverse("roster:class",
                                                        args=[world.section.pk]))

    assert response.status_code == 404
    assert _reads() == 0


def test_it_hides_the_class_from_a_teacher_whose_assignment_ended(world, login):
    TeacherAssignment.objects.filter(teacher=world.people["teacher"]).update(
        end_date="2020-06-30")
    client = login(world.people["teacher"])

    response = client.get(reverse("roster:class", args=[world.section.pk]))

    assert response.status_code == 404 and "Kid0" not in response.content.decode()
    assert "Grade 3 ELA" not in client.get(reverse("roster:classes")).content.decode()
    assert _reads() == 0


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    for url in (reverse("roster:classes"), reverse("roster:class", args=[world.section.pk])):
        assert client.get(url).status_code == 302


def test_it_lists_a_teacher_s_own_classes_only(world, login):
    page = login(world.people["teacher"]).get(reverse("roster:classes")).content.decode()

    assert "Grade 3 ELA - Room 12" in page
    assert "Math 7 - Period 2" not in page


def test_it_lists_the_leader_s_school_with_counts_and_no_names(world, login):
    page = login(world.people["leader"]).get(reverse("roster:classes")).content.decode()

    assert "Grade 3 ELA - Room 12" in page
    assert "Math 7 - Period 2" not in page  # Birch is not her school
    assert '<td class="num">12</td>' in page
    assert "Kid0" not in page


def test_it_lets_the_coordinator_filter_classes_by_school_and_text(world, login):
    client = login(world.people["coordinator"])

    all_classes = client.get(reverse("roster:classes")).content.decode()
    birch_only = client.get(reverse("roster:classes"),
                            {"school": world.birch.pk}).content.decode()
    by_text = client.get(reverse("roster:classes"), {"q": "ela"}).content.decode()

    assert "Grade 3 ELA" in all_classes and "Math 7" in all_classes
    assert "Math 7" in birch_only and "Grade 3 ELA" not in birch_only
    assert "Grade 3 ELA" in by_text and "Math 7" not in by_text


@pytest.mark.parametrize("persona", ["researcher", "assessor"])
def test_it_hides_the_class_list_from_roles_without_classes(world, login, persona):
    assert login(world.people[persona]).get(reverse("roster:classes")).status_code == 404
