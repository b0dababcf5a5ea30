"""The audit log is append-only: in the ORM and, through triggers, in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from uptake.audit.actions import record
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world: Any) -> AuditEvent:
    return record(AuditAction.EXPORT, actor=world.people["coordinator"], summary="original")


def test_it_refuses_orm_updates_and_deletes(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_it_refuses_a_raw_sql_update_in_the_database(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = %s WHERE id = %s",
                       ["forged", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_it_refuses_pointing_an_event_at_another_actor(event: AuditEvent, world: Any) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s",
                       [world.people["teacher"].pk, event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite test databases are emptied with DELETE; see the migration")
def test_it_refuses_a_raw_sql_delete_in_the_database(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_keeps_the_event_when_the_actor_is_removed(event: AuditEvent, world: Any) -> None:
    from uptake.accounts.models import RoleAssignment

    renata = world.people["coordinator"]
    RoleAssignment.objects.filter(user=renata).delete()
    renata.delete()  # on_delete=SET_NULL: the one UPDATE the triggers allow
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.actor is None
    assert kept.actor_label == "renata@maple.test"
    assert kept.summary == "original"
