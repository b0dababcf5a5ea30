"""Production refuses to start with the demo SECRET_KEY written in Uptake's source.

``check --deploy`` used to be clean while that key was in use (it is long and random-looking,
so Django's own W009 passes it); with it anyone can forge sessions and reset links.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[3]
REAL_KEY = "a-production-secret-that-is-long-and-random-0123456789-abcdefghij"


def _env(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UPTAKE_", "DJANGO_")) and k not in {"DEBUG", "SECRET_KEY",
                                                                   "DATABASE_URL"}}
    return {**env, "UPTAKE_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "uptake.example.org",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "BADGE_KEY_ENCRYPTION_KEYS": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            **variables}


def _run(tmp_path: Path, args: list[str], **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=_env(tmp_path, **variables),
                          capture_output=True, text=True, timeout=120, check=False)


def test_it_fails_the_deploy_check_while_the_demo_key_is_in_use(tmp_path: Path) -> None:
    result = _run(tmp_path, ["manage.py", "check", "--deploy"], UPTAKE_DEMO="1")

    assert result.returncode != 0
    assert "uptake.E001" in result.stderr
    assert "SECRET_KEY is the demo key" in result.stderr


def test_it_refuses_to_start_with_the_demo_key_copied_into_secret_key(tmp_path: Path) -> None:
    result = _run(tmp_path, ["manage.py", "check"], SECRET_KEY=settings.DEMO_SECRET_KEY)

    assert result.returncode != 0
    assert "SECRET_KEY must be set to a secret of your own" in result.stderr


def test_it_refuses_to_start_in_debug_mode_without_a_key(tmp_path: Path) -> None:
    result = _run(tmp_path, ["-c", "import uptake.settings"], DEBUG="1")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_starts_with_a_key_of_its_own(tmp_path: Path) -> None:
    result = _run(tmp_path, ["manage.py", "check"], SECRET_KEY=REAL_KEY)

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_it_raises_the_check_in_process_for_a_deploy_check(settings) -> None:
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY

    with pytest.raises(SystemCheckError, match=r"uptake\.E001"):
        call_command("check", deploy=True)


@pytest.mark.django_db
def test_it_raises_the_check_at_startup_outside_the_demo_and_the_tests(settings) -> None:
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    ids = {message.id for message in run_checks()}
    assert "uptake.E001" not in ids  # the tests (and the demo) may use it

    settings.TESTING = False
    assert "uptake.E001" in {message.id for message in run_checks()}

    settings.SECRET_KEY = REAL_KEY
    assert "uptake.E001" not in {message.id for message in
                                 run_checks(include_deployment_checks=True)}
