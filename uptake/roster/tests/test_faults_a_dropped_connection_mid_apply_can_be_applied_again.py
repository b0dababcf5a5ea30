"""The database connection drops while the worker applies a roster: nothing is half-saved,
the import goes back to checked (its file kept) with a message saying to apply it again,
and applying it again works.

The drop is made at several statements of the apply's transaction (early, in the middle,
late) by tests/faults_support.py: a shut socket on PostgreSQL, the driver's error on
SQLite.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.faults_support import connection_drops
from uptake.roster.actions import APPLY_INTERRUPTED, do_preview_import, do_queue_apply
from uptake.roster.models import RosterImport, Section
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


# The worker's own bookkeeping (its lease, the task's row) is not the apply's, which
# begins when the worker claims the import.
WORKER_TABLES = ("django_tasks_database", "operations_workerlease")
CLAIMED = 'UPDATE "roster_rosterimport"'


@pytest.mark.parametrize("at", [1, 6, 15])
def test_a_drop_mid_apply_saves_nothing_and_the_coordinator_applies_it_again(
        maple: Any, importer: Any, login: Any, make_zip: Any, worker: Any, at: int) -> None:
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    before = roster_snapshot()
    do_queue_apply(ri, actor=importer)

    with connection_drops(at, ignoring=WORKER_TABLES, once_seen=CLAIMED) as drop:
        worker()

    assert drop.fired, f"the apply ran fewer than {at} statements"
    ri.refresh_from_db()
    assert roster_snapshot() == before
    assert (ri.status, ri.message) == (RosterImport.Status.PREVIEWED, APPLY_INTERRUPTED)
    assert ri.stored_file.name and ri.stored_file.storage.exists(ri.stored_file.name)
    client = login(importer)
    page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
    assert "database dropped while applying" in page and "Apply it again" in page

    client.post(reverse("roster:import_apply", args=[ri.pk]))
    worker()

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.APPLIED
    assert Section.objects.exists()
