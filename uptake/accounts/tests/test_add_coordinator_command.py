"""``uptake add-coordinator`` gives a district its first coordinator from the command line."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from uptake.accounts.models import District, Role, User
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_a_district_and_its_first_coordinator(
        django_capture_on_commit_callbacks: Any) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("add_coordinator", "--district", "pine", "--district-name", "Pine USD",
                     "--email", "Lead@Pine.test", "--first-name", "Lee", stdout=out)
    person = User.objects.get(email="lead@pine.test")
    assert person.district == District.objects.get(slug="pine")
    assert person.has_role(Role.COORDINATOR)
    assert "e-mailed a link" in out.getvalue()
    assert mail.outbox[0].to == ["lead@pine.test"]
    assert "/accounts/password/reset/key/" in str(mail.outbox[0].body)
    labels = set(AuditEvent.objects.values_list("action", "actor_label"))
    assert (AuditAction.ROLE_GRANTED, "command line (uptake add-coordinator)") in labels


def test_it_promotes_an_existing_person_of_that_district(world: Any) -> None:
    call_command("add_coordinator", "--district", "maple-valley", "--email",
                 "jamie@maple.test", stdout=io.StringIO())
    assert world.people["teacher"].roles.filter(role=Role.COORDINATOR).exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--district", "nowhere", "--email", "a@b.test"], "No district with slug"),
    (["--district", "maple-valley", "--email", "olive@oak.test"], "another district"),
    (["--district", "maple-valley", "--email", "renata@maple.test"], "already a coordinator"),
    (["--district", "maple-valley", "--email", "not-an-email"], "not a valid e-mail"),
])
def test_it_refuses_with_a_clear_message(world: Any, args: list[str], message: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("add_coordinator", *args, stdout=io.StringIO())
    assert AuditEvent.objects.count() == before
