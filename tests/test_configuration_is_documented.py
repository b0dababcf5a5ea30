"""Every environment variable settings.py reads is documented in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "uptake" / "settings.py").read_text()
    pattern = r'(?:env_(?:str|bool|int|list)\(|environ\.get\()\s*"([A-Z][A-Z0-9_]+)"'
    return set(re.findall(pattern, source, flags=re.S))


def test_it_documents_every_environment_variable() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text()
    variables = _variables_read_by_settings()
    assert len(variables) > 20
    missing = sorted(v for v in variables if f"`{v}`" not in docs)
    assert missing == [], f"undocumented in docs/configuration.md: {missing}"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("MIN_GROUP_SIZE", "3", "MIN_GROUP_SIZE must be at least 5"),
    ("MIN_GROUP_SIZE", "ten", "MIN_GROUP_SIZE must be a whole number"),
    ("DEBUG", "maybe", "DEBUG must be true or false"),
])
def test_it_rejects_bad_settings_with_a_clear_message(name: str, value: str,
                                                      message: str) -> None:
    import subprocess
    import sys

    env = {"UPTAKE_TESTING": "1", name: value, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import uptake.settings"], cwd=ROOT,
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import uptake.settings"], cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                            check=False)
    assert "SECRET_KEY must be set" in result.stderr

