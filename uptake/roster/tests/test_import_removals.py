"""Bulk imports switch off what their files no longer list, and only with consent."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from uptake.accounts.models import User
from uptake.roster.actions import RemovalsNotConfirmed, do_apply_import, do_preview_import
from uptake.roster.models import Enrollment, RosterImport, Section, Student, TeacherAssignment
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db


def _drop_rows(name: str, *prefixes: str) -> Any:
    def edit(files: dict[str, Any]) -> None:
        lines = files[name].split(b"\n")
        files[name] = b"\n".join(
            line for line in lines if not line.startswith(tuple(p.encode() for p in prefixes)))

    return edit


def _without_eli_and_class_p5(files: dict[str, Any]) -> None:
    _drop_rows("users.csv", "usr-s6,")(files)
    _drop_rows("demographics.csv", "usr-s6,")(files)
    _drop_rows("classes.csv", "cls-m7-p5,")(files)
    _drop_rows("enrollments.csv", "enr-9,", "enr-10,", "enr-11,")(files)


@pytest.fixture
def imported(maple: Any, importer: Any, make_zip: Any) -> Any:
    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    return do_apply_import(ri, actor=importer)


@time_machine.travel("2026-11-20 12:00:00Z", tick=False)
def test_it_lists_removals_and_refuses_them_without_confirmation(maple, importer, make_zip,
                                                                 imported):
    ri = do_preview_import(maple, make_zip(edit=_without_eli_and_class_p5), actor=importer)
    before = roster_snapshot()

    files = {f["file"]: f for f in ri.report["files"]}
    assert files["users.csv"]["removals"] == 1
    assert files["users.csv"]["removal_examples"] == ["student usr-s6"]
    assert files["classes.csv"]["removal_examples"] == ["Math 7 - Period 5"]
    # Ivy's enrollment ended in October already: nothing left to end.
    assert files["enrollments.csv"]["removals"] == 2
    with pytest.raises(RemovalsNotConfirmed) as exc:
        do_apply_import(ri, actor=importer)

    assert exc.value.count == ri.report["removals"] == 4
    assert roster_snapshot() == before
    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.PREVIEWED


@time_machine.travel("2026-11-20 12:00:00Z", tick=False)
def test_it_switches_off_rather_than_deletes_when_confirmed(maple, importer, make_zip,
                                                             imported):
    ri = do_preview_import(maple, make_zip(edit=_without_eli_and_class_p5), actor=importer)

    do_apply_import(ri, actor=importer, confirm_removals=True)

    eli = Student.objects.get(sourced_id="usr-s6")
    assert eli.enabled is False
    assert Enrollment.objects.get(student=eli).end_date.isoformat() == "2026-11-20"
    p5 = Section.objects.get(sourced_id="cls-m7-p5")
    assert p5.active is False
    assert TeacherAssignment.objects.get(section=p5).end_date.isoformat() == "2026-11-20"
    # The earlier end date stays as the SIS gave it.
    assert Enrollment.objects.get(sourced_id="enr-11").end_date.isoformat() == "2026-10-30"


def test_it_switches_things_back_on_when_they_return(maple, importer, make_zip, imported):
    ri = do_preview_import(maple, make_zip(edit=_without_eli_and_class_p5), actor=importer)
    do_apply_import(ri, actor=importer, confirm_removals=True)

    back = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    assert back.report["removals"] == 0
    do_apply_import(back, actor=importer)

    assert Student.objects.get(sourced_id="usr-s6").enabled is True
    assert Section.objects.get(sourced_id="cls-m7-p5").active is True
    assert Enrollment.objects.get(sourced_id="enr-10").end_date is None


def test_it_deactivates_a_teacher_who_left_but_keeps_her_account(maple, importer, make_zip,
                                                                  imported):
    def without_garcia(files: dict[str, Any]) -> None:
        _drop_rows("users.csv", "usr-t2,")(files)
        _drop_rows("enrollments.csv", "enr-6,", "enr-9,")(files)

    ri = do_preview_import(maple, make_zip(edit=without_garcia), actor=importer)
    do_apply_import(ri, actor=importer, confirm_removals=True)

    garcia = User.objects.get(sourced_id="usr-t2")
    assert garcia.is_active is False
    assert garcia.teacher_assignments.count() == 2


def test_it_does_not_ask_to_confirm_a_delta_s_explicit_deletions(maple, importer, make_zip,
                                                                 imported):
    def delete_leo(files: dict[str, Any]) -> None:
        files["users.csv"] = files["users.csv"].replace(b"usr-s7,tobedeleted",
                                                        b"usr-s2,tobedeleted")

    ri = do_preview_import(maple, make_zip("v1p1-delta", edit=delete_leo), actor=importer)
    assert ri.report["removals_to_confirm"] == 0

    do_apply_import(ri, actor=importer)

    assert Student.objects.get(sourced_id="usr-s2").enabled is False


def test_it_applies_an_import_only_once(maple, importer, make_zip, imported):
    from uptake.roster.actions import ImportNotApplicable

    with pytest.raises(ImportNotApplicable):
        do_apply_import(imported, actor=importer)
