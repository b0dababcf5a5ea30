"""The programs' pages: the list, a program's page, the coordinator's forms (program,
sessions, participants, the attendance grid, the participation import and export), and a
teacher's links. Every view declares its audience with ``allow``; objects come through
``uptake.programs.access`` (404 for missing and forbidden alike); every change goes through
``uptake.programs.actions``."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.models import Role, User
from uptake.programs import access, actions, imports, queries
from uptake.programs.forms import EnrolForm, ImportForm, ProgramForm, SessionForm, StatusForm
from uptake.programs.models import Attendance, Participant, ProgramLink
from uptake.rules import Invalid
from uptake.spreadsheets import safe_cell
from uptake.views_support import showing_refusals

READERS = access.READERS


@allow(*READERS)
def program_list(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    programs = (access.visible_programs(me).prefetch_related("schools")
                .annotate(n_participants=Count("participants", distinct=True),
                          n_sessions=Count("sessions", distinct=True)))
    mine = set(Participant.objects.filter(person=me).values_list("program_id", flat=True))
    manager = access.may_manage_programs(me, me.district_id)
    return render(request, "programs/list.html", {
        "current": [p for p in programs if p.archived_at is None],
        "archived": [p for p in programs if p.archived_at is not None],
        "manager": manager, "mine": mine, "may_link": access.may_link(me)})


def _program_kwargs(form: ProgramForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {k: d.get(k) for k in ("name", "kind", "focus_area", "description", "starts_on",
                                  "ends_on", "facilitator", "facilitator_person",
                                  "funding_source", "schools", "elements", "credentials")}


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = ProgramForm(request.POST or None, district_id=me.district_id or 0)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Program created.") as attempt:
            program = actions.do_create_program(actor=me, request=request,
                                                **_program_kwargs(form))
        if attempt.ok:
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/form.html", {"form": form, "program": None})


@allow(*READERS)
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id)
    manager = access.may_manage_programs(me, program.district_id)
    sessions = program.sessions.annotate(
        n_present=Count("attendance", filter=Q(attendance__present=True)))
    context: dict[str, Any] = {
        "program": program, "manager": manager, "sessions": sessions,
        "counts": queries.participant_counts(program),
        "link_counts": queries.link_counts(program),
        "schools": list(program.schools.all()),
        "elements": list(program.elements.select_related("framework")),
        "credentials": list(program.credentials.all()),
        "participants": None, "my_links": None, "linkable": None,
    }
    if manager:
        context["participants"] = program.participants.select_related("person")
    if access.may_link(me):
        context["my_links"] = ProgramLink.objects.filter(program=program, owner=me).select_related(
            "inquiry", "source", "credential")
        context["linkable"] = _linkable(me) if program.archived_at is None else None
    return render(request, "programs/detail.html", context)


def _linkable(me: User) -> dict[str, list[Any]]:
    """Her records she may link: her inquiries and sources, the credentials she worked on."""
    from uptake.credentials.models import Credential
    from uptake.inquiry.models import Inquiry
    from uptake.learning.models import LearningSource

    credentials = Credential.objects.filter(district_id=me.district_id or 0).filter(
        Q(versions__tiers__submissions__educator=me) | Q(awards__educator=me)).distinct()
    return {"inquiry": list(Inquiry.objects.filter(owner=me).order_by("title", "pk")),
            "source": list(LearningSource.objects.filter(owner=me).order_by("title", "pk")),
            "credential": list(credentials)}


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    initial = {"name": program.name, "kind": program.kind, "focus_area": program.focus_area,
               "description": program.description, "starts_on": program.starts_on,
               "ends_on": program.ends_on, "facilitator": program.facilitator,
               "facilitator_person": program.facilitator_person,
               "funding_source": program.funding_source,
               "schools": list(program.schools.all()), "elements": list(program.elements.all()),
               "credentials": list(program.credentials.all())}
    form = ProgramForm(request.POST or None, initial=initial, district_id=program.district_id)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Program saved.") as attempt:
            actions.do_update_program(program, actor=me, request=request,
                                      **_program_kwargs(form))
        if attempt.ok:
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/form.html", {"form": form, "program": program})


@allow(Role.COORDINATOR)
@require_POST
def program_archive(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    with showing_refusals(request, done="Program archived; teachers no longer see it."):
        actions.do_archive_program(program, actor=me, request=request)
    return redirect("programs:detail", program_id=program.pk)


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Session added.") as attempt:
            actions.do_add_session(program, actor=me, request=request, **form.cleaned_data)
        if attempt.ok:
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/session_form.html",
                  {"form": form, "program": program, "session": None})


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    me = signed_in_person(request)
    session = access.access_session(me, session_id)
    form = SessionForm(request.POST or None, initial={
        "held_on": session.held_on, "title": session.title, "hours": session.hours})
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Session saved.") as attempt:
            actions.do_update_session(session, actor=me, request=request, **form.cleaned_data)
        if attempt.ok:
            return redirect("programs:detail", program_id=session.program_id)
    return render(request, "programs/session_form.html",
                  {"form": form, "program": session.program, "session": session})


@allow(Role.COORDINATOR)
@require_POST
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    me = signed_in_person(request)
    session = access.access_session(me, session_id)
    program_id = session.program_id
    with showing_refusals(request, done="Session deleted, with its attendance."):
        actions.do_delete_session(session, actor=me, request=request)
    return redirect("programs:detail", program_id=program_id)


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    enrol = EnrolForm(request.POST if "enrol" in request.POST else None, program=program)
    if request.method == "POST":
        if "enrol" in request.POST:
            if enrol.is_valid():
                person = enrol.cleaned_data["person"]
                with showing_refusals(request, form=enrol,
                                      done=f"{person.display_name} enrolled.") as attempt:
                    actions.do_enrol(program, actor=me, person=person, request=request)
                if attempt.ok:
                    return redirect("programs:participants", program_id=program.pk)
        else:
            status = StatusForm(request.POST)
            if not status.is_valid():
                messages.error(request, "Choose a participant and a status.")
                return redirect("programs:participants", program_id=program.pk)
            found = program.participants.filter(pk=status.cleaned_data["participant"]).first()
            if found is None:
                raise Http404("No such participant.")
            with showing_refusals(request, done="Status saved."):
                actions.do_set_participant_status(found, actor=me, request=request,
                                                  status=status.cleaned_data["status"])
            return redirect("programs:participants", program_id=program.pk)
    return render(request, "programs/participants.html", {
        "program": program, "enrol": enrol, "statuses": Participant.Status.choices,
        "participants": program.participants.select_related("person")})


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    sessions = list(program.sessions.all())
    people = list(program.participants.select_related("person"))
    if request.method == "POST":
        present = []
        for key in request.POST.getlist("present"):
            session_id, _, person_id = key.partition(":")
            if not (session_id.isdigit() and person_id.isdigit()):
                messages.error(request, "The attendance sent could not be read.")
                return redirect("programs:attendance", program_id=program.pk)
            present.append((int(session_id), int(person_id)))
        with showing_refusals(request, done="Attendance saved.") as attempt:
            actions.do_record_attendance(program, actor=me, present=present, request=request)
        if attempt.ok:
            return redirect("programs:detail", program_id=program.pk)
    came = set(Attendance.objects.filter(session__program=program, present=True)
               .values_list("session_id", "person_id"))
    grid = [{"participant": p, "cells": [{"session": s, "present": (s.pk, p.person_id) in came}
                                         for s in sessions]} for p in people]
    return render(request, "programs/attendance.html",
                  {"program": program, "sessions": sessions, "grid": grid})


@allow(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def participation_import(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    file_name = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file_name = upload.name or "file"
        if upload.size and upload.size > imports.MAX_BYTES:
            form.add_error("file", f"The file is {upload.size:,} bytes; the limit is "
                                   f"{imports.MAX_BYTES:,}.")
        else:
            try:
                rows = imports.check(program, imports.read_file(file_name, upload.read()),
                                     name=file_name)
            except Invalid as refusal:
                problems = refusal.rows
                form.add_error("file", refusal.message)
            else:
                with showing_refusals(request, form=form) as attempt:
                    done = actions.do_import_participation(program, actor=me, rows=rows,
                                                           file_name=file_name, request=request)
                if attempt.ok:
                    messages.success(request, (
                        f"Imported {done['rows']} rows: {done['enrolled']} newly enrolled, "
                        f"{done['attendance']} attendance marks, {done['status_changed']} "
                        "statuses changed."))
                    return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/import.html", {
        "program": program, "form": form, "problems": problems, "file_name": file_name})


@allow(Role.COORDINATOR)
def participation_csv(request: HttpRequest, program_id: int) -> HttpResponse:
    """Participants and their attendance, one row a person, one column a session; every
    cell neutralised against formulas."""
    me = signed_in_person(request)
    program = access.access_program(me, program_id, manage=True)
    sessions = list(program.sessions.all())
    came = dict(((a.session_id, a.person_id), a.present)
                for a in Attendance.objects.filter(session__program=program))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in (
        "name", "email", "staff_identifier", "status", "enrolled_on", "completed_on",
        *(f"{s.held_on.isoformat()} {s.title}".strip() for s in sessions))])
    for p in program.participants.select_related("person"):
        marks = [_mark(came.get((s.pk, p.person_id))) for s in sessions]
        writer.writerow([safe_cell(v) for v in (
            p.person.display_name, p.person.email, p.person.staff_identifier, p.status,
            p.enrolled_on.isoformat(), p.completed_on.isoformat() if p.completed_on else "",
            *marks)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-{program.pk}.csv"'
    return response


def _mark(present: bool | None) -> str:
    return "" if present is None else ("yes" if present else "no")


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@allow(Role.TEACHER, Role.COACH)
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    """Link one of her records (``kind``: inquiry, source or credential; ``record``: its id)
    to a program (``program``: its id)."""
    from uptake.credentials.models import Credential
    from uptake.inquiry.models import Inquiry
    from uptake.learning.models import LearningSource

    me = signed_in_person(request)
    program_id = request.POST.get("program", "")
    if not program_id.isdigit():
        messages.error(request, "Choose a program.")
        return redirect(_back(request, reverse("programs:list")))
    program = access.access_program(me, program_id)
    models: dict[str, Any] = {"inquiry": Inquiry, "source": LearningSource,
                              "credential": Credential}
    kind, record_id = request.POST.get("kind", ""), request.POST.get("record", "")
    back = _back(request, reverse("programs:detail", args=[program.pk]))
    if kind not in models or not record_id.isdigit():
        messages.error(request, "Choose a record to link.")
        return redirect(back)
    found = models[kind].objects.filter(pk=record_id, district_id=me.district_id).first()
    if found is None:
        raise Http404("No such record.")
    with showing_refusals(request, done=f"Linked to {program.name}."):
        actions.do_link(me, program, request=request, **{kind: found})
    return redirect(back)


@allow(Role.TEACHER, Role.COACH)
@require_POST
def unlink(request: HttpRequest, link_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = access.access_own_link(me, link_id)
    program_id = found.program_id
    with showing_refusals(request, done="Link removed."):
        actions.do_unlink(me, found, request=request)
    return redirect(_back(request, reverse("programs:detail", args=[program_id])))

