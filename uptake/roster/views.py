"""Roster pages: classes for the people who teach or lead them, imports for coordinators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from uptake.accounts.access import allow
from uptake.accounts.models import Role, User
from uptake.idempotency import once
from uptake.operations.workers import reap_lost_tasks
from uptake.roster import actions
from uptake.roster import oneroster as orr
from uptake.roster.access import access_import, access_section, may_see_student_names
from uptake.roster.forms import ApplyImportForm, ClassFilterForm, RosterUploadForm
from uptake.roster.models import Enrollment, RosterImport, Section, TeacherAssignment
from uptake.roster.queries import current_assignment, current_enrollment, student_counts
from uptake.views_support import showing_refusals

CLASSES_PER_PAGE = 50
IMPORTS_LISTED = 25
# A district's file is checked or applied in about a minute; this long without news, the
# background worker is probably not running, and the import page says so.
LATE_AFTER = timedelta(minutes=10)


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
def classes(request: HttpRequest) -> HttpResponse:
    visible = Section.objects.visible_to(request.user)
    school_ids = visible.values_list("school_id", flat=True).distinct()
    form = ClassFilterForm(request.GET or None, school_ids=list(school_ids))
    sections = visible.select_related("school", "course")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            sections = sections.filter(Q(title__icontains=data["q"])
                                       | Q(course__title__icontains=data["q"])
                                       | Q(class_code__icontains=data["q"]))
        if data.get("school"):
            sections = sections.filter(school=data["school"])
        if data.get("show") != "all":
            sections = sections.filter(active=True)
    else:
        sections = sections.filter(active=True)
    page = Paginator(sections.order_by("school__name", "title", "pk"),
                     CLASSES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = list(page.object_list)
    # Names and counts for this page only: a district has tens of thousands of classes.
    names = _teachers_of(rows)
    counts = student_counts(rows)
    for section in rows:
        section.teacher_names = names[section.pk]  # type: ignore[attr-defined]
        section.students = counts.get(section.pk, 0)  # type: ignore[attr-defined]
    return render(request, "roster/classes.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode()})


def _teachers_of(sections: Sequence[Section]) -> dict[int, list[str]]:
    """Current teachers' names per class, primary first, in one query."""
    names: dict[int, list[str]] = {s.pk: [] for s in sections}
    rows = (TeacherAssignment.objects.filter(current_assignment(), section__in=sections)
            .select_related("teacher").order_by("-primary", "teacher__last_name"))
    for ta in rows:
        names[ta.section_id].append(ta.teacher.display_name)
    return names


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
def class_detail(request: HttpRequest, section_id: int) -> HttpResponse:
    from uptake.audit.actions import record_student_read

    section = access_section(request.user, section_id)
    today = timezone.localdate()
    enrollments = Enrollment.objects.filter(section=section).select_related("student")
    current = enrollments.filter(current_enrollment())
    context: dict[str, Any] = {
        "section": section, "teachers": _teachers_of([section])[section.pk],
        "student_count": current.count(), "enrollments": None,
        "by_grade": current.values("student__grade").annotate(n=Count("pk"))
                           .order_by("student__grade"),
    }
    if may_see_student_names(request.user, section):
        listed = list(enrollments.order_by("student__family_name", "student__given_name"))
        for e in listed:
            e.is_current = (e.end_date is None or e.end_date >= today) and e.student.enabled  # type: ignore[attr-defined]
        context["enrollments"] = listed
        # Every view of identifiable students is logged, whose and by whom.
        record_student_read(request, [e.student.pseudonym for e in listed],
                            summary=f"Class list of {section.title}", obj=section)
    return render(request, "roster/class_detail.html", context)


# -------------------------------------------------------------------------- imports


@allow(Role.COORDINATOR)
@once
def import_roster(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = (RosterUploadForm(request.POST, request.FILES) if request.method == "POST"
            else RosterUploadForm())
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Only stores the file: the check runs in the background (see uptake.roster.tasks).
        ri = actions.do_queue_import(user.district, upload, actor=user,  # type: ignore[arg-type]
                                     file_name=upload.name)
        return redirect("roster:import_detail", import_id=ri.pk)
    history = (RosterImport.objects.filter(district=user.district)
               .select_related("uploaded_by")[:IMPORTS_LISTED])
    return render(request, "roster/import.html", {"form": form, "history": history})


@allow(Role.COORDINATOR)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    ri = access_import(request.user, import_id)
    if ri.in_progress and reap_lost_tasks():
        ri.refresh_from_db()  # its worker had died; the import says so now
    if getattr(request, "htmx", False) and "shown" in request.GET:
        # The page polls while the import waits for the worker or runs; it reloads
        # itself only when there is something new to show.
        if request.GET["shown"] == _phase(ri):
            return HttpResponse(status=204)
        return HttpResponseClientRefresh()
    return _render_detail(request, ri, ApplyImportForm())


def _is_late(ri: RosterImport) -> bool:
    return bool(ri.in_progress and ri.queued_at
                and timezone.now() - ri.queued_at > LATE_AFTER)


def _phase(ri: RosterImport) -> str:
    """What the page shows of a running import: its status, and whether it is late."""
    return f"{ri.status}-late" if _is_late(ri) else ri.status


def _render_detail(request: HttpRequest, ri: RosterImport, form: ApplyImportForm,
                   status: int = 200) -> HttpResponse:
    report = ri.report or {}
    errors = [orr.RosterError(**e) for e in report.get("errors", [])]
    removal_files = [f for f in report.get("files", []) if f.get("removals")]
    return render(request, "roster/import_detail.html", {
        "ri": ri, "report": report, "errors": errors, "removal_files": removal_files,
        "form": form, "can_apply": ri.status == RosterImport.Status.PREVIEWED,
        "phase": _phase(ri), "late": _is_late(ri),
    }, status=status)


@allow(Role.COORDINATOR)
@require_POST
def import_apply(request: HttpRequest, import_id: int) -> HttpResponse:
    ri = access_import(request.user, import_id)
    form = ApplyImportForm(request.POST)
    form.is_valid()
    confirm = bool(form.cleaned_data.get("confirm_removals"))
    try:
        # Only queues the apply: it runs in the background (see uptake.roster.tasks).
        actions.do_queue_apply(ri, actor=request.user,  # type: ignore[arg-type]
                               confirm_removals=confirm)
    except actions.RemovalsNotConfirmed as exc:
        form.add_error("confirm_removals", (
            f"This import switches off {exc.count:,} row(s). Tick the box to confirm, or "
            "fix the export."))
        return _render_detail(request, ri, form, status=400)
    except actions.ImportNotApplicable as exc:
        messages.error(request, str(exc))
    return redirect("roster:import_detail", import_id=ri.pk)


@allow(Role.COORDINATOR)
@require_POST
def import_cancel(request: HttpRequest, import_id: int) -> HttpResponse:
    ri = access_import(request.user, import_id)
    with showing_refusals(request, done=f"Cancelled {ri.file_name}; nothing was changed."
                          ) as attempt:
        actions.do_cancel_import(ri, actor=request.user)  # type: ignore[arg-type]
    if not attempt.ok:
        return redirect("roster:import_detail", import_id=ri.pk)
    return redirect("roster:import")
