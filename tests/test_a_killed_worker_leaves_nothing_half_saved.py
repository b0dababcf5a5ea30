"""A worker really killed (SIGKILL) in the middle of a roster apply: nothing half-saved, and
the import can be applied again once the dead worker is found.

The other tests leave a task row RUNNING by hand; this one kills a real ``db_worker``
process, on a database file shared by the processes (as in production), after the apply has
written schools, classes, staff and students and before it commits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
from uptake.accounts.models import District, Role, RoleAssignment, User
from uptake.roster.actions import do_preview_import, do_queue_apply
from uptake.roster.tests.conftest import build_zip, fixture_files
maple = District.objects.create(name="Maple Valley Unified", slug="maple-valley")
coordinator = User.objects.create_user(email="coord@maple.test", password="x" * 12,
                                       district=maple)
RoleAssignment.objects.create(user=coordinator, district=maple, role=Role.COORDINATOR)
zip_path = Path(os.environ["UPTAKE_VAR_DIR"]) / "roster.zip"
zip_path.write_bytes(build_zip(fixture_files("v1p1-bulk")))
ri = do_preview_import(maple, zip_path, actor=coordinator)
do_queue_apply(ri, actor=coordinator)
print(ri.pk)
"""

KILLED_WORKER = """
import signal
from uptake.roster import actions
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
actions._write_enrollments = killed
call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False,
             worker_id="doomed-worker", verbosity=0)
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from uptake.roster.models import RosterImport, Section, Student
ri = RosterImport.objects.get()
print(ri.status, DBTaskResult.objects.get().status, Section.objects.count(),
      Student.objects.count())
"""

RECOVER_AND_APPLY_AGAIN = """
from django.test import Client
from django.urls import reverse
from uptake.accounts.models import User
from uptake.roster.models import RosterImport, Section
ri = RosterImport.objects.get()
client = Client()
client.force_login(User.objects.get(email="coord@maple.test"),
                   backend="django.contrib.auth.backends.ModelBackend")
page = client.get(reverse("roster:import_detail", args=[ri.pk])).content.decode()
ri.refresh_from_db()
print(ri.status, "stopped while applying" in page, "Nothing was saved" in page)
client.post(reverse("roster:import_apply", args=[ri.pk]))
call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False,
             verbosity=0)
ri.refresh_from_db()
print(ri.status, Section.objects.count() > 0)
"""


def _django(env: dict[str, str], code: str, *,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    prelude = ("import os\nfrom pathlib import Path\nimport django\ndjango.setup()\n"
               "from django.core.management import call_command\n")
    result = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_it_rolls_back_a_killed_apply_and_lets_the_coordinator_apply_it_again(
        tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    env.update({"UPTAKE_TESTING": "1", "UPTAKE_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "uptake.settings",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'uptake.sqlite3'}"})
    _django(env, "call_command('migrate', verbosity=0)")
    _django(env, SETUP)

    killed = _django(env, KILLED_WORKER, check=False)

    assert killed.returncode == -9
    # The apply had written schools, classes, staff and students; none of it committed.
    assert _django(env, STATE).stdout.split() == ["applying", "RUNNING", "0", "0"]
    recovered, applied = _django(env, RECOVER_AND_APPLY_AGAIN).stdout.splitlines()
    assert recovered.split() == ["previewed", "True", "True"]
    assert applied.split() == ["applied", "True"]
