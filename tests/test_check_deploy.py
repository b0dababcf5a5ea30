"""The production environment documented in docs/production.md passes ``check --deploy``.

The environment is read from the guide itself (its ``/etc/uptake/uptake.env`` block), so
the guide and the settings cannot drift apart: only the two secrets are generated (the
guide shows placeholders) and the directories point into a temporary folder.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]


def documented_production_environment() -> dict[str, str]:
    guide = (ROOT / "docs" / "production.md").read_text()
    block = re.search(r"```sh\n# /etc/uptake/uptake.env\n(.*?)```", guide, re.S)
    assert block is not None, "docs/production.md has no /etc/uptake/uptake.env block"
    env = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True,
        check=False, timeout=300)


def _production(tmp_path: Path) -> dict[str, str]:
    env = documented_production_environment()
    assert env["SECRET_KEY"].startswith("<") and env["BADGE_KEY_ENCRYPTION_KEYS"].startswith("<")
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["BADGE_KEY_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    env["UPTAKE_VAR_DIR"] = str(tmp_path / "var")
    env["STATIC_ROOT"] = str(tmp_path / "static")
    return env


def test_it_documents_a_complete_production_environment() -> None:
    env = documented_production_environment()
    for name in ["SECRET_KEY", "BADGE_KEY_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "SITE_URL",
                 "DATABASE_URL", "EMAIL_BACKEND", "STORAGE_BACKEND", "BEHIND_TLS_PROXY"]:
        assert env.get(name), f"docs/production.md does not set {name}"
    assert not {"DEBUG", "UPTAKE_DEMO", "UPTAKE_TESTING"} & set(env)


def test_check_deploy_finds_nothing_with_the_documented_production_settings(
        tmp_path: Path) -> None:
    result = _check_deploy(_production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_check_deploy_fails_when_e_mail_would_only_reach_the_console(tmp_path: Path) -> None:
    env = _production(tmp_path)
    del env["EMAIL_BACKEND"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "development-only email backend" in result.stderr
