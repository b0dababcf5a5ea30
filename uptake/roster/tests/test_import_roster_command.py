"""``uptake import-roster``: a report on stdout, problems on stderr, meaningful exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from uptake.audit.models import AuditAction, AuditEvent
from uptake.roster.models import RosterImport, Student
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_the_report(maple, make_zip):
    out, _err = _run(str(make_zip("v1p1-bulk")), "--district", "maple-valley")

    assert "users.csv             bulk           12        11" in out
    assert "note: 1 user(s) with role guardian skipped" in out
    assert "Applied: 46 change(s), 0 removal(s)." in out
    assert Student.objects.filter(district=maple).count() == 7
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_APPLIED)
    assert event.actor is None
    assert event.actor_label == "uptake import-roster (command line)"


def test_it_changes_nothing_on_a_dry_run(maple, make_zip):
    before = roster_snapshot()

    out, _err = _run(str(make_zip("v1p1-bulk")), "--district", "maple-valley", "--dry-run")

    assert "Dry run: nothing was changed (46 change(s), 0 removal(s) found)." in out
    assert roster_snapshot() == before
    assert RosterImport.objects.get().status == RosterImport.Status.PREVIEWED


def test_it_exits_2_with_located_errors_on_invalid_input(maple, make_zip):
    def bad(files: dict[str, Any]) -> None:
        files["users.csv"] = files["users.csv"].replace(b"usr-s7,,,false", b"usr-s7,,,nope")

    before = roster_snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_roster", str(make_zip(edit=bad)), "--district", "maple-valley",
                     stderr=err, stdout=io.StringIO())

    assert exc.value.returncode == 2
    assert "users.csv:12:enabledUser: 'nope' is not true or false" in err.getvalue()
    assert roster_snapshot() == before


def test_it_exits_1_when_removals_are_not_confirmed(maple, make_zip):
    _run(str(make_zip("v1p1-bulk")), "--district", "maple-valley")

    def fewer(files: dict[str, Any]) -> None:
        files["enrollments.csv"] = b"\n".join(
            line for line in files["enrollments.csv"].split(b"\n")
            if not line.startswith(b"enr-10,"))

    with pytest.raises(CommandError) as exc:
        _run(str(make_zip(edit=fewer)), "--district", "maple-valley")

    assert exc.value.returncode == 1
    assert "1 row(s) would be removed" in str(exc.value)
    out, _err = _run(str(make_zip(edit=fewer)), "--district", "maple-valley",
                     "--confirm-removals")
    assert "Applied: 1 change(s), 1 removal(s)." in out


def test_it_refuses_an_unknown_district_and_a_missing_file(maple, make_zip, tmp_path):
    with pytest.raises(CommandError, match="no district with slug 'nowhere'"):
        _run(str(make_zip("v1p1-bulk")), "--district", "nowhere")
    with pytest.raises(CommandError) as exc:
        _run(str(tmp_path / "missing.zip"), "--district", "maple-valley")
    assert exc.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_it_runs_as_the_uptake_command_with_exit_status_2(tmp_path: Path, make_zip):
    """The real console entry point, on a throw-away SQLite database."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
           "UPTAKE_TESTING": "1", "UPTAKE_VAR_DIR": str(tmp_path / "var")}
    uptake = [sys.executable, "-m", "uptake.cli"]
    subprocess.run([*uptake, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([*uptake, "shell", "-c", "from uptake.accounts.models import District; "
                    "District.objects.create(name='Maple Valley Unified', slug='mv')"],
                   env=env, check=True, timeout=120)
    not_zip = tmp_path / "roster.zip"
    not_zip.write_bytes(b"not a zip")

    done = subprocess.run([*uptake, "import-roster", str(not_zip), "--district", "mv"],
                          env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    assert "(zip): this is not a zip file" in done.stderr
