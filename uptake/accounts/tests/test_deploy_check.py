"""``manage.py check --deploy`` is clean with production-like settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UPTAKE_", "DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
           and k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY"}}
    env.update({
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghij",
        "BADGE_KEY_ENCRYPTION_KEYS": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "ALLOWED_HOSTS": "uptake.example.org",
        "UPTAKE_VAR_DIR": str(tmp_path),
        # Production must send real mail (password resets, invitations); Django 6.1's
        # mail.E001 rightly fails the console backend that development uses by default.
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
    })
    return env


def test_it_passes_the_deploy_check_with_production_settings(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_it_hashes_new_passwords_with_argon2_in_production(tmp_path: Path) -> None:
    # Tests use a fast hasher (settings.TESTING); production must not.
    code = ("import django; django.setup(); from django.contrib.auth.hashers import make_password;"
            " print(make_password('a-long-password-123').split('$')[0])")
    env = {**_production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "uptake.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "argon2"
