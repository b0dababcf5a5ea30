"""The audit log exports as CSV; the export is itself an audited event."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.actions import record
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_it_exports_the_filtered_events_as_csv(login: Any, world: Any) -> None:
    record(AuditAction.STUDENT_DATA_READ, actor=world.people["teacher"],
           subjects=["S-BBBB2222", "S-AAAA1111"], summary="Class list", details={"n": 2})
    record(AuditAction.LOGIN, actor=world.people["other_coordinator"])
    client = login(world.people["coordinator"])
    response = client.get(reverse("audit:export"), {"action": "student_data_read"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="uptake-audit-')
    rows = _rows(response)
    assert len(rows) == 1
    row = rows[0]
    assert row["actor"] == "jamie@maple.test"
    assert row["event"] == "student_data_read"
    assert row["event_label"] == "Student data viewed"
    assert row["students"] == "S-AAAA1111 S-BBBB2222"
    assert row["details"] == '{"n": 2}'
    assert row["when_utc"].endswith("Z")


def test_it_records_the_export_itself(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    response = client.get(reverse("audit:export"), {"action": "login"})
    rows = _rows(response)
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == world.people["coordinator"]
    assert export.district == world.district
    assert export.details == {"what": "audit_log", "filters": {"action": "login"},
                              "rows": len(rows)}
    assert "export.csv" in export.page


def test_it_exports_only_the_own_district(login: Any, world: Any) -> None:
    record(AuditAction.LOGIN, actor=world.people["teacher"])
    rows = _rows(login(world.people["other_coordinator"]).get(reverse("audit:export")))
    assert "jamie@maple.test" not in {r["actor"] for r in rows}


def test_it_neutralises_spreadsheet_formulas_typed_by_strangers(client: Any, world: Any,
                                                                login: Any) -> None:
    # A failed sign-in stores whatever was typed as the e-mail; it must not run in Excel.
    client.post("/accounts/login/", {"login": "=HYPERLINK(\"http://x\")@maple.test",
                                     "password": "whatever-typed"})
    record(AuditAction.LOGIN_FAILED, actor_label="=cmd|' /C calc'!A0",
           district=world.district)
    rows = _rows(login(world.people["coordinator"]).get(reverse("audit:export"),
                                                        {"action": "login_failed"}))
    assert rows and all(not r["actor"].startswith("=") for r in rows)
    assert "'=cmd|' /C calc'!A0" in {r["actor"] for r in rows}
