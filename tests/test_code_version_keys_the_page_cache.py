"""Cached parts of pages are versioned by the installed code (uptake/release.py): a deploy
that changes any module or template never reads what the earlier code cached, even in a
shared Redis, and every process of the same code agrees on the version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from uptake.release import cache_version, code_digest

ROOT = Path(__file__).resolve().parents[1]


def _tree(root: Path) -> Path:
    (root / "app" / "templates").mkdir(parents=True)
    (root / "app" / "__pycache__").mkdir()
    (root / "app" / "views.py").write_text("def view(): ...\n")
    (root / "app" / "templates" / "page.html").write_text("<p>{{ figure }}</p>\n")
    (root / "app" / "notes.txt").write_text("not code\n")
    return root


def test_a_changed_template_changes_the_version(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    before = cache_version("", root)
    (root / "app" / "templates" / "page.html").write_text("<p>{{ figure|floatformat }}</p>\n")
    assert cache_version("", root) != before


def test_only_code_counts(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    before = code_digest(root)
    (root / "app" / "notes.txt").write_text("still not code\n")
    (root / "app" / "__pycache__" / "views.cpython-312.pyc").write_bytes(b"\0")
    assert code_digest(root) == before
    (root / "app" / "helpers.py").write_text("")  # a new, even empty, module counts
    assert code_digest(root) != before


def test_two_processes_of_the_same_code_agree(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    other = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from uptake.release import code_digest; print(code_digest(Path(sys.argv[1])))",
         str(root)], cwd=ROOT, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == code_digest(root)


def test_a_release_id_replaces_the_digest(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert cache_version("abc123", root) == cache_version("abc123", tmp_path / "missing")
    assert cache_version("abc123", root) != cache_version("abc124", root)


def test_the_page_cache_carries_the_code_version() -> None:
    assert settings.CACHES["pages"]["VERSION"] == settings.CODE_VERSION
    assert isinstance(settings.CODE_VERSION, int) and settings.CODE_VERSION > 0
