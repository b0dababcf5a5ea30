"""A district coordinator manages people and roles in Uptake's own pages, every change audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from uptake.accounts.models import Role, RoleAssignment, User
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _coordinator(login: Any, world: Any) -> Any:
    return login(world.people["coordinator"])


def test_it_lists_the_districts_people_with_search_and_filters(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    everyone = client.get(reverse("people"))
    names = [p.email for p in everyone.context["page"]]
    assert "jamie@maple.test" in names and "olive@oak.test" not in names
    search = client.get(reverse("people"), {"q": "nguyen"})
    assert [p.email for p in search.context["page"]] == ["jamie@maple.test"]
    teachers_at_cedar = client.get(reverse("people"), {"role": Role.TEACHER,
                                                       "school": world.cedar.pk})
    assert sorted(p.email for p in teachers_at_cedar.context["page"]) == [
        "asha@maple.test", "jamie@maple.test"]
    # "Teacher" and "Cedar" must hold on the same role: Cora coaches at Cedar, Miguel
    # teaches at Birch, neither is a teacher at Cedar.
    coaches = client.get(reverse("people"), {"role": Role.COACH, "school": world.birch.pk})
    assert list(coaches.context["page"]) == []


def test_it_filters_people_by_status(login: Any, world: Any) -> None:
    world.people["colleague"].is_active = False
    world.people["colleague"].save()
    client = _coordinator(login, world)
    active = [p.email for p in client.get(reverse("people")).context["page"]]
    inactive = [p.email for p in client.get(reverse("people"), {"status": "inactive"}
                                            ).context["page"]]
    assert "asha@maple.test" not in active
    assert inactive == ["asha@maple.test"]


def test_it_answers_htmx_filtering_with_just_the_results(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    response = client.get(reverse("people"), {"q": "asha"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "asha@maple.test" in html


def test_it_adds_a_person_with_a_role_and_emails_a_set_password_link(
        login: Any, world: Any, client: Any, django_capture_on_commit_callbacks: Any) -> None:
    _coordinator(login, world)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        response = client.post(reverse("person_add"), {
            "first_name": "Pat", "last_name": "New", "email": "Pat.New@Maple.test",
            "role": Role.TEACHER, "school": world.birch.pk})
    person = User.objects.get(email="pat.new@maple.test")
    assert response.status_code == 302 and response["Location"] == reverse("person",
                                                                         args=[person.pk])
    assert person.district == world.district and not person.has_usable_password()
    assignment = person.roles.get()
    assert (assignment.role, assignment.school, assignment.granted_by) == (
        Role.TEACHER, world.birch, world.people["coordinator"])
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        AuditAction.PERSON_CREATED, AuditAction.ROLE_GRANTED}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat.new@maple.test"]
    link = re.search(r"/accounts/password/reset/key/\S+", str(mail.outbox[0].body))
    assert link is not None
    client.logout()
    page = client.get(link.group(0), follow=True)
    assert page.status_code == 200 and "password1" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0] if page.redirect_chain else link.group(0),
                       {"password1": "a-long-first-passphrase", "password2":
                        "a-long-first-passphrase"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-long-first-passphrase")


@pytest.mark.parametrize(("role", "school", "problem"), [
    (Role.TEACHER, None, "held for a school"),
    (Role.COORDINATOR, "cedar", "held district-wide"),
    (Role.RESEARCHER, "cedar", "held district-wide"),
])
def test_it_refuses_a_role_at_the_wrong_scope(login: Any, world: Any, role: str,
                                               school: str | None, problem: str) -> None:
    client = _coordinator(login, world)
    response = client.post(reverse("person_add"), {
        "first_name": "Pat", "last_name": "New", "email": "pat@maple.test", "role": role,
        "school": getattr(world, school).pk if school else ""})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not User.objects.filter(email="pat@maple.test").exists()
    assert not AuditEvent.objects.exclude(action=AuditAction.LOGIN).exists()


def test_it_refuses_an_email_that_already_has_an_account(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    response = client.post(reverse("person_add"), {
        "first_name": "X", "last_name": "Y", "email": "OLIVE@oak.test",
        "role": Role.ASSESSOR, "school": ""})
    assert "cannot be given to an account here" in response.content.decode()
    assert User.objects.filter(email__iexact="olive@oak.test").count() == 1


def test_it_refuses_a_school_of_another_district(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    response = client.post(reverse("person_grant", args=[world.people["teacher"].pk]),
                           {"role": Role.TEACHER, "school": world.elm.pk})
    assert response.status_code == 400
    assert not world.people["teacher"].roles.filter(school=world.elm).exists()


def test_it_grants_and_revokes_roles_with_audit_rows_naming_who(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    jamie = world.people["teacher"]
    client.post(reverse("person_grant", args=[jamie.pk]),
                {"role": Role.COACH, "school": world.birch.pk})
    granted = jamie.roles.get(role=Role.COACH)
    assert granted.granted_by == world.people["coordinator"]
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANTED)
    assert event.actor == world.people["coordinator"]
    assert event.details == {"role": "coach", "school_id": world.birch.pk, "person_id": jamie.pk}

    again = client.post(reverse("person_grant", args=[jamie.pk]),
                        {"role": Role.COACH, "school": world.birch.pk})
    assert "already holds" in again.content.decode()

    client.post(reverse("person_revoke", args=[jamie.pk, granted.pk]))
    assert not jamie.roles.filter(role=Role.COACH).exists()
    revoked = AuditEvent.objects.get(action=AuditAction.ROLE_REVOKED)
    assert revoked.actor == world.people["coordinator"]
    assert "Instructional coach (Birch Middle)" in revoked.summary


def test_it_edits_a_persons_details(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    jamie = world.people["teacher"]
    client.post(reverse("person", args=[jamie.pk]), {
        "first_name": "Jamie", "last_name": "Nguyen-Ray", "email": "jamie@maple.test"})
    jamie.refresh_from_db()
    assert jamie.last_name == "Nguyen-Ray"
    event = AuditEvent.objects.get(action=AuditAction.PERSON_UPDATED)
    assert event.details == {"changed": {"last_name": ["Nguyen", "Nguyen-Ray"]}}


def test_it_deactivates_and_reactivates_a_person(login: Any, world: Any, client: Any) -> None:
    _coordinator(login, world)
    asha = world.people["colleague"]
    client.post(reverse("person_deactivate", args=[asha.pk]))
    asha.refresh_from_db()
    assert not asha.is_active
    client.post(reverse("person_reactivate", args=[asha.pk]))
    asha.refresh_from_db()
    assert asha.is_active
    actions = list(AuditEvent.objects.exclude(action=AuditAction.LOGIN).order_by("id")
                   .values_list("action", flat=True))
    assert actions == [AuditAction.PERSON_DEACTIVATED, AuditAction.PERSON_REACTIVATED]


def test_it_ends_a_deactivated_persons_session(login: Any, world: Any, client: Any) -> None:
    from django.test import Client

    asha_client = Client()
    asha_client.force_login(world.people["colleague"],
                            backend="django.contrib.auth.backends.ModelBackend")
    _coordinator(login, world).post(
        reverse("person_deactivate", args=[world.people["colleague"].pk]))
    assert asha_client.get(reverse("home"))["Location"].startswith("/accounts/login/")


def test_it_never_lets_a_coordinator_deactivate_herself(login: Any, world: Any) -> None:
    client = _coordinator(login, world)
    me = world.people["coordinator"]
    response = client.post(reverse("person_deactivate", args=[me.pk]), follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_it_never_leaves_the_district_without_a_coordinator(login: Any, world: Any) -> None:
    second = world.people["researcher"]
    RoleAssignment.objects.create(user=second, district=world.district, role=Role.COORDINATOR)
    client = login(second)
    renata = world.people["coordinator"]
    client.post(reverse("person_deactivate", args=[renata.pk]))  # allowed: Rosa remains
    renata.refresh_from_db()
    assert not renata.is_active
    # Rosa cannot now remove her own coordinator role, nor can anyone remove the last one.
    own = second.roles.get(role=Role.COORDINATOR)
    response = client.post(reverse("person_revoke", args=[second.pk, own.pk]), follow=True)
    assert "own coordinator role" in response.content.decode()
    assert second.roles.filter(role=Role.COORDINATOR).exists()


def test_it_refuses_to_deactivate_the_last_coordinator(world: Any) -> None:
    from uptake.accounts.actions import AccountRuleError, do_deactivate_person

    renata = world.people["coordinator"]
    RoleAssignment.objects.create(user=world.people["researcher"], district=world.district,
                                  role=Role.COORDINATOR)
    do_deactivate_person(actor=world.people["researcher"], person=renata)
    # Renata is inactive; Rosa is now the only active coordinator.
    from uptake.accounts.models import User as U

    somebody = U.objects.create_user(email="admin@maple.test", district=world.district)
    with pytest.raises(AccountRuleError, match="last coordinator"):
        do_deactivate_person(actor=somebody, person=world.people["researcher"])
    assert not AuditEvent.objects.filter(object_id=str(world.people["researcher"].pk),
                                         action=AuditAction.PERSON_DEACTIVATED).exists()


def test_it_stops_an_old_email_signing_in_after_a_change(login: Any, world: Any,
                                                         client: Any) -> None:
    from django.test import Client

    from conftest import PASSWORD

    jamie_client = Client()
    # Signing in and asking for a reset make allauth remember the address in its own table.
    jamie_client.post("/accounts/login/", {"login": "jamie@maple.test", "password": PASSWORD})
    Client().post(reverse("account_reset_password"), {"email": "jamie@maple.test"})
    mail.outbox.clear()
    jamie = world.people["teacher"]
    _coordinator(login, world).post(reverse("person", args=[jamie.pk]), {
        "first_name": "Jamie", "last_name": "Nguyen", "email": "jamie.nguyen@maple.test"})
    old = Client().post("/accounts/login/", {"login": "jamie@maple.test", "password": PASSWORD})
    assert old.status_code == 200  # refused
    Client().post(reverse("account_reset_password"), {"email": "jamie@maple.test"})
    assert not [m for m in mail.outbox
                if "jamie@maple.test" in m.to and "/password/reset/key/" in str(m.body)]
    new = Client().post("/accounts/login/", {"login": "jamie.nguyen@maple.test",
                                             "password": PASSWORD})
    assert new.status_code == 302
