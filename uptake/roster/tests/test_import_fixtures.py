"""Importing the shared OneRoster fixtures: what a coordinator expects to find afterwards."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.accounts.models import Role, RoleAssignment, User
from uptake.audit.models import AuditAction, AuditEvent
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    RosterImport,
    Section,
    Student,
    TeacherAssignment,
)
from uptake.roster.tests.conftest import roster_snapshot

pytestmark = pytest.mark.django_db


def _import(district: Any, path: Any, actor: Any, **kwargs: Any) -> RosterImport:
    ri = do_preview_import(district, path, actor=actor)
    assert ri.status == RosterImport.Status.PREVIEWED, ri.report["errors"]
    return do_apply_import(ri, actor=actor, **kwargs)


def _file(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in report["files"] if f["file"] == name)


def test_it_imports_the_1_1_bulk_fixture(maple, importer, make_zip):
    ri = _import(maple, make_zip("v1p1-bulk"), importer)

    assert ri.status == RosterImport.Status.APPLIED
    assert (ri.version, ri.mode) == ("1.1", "bulk")
    assert maple.schools.count() == 2
    assert AcademicSession.objects.filter(district=maple).count() == 3
    assert Course.objects.filter(district=maple).count() == 2
    assert Section.objects.filter(district=maple).count() == 3
    assert Student.objects.filter(district=maple).count() == 7
    # Three teachers and the administrator get accounts; the guardian does not.
    assert User.objects.filter(district=maple).exclude(sourced_id="").count() == 4
    assert not User.objects.filter(email="dana.brooks@example.com").exists()
    assert _file(ri.report, "users.csv")["ignored"] == 1
    maple.refresh_from_db()
    assert maple.sourced_id == "org-d1"


def test_it_keeps_the_co_teacher_as_a_secondary_teacher(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    teaching = TeacherAssignment.objects.filter(section__sourced_id="cls-3a")
    assert {(t.teacher.sourced_id, t.primary) for t in teaching} == {
        ("usr-t1", True), ("usr-t3", False)}
    patel = User.objects.get(sourced_id="usr-t3")
    assert set(RoleAssignment.objects.filter(user=patel).values_list(
        "role", "school__sourced_id")) == {(Role.TEACHER, "org-s1"), (Role.TEACHER, "org-s2")}
    assert not patel.has_usable_password()


def test_it_keeps_the_disabled_student_and_the_ended_enrollment(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    ivy = Student.objects.get(sourced_id="usr-s7")
    assert ivy.enabled is False
    enrollment = Enrollment.objects.get(student=ivy)
    assert enrollment.end_date.isoformat() == "2026-10-30"


def test_it_keeps_leading_zeros_and_awkward_names(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    assert Student.objects.get(sourced_id="usr-s1").grade == "03"
    assert Section.objects.get(sourced_id="cls-m7-p2").grades == "07"
    assert Student.objects.get(sourced_id="usr-s2").family_name == "O'Brien"
    assert Student.objects.get(sourced_id="usr-s5").family_name == "Smith, Jr."
    assert maple.schools.get(sourced_id="org-s2").name == "Birch Middle School, Campus A"
    terms = Section.objects.get(sourced_id="cls-m7-p2").terms.values_list("sourced_id",
                                                                             flat=True)
    assert sorted(terms) == ["as-s1-2027", "as-s2-2027"]


def test_it_maps_demographics_to_federal_categories(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    race = dict(Student.objects.values_list("sourced_id", "race_ethnicity"))
    assert race["usr-s1"] == "black"
    # Hispanic of any race is reported as Hispanic, two-or-more flag notwithstanding.
    assert race["usr-s3"] == "hispanic"
    assert race["usr-s4"] == "hispanic"
    assert race["usr-s6"] == "american_indian"
    assert Student.objects.get(sourced_id="usr-s1").sex == "female"
    # OneRoster has no equity flags; without vendor columns they stay unknown, not "no".
    assert Student.objects.get(sourced_id="usr-s1").english_learner is None


def test_it_makes_administrators_school_leaders_at_their_schools_only(maple, importer,
                                                                      make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    lead = User.objects.get(sourced_id="usr-a1")
    assert set(lead.roles.values_list("role", "school__sourced_id")) == {
        (Role.SCHOOL_LEADER, "org-s1"), (Role.SCHOOL_LEADER, "org-s2")}
    assert not lead.has_role(Role.COORDINATOR)


def test_it_imports_the_1_2_bulk_fixture_with_roles_csv(maple, importer, make_zip):
    ri = _import(maple, make_zip("v1p2-bulk"), importer)

    assert ri.version == "1.2"
    assert Student.objects.get(sourced_id="usr-s2").display_name == "Lee O'Brien"
    assert Student.objects.get(sourced_id="usr-s6").sex == "unspecified"
    assert User.objects.get(sourced_id="usr-t1").pronouns == "they/them"
    patel = User.objects.get(sourced_id="usr-t3")
    assert set(patel.roles.values_list("school__sourced_id", flat=True)) == {"org-s1", "org-s2"}
    # A district administrator gets an account but no role: roles are granted by people.
    admin = User.objects.get(sourced_id="usr-a1")
    assert admin.roles.count() == 0
    assert any("district-level administrator" in n for n in ri.report["notes"])


def test_it_applies_a_delta_after_a_bulk(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)
    ri = _import(maple, make_zip("v1p1-delta"), importer)

    assert ri.mode == "delta"
    ruby = Student.objects.get(sourced_id="usr-s8")
    assert ruby.grade == "07"
    assert Enrollment.objects.filter(student=ruby, section__sourced_id="cls-m7-p5").exists()
    # tobedeleted: Ivy stays on record, disabled; nothing is deleted.
    assert Student.objects.get(sourced_id="usr-s7").enabled is False
    assert Student.objects.filter(district=maple).count() == 8


def test_it_disables_a_student_marked_tobedeleted_in_a_delta(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)

    def delete_eli(files):
        files["users.csv"] = (
            files["users.csv"].decode().replace("usr-s7,tobedeleted", "usr-s6,tobedeleted")
            .replace("s700004,,Ivy,Johnson", "s700003,,Eli,Martin").encode())
        files["enrollments.csv"] = b"\n".join(files["enrollments.csv"].split(b"\n")[:2])
        return files

    ri = _import(maple, make_zip("v1p1-delta", edit=delete_eli), importer)

    assert ri.report["removals"] == 1
    assert Student.objects.get(sourced_id="usr-s6").enabled is False


def test_it_changes_nothing_when_the_same_bulk_is_imported_again(maple, importer, make_zip):
    _import(maple, make_zip("v1p1-bulk"), importer)
    before = roster_snapshot()

    again = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)

    assert again.report["changes"] == 0
    assert all(f["adds"] == f["updates"] == f["removals"] == 0 for f in again.report["files"])
    do_apply_import(again, actor=importer)
    assert roster_snapshot() == before


def test_it_saves_nothing_on_a_preview(maple, importer, make_zip):
    before = roster_snapshot()

    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)

    assert ri.status == RosterImport.Status.PREVIEWED
    assert _file(ri.report, "users.csv")["adds"] == 11
    assert _file(ri.report, "enrollments.csv")["adds"] == 11
    assert roster_snapshot() == before
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT_PREVIEWED).count() == 1


def test_it_audits_the_applied_import_with_counts(maple, importer, make_zip):
    ri = _import(maple, make_zip("v1p1-bulk"), importer)

    event = AuditEvent.objects.get(action=AuditAction.IMPORT_APPLIED)
    assert event.actor == importer
    assert event.object_id == str(ri.pk)
    assert event.details["files"]["users.csv"]["adds"] == 11
    assert "Dana" not in str(event.details)


def test_it_reads_equity_flags_from_vendor_columns(maple, importer, make_zip):
    def add_flags(files):
        lines = files["demographics.csv"].decode().splitlines()
        lines[0] += ",metadata.englishLearner,metadata.specialEducation,ext_vendor"
        lines[1] += ",true,false,x"
        for i in range(2, len(lines)):
            lines[i] += ",,,"
        files["demographics.csv"] = "\n".join(lines).encode()
        users = files["users.csv"].decode().splitlines()
        users[0] += ",metadata.economicallyDisadvantaged"
        users = [users[0]] + [u + (",TRUE" if "usr-s1," in u else ",") for u in users[1:]]
        files["users.csv"] = "\n".join(users).encode()

    _import(maple, make_zip(edit=add_flags), importer)

    ava = Student.objects.get(sourced_id="usr-s1")
    assert (ava.english_learner, ava.special_education, ava.economically_disadvantaged) == (
        True, False, True)
    assert Student.objects.get(sourced_id="usr-s2").english_learner is None


def test_it_adopts_a_school_and_a_teacher_typed_in_by_hand(world, make_zip):
    """The persona district already has Cedar (org-s1) and Jamie, created by hand."""
    from uptake.accounts.models import School

    jamie = world.people["teacher"]
    jamie.email = "jnguyen@maplevalley.example.org"
    jamie.save(update_fields=["email"])
    School.objects.filter(pk=world.birch.pk).update(sourced_id="",
                                                    name="Birch Middle School, Campus A")

    coordinator = world.people["coordinator"]
    ri = do_preview_import(world.district, make_zip("v1p1-bulk"), actor=coordinator)
    assert ri.status == RosterImport.Status.PREVIEWED, ri.report["errors"]
    # The persona classes and students are not in the export: bulk removal needs consent.
    do_apply_import(ri, actor=coordinator, confirm_removals=True)

    jamie.refresh_from_db()
    assert jamie.sourced_id == "usr-t1"
    assert jamie.roles.filter(role=Role.TEACHER).count() == 1
    assert world.district.schools.count() == 2
    assert world.district.schools.get(sourced_id="org-s2").pk == world.birch.pk
