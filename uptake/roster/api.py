"""This app's part of the JSON API (uptake/api):
Classes and their students by pseudonymous ID; OneRoster imports.

Who sees what is what the pages show (``uptake.roster.access``):

- ``/classes``: the classes page's audience (teachers, coaches, school leaders,
  coordinators) and its rule, ``Section.objects.visible_to``: a coordinator her district's
  classes, a leader or coach her schools', a teacher the classes she teaches *now* (an
  ended assignment takes the class away). Everyone else gets the 404 a missing class gets.
- ``/classes/{class_id}/students``: one row per enrollment, by pseudonymous ID only
  (never a name, never a sourcedId), for whoever may see the class's student rows
  (``may_see_student_rows``); the grade of each student only where the class page shows
  it (its current teachers and the coordinators, ``may_see_student_names``). Equity flags
  (EL, special education, …) are never shown per student on a page, so not here either;
  the study results give them as suppressed groups. Each page of rows is recorded in the
  audit log like the class page, naming the credential that read it.
- ``/roster-imports``: the district's coordinators only, exactly as the import pages:
  an upload is stored and queued, checked by the background worker
  (``uptake.roster.tasks``); its status and report (problems by file, row and column)
  come from ``GET /roster-imports/{import_id}``; applying is queued the same way and
  refused (409) until removals the check found are confirmed.
"""

import zipfile
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate as ninja_paginate

from uptake.accounts.access import district_id_of
from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.audit.actions import record_student_read
from uptake.operations.workers import reap_lost_tasks
from uptake.roster import actions
from uptake.roster.access import (
    access_import,
    access_section,
    may_see_student_names,
    may_see_student_rows,
)
from uptake.roster.forms import RosterUploadForm
from uptake.roster.models import Enrollment, RosterImport, Section, TeacherAssignment
from uptake.roster.queries import current_assignment, current_enrollment
from uptake.rules import Invalid, RowProblem

router = Router()

# Ids a filter may name: a database's integer key (larger answers 400, not 500).
# Text filters: never a NUL character (PostgreSQL cannot compare one).
NO_NUL = r"^[^\x00]*$"

# The classes page's audience (uptake.roster.views.classes).
CLASS_READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)


def _class_reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not me.has_role(*CLASS_READERS):
        raise Http404("No such class.")
    return me


# ------------------------------------------------------------------------------ classes

class ClassTeacherOut(Schema):
    id: int
    name: str
    primary: bool


class ClassOut(Schema):
    id: int
    title: str
    school_id: int
    school_name: str
    course_id: int | None
    course_title: str | None
    class_code: str
    class_type: str
    grades: str
    subjects: str
    periods: str
    location: str
    active: bool
    academic_session_ids: list[int] = Field(description="The terms the class runs in.")
    teachers: list[ClassTeacherOut] = Field(description="Its current teachers, primary first.")
    students: int = Field(description="Students now enrolled (enrollment not ended, record "
                                      "enabled), as the class pages count them.")

    @staticmethod
    def resolve_school_name(obj: Section) -> str:
        return obj.school.name

    @staticmethod
    def resolve_course_title(obj: Section) -> str | None:
        return obj.course.title if obj.course is not None else None

    @staticmethod
    def resolve_academic_session_ids(obj: Section) -> list[int]:
        return sorted(t.pk for t in obj.terms.all())

    @staticmethod
    def resolve_teachers(obj: Section) -> list[ClassTeacherOut]:
        return [ClassTeacherOut(id=ta.teacher_id, name=ta.teacher.display_name, primary=ta.primary)
                for ta in getattr(obj, "current_teaching", [])]

    @staticmethod
    def resolve_students(obj: Section) -> int:
        return int(getattr(obj, "n_students", 0))


class GradeCountOut(Schema):
    grade: str
    students: int


class ClassDetailOut(ClassOut):
    students_by_grade: list[GradeCountOut] = Field(
        description="Students now enrolled, per grade, as on the class's page.")


def _with_details(sections: QuerySet[Section]) -> QuerySet[Section]:
    """Current teachers and current student counts in a fixed number of queries."""
    counted = (Enrollment.objects.filter(current_enrollment(), section=OuterRef("pk"))
               .order_by().values("section").annotate(n=Count("pk")).values("n"))
    teaching = (TeacherAssignment.objects.filter(current_assignment()).select_related("teacher")
                .order_by("-primary", "teacher__last_name", "teacher__first_name"))
    return (sections.select_related("school", "course")
            .prefetch_related("terms", Prefetch("teacher_assignments", queryset=teaching,
                                                to_attr="current_teaching"))
            .annotate(n_students=Coalesce(Subquery(counted, output_field=IntegerField()), 0)))


@router.get("/classes", response=list[ClassOut], summary="Classes")
@support.paginate()
def list_classes(request: HttpRequest,
                 school: int | None = Query(None, ge=1, le=support.MAX_ID),
                 academic_session: int | None = Query(None, ge=1, le=support.MAX_ID),
                 show: Literal["active", "all"] = "active",
                 q: str | None = Query(None, max_length=200, pattern=NO_NUL)
                 ) -> QuerySet[Section]:
    """The classes the caller may see, as on the Classes page: current classes unless
    ``show=all``; ``school`` and ``academic_session`` (a term's id) narrow them; ``q``
    matches the class's title, its course's title or its class code."""
    me = _class_reader(request)
    sections = Section.objects.visible_to(me)
    sections = support.where(sections, school_id=school, terms__id=academic_session)
    if show != "all":
        sections = sections.filter(active=True)
    if q:
        sections = sections.filter(Q(title__icontains=q) | Q(course__title__icontains=q)
                                   | Q(class_code__icontains=q))
    return _with_details(sections)


@router.get("/classes/{class_id}", response=ClassDetailOut, summary="One class")
def get_class(request: HttpRequest, class_id: int) -> Section:
    """One class the caller may see (see ``GET /classes``), with its students per grade;
    404 for any other."""
    me = _class_reader(request)
    section = _with_details(Section.objects.filter(
        pk=access_section(me, class_id).pk)).get()
    by_grade = (Enrollment.objects.filter(current_enrollment(), section=section)
                .values("student__grade").annotate(n=Count("pk")).order_by("student__grade"))
    section.students_by_grade = [  # type: ignore[attr-defined]
        GradeCountOut(grade=g["student__grade"], students=g["n"]) for g in by_grade]
    return section


EnrollmentStatus = Literal["enrolled", "left", "disabled"]


class ClassStudentOut(Schema):
    pseudonym: str = Field(description="The student's pseudonymous ID (never her name or "
                                       "her information system's ID).")
    grade: str | None = Field(description="Her grade, for the class's current teachers and "
                                          "the district's coordinators (as on the class's "
                                          "page); null for anyone else.")
    status: EnrollmentStatus = Field(description="enrolled: now in the class; left: her "
                                                 "enrollment ended; disabled: her record "
                                                 "was switched off.")
    begin_date: date | None
    end_date: date | None


class _AuditedRows(support.Cursor):
    """The cursor pagination of every list, recording in the audit log which students'
    rows this page of results showed (``record_student_read``), as the class page does."""

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any,
                          request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        section, with_grade = request.api_student_rows  # type: ignore[attr-defined]
        today = timezone.localdate()
        rows = []
        for e in page[self.items_attribute]:
            status: EnrollmentStatus
            if not e.student.enabled:
                status = "disabled"
            elif e.end_date is not None and e.end_date < today:
                status = "left"
            else:
                status = "enrolled"
            rows.append(ClassStudentOut(pseudonym=e.student.pseudonym,
                                      grade=e.student.grade if with_grade else None,
                                      status=status, begin_date=e.begin_date,
                                      end_date=e.end_date))
        record_student_read(request, [r.pseudonym for r in rows],
                            summary=f"Class list of {section.title}", obj=section)
        page[self.items_attribute] = rows
        return page


@router.get("/classes/{class_id}/students", response=list[ClassStudentOut],
            summary="A class's students, by pseudonymous ID")
@ninja_paginate(_AuditedRows, ordering=("pk",))
def list_class_students(request: HttpRequest, class_id: int,
                        status: EnrollmentStatus | None = None) -> QuerySet[Enrollment]:
    """One row per student enrolled in the class now or before, by pseudonymous ID only,
    for whoever may see the class's student rows (its current teachers, staff of its
    school who see the class, the district's coordinators); ``status`` narrows to
    enrolled, left or disabled. Every page read is recorded in the district's audit log."""
    me = _class_reader(request)
    section = access_section(me, class_id)
    if not may_see_student_rows(me, section):
        raise Http404("No such class.")
    request.api_student_rows = (  # type: ignore[attr-defined]
        section, may_see_student_names(me, section))
    rows = Enrollment.objects.filter(section=section).select_related("student")
    if status == "disabled":
        rows = rows.filter(student__enabled=False)
    elif status == "enrolled":
        rows = rows.filter(current_enrollment())
    elif status == "left":
        rows = rows.filter(~Q(current_enrollment()), student__enabled=True)
    return rows


# ------------------------------------------------------------------------------ imports

ImportStatus = Literal["queued", "checking", "rejected", "previewed", "apply_queued",
                       "applying", "applied", "cancelled", "failed"]


class ImportProblemOut(Schema):
    file: str = Field(description="The CSV in the zip, or '' for the zip itself.")
    row: int | None = Field(description="The spreadsheet row (the header is row 1).")
    column: str
    message: str


class ImportFileOut(Schema):
    file: str
    mode: str
    rows: int
    adds: int
    updates: int
    unchanged: int
    removals: int
    ignored: int


class ImportReportOut(Schema):
    version: str
    mode: str
    changes: int
    removals: int
    removals_to_confirm: int = Field(description="Rows applying would switch off only "
                                                 "because a bulk file no longer lists them; "
                                                 "apply with confirm_removals=true.")
    files: list[ImportFileOut]
    notes: list[str]
    errors: list[ImportProblemOut] = Field(description="Why the file cannot be imported, "
                                                       "by file, row and column.")
    errors_truncated: bool


class ImportOut(Schema):
    id: int
    file_name: str
    status: ImportStatus
    status_label: str
    message: str = Field(description="Why the last step did not end as asked, or ''.")
    version: str
    mode: str
    uploaded_by_id: int | None
    created_at: datetime
    queued_at: datetime | None
    applied_at: datetime | None
    in_progress: bool = Field(description="Waiting for the background worker or running: "
                                          "poll this import until it is false.")
    cancellable: bool
    can_apply: bool
    report: ImportReportOut

    @staticmethod
    def resolve_status_label(obj: RosterImport) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_can_apply(obj: RosterImport) -> bool:
        return obj.status == RosterImport.Status.PREVIEWED

    @staticmethod
    def resolve_report(obj: RosterImport) -> dict[str, Any]:
        report = obj.report or {}
        # The removal examples are left out: their labels may name people.
        files = [{k: int(f.get(k) or 0) if k not in ("file", "mode") else str(f.get(k) or "")
                  for k in ImportFileOut.model_fields} for f in report.get("files", [])]
        return {
            "version": str(report.get("version") or ""), "mode": str(report.get("mode") or ""),
            "changes": int(report.get("changes") or 0),
            "removals": int(report.get("removals") or 0),
            "removals_to_confirm": int(report.get("removals_to_confirm") or 0),
            "files": files, "notes": [str(n) for n in report.get("notes", [])],
            "errors": [{"file": str(e.get("file") or ""), "row": e.get("row"),
                        "column": str(e.get("column") or ""), "message": str(e["message"])}
                       for e in report.get("errors", [])],
            "errors_truncated": bool(report.get("errors_truncated")),
        }


def _coordinator(request: HttpRequest) -> User:
    me = support.me(request)
    if not me.has_role(Role.COORDINATOR) or me.district_id is None:
        raise Http404("No such import.")
    return me


@router.get("/roster-imports", response=list[ImportOut], summary="Roster imports",
            url_name="roster_imports")
@support.paginate(ordering=("-pk",))
def list_roster_imports(request: HttpRequest, status: ImportStatus | None = None
                        ) -> QuerySet[RosterImport]:
    """The district's roster uploads, newest first (district coordinators only)."""
    me = _coordinator(request)
    imports = RosterImport.objects.filter(district_id=district_id_of(me))
    imports = support.where(imports, status=status)
    return imports


@router.post("/roster-imports", response={201: ImportOut}, summary="Upload a roster",
             url_name="roster_imports")
def upload_roster(request: HttpRequest, file: File[UploadedFile]
                  ) -> Status[RosterImport]:
    """Upload a OneRoster 1.1 or 1.2 CSV zip (multipart/form-data, field ``file``), as
    the Roster import page does. Nothing changes in the district: the file is stored
    and checked in the background; follow ``GET /roster-imports/{import_id}`` until
    ``in_progress`` is false, then read its report and apply it. A file that is not a zip,
    or larger than the server accepts, is refused at once and nothing is stored."""
    me = _coordinator(request)
    form = RosterUploadForm(data={}, files=MultiValueDict({"file": [file]}))
    if not form.is_valid():
        messages = [str(m) for m in form.errors.get("file", ["Send the zip as “file”."])]
        raise Invalid(messages[0], field="file",
                      rows=[RowProblem(None, "file", m) for m in messages])
    upload = form.cleaned_data["file"]
    if not zipfile.is_zipfile(upload):
        raise Invalid(f"{upload.name} is not a zip file; export OneRoster CSV as a .zip and "
                      "upload that.", field="file")
    ri = actions.do_queue_import(me.district, upload,  # type: ignore[arg-type]
                                 actor=me, file_name=upload.name or "roster.zip")
    return Status(201, ri)


@router.get("/roster-imports/{import_id}", response=ImportOut, summary="One roster import")
def get_roster_import(request: HttpRequest, import_id: int) -> RosterImport:
    """An upload's status and report: what applying it would change per file, or why it
    cannot be imported, by file, row and column (district coordinators only)."""
    ri = access_import(_coordinator(request), import_id)
    if ri.in_progress and reap_lost_tasks():
        ri.refresh_from_db()  # its worker had died; the import says so now
    return ri


class ApplyIn(Schema):
    confirm_removals: bool = Field(False, description="Confirm that what the files no "
                                                      "longer list is switched off.")


@router.post("/roster-imports/{import_id}/apply", response=ImportOut,
             summary="Apply a checked roster import")
def apply_roster_import(request: HttpRequest, import_id: int, payload: ApplyIn
                        ) -> RosterImport:
    """Queue the apply of a checked import (status ``previewed``), all or nothing, as the
    import's page does. When the check found rows the files no longer list, send
    ``confirm_removals: true`` or get 409 saying how many. Anything else but a checked
    import answers 409; for a rejected file, the refusal's ``rows`` list its problems
    (row, column, and the file with the message)."""
    ri = access_import(_coordinator(request), import_id)
    try:
        return actions.do_queue_apply(ri, actor=support.me(request),
                                      confirm_removals=payload.confirm_removals)
    except actions.RemovalsNotConfirmed as exc:
        exc.field = "confirm_removals"
        raise
    except actions.ImportNotApplicable as exc:
        # A rejected file: the refusal carries its problems, row by row, as its report.
        exc.rows = [RowProblem(e.get("row"), str(e.get("column") or ""),
                               f"{e.get('file') or 'The zip'}: {e.get('message')}")
                    for e in (ri.report or {}).get("errors", [])]
        raise


@router.post("/roster-imports/{import_id}/cancel", response=ImportOut,
             summary="Cancel a roster import")
def cancel_roster_import(request: HttpRequest, import_id: int) -> RosterImport:
    """Drop an import nothing of which has started to run (queued, checked, or waiting to
    be applied); its stored zip is deleted. Anything else answers 409."""
    ri = access_import(_coordinator(request), import_id)
    return actions.do_cancel_import(ri, actor=support.me(request))
