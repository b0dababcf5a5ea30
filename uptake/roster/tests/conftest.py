"""Helpers for roster tests: OneRoster zips from the fixture folders, with edits, and the
background worker that checks and applies what the pages queue."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_files(name: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((FIXTURES / name).glob("*.csv"))}


def build_zip(files: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED
              ) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, content in files.items():
            zf.writestr(name, content.encode() if isinstance(content, str) else content)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[..., Path]:
    """``make_zip("v1p1-bulk", edit=lambda files: ...)`` writes a zip and returns its path."""
    counter = iter(range(10_000))

    def _make(name: str = "v1p1-bulk", *, edit: Callable[[dict[str, Any]], Any] | None = None,
              raw: bytes | None = None) -> Path:
        path = tmp_path / f"roster-{next(counter)}.zip"
        if raw is not None:
            path.write_bytes(raw)
            return path
        files: dict[str, Any] = fixture_files(name)
        if edit is not None:
            edited = edit(files)
            files = edited if isinstance(edited, dict) else files
        path.write_bytes(build_zip(files))
        return path

    return _make


@pytest.fixture
def maple(db: Any) -> Any:
    """The fixture files' district, empty: Maple Valley Unified."""
    from uptake.accounts.models import District

    return District.objects.create(name="Maple Valley Unified", slug="maple-valley")


@pytest.fixture
def importer(maple: Any) -> Any:
    """A coordinator of Maple Valley who runs imports."""
    from uptake.accounts.models import Role, RoleAssignment, User

    user = User.objects.create_user(email="coord@maple.test", password="x" * 12,
                                    district=maple, first_name="Cam", last_name="Coord")
    RoleAssignment.objects.create(user=user, district=maple, role=Role.COORDINATOR)
    return user


def roster_snapshot() -> dict[str, Any]:
    """Everything an import can touch, to prove a failed import changed nothing."""
    from uptake.accounts.models import District, RoleAssignment, School, User
    from uptake.roster.models import (
        AcademicSession,
        Course,
        Enrollment,
        Section,
        Student,
        TeacherAssignment,
    )

    return {
        "districts": list(District.objects.values_list("pk", "sourced_id", "identifier")),
        "schools": list(School.objects.values_list("pk", "name", "active").order_by("pk")),
        "users": list(User.objects.values_list("pk", "email", "is_active").order_by("pk")),
        "roles": RoleAssignment.objects.count(),
        "sessions": AcademicSession.objects.count(),
        "courses": Course.objects.count(),
        "sections": list(Section.objects.values_list("pk", "title", "active").order_by("pk")),
        "students": list(Student.objects.values_list("pk", "given_name", "enabled", "sex")
                         .order_by("pk")),
        "enrollments": list(Enrollment.objects.values_list("pk", "end_date").order_by("pk")),
        "teaching": list(TeacherAssignment.objects.values_list("pk", "end_date", "primary")
                         .order_by("pk")),
    }


def run_queued_tasks() -> None:
    """What ``manage.py db_worker`` (or ``rq_worker``, with the queue in Redis) does in
    production: run every queued task, then stop."""
    from uptake.operations.testing import run_queued_tasks as run

    run()


@pytest.fixture
def worker(transactional_db: Any) -> Callable[[], None]:
    """``worker()`` runs what the pages queued, as ``manage.py db_worker`` would.

    The worker closes and reopens database connections and the queue is only filled
    once a request's transaction commits (``transaction.on_commit``), so tests that use
    it run on a database that really commits (and is emptied afterwards).
    """
    return run_queued_tasks
