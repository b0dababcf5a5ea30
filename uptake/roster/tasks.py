"""Background work for roster imports, run by ``manage.py db_worker`` (django.tasks).

A district's OneRoster file takes about a minute to check and as long again to apply,
longer than gunicorn lets a request run. The upload and apply pages therefore save what
the coordinator asked for and queue these tasks; the import's page polls until they are
done. The tasks only call the actions, which do the work, record the audit events in the
name of the coordinator who asked, and mark the import failed when something breaks.

A worker killed outright (SIGKILL, out of memory) cannot mark anything: the handlers at
the end put the import back where the coordinator can act, once the worker is found dead
(uptake.operations.workers).

Arguments are ids (the queue stores JSON). The return value is the import's status
afterwards, for whoever reads the task results.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from uptake.operations.workers import when_worker_lost
from uptake.roster import actions
from uptake.roster.models import RosterImport

# What the coordinator reads on the import's page after a worker died in a step.
CHECK_LOST = ("Uptake's background worker stopped while checking this file (it was "
              "restarted, or ran out of memory). Nothing was changed. Upload the file again; "
              "if this happens again, tell whoever runs Uptake.")
APPLY_LOST = ("Uptake's background worker stopped while applying this file (it was "
              "restarted, or ran out of memory). Nothing was saved: an import applies "
              "completely or not at all. Apply it again; if this happens again, tell whoever "
              "runs Uptake.")


@task()
def check_roster_import(import_id: int, actor_id: int | None) -> str:
    """Check a queued upload and record its dry-run report."""
    ri = actions.run_queued_check(import_id, actor_id=actor_id)
    return ri.status if ri is not None else "not queued"


@task()
def apply_roster_import(import_id: int, actor_id: int | None, confirm_removals: bool) -> str:
    """Apply a checked import that the coordinator asked to apply, all or nothing."""
    ri = actions.run_queued_apply(import_id, actor_id=actor_id,
                                  confirm_removals=confirm_removals)
    return ri.status if ri is not None else "not queued"


def _stuck(import_id: int, *statuses: str) -> RosterImport | None:
    """The import, locked, if the dead worker left it in one of ``statuses``."""
    return (RosterImport.objects.select_for_update()
            .filter(pk=import_id, status__in=statuses).first())


@when_worker_lost(check_roster_import)
def check_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """A check that died is failed, not retried: what killed it (memory) would again."""
    ri = _stuck(args[0], RosterImport.Status.QUEUED, RosterImport.Status.CHECKING)
    if ri is None:
        return
    if ri.stored_file:
        ri.stored_file.delete(save=False)  # student data that will never be applied
    ri.status, ri.message = RosterImport.Status.FAILED, CHECK_LOST
    ri.save(update_fields=["status", "message", "stored_file"])


@when_worker_lost(apply_roster_import)
def apply_lost(args: list[Any], kwargs: dict[str, Any]) -> None:
    """An apply that died was rolled back by the database: back to checked, to apply again."""
    ri = _stuck(args[0], RosterImport.Status.APPLY_QUEUED, RosterImport.Status.APPLYING)
    if ri is None:
        return
    ri.status, ri.message = RosterImport.Status.PREVIEWED, APPLY_LOST
    ri.save(update_fields=["status", "message"])
