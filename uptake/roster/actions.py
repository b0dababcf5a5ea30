"""Roster writes: check a OneRoster zip (dry run), then apply it atomically.

The one write path for rosters. ``do_preview_import`` stores the zip, checks it and
computes what would change; ``do_apply_import`` checks again against the database as it
is now and applies everything inside one transaction, or nothing. Both run at once, for
the command line. The pages use ``do_queue_import`` and ``do_queue_apply`` instead, which
save what was asked and queue the same work for the background worker
(``uptake.roster.tasks`` calls ``run_queued_check`` and ``run_queued_apply``): a
district's file takes about a minute, longer than a web request may.

Nothing is deleted. What a bulk file no longer lists (or a delta file marks
``tobedeleted``) is switched off: schools, sessions, courses and classes become
inactive, students are disabled, enrollments and teaching assignments end today, and
staff accounts are deactivated. History that inquiry cycles point at stays intact, and a
later import that lists them again switches them back on.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from uptake.accounts.models import District, Role, RoleAssignment, School, User
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.operations.faults import is_database_outage
from uptake.roster import oneroster as orr
from uptake.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    RosterImport,
    Section,
    Student,
    TeacherAssignment,
)
from uptake.rules import Conflict

logger = logging.getLogger(__name__)

BATCH = 1000
# SQLite allows 32766 bound variables per query on current builds; stay well below.
IN_CHUNK = 900
EXAMPLES = 20

# Sent (``district_id=``) inside the transaction of an applied import that changed the
# district's classes, students, their attributes or who is enrolled where: apps above
# whose figures rest on them mark those figures stale (the inquiry app's summaries).
roster_changed = Signal()


class RemovalsNotConfirmed(Conflict):
    """Applying would remove rows and the caller has not confirmed that."""

    def __init__(self, count: int, *, report: dict[str, Any] | None = None) -> None:
        self.count = count
        self.report = report  # what applying would now do, when known
        super().__init__(f"This import would remove {count} row(s); confirm the removals "
                         "to apply it.")


class ImportNotApplicable(Conflict):
    """The import was already applied, rejected or cancelled."""


# --------------------------------------------------------------------------------------
# Diffs
# --------------------------------------------------------------------------------------

Key = Any


@dataclass
class Existing:
    pk: int
    values: dict[str, Any]
    active: bool
    label: str


@dataclass
class Diff:
    """What one import changes in one table, keyed by sourcedId (or a pair of them)."""

    adds: dict[Key, dict[str, Any]] = field(default_factory=dict)
    updates: dict[Key, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    unchanged: int = 0
    removals: list[tuple[int, str]] = field(default_factory=list)
    already_gone: int = 0
    # Removals implied by a bulk file need the person's consent; tobedeleted rows are explicit.
    implied: bool = False

    @property
    def changes(self) -> int:
        return len(self.adds) + len(self.updates) + len(self.removals)


def _differs(want: dict[str, Any], have: dict[str, Any]) -> bool:
    return any(have.get(k) != v for k, v in want.items())


def diff(existing: dict[Key, Existing], desired: dict[Key, dict[str, Any]], *, mode: str,
         deleted: Iterable[Key] = ()) -> Diff:
    """Adds, updates, unchanged and removals between the database and the files."""
    out = Diff(implied=mode == "bulk")
    for key, want in desired.items():
        have = existing.get(key)
        if have is None:
            out.adds[key] = want
        elif _differs(want, have.values):
            out.updates[key] = (have.pk, want)
        else:
            out.unchanged += 1
    if mode == "bulk":
        gone: Iterable[Key] = (k for k in existing if k not in desired)
    else:
        gone = deleted
    for key in gone:
        have = existing.get(key)
        if have is None:
            out.already_gone += 1
        elif have.active:
            out.removals.append((have.pk, have.label))
    return out


# --------------------------------------------------------------------------------------
# The plan: every diff of one import, and the report a person reads
# --------------------------------------------------------------------------------------


@dataclass
class Plan:
    district: District
    roster: orr.Roster
    district_update: dict[str, str]
    schools: Diff | None = None
    sessions: Diff | None = None
    courses: Diff | None = None
    sections: Diff | None = None
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    staff: Diff | None = None
    roles: list[tuple[str, str, str]] = field(default_factory=list)
    staff_pks: dict[str, int] = field(default_factory=dict)
    students: Diff | None = None
    demographics: Diff | None = None
    student_writes: Diff | None = None
    enrollments: Diff | None = None
    teaching: Diff | None = None

    @property
    def removal_count(self) -> int:
        return sum(len(d.removals) for d in self._diffs() if d is not None)

    @property
    def implied_removal_count(self) -> int:
        """Removals only because a bulk file no longer lists something."""
        return sum(len(d.removals) for d in self._diffs() if d is not None and d.implied)

    @property
    def change_count(self) -> int:
        return (sum(d.changes for d in self._diffs() if d is not None) + len(self.roles)
                + (1 if self.district_update else 0))

    def _diffs(self) -> list[Diff | None]:
        return [self.schools, self.sessions, self.courses, self.sections, self.staff,
                self.students, self.demographics, self.enrollments, self.teaching]

    def report(self) -> dict[str, Any]:
        files = []
        per_file = {
            "orgs": [self.schools], "academicSessions": [self.sessions],
            "courses": [self.courses], "classes": [self.sections],
            "users": [self.staff, self.students], "roles": [],
            "demographics": [self.demographics],
            "enrollments": [self.enrollments, self.teaching],
        }
        for key in orr.FILE_ORDER:
            if key not in self.roster.modes:
                continue
            diffs = [d for d in per_file[key] if d is not None]
            removals = [label for d in diffs for _pk, label in d.removals]
            line: dict[str, Any] = {
                "file": f"{key}.csv", "mode": self.roster.modes[key],
                "rows": len(self.roster.rows.get(key, [])),
                "adds": sum(len(d.adds) for d in diffs),
                "updates": sum(len(d.updates) for d in diffs),
                "unchanged": sum(d.unchanged for d in diffs),
                "removals": len(removals),
                "ignored": self.roster.ignored.get(key, 0),
                "removal_examples": sorted(removals)[:EXAMPLES],
            }
            if key == "orgs" and self.district_update:
                line["updates"] += 1
            if key == "roles":
                line["adds"] = len(self.roles)
            files.append(line)
        notes = list(self.roster.notes)
        if self.roles:
            notes.append(f"{len(self.roles)} school role(s) will be granted to teachers and "
                         "school leaders.")
        gone = sum(d.already_gone for d in self._diffs() if d is not None)
        if gone:
            notes.append(f"{gone} tobedeleted row(s) name something Uptake does not have; "
                         "nothing to do for them.")
        return {"version": self.roster.version, "mode": self.roster.mode, "files": files,
                "notes": notes, "errors": [], "errors_truncated": False,
                "changes": self.change_count, "removals": self.removal_count,
                "removals_to_confirm": self.implied_removal_count}


# --------------------------------------------------------------------------------------
# Reading what the district already has
# --------------------------------------------------------------------------------------


def _context(district: District) -> orr.Context:
    ctx = orr.Context(orr.Target(district.name, district.sourced_id, district.identifier))
    if district.sourced_id:
        ctx.orgs[district.sourced_id] = "district"
    for sid in School.objects.filter(district=district).exclude(sourced_id="").values_list(
            "sourced_id", flat=True):
        ctx.orgs[sid] = "school"
    ctx.sessions = set(AcademicSession.objects.filter(district=district)
                       .values_list("sourced_id", flat=True))
    ctx.courses = set(Course.objects.filter(district=district).values_list("sourced_id",
                                                                           flat=True))
    ctx.classes = set(Section.objects.filter(district=district).values_list("sourced_id",
                                                                            flat=True))
    for sid in Student.objects.filter(district=district).values_list("sourced_id", flat=True):
        ctx.users[sid] = "student"
    for sid in User.objects.filter(district=district).exclude(sourced_id="").values_list(
            "sourced_id", flat=True):
        ctx.users[sid] = "staff"
    return ctx


def _existing(qs: models.QuerySet[Any], fields: dict[str, str], *,
              key: Callable[[dict[str, Any]], Key],
              active: Callable[[dict[str, Any]], bool], label: Callable[[dict[str, Any]], str]
              ) -> dict[Key, Existing]:
    """Rows as {key: Existing}; ``fields`` maps our names to ORM lookups."""
    out: dict[Key, Existing] = {}
    lookups = list(fields.values())
    for row in qs.values("pk", *lookups).iterator(chunk_size=5000):
        values = {name: row[lookup] for name, lookup in fields.items()}
        out[key(values)] = Existing(row["pk"], values, active(values), label(values))
    return out


def _none_if_blank(value: str) -> str | None:
    return value or None


# --------------------------------------------------------------------------------------
# Desired state per table
# --------------------------------------------------------------------------------------


def _plan_orgs(plan: Plan) -> None:
    roster, district = plan.roster, plan.district
    org = roster.district_org
    if org is not None:
        if not district.sourced_id:
            plan.district_update["sourced_id"] = org.sourcedId
        if not district.identifier and org.identifier:
            plan.district_update["identifier"] = org.identifier
    if "orgs" not in roster.modes:
        return
    fields = {"sourced_id": "sourced_id", "name": "name", "identifier": "identifier",
              "active": "active"}
    existing = _existing(School.objects.filter(district=district), fields,
                         key=lambda v: v["sourced_id"] or ("name", v["name"].casefold()),
                         active=lambda v: v["active"], label=lambda v: v["name"])
    desired: dict[Key, dict[str, Any]] = {}
    deleted = []
    for r in roster.rows["orgs"]:
        if r.type != "school":
            continue
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        want = {"sourced_id": r.sourcedId, "name": r.name, "identifier": r.identifier,
                "active": True}
        unlinked = ("name", r.name.casefold())
        if r.sourcedId not in existing and unlinked in existing:
            # A school a coordinator typed in by hand: adopt it rather than duplicate it.
            existing[r.sourcedId] = existing.pop(unlinked)
        desired[r.sourcedId] = want
    if roster.modes["orgs"] == "bulk":
        # Hand-made schools the export does not mention are not the SIS's to switch off.
        existing = {k: v for k, v in existing.items() if isinstance(k, str)}
    plan.schools = diff(existing, desired, mode=roster.modes["orgs"], deleted=deleted)


def _plan_sessions(plan: Plan) -> None:
    if "academicSessions" not in plan.roster.modes:
        return
    fields = {"sourced_id": "sourced_id", "title": "title", "type": "type",
              "start_date": "start_date", "end_date": "end_date",
              "parent": "parent__sourced_id", "school_year": "school_year", "active": "active"}
    existing = _existing(AcademicSession.objects.filter(district=plan.district), fields,
                         key=lambda v: v["sourced_id"], active=lambda v: v["active"],
                         label=lambda v: v["title"])
    desired, deleted = {}, []
    for r in plan.roster.rows["academicSessions"]:
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        desired[r.sourcedId] = {"title": r.title, "type": r.type, "start_date": r.startDate,
                                "end_date": r.endDate, "parent": _none_if_blank(r.parentSourcedId),
                                "school_year": r.schoolYear, "active": True}
    plan.sessions = diff(existing, desired, mode=plan.roster.modes["academicSessions"],
                         deleted=deleted)


def _school_or_none(org_types: dict[str, str], sid: str) -> str | None:
    return sid if org_types.get(sid) == "school" else None


def _org_types(plan: Plan) -> dict[str, str]:
    types = dict(_context_orgs(plan.district))
    for r in plan.roster.rows.get("orgs", []):
        types[r.sourcedId] = r.type
    return types


def _context_orgs(district: District) -> Iterable[tuple[str, str]]:
    for sid in School.objects.filter(district=district).exclude(sourced_id="").values_list(
            "sourced_id", flat=True):
        yield sid, "school"


def _plan_courses(plan: Plan, org_types: dict[str, str]) -> None:
    if "courses" not in plan.roster.modes:
        return
    fields = {"sourced_id": "sourced_id", "title": "title", "course_code": "course_code",
              "grades": "grades", "subjects": "subjects", "school": "school__sourced_id",
              "school_year": "school_year__sourced_id", "active": "active"}
    existing = _existing(Course.objects.filter(district=plan.district), fields,
                         key=lambda v: v["sourced_id"], active=lambda v: v["active"],
                         label=lambda v: v["title"])
    desired, deleted = {}, []
    for r in plan.roster.rows["courses"]:
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        desired[r.sourcedId] = {
            "title": r.title, "course_code": r.courseCode, "grades": r.grades,
            "subjects": r.subjects, "school": _school_or_none(org_types, r.orgSourcedId),
            "school_year": _none_if_blank(r.schoolYearSourcedId), "active": True}
    plan.courses = diff(existing, desired, mode=plan.roster.modes["courses"], deleted=deleted)


def _plan_sections(plan: Plan) -> None:
    if "classes" not in plan.roster.modes:
        return
    fields = {"sourced_id": "sourced_id", "title": "title", "class_code": "class_code",
              "class_type": "class_type", "location": "location", "grades": "grades",
              "subjects": "subjects", "periods": "periods", "school": "school__sourced_id",
              "course": "course__sourced_id", "active": "active"}
    existing = _existing(Section.objects.filter(district=plan.district), fields,
                         key=lambda v: v["sourced_id"], active=lambda v: v["active"],
                         label=lambda v: v["title"])
    terms: dict[str, list[str]] = defaultdict(list)
    through = Section.terms.through.objects.filter(section__district=plan.district)
    for sec, term in through.values_list("section__sourced_id", "academicsession__sourced_id"):
        terms[sec].append(term)
    for sid, have in existing.items():
        have.values["terms"] = tuple(sorted(terms.get(sid, ())))
    desired, deleted = {}, []
    for r in plan.roster.rows["classes"]:
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        desired[r.sourcedId] = {
            "title": r.title, "class_code": r.classCode, "class_type": r.classType,
            "location": r.location, "grades": r.grades, "subjects": r.subjects,
            "periods": r.periods, "school": r.schoolSourcedId, "course": r.courseSourcedId,
            "active": True, "terms": tuple(sorted(set(r.termSourcedIds)))}
    plan.sections = diff(existing, desired, mode=plan.roster.modes["classes"], deleted=deleted)


def _placeholder_email(district: District, sourced_id: str) -> str:
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", sourced_id).strip(".-")[:40] or "staff"
    return f"{local}.{district.slug}@roster.invalid"


def _plan_staff(plan: Plan, errors: orr.Errors) -> None:
    roster = plan.roster
    if "users" not in roster.modes:
        return
    fields = {"sourced_id": "sourced_id", "first_name": "first_name",
              "last_name": "last_name", "email": "email",
              "staff_identifier": "staff_identifier", "pronouns": "pronouns",
              "is_active": "is_active"}
    existing = _existing(User.objects.filter(district=plan.district).exclude(sourced_id=""),
                         fields, key=lambda v: v["sourced_id"],
                         active=lambda v: v["is_active"],
                         label=lambda v: f"{v['first_name']} {v['last_name']} ({v['email']})")
    desired: dict[Key, dict[str, Any]] = {}
    deleted, rows = [], {}
    with_pronouns = roster.version == "1.2"
    for r in roster.rows["users"]:
        if roster.user_kinds.get(r.sourcedId) not in {"teacher", "leader", "account"}:
            continue
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        want = {"sourced_id": r.sourcedId, "first_name": r.givenName,
                "last_name": r.familyName, "staff_identifier": r.identifier,
                "email": (r.email or _placeholder_email(plan.district, r.sourcedId)).lower(),
                "is_active": r.enabledUser}
        if with_pronouns:
            want["pronouns"] = r.pronouns
        desired[r.sourcedId] = want
        rows[r.sourcedId] = r.row
    _link_staff_by_email(plan.district, existing, desired, rows, errors)
    plan.staff_pks = {sid: have.pk for sid, have in existing.items()}
    plan.staff = diff(existing, desired, mode=roster.modes["users"], deleted=deleted)


def _link_staff_by_email(district: District, existing: dict[Key, Existing],
                         desired: dict[Key, dict[str, Any]], rows: dict[str, int],
                         errors: orr.Errors) -> None:
    """Adopt hand-made accounts with the same email; refuse emails owned elsewhere."""
    by_email = {want["email"]: sid for sid, want in desired.items()}
    emails = list(by_email)
    for start in range(0, len(emails), IN_CHUNK):
        chunk = emails[start:start + IN_CHUNK]
        for user in User.objects.filter(email__in=chunk).values(
                "pk", "email", "district_id", "sourced_id", "first_name", "last_name",
                "staff_identifier", "pronouns", "is_active"):
            sid = by_email[user["email"]]
            if user["sourced_id"] == sid and user["district_id"] == district.pk:
                continue
            row = rows[sid]
            if user["district_id"] != district.pk:
                errors.add("users.csv", row, "email", (
                    f"{user['email']} already belongs to an account outside this district"))
            elif user["sourced_id"]:
                errors.add("users.csv", row, "email", (
                    f"{user['email']} already belongs to another person in Uptake "
                    f"(sourcedId {user['sourced_id']!r})"))
            elif sid not in existing:
                values = {k: user[k] for k in ("first_name", "last_name", "email",
                                               "staff_identifier", "pronouns", "is_active")}
                values["sourced_id"] = ""
                existing[sid] = Existing(user["pk"], values, user["is_active"], user["email"])


def _plan_roles(plan: Plan, org_types: dict[str, str]) -> None:
    roster = plan.roster
    if "users" not in roster.modes and "roles" not in roster.modes:
        return
    # Keyed by the account, so that accounts adopted by email count as already holding.
    sid_of = {pk: sid for sid, pk in plan.staff_pks.items()}
    have = {(sid_of.get(user_id, sourced_id), role, school)
            for user_id, sourced_id, role, school in RoleAssignment.objects.filter(
                district=plan.district, school__isnull=False).values_list(
                "user_id", "user__sourced_id", "role", "school__sourced_id")}
    wanted: set[tuple[str, str, str]] = set()
    for sid, held in roster.user_roles.items():
        kind = roster.user_kinds.get(sid)
        if kind not in {"teacher", "leader", "account"}:
            continue
        for role, org in held:
            if org_types.get(org) != "school":
                continue
            if role == "teacher":
                wanted.add((sid, Role.TEACHER, org))
            elif role in orr.STAFF_LEADER_ROLES:
                wanted.add((sid, Role.SCHOOL_LEADER, org))
    deleted = {r.sourcedId for r in roster.rows.get("users", []) if r.status == "tobedeleted"}
    plan.roles = sorted(w for w in wanted - have if w[0] not in deleted)


def _student_school(r: Any, roster: orr.Roster, org_types: dict[str, str]) -> str | None:
    candidates = [r.primaryOrgSourcedId] if r.primaryOrgSourcedId else []
    candidates += [org for _role, org in roster.user_roles.get(r.sourcedId, [])]
    for org in candidates:
        if org_types.get(org) == "school":
            return str(org)
    return None


_STUDENT_FIELDS = {"sourced_id": "sourced_id", "school": "school__sourced_id",
                   "given_name": "given_name", "family_name": "family_name",
                   "preferred_name": "preferred_name", "grade": "grade", "enabled": "enabled",
                   "sex": "sex", "race_ethnicity": "race_ethnicity",
                   "english_learner": "english_learner",
                   "special_education": "special_education",
                   "economically_disadvantaged": "economically_disadvantaged"}


def _plan_students(plan: Plan, org_types: dict[str, str]) -> None:
    roster = plan.roster
    if "users" not in roster.modes and "demographics" not in roster.modes:
        return
    existing = _existing(Student.objects.filter(district=plan.district), _STUDENT_FIELDS,
                         key=lambda v: v["sourced_id"], active=lambda v: v["enabled"],
                         # Reports are kept; they name students by sourcedId only.
                         label=lambda v: f"student {v['sourced_id']}")
    from_users, deleted = _student_user_fields(roster, org_types)
    from_demo = _student_demo_fields(roster)
    writes = Diff()
    if "users" in roster.modes:
        plan.students = diff(existing, from_users, mode=roster.modes["users"], deleted=deleted)
        writes.adds = {sid: {**want, **from_demo.get(sid, {})}
                       for sid, want in plan.students.adds.items()}
        writes.updates = {sid: (pk, {**want, **from_demo.get(sid, {})})
                          for sid, (pk, want) in plan.students.updates.items()}
        writes.removals = plan.students.removals
    if "demographics" in roster.modes:
        # Reported on its own line, written together with the users' fields.
        plan.demographics = diff(existing, {sid: want for sid, want in from_demo.items()
                                            if sid in existing or sid in from_users},
                                 mode="delta")
        for sid, (pk, want) in plan.demographics.updates.items():
            if sid not in writes.updates:
                writes.updates[sid] = (pk, want)
    plan.student_writes = writes


def _student_user_fields(roster: orr.Roster, org_types: dict[str, str]
                         ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    desired: dict[str, dict[str, Any]] = {}
    deleted: list[str] = []
    for r in roster.rows.get("users", []):
        if roster.user_kinds.get(r.sourcedId) != "student":
            continue
        if r.status == "tobedeleted":
            deleted.append(r.sourcedId)
            continue
        want = {"sourced_id": r.sourcedId, "school": _student_school(r, roster, org_types),
                "given_name": r.givenName, "family_name": r.familyName,
                "preferred_name": r.preferredGivenName,
                "grade": r.grades.split(",")[0] if r.grades else "",
                "enabled": r.enabledUser}
        want.update(r.equity)
        desired[r.sourcedId] = want
    return desired, deleted


def _student_demo_fields(roster: orr.Roster) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in roster.rows.get("demographics", []):
        if r.status == "tobedeleted":
            # Deleting demographics means: we no longer know them.
            out[r.sourcedId] = {"sex": Student.Sex.UNSPECIFIED, "race_ethnicity": ""}
            continue
        want: dict[str, Any] = {"sex": r.sex or Student.Sex.UNSPECIFIED,
                                "race_ethnicity": orr.race_ethnicity(r)}
        want.update(r.equity)
        out[r.sourcedId] = want
    return out


def _plan_enrollments(plan: Plan) -> None:
    roster = plan.roster
    if "enrollments" not in roster.modes:
        return
    mode = roster.modes["enrollments"]
    today = timezone.localdate()

    def is_open(v: dict[str, Any]) -> bool:
        return v["end_date"] is None or v["end_date"] >= today

    sid_of = {pk: sid for sid, pk in plan.staff_pks.items()}
    existing_students = _existing(
        Enrollment.objects.filter(section__district=plan.district),
        {"section": "section__sourced_id", "student": "student__sourced_id",
         "sourced_id": "sourced_id", "begin_date": "begin_date", "end_date": "end_date"},
        key=lambda v: (v["section"], v["student"]), active=is_open,
        label=lambda v: f"{v['student']} in {v['section']}")
    existing_teachers = _existing(
        TeacherAssignment.objects.filter(section__district=plan.district),
        {"section": "section__sourced_id", "teacher": "teacher__sourced_id",
         "teacher_pk": "teacher_id", "teacher_email": "teacher__email",
         "sourced_id": "sourced_id", "primary": "primary",
         "begin_date": "begin_date", "end_date": "end_date"},
        # By account, so that an account adopted by email keeps its assignments.
        key=lambda v: (v["section"], sid_of.get(v["teacher_pk"], v["teacher"])), active=is_open,
        label=lambda v: f"{v['teacher_email']} teaching {v['section']}")
    students: dict[Key, dict[str, Any]] = {}
    teachers: dict[Key, dict[str, Any]] = {}
    gone_students: list[Key] = []
    gone_teachers: list[Key] = []
    for r in roster.rows["enrollments"]:
        key = (r.classSourcedId, r.userSourcedId)
        if r.role == "student":
            target, gone = students, gone_students
            want = {"sourced_id": r.sourcedId, "begin_date": r.beginDate,
                    "end_date": r.endDate}
        elif r.role == "teacher":
            target, gone = teachers, gone_teachers
            want = {"sourced_id": r.sourcedId, "primary": bool(r.primary),
                    "begin_date": r.beginDate, "end_date": r.endDate}
        else:
            continue
        if r.status == "tobedeleted":
            gone.append(key)
        else:
            target[key] = want
    plan.enrollments = diff(existing_students, students, mode=mode, deleted=gone_students)
    plan.teaching = diff(existing_teachers, teachers, mode=mode, deleted=gone_teachers)


def build_plan(district: District, roster: orr.Roster) -> Plan:
    """Compare the checked roster with the database. Raises RosterInvalid on conflicts."""
    plan = Plan(district=district, roster=roster, district_update={})
    errors = orr.Errors()
    try:
        _plan_orgs(plan)
        org_types = _org_types(plan)
        _plan_sessions(plan)
        _plan_courses(plan, org_types)
        _plan_sections(plan)
        _plan_staff(plan, errors)
        _plan_roles(plan, org_types)
        _plan_students(plan, org_types)
        _plan_enrollments(plan)
    except orr._TooManyErrors:
        pass
    errors.raise_if_any()
    return plan


# --------------------------------------------------------------------------------------
# Applying a plan
# --------------------------------------------------------------------------------------


def _pk_map(qs: models.QuerySet[Any]) -> dict[str, int]:
    return dict(qs.values_list("sourced_id", "pk"))


def _resolve(want: dict[str, Any], maps: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Turn sourcedId references into primary keys (``school`` -> ``school_id``)."""
    out = {}
    for name, value in want.items():
        if name in maps:
            out[f"{name}_id"] = maps[name][value] if value is not None else None
        elif name != "terms":
            out[name] = value
    return out


def _write(model: type[models.Model], d: Diff, maps: dict[str, dict[str, int]],
           fixed: dict[str, Any], removal: dict[str, Any], *,
           build: Callable[[dict[str, Any]], models.Model] | None = None) -> None:
    """Adds, updates and removals of one table.

    Adds go through ``build`` + bulk_create when a model needs Python-side construction
    (accounts: password hashing); otherwise as plain rows, with field defaults filled in.
    """
    if build is not None:
        new = [build({**fixed, "sourced_id": key, **_resolve(want, maps)})
               for key, want in d.adds.items()]
        model.objects.bulk_create(new, batch_size=BATCH)  # type: ignore[attr-defined]
    elif d.adds:
        _insert_new(model, d, maps, fixed)
    _update(model, d, maps)
    pks = [pk for pk, _label in d.removals]
    for start in range(0, len(pks), IN_CHUNK):
        model.objects.filter(pk__in=pks[start:start + IN_CHUNK]).update(  # type: ignore[attr-defined]
            **removal)


def _insert_new(model: type[models.Model], d: Diff, maps: dict[str, dict[str, int]],
                fixed: dict[str, Any]) -> None:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    base = {(f"{k}_id" if isinstance(v, models.Model) else k):
            (v.pk if isinstance(v, models.Model) else v) for k, v in fixed.items()}

    def rows() -> Iterable[tuple[Any, ...]]:
        for key, want in d.adds.items():
            values = {**base, "sourced_id": key, **_resolve(want, maps)}
            yield tuple(values[n] if n in values else f.get_default()
                        for n, f in zip(names, fields, strict=True))

    _insert_rows(model, names, rows())


def _update(model: type[models.Model], d: Diff, maps: dict[str, dict[str, int]]) -> None:
    groups: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
    for pk, want in d.updates.values():
        values = _resolve(want, maps)
        groups[tuple(sorted(values))].append(model(pk=pk, **values))
    for names, objs in groups.items():
        if names:
            model.objects.bulk_update(objs, list(names), batch_size=BATCH)  # type: ignore[attr-defined]


def execute(plan: Plan) -> None:
    """Write the plan. Call inside transaction.atomic()."""
    district = plan.district
    today = timezone.localdate()
    if plan.district_update:
        for name, value in plan.district_update.items():
            setattr(district, name, value)
        district.save(update_fields=list(plan.district_update))
    scope = {"district": district}
    if plan.schools:
        _write(School, plan.schools, {}, scope, {"active": False})
    schools = _pk_map(School.objects.filter(district=district).exclude(sourced_id=""))
    if plan.sessions:
        _write_sessions(plan.sessions, district)
    sessions = _pk_map(AcademicSession.objects.filter(district=district))
    if plan.courses:
        _write(Course, plan.courses, {"school": schools, "school_year": sessions}, scope,
               {"active": False})
    courses = _pk_map(Course.objects.filter(district=district))
    if plan.sections:
        _write(Section, plan.sections, {"school": schools, "course": courses}, scope,
               {"active": False})
        _write_terms(plan.sections, _pk_map(Section.objects.filter(district=district)),
                     sessions)
    if plan.staff:
        _write(User, plan.staff, {}, scope, {"is_active": False}, build=_new_staff)
    staff = _pk_map(User.objects.filter(district=district).exclude(sourced_id=""))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=staff[sid], district=district, school_id=schools[school],
                        role=role) for sid, role, school in plan.roles], batch_size=BATCH)
    if plan.student_writes:
        _write(Student, plan.student_writes, {"school": schools}, scope, {"enabled": False})
    _write_enrollments(plan, district, today)


def _new_staff(values: dict[str, Any]) -> models.Model:
    # Imported staff sign in through SSO or a password reset, never a password we chose.
    return User(password=make_password(None), **values)


def _write_sessions(d: Diff, district: District) -> None:
    parents = {sid: want.get("parent") for sid, want in d.adds.items()}
    _write(AcademicSession, Diff(adds={k: {**v, "parent": None} for k, v in d.adds.items()}),
           {"parent": {}}, {"district": district}, {})
    sessions = _pk_map(AcademicSession.objects.filter(district=district))
    with_parent = Diff(updates={sid: (sessions[sid], {"parent": parent})
                                for sid, parent in parents.items() if parent})
    _update(AcademicSession, with_parent, {"parent": sessions})
    _write(AcademicSession, Diff(updates=d.updates, removals=d.removals), {"parent": sessions},
           {"district": district}, {"active": False})


def _write_terms(d: Diff, sections: dict[str, int], sessions: dict[str, int]) -> None:
    through = Section.terms.through
    changed = {**{sid: want for sid, want in d.adds.items()},
               **{sid: want for sid, (_pk, want) in d.updates.items()}}
    pks = [sections[sid] for sid in changed]
    for start in range(0, len(pks), IN_CHUNK):
        through.objects.filter(section_id__in=pks[start:start + IN_CHUNK]).delete()
    through.objects.bulk_create(
        [through(section_id=sections[sid], academicsession_id=sessions[term])
         for sid, want in changed.items() for term in want["terms"]], batch_size=BATCH)


def _write_enrollments(plan: Plan, district: District, today: Any) -> None:
    if plan.enrollments is None and plan.teaching is None:
        return
    sections = _pk_map(Section.objects.filter(district=district))
    if plan.enrollments:
        students = _pk_map(Student.objects.filter(district=district))
        _write_pairs(Enrollment, plan.enrollments, "student", sections, students, today)
    if plan.teaching:
        staff = _pk_map(User.objects.filter(district=district).exclude(sourced_id=""))
        _write_pairs(TeacherAssignment, plan.teaching, "teacher", sections, staff, today)


def _write_pairs(model: type[models.Model], d: Diff, person: str, sections: dict[str, int],
                 people: dict[str, int], today: Any) -> None:
    if d.adds:
        names = ["section_id", f"{person}_id", *next(iter(d.adds.values()))]
        _insert_rows(model, names, (
            (sections[sec], people[who], *want.values()) for (sec, who), want in d.adds.items()))
    _update(model, Diff(updates=d.updates), {})
    pks = [pk for pk, _label in d.removals]
    for start in range(0, len(pks), IN_CHUNK):
        model.objects.filter(pk__in=pks[start:start + IN_CHUNK]).update(  # type: ignore[attr-defined]
            end_date=today)


def _insert_rows(model: type[models.Model], names: list[str],
                 rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT plain rows (values in ``names`` order) with executemany, in batches.

    Enrollments run to hundreds of thousands per district; building a model object per
    row made bulk_create spend most of an import's time in Model.__init__. No signals
    fire; values must be ready for the database (dates are adapted; there must be no
    datetimes). ``_insert_new`` fills in Python-side defaults such as pseudonyms.
    """
    fields: list[Any] = [model._meta.get_field(name) for name in names]  # attnames work too
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - names from the model
    # Only dates need adapting (SQLite stores text); ints, text and booleans pass as they are.
    dates = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
    adapt = connection.ops.adapt_datefield_value
    batch: list[Any] = []
    with connection.cursor() as cursor:
        for row in rows:
            if dates:
                values = list(row)
                for i in dates:
                    values[i] = adapt(values[i])
                row = tuple(values)
            batch.append(row)
            if len(batch) >= BATCH * 10:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


# --------------------------------------------------------------------------------------
# The actions
# --------------------------------------------------------------------------------------


def _check(district: District, source: IO[bytes] | str) -> Plan:
    district = District.objects.get(pk=district.pk)  # the sourcedId may have just been set
    roster = orr.read_oneroster_zip(source, _context(district),
                                    max_uncompressed=settings.ROSTER_MAX_UNCOMPRESSED_BYTES)
    return build_plan(district, roster)


def _rejected_report(exc: orr.RosterInvalid) -> dict[str, Any]:
    return {"version": "", "mode": "", "files": [], "notes": [],
            "errors": [e.as_dict() for e in exc.errors], "errors_truncated": exc.truncated,
            "changes": 0, "removals": 0, "removals_to_confirm": 0}


def _actor_label(actor: User | None) -> str:
    return actor.email if actor is not None else "uptake import-roster (command line)"


# What the coordinator reads on the import's page when a step ends otherwise than asked.
CHECK_FAILED = ("Checking this file stopped because of an error in Uptake, not in your file. "
                "Nothing was changed. Upload the file again; if this happens again, tell "
                "whoever runs Uptake (the error is in the server's log).")
APPLY_FAILED = ("Applying this file stopped because of an error in Uptake. Nothing was "
                "changed: an import applies completely or not at all. Upload the file again "
                "and apply it; if this happens again, tell whoever runs Uptake (the error is "
                "in the server's log).")
APPLY_INTERRUPTED = ("The connection to Uptake's database dropped while applying this file. "
                     "Nothing was saved: an import applies completely or not at all. Apply "
                     "it again; if this happens again, tell whoever runs Uptake.")
NOT_QUEUED = ("Uptake could not hand this file to its background worker. Nothing was "
              "changed. Upload the file again; if this happens again, tell whoever runs "
              "Uptake (the error is in the server's log).")
DATA_MOVED_ON = ("The district's data changed since this file was checked, and it no longer "
                 "fits. Nothing was changed; see the problems below.")


def _removals_now(count: int) -> str:
    return (f"The district's data changed since this file was checked: applying it now "
            f"switches off {count:,} row(s). Nothing was changed. Check the removals below, "
            "tick the box to confirm, and apply again, or fix the export.")


def do_preview_import(district: District, uploaded: Any, *, actor: User | None,
                      file_name: str = "") -> RosterImport:
    """Store the zip, check it now, and record what applying it would change.

    For the command line, the demo and benchmarks. The upload page queues the same check
    (``do_queue_import``), because a district's file takes longer than a request may.
    """
    ri = _store(district, uploaded, actor=actor, file_name=file_name,
                status=RosterImport.Status.CHECKING)
    if ri.status == RosterImport.Status.REJECTED:
        return ri
    with _failing(ri, CHECK_FAILED):
        return _run_check(ri, actor)


def do_queue_import(district: District, uploaded: Any, *, actor: User,
                    file_name: str = "") -> RosterImport:
    """Store the zip and queue its check; the import's page shows the report once done.

    The row and the file are saved together; the check is queued only once they are
    committed, so that the worker always finds them.
    """
    return _store(district, uploaded, actor=actor, file_name=file_name,
                  status=RosterImport.Status.QUEUED,
                  then=partial(_enqueue_check, actor_id=actor.pk))


def run_queued_check(import_id: int, *, actor_id: int | None) -> RosterImport | None:
    """The background half of ``do_queue_import``: check a queued upload.

    ``actor_id`` is the coordinator who uploaded it (the audit event is hers). Returns
    None, doing nothing, when the import is no longer waiting (it was cancelled). An
    unexpected error marks the import failed, drops its zip and is raised again.
    """
    if not _claim(import_id, RosterImport.Status.QUEUED, RosterImport.Status.CHECKING):
        return None
    ri = RosterImport.objects.select_related("district").get(pk=import_id)
    with _failing(ri, CHECK_FAILED):
        return _run_check(ri, _user(actor_id))


def _user(actor_id: int | None) -> User | None:
    return None if actor_id is None else User.objects.get(pk=actor_id)


def _store(district: District, uploaded: Any, *, actor: User | None, file_name: str,
           status: str, then: Callable[[int], None] | None = None) -> RosterImport:
    """Save the zip and its import row together (or reject a file over the size limit).

    ``then(import_id)`` runs once they are committed.
    """
    name = file_name or Path(getattr(uploaded, "name", str(uploaded))).name
    with _open(uploaded) as fh:
        digest, size = _sha256(fh)
        ri = RosterImport(district=district, uploaded_by=actor, file_name=name[:255],
                          sha256=digest, status=status, queued_at=timezone.now())
        if size > settings.ROSTER_MAX_UPLOAD_BYTES:
            return _reject(ri, orr.RosterInvalid([orr.RosterError(name, None, "", (
                f"is {size:,} bytes; the most this server accepts is "
                f"{settings.ROSTER_MAX_UPLOAD_BYTES:,} (ROSTER_MAX_UPLOAD_BYTES)"))]), actor)
        fh.seek(0)
        try:
            with transaction.atomic():
                ri.stored_file.save(f"{district.slug}.zip", File(fh), save=False)
                ri.save()
                if then is not None:
                    transaction.on_commit(partial(then, ri.pk))
        except BaseException:
            _discard_zip(ri)  # the row was rolled back; the file would be nobody's
            raise
    return ri


def _run_check(ri: RosterImport, actor: User | None) -> RosterImport:
    try:
        with ri.stored_file.open("rb") as stored:
            plan = _check(ri.district, stored)
    except orr.RosterInvalid as exc:
        return _reject(ri, exc, actor)
    ri.version, ri.mode = plan.roster.version, plan.roster.mode
    ri.report = plan.report()
    ri.status = RosterImport.Status.PREVIEWED
    ri.message = ""
    with transaction.atomic():
        ri.save()
        record(AuditAction.IMPORT_PREVIEWED, actor=actor, district=ri.district, obj=ri,
               actor_label=_actor_label(actor),
               summary=f"Checked roster {ri.file_name}: {ri.report['changes']} change(s), "
                       f"{ri.report['removals']} removal(s)",
               details=_counts(ri.report))
    return ri


def _claim(import_id: int, waiting: str, running: str) -> bool:
    """Move the import from ``waiting`` to ``running`` unless someone else did first.

    One conditional UPDATE, committed at once: whoever wins runs the step, and a cancel
    that came first makes every later claim fail. No lock is held while the step runs.
    """
    return RosterImport.objects.filter(pk=import_id, status=waiting).update(status=running) == 1


@contextmanager
def _failing(ri: RosterImport, message: str, *, retry: bool = False) -> Iterator[None]:
    """Mark the import failed when what runs inside breaks unexpectedly, then re-raise.

    Problems in the file (``RosterInvalid``) and removals to confirm are outcomes, not
    failures. Anything else, even a worker told to stop mid-step, fails the import; the
    transaction around an apply has been rolled back by then, so nothing is half-applied.
    With ``retry`` (an apply), a dropped database connection is weather, not a fault of
    the file: the import goes back to checked, its file kept, to be applied again.
    """
    try:
        yield
    except (orr.RosterInvalid, RemovalsNotConfirmed):
        raise
    except Exception as exc:
        if retry and is_database_outage(exc):
            _back_to_checked(ri.pk, APPLY_INTERRUPTED)
        else:
            _mark_failed(ri.pk, message)
        raise
    except BaseException:
        _mark_failed(ri.pk, message)
        raise


def _back_to_checked(import_id: int, message: str) -> None:
    try:
        RosterImport.objects.filter(pk=import_id, status=RosterImport.Status.APPLYING).update(
            status=RosterImport.Status.PREVIEWED, message=message)
    except Exception:
        # Still unreachable: the worker's task fails, and the import waits for a person.
        logger.exception("Could not put roster import %s back to checked", import_id)


def _mark_failed(import_id: int, message: str) -> None:
    try:
        ri = RosterImport.objects.get(pk=import_id)
        _discard_zip(ri)
        ri.status = RosterImport.Status.FAILED
        ri.message = message
        ri.save(update_fields=["status", "message", "stored_file"])
    except Exception:
        # The database may be what broke; the original error is what matters.
        logger.exception("Could not mark roster import %s as failed", import_id)


def _enqueue_check(import_id: int, *, actor_id: int) -> None:
    from uptake.roster.tasks import check_roster_import

    _enqueue(import_id, lambda: check_roster_import.enqueue(import_id, actor_id))


def _enqueue_apply(import_id: int, *, actor_id: int, confirm_removals: bool) -> None:
    from uptake.roster.tasks import apply_roster_import

    _enqueue(import_id, lambda: apply_roster_import.enqueue(import_id, actor_id,
                                                            confirm_removals))


def _enqueue(import_id: int, enqueue: Callable[[], object]) -> None:
    """Queue the import's next step; runs once the transaction that asked for it commits."""
    try:
        enqueue()
    except Exception:
        logger.exception("Could not queue roster import %s", import_id)
        _mark_failed(import_id, NOT_QUEUED)


def _open(uploaded: Any) -> Any:
    if isinstance(uploaded, str | Path):
        return open(uploaded, "rb")
    if hasattr(uploaded, "open"):
        uploaded.open("rb")
    uploaded.seek(0)
    return _NoClose(uploaded)


class _NoClose:
    """Lets ``with`` wrap a file we did not open without closing it."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def __enter__(self) -> Any:
        return self.fh

    def __exit__(self, *exc: object) -> None:
        return None


def _sha256(fh: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _discard_zip(ri: RosterImport) -> None:
    """A zip that will never be applied holds student data for nothing: delete it."""
    if ri.stored_file:
        ri.stored_file.delete(save=False)


def _reject(ri: RosterImport, exc: orr.RosterInvalid, actor: User | None,
            message: str = "") -> RosterImport:
    _discard_zip(ri)
    ri.status = RosterImport.Status.REJECTED
    ri.message = message
    ri.report = {**_rejected_report(exc), **{k: v for k, v in ri.report.items()
                                             if k in {"files", "notes", "version", "mode"}}}
    with transaction.atomic():
        ri.save()
        record(AuditAction.IMPORT_REJECTED, actor=actor, district=ri.district, obj=ri,
               actor_label=_actor_label(actor),
               summary=f"Rejected roster {ri.file_name}: {len(exc.errors)} problem(s)",
               details={"errors": len(exc.errors), "first": str(exc.errors[0])[:300]})
    return ri


def _counts(report: dict[str, Any]) -> dict[str, Any]:
    return {"version": report.get("version"), "mode": report.get("mode"),
            "changes": report.get("changes"), "removals": report.get("removals"),
            "files": {f["file"]: {k: f[k] for k in ("adds", "updates", "unchanged",
                                                    "removals", "ignored")}
                      for f in report.get("files", [])}}


def _not_applicable(ri: RosterImport) -> ImportNotApplicable:
    return ImportNotApplicable(f"This import is {ri.get_status_display().lower()}.")


def do_apply_import(roster_import: RosterImport, *, actor: User | None,
                    confirm_removals: bool = False) -> RosterImport:
    """Check the stored zip again and apply it now, all or nothing.

    For the command line and the demo; the import page queues the same work
    (``do_queue_apply``). Raises ``RemovalsNotConfirmed`` (nothing written) when the import
    would remove rows and ``confirm_removals`` is false, ``orr.RosterInvalid`` after
    marking the import rejected when the database has moved on so that it no longer fits,
    and ``ImportNotApplicable`` when it is not waiting to be applied.
    """
    if not _claim(roster_import.pk, RosterImport.Status.PREVIEWED,
                  RosterImport.Status.APPLYING):
        roster_import.refresh_from_db()
        raise _not_applicable(roster_import)
    _run_apply(roster_import.pk, actor.pk if actor is not None else None, confirm_removals)
    roster_import.refresh_from_db()
    return roster_import


def do_queue_apply(roster_import: RosterImport, *, actor: User,
                   confirm_removals: bool = False) -> RosterImport:
    """Queue the apply of a checked import; the import's page shows the result once done.

    Removals the check found must be confirmed here, before anything is queued
    (``RemovalsNotConfirmed``); ``ImportNotApplicable`` when it is not waiting to be applied.
    """
    with transaction.atomic():
        ri = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if ri.status != RosterImport.Status.PREVIEWED:
            raise _not_applicable(ri)
        to_confirm = int(ri.report.get("removals_to_confirm") or 0)
        if to_confirm and not confirm_removals:
            raise RemovalsNotConfirmed(to_confirm)
        ri.status = RosterImport.Status.APPLY_QUEUED
        ri.queued_at = timezone.now()
        ri.message = ""
        ri.save(update_fields=["status", "queued_at", "message"])
        transaction.on_commit(partial(_enqueue_apply, ri.pk, actor_id=actor.pk,
                                      confirm_removals=confirm_removals))
    roster_import.refresh_from_db()
    return roster_import


def run_queued_apply(import_id: int, *, actor_id: int | None,
                     confirm_removals: bool) -> RosterImport | None:
    """The background half of ``do_queue_apply``: apply a queued import, all or nothing.

    ``actor_id`` is the coordinator who asked to apply it. Returns None, doing nothing,
    when the import is no longer waiting (it was cancelled). When the file no longer
    fits, or now switches off rows nobody confirmed, the import says so on its page
    (rejected, or back to checked). An unexpected error rolls the apply back, marks the
    import failed and is raised again.
    """
    if not _claim(import_id, RosterImport.Status.APPLY_QUEUED, RosterImport.Status.APPLYING):
        return None
    try:
        return _run_apply(import_id, actor_id, confirm_removals)
    except (RemovalsNotConfirmed, orr.RosterInvalid):
        return RosterImport.objects.get(pk=import_id)


def _run_apply(import_id: int, actor_id: int | None, confirm_removals: bool) -> RosterImport:
    """Apply an import this caller has claimed (status *applying*)."""
    ri = RosterImport.objects.select_related("district").get(pk=import_id)
    actor: User | None = None
    try:
        with _failing(ri, APPLY_FAILED, retry=True):
            actor = _user(actor_id)
            with transaction.atomic():
                _apply_plan(ri, actor, confirm_removals)
    except RemovalsNotConfirmed as exc:
        # Back to waiting, with the report as the district is now, for a person to confirm.
        ri.status = RosterImport.Status.PREVIEWED
        ri.report = exc.report or ri.report
        ri.message = _removals_now(exc.count)
        ri.save(update_fields=["status", "report", "message"])
        raise
    except orr.RosterInvalid as exc:
        _reject(ri, exc, actor, message=DATA_MOVED_ON)
        raise
    return ri


def _apply_plan(ri: RosterImport, actor: User | None, confirm_removals: bool) -> None:
    """Check the stored zip against the district as it is now and write it. In a transaction."""
    with ri.stored_file.open("rb") as stored:
        plan = _check(ri.district, stored)
    if plan.implied_removal_count and not confirm_removals:
        raise RemovalsNotConfirmed(plan.implied_removal_count, report=plan.report())
    execute(plan)
    if any(d is not None and d.changes for d in (plan.schools, plan.sections, plan.students,
                                                  plan.demographics, plan.enrollments)):
        roster_changed.send(sender=RosterImport, district_id=ri.district_id)
    ri.status = RosterImport.Status.APPLIED
    ri.applied_at = timezone.now()
    ri.report = plan.report()
    ri.message = ""
    ri.save(update_fields=["status", "applied_at", "report", "message"])
    record(AuditAction.IMPORT_APPLIED, actor=actor, district=ri.district, obj=ri,
           actor_label=_actor_label(actor),
           summary=f"Applied roster {ri.file_name}: {plan.change_count} change(s), "
                   f"{plan.removal_count} removal(s)",
           details=_counts(ri.report))


def do_cancel_import(roster_import: RosterImport, *, actor: User | None) -> RosterImport:
    """Drop an import that will not be applied: checked, or still waiting for the worker."""
    with transaction.atomic():
        ri = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if not ri.cancellable:
            raise _not_applicable(ri)
        _discard_zip(ri)
        ri.status = RosterImport.Status.CANCELLED
        ri.save(update_fields=["status", "stored_file"])
        record(AuditAction.IMPORT_REJECTED, actor=actor, district=ri.district, obj=ri,
               actor_label=_actor_label(actor), summary=f"Cancelled roster {ri.file_name}")
    roster_import.refresh_from_db()
    return roster_import
