"""Inquiry pages: thin views that parse input, call an action and render."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from uptake import registry
from uptake.accounts.access import allow
from uptake.accounts.grants import grants_on, shared_message
from uptake.accounts.models import Role, User
from uptake.audit.actions import record_student_read
from uptake.idempotency import once
from uptake.inquiry import actions, imports
from uptake.inquiry.access import (
    INQUIRY_GRANTS,
    access_cycle,
    access_entry_section,
    access_inquiry,
    access_measure,
    access_occasion,
    access_team,
    inquiries_shared_with,
    inquiries_visible_to,
    may_edit,
    sections_taught_by,
    teams_of,
)
from uptake.inquiry.actions import InquiryRuleError, OccasionData, current_students
from uptake.inquiry.forms import (
    NOT_ELIGIBLE,
    ActForm,
    AddMemberForm,
    ImportForm,
    InquiryForm,
    LogForm,
    MeasureForm,
    OccasionForm,
    PlanForm,
    ShareForm,
    StudyForm,
    TeamEditForm,
    TeamForm,
    TotalForm,
)
from uptake.inquiry.losses import inquiry_losses, measure_losses, occasion_losses
from uptake.inquiry.models import Cycle, Inquiry, Measure, Occasion, Team
from uptake.inquiry.queries import measure_verdicts
from uptake.inquiry.study import (
    learning_events,
    study_key,
    study_measure,
    study_series,
)
from uptake.inquiry.summaries import refresh_measures
from uptake.roster.models import Section, Student
from uptake.views_support import showing_refusals

READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
IMPORT_SESSION_KEY = "inquiry_import"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# -------------------------------------------------------------------------- inquiries


@allow(*READERS)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    visible = inquiries_visible_to(user).select_related("owner", "team").annotate(
        n_measures=Count("measures", distinct=True))
    return render(request, "inquiry/list.html", {
        "mine": visible.filter(owner=user),
        "team": visible.filter(team__members=user).exclude(owner=user).distinct(),
        "shared": visible.filter(pk__in=inquiries_shared_with(user).values("pk"))
                         .exclude(owner=user).exclude(team__members=user).distinct(),
        "can_create": user.has_role(Role.TEACHER),
    })


@allow(Role.TEACHER)
@once
def inquiry_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InquiryForm(request.POST or None, user=user,
                       initial={"status": Inquiry.Status.ACTIVE})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        inquiry = actions.do_create_inquiry(user, team=team, **data)
        messages.success(request, "Inquiry started. Add a measure so you can see what "
                                  "happens for your students.")
        return redirect("inquiry:detail", inquiry_id=inquiry.pk)
    return render(request, "inquiry/form.html", {"form": form, "title": "Start an inquiry",
                                                 "button": "Start inquiry"})


@allow(*READERS)
def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id)
    editable = may_edit(user, inquiry)
    measures = list(inquiry.measures.prefetch_related("sections"))
    return render(request, "inquiry/detail.html", {
        "inquiry": inquiry, "editable": editable,
        "is_owner": inquiry.owner_id == user.pk,
        "cycles": inquiry.cycles.all(),
        "verdicts": measure_verdicts(measures),
        "grants": grants_on(inquiry, inquiry.owner, INQUIRY_GRANTS),
        "share_form": ShareForm(inquiry=inquiry) if inquiry.owner_id == user.pk else None,
        "members": inquiry.team.members.order_by("last_name") if inquiry.team else [],
        "work_sets": inquiry.work_sets.order_by("-date") if editable else [],
        # A set opens only for the class's current teachers; others see its title and date.
        "taught": set(sections_taught_by(user).values_list("pk", flat=True)),
        "has_proportion_measure": any(m.kind == Measure.Kind.PROPORTION for m in measures),
        "learning": learning_events(inquiry),
        # What the apps above add (evidence, plan goals), each checking its own access.
        "sections": [(s.template, ctx) for s in registry.inquiry_sections
                     if (ctx := s.context(inquiry, user)) is not None],
    })


@allow(Role.TEACHER)
def inquiry_edit(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    form = InquiryForm(request.POST or None, instance=inquiry, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        try:
            actions.do_update_inquiry(user, inquiry, team=team, **data)
        except InquiryRuleError as exc:
            form.add_error("team", str(exc))
        else:
            messages.success(request, "Inquiry saved.")
            return redirect("inquiry:detail", inquiry_id=inquiry.pk)
    return render(request, "inquiry/form.html", {"form": form, "inquiry": inquiry,
                                                 "title": f"Edit {inquiry.title}",
                                                 "button": "Save"})


@allow(Role.TEACHER)
@require_POST
def inquiry_share(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Only the owner decides who outside the team reads her inquiry."""
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    if inquiry.owner_id != user.pk:
        raise Http404("No such inquiry.")
    share = request.POST.get("share") != "0"
    form = ShareForm(request.POST, inquiry=inquiry, withdrawing=not share)
    if not form.is_valid():
        if share and "until" in form.errors:
            messages.error(request, str(form.errors["until"][0]))
        else:
            messages.error(request, NOT_ELIGIBLE if share
                           else "It is not shared with that person.")
        return redirect("inquiry:detail", inquiry_id=inquiry.pk)
    person, until = form.cleaned_data["person"], form.cleaned_data.get("until")
    with showing_refusals(request) as attempt:
        actions.do_share_inquiry(user, inquiry, person, share=share, until=until,
                                 request=request)
    if attempt.ok:
        messages.success(request, shared_message(person, until) if share
                         else f"No longer shared with {person.display_name}.")
    return redirect("inquiry:detail", inquiry_id=inquiry.pk)


@allow(Role.TEACHER)
@require_POST
def inquiry_status(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Close or reopen (its editors, as on the edit form)."""
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    status = request.POST.get("status", "")
    if status not in (Inquiry.Status.CLOSED, Inquiry.Status.ACTIVE):
        messages.error(request, "Choose to close the inquiry or to reopen it.")
    else:
        actions.do_set_inquiry_status(user, inquiry, status=status, request=request)
        messages.success(request, "Inquiry closed." if status == Inquiry.Status.CLOSED
                         else "Inquiry reopened.")
    return redirect("inquiry:detail", inquiry_id=inquiry.pk)


@allow(Role.TEACHER)
@once
def teams(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TeamForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        school = user.roles.filter(school__isnull=False).first()
        actions.do_create_team(user, name=form.cleaned_data["name"],
                               kind=form.cleaned_data["kind"],
                               school=school.school if school else None,
                               members=form.cleaned_data["members"])
        messages.success(request, "Team created. Choose it when you start an inquiry.")
        return redirect("inquiry:teams")
    return render(request, "inquiry/teams.html", {
        "form": form, "teams": teams_of(user).prefetch_related("members")})


# ----------------------------------------------------------------------------- cycles


def _cycle_page(request: HttpRequest, cycle: Cycle, **forms: Any) -> HttpResponse:
    user = _user(request)
    editable = may_edit(user, cycle.inquiry)
    latest = cycle.inquiry.cycles.order_by("-number").first()
    learning = learning_events(cycle.inquiry)
    context = {
        "cycle": cycle, "inquiry": cycle.inquiry, "editable": editable,
        "is_latest": latest is not None and latest.pk == cycle.pk,
        "entries": cycle.log_entries.select_related("author"),
        "studies": [
            (m, study_series(m, list(m.sections.all()), title=f"{m.name}: all classes",
                             together=True, cycles=list(cycle.inquiry.cycles.all()),
                             learning=learning))
            for m in cycle.inquiry.measures.prefetch_related("sections")],
        "plan_form": forms.get("plan_form") or PlanForm(instance=cycle),
        "log_form": forms.get("log_form") or LogForm(),
        "study_form": forms.get("study_form") or StudyForm(
            initial={"notes": cycle.study_notes}),
        "act_form": forms.get("act_form") or ActForm(
            initial={"decision": cycle.decision, "reason": cycle.decision_reason},
            closed=cycle.inquiry.status == Inquiry.Status.CLOSED),
        "cycles": cycle.inquiry.cycles.all(),
    }
    return render(request, "inquiry/cycle.html", context,
                  status=400 if any(f.errors for f in forms.values()) else 200)


@allow(*READERS)
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_page(request, access_cycle(_user(request), cycle_id))


@allow(Role.TEACHER)
@require_POST
def cycle_plan(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(_user(request), cycle_id, edit=True)
    form = PlanForm(request.POST, instance=Cycle.objects.get(pk=cycle.pk))
    if not form.is_valid():
        return _cycle_page(request, cycle, plan_form=form)
    actions.do_update_plan(_user(request), cycle, **form.cleaned_data)
    messages.success(request, "Plan saved.")
    return redirect(reverse("inquiry:cycle", args=[cycle.pk]) + "#plan-h")


@allow(Role.TEACHER)
@require_POST
@once
def cycle_log(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(_user(request), cycle_id, edit=True)
    form = LogForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, log_form=form)
    actions.do_add_log_entry(_user(request), cycle, when=form.cleaned_data["when"],
                             text=form.cleaned_data["text"])
    messages.success(request, "Added to the log.")
    return redirect(reverse("inquiry:cycle", args=[cycle.pk]) + "#do-h")


@allow(Role.TEACHER)
@require_POST
def cycle_study(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(_user(request), cycle_id, edit=True)
    form = StudyForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, study_form=form)
    actions.do_save_study_notes(_user(request), cycle, notes=form.cleaned_data["notes"])
    messages.success(request, "Study notes saved.")
    return redirect(reverse("inquiry:cycle", args=[cycle.pk]) + "#study-h")


@allow(Role.TEACHER)
@require_POST
def cycle_act(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(_user(request), cycle_id, edit=True)
    form = ActForm(request.POST, closed=cycle.inquiry.status == Inquiry.Status.CLOSED)
    if not form.is_valid():
        return _cycle_page(request, cycle, act_form=form)
    close = bool(form.cleaned_data.get("close"))
    actions.do_act(_user(request), cycle, decision=form.cleaned_data["decision"],
                   reason=form.cleaned_data["reason"], close=close, request=request)
    messages.success(request, "Decision saved; the inquiry is closed." if close
                     else "Decision saved.")
    return redirect(reverse("inquiry:cycle", args=[cycle.pk]) + "#act-h")


@allow(Role.TEACHER)
@require_POST
@once
def cycle_next(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(_user(request), cycle_id, edit=True)
    try:
        nxt = actions.do_start_next_cycle(_user(request), cycle)
    except InquiryRuleError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("inquiry:cycle", args=[cycle.pk]) + "#act-h")
    messages.success(request, f"Cycle {nxt.number} started from your decision.")
    return redirect("inquiry:cycle", cycle_id=nxt.pk)


# --------------------------------------------------------------------------- measures


def _measure_fields(form: MeasureForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "sections"}


@allow(Role.TEACHER)
@once
def measure_create(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    form = MeasureForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        measure = actions.do_create_measure(user, inquiry,
                                            sections=form.cleaned_data["sections"],
                                            **_measure_fields(form))
        messages.success(request, "Measure added. Enter its first data.")
        return redirect("inquiry:measure", measure_id=measure.pk)
    return render(request, "inquiry/measure_form.html", {
        "form": form, "inquiry": inquiry, "title": "Add a measure", "button": "Add measure"})


@allow(Role.TEACHER)
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    form = MeasureForm(request.POST or None, instance=Measure.objects.get(pk=measure.pk),
                       user=user)
    if request.method == "POST" and form.is_valid():
        mine = set(sections_taught_by(user))
        chosen = set(form.cleaned_data["sections"])
        with showing_refusals(request, form=form, done="Measure saved.") as attempt:
            actions.do_update_measure(user, measure, add_sections=chosen,
                                      remove_sections=mine - chosen, **_measure_fields(form))
        if attempt.ok:
            return redirect("inquiry:measure", measure_id=measure.pk)
    return render(request, "inquiry/measure_form.html", {
        "form": form, "inquiry": measure.inquiry, "measure": measure,
        "title": f"Edit {measure.name}", "button": "Save"})


@allow(*READERS)
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id)
    editable = may_edit(user, measure.inquiry)
    mine = set(sections_taught_by(user).values_list("pk", flat=True)) if editable else set()
    rows = []
    for section in measure.sections.select_related("school").order_by("title"):
        occ = (Occasion.objects.filter(measure=measure, section=section)
               .select_related("total").annotate(
                   n_values=Count("values", filter=Q(values__value__isnull=False)),
                   n_missing=Count("values", filter=Q(values__value__isnull=True))))
        rows.append({"section": section, "occasions": list(occ),
                     "can_enter": section.pk in mine})
    return render(request, "inquiry/measure.html", {
        "measure": measure, "inquiry": measure.inquiry, "editable": editable, "rows": rows})


# ------------------------------------------------------------------------ data entry


def _parse_grid(post: Any, students: list[Student], measure: Measure
                ) -> tuple[dict[int, float | None], dict[int, str]]:
    values: dict[int, float | None] = {}
    errors: dict[int, str] = {}
    for s in students:
        raw = str(post.get(f"v-{s.pk}", ""))
        value, ok = imports.parse_number(raw) if len(raw) <= 50 else (None, False)
        problem = None if ok else f"{raw[:50]!r} " + (
            imports.number_problem(raw) if len(raw) <= 50 else "is too long to be a value")
        problem = problem or actions.check_value(measure, value)
        if problem:
            errors[s.pk] = f"{s.display_name}: {raw} {problem}" if ok else \
                f"{s.display_name}: {problem}"
        values[s.pk] = value
    return values, errors


def _entry(request: HttpRequest, measure: Measure, section: Section,
           occasion: Occasion | None) -> HttpResponse:
    user = _user(request)
    students = current_students(section)
    if occasion is not None:
        extra = set(occasion.values.values_list("student_id", flat=True)) - {
            s.pk for s in students}
        students += list(Student.objects.filter(pk__in=extra))
    initial = ({"when": occasion.date, "label": occasion.label} if occasion else {})
    occ_form = OccasionForm(request.POST or None, initial=initial)
    total_initial = ({"numerator": occasion.total.numerator,
                      "denominator": occasion.total.denominator}
                     if occasion is not None and hasattr(occasion, "total") else
                     {"denominator": len(students) or None})
    total_form = None if measure.per_student else TotalForm(request.POST or None,
                                                            initial=total_initial)
    existing = ({v.student_id: v.value for v in occasion.values.all()} if occasion else {})
    cells: dict[int, str] = {k: "" if v is None else f"{v:g}" for k, v in existing.items()}
    errors: dict[int, str] = {}
    problem = ""
    if request.method == "POST":
        cells = {s.pk: str(request.POST.get(f"v-{s.pk}", ""))[:50] for s in students}
        values, errors = (_parse_grid(request.POST, students, measure) if measure.per_student
                          else ({}, {}))
        forms_ok = occ_form.is_valid() and (total_form is None or total_form.is_valid())
        if forms_ok and not errors:
            data = OccasionData(
                when=occ_form.cleaned_data["when"], label=occ_form.cleaned_data["label"],
                values=values if measure.per_student else None,
                total=None if total_form is None else (total_form.cleaned_data["numerator"],
                                                       total_form.cleaned_data["denominator"]))
            try:
                actions.do_save_occasion(user, measure, section, data, occasion=occasion,
                                         request=request)
            except InquiryRuleError as exc:
                problem = str(exc)
            else:
                messages.success(request, f"Saved {section.title}, "
                                          f"{data.when:%Y-%m-%d}.")
                return redirect("inquiry:measure", measure_id=measure.pk)
    if measure.per_student:
        record_student_read(request, [s.pseudonym for s in students], obj=section,
                            summary=f"Data entry for {measure.name}: {section.title}")
    scale = [(f"{v:g}", label) for v, label in measure.likert_points]
    # A value that is not a labelled point (entered before the labels) stays selectable,
    # so that saving the grid never turns it into "missing".
    points = {v for v, _ in scale}
    rows = [{"student": s, "value": cells.get(s.pk, ""), "error": errors.get(s.pk, ""),
             "off_scale": cells.get(s.pk, "") if scale and cells.get(s.pk, "") not in points
             else ""}
            for s in students]
    return render(request, "inquiry/entry.html", {
        "measure": measure, "inquiry": measure.inquiry, "section": section,
        "scale": scale,
        "occasion": occasion, "occ_form": occ_form, "total_form": total_form, "rows": rows,
        "cell_errors": [errors[s.pk] for s in students if s.pk in errors],
        "problem": problem,
    }, status=400 if request.method == "POST" else 200)


@allow(Role.TEACHER)
@once
def enter_data(request: HttpRequest, measure_id: int, section_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    section = access_entry_section(user, measure, section_id)
    return _entry(request, measure, section, None)


@allow(Role.TEACHER)
def occasion_edit(request: HttpRequest, occasion_id: int) -> HttpResponse:
    occasion = access_occasion(_user(request), occasion_id)
    return _entry(request, occasion.measure, occasion.section, occasion)


# --------------------------------------------------------------------------- import


@allow(Role.TEACHER)
def import_data(request: HttpRequest, measure_id: int, section_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    section = access_entry_section(user, measure, section_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"measure": measure, "inquiry": measure.inquiry,
                               "section": section, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "inquiry/import.html", context,
                      status=400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    if upload.size > imports.MAX_BYTES:
        context["refused"] = (f"The file is {upload.size:,} bytes; the limit is "
                              f"{imports.MAX_BYTES:,}.")
        return render(request, "inquiry/import.html", context, status=400)
    try:
        parsed = imports.parse_measure_file(upload.name, upload.read(), measure=measure,
                                            students=current_students(section))
    except imports.ImportRefused as exc:
        context["refused"] = str(exc)
        return render(request, "inquiry/import.html", context, status=400)
    context["parsed"] = parsed
    if parsed.errors:
        return render(request, "inquiry/import.html", context, status=400)
    token = secrets.token_urlsafe(12)
    request.session[IMPORT_SESSION_KEY] = {
        "token": token, "measure": measure.pk, "section": section.pk,
        "file": upload.name[:200], "occasions": imports.to_session(parsed)}
    existing = set(Occasion.objects.filter(measure=measure, section=section)
                   .values_list("date", "label"))
    context.update(token=token, preview=[
        {"occasion": o, "updates": (o.when, o.label) in existing,
         "present": sum(v is not None for v in (o.values or {}).values()),
         "missing": sum(v is None for v in (o.values or {}).values())}
        for o in parsed.occasions])
    return render(request, "inquiry/import.html", context)


@allow(Role.TEACHER)
@require_POST
@once
def import_apply(request: HttpRequest, measure_id: int, section_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    section = access_entry_section(user, measure, section_id)
    held = request.session.get(IMPORT_SESSION_KEY) or {}
    if (held.get("token") != request.POST.get("token") or held.get("measure") != measure.pk
            or held.get("section") != section.pk):
        messages.error(request, "That import preview has expired; upload the file again.")
        return redirect("inquiry:import", measure_id=measure.pk, section_id=section.pk)
    try:
        saved = actions.do_apply_import(user, measure, section,
                                        imports.from_session(held["occasions"]),
                                        file_name=held["file"], request=request)
    except InquiryRuleError as exc:
        messages.error(request, f"Nothing was imported: {exc}")
        return redirect("inquiry:import", measure_id=measure.pk, section_id=section.pk)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, f"Imported {len(saved)} occasion{'s' * (len(saved) != 1)}.")
    return redirect("inquiry:measure", measure_id=measure.pk)


# ---------------------------------------------------------------------------- study


@allow(*READERS)
def study(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Each class side by side, and all classes together when there are several."""
    user = _user(request)
    measure = access_measure(user, measure_id)
    part = rendered_study(user, measure)
    record_student_read(request, part["pseudonyms"], obj=measure,
                        summary=f"Study view of {measure.name} (per-student growth)")
    return render(request, "inquiry/study.html", {
        "measure": measure, "inquiry": measure.inquiry,
        "study_blocks": mark_safe(part["html"]),  # drawn by our own template
    })


def rendered_study(user: User, measure: Measure) -> dict[str, Any]:
    """The study's blocks as ``user`` may see them, rendered, with the students whose rows
    they show: kept in the pages cache under a key of everything they are drawn from
    (``study_key``), so a second reader with the same rights, and the same reader again,
    get them without the study being made. Stale summaries are refreshed first, as every
    reader of them does (docs/decisions.md, "Study pages cached by content")."""
    language = get_language() or settings.LANGUAGE_CODE
    key = study_key(user, measure, names=True, language=language)
    if key is None:
        refresh_measures([measure.pk])
        key = study_key(user, measure, names=True, language=language)

    def draw() -> dict[str, Any]:
        study = study_measure(user, measure, names=True)
        html = render_to_string("inquiry/_study_blocks.html", {
            "measure": measure, "blocks": study.blocks, "together": study.together,
            "together_heading": study.together_heading,
            "min_group_size": settings.MIN_GROUP_SIZE})
        return {"html": html, "pseudonyms": sorted(study.pseudonyms)}

    if key is None:  # deleted meanwhile, or refreshed by nobody: draw it, keep nothing
        return draw()
    return cast(dict[str, Any], caches["pages"].get_or_set(key, draw))


# -------------------------------------------------------------------------- deletion


@allow(Role.TEACHER)
def inquiry_delete(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Only the owner deletes an inquiry: GET says what would be lost, POST deletes."""
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    if inquiry.owner_id != user.pk:
        raise Http404("No such inquiry.")
    if request.method == "POST":
        title = inquiry.title
        actions.do_delete_inquiry(user, inquiry, request=request)
        messages.success(request, f"Deleted the inquiry “{title}”.")
        return redirect("inquiry:list")
    return render(request, "inquiry/delete.html", {
        "inquiry": inquiry, "losses": inquiry_losses(inquiry), "what": "inquiry",
        "name": inquiry.title, "back": reverse("inquiry:detail", args=[inquiry.pk])})


@allow(Role.TEACHER)
def measure_delete(request: HttpRequest, measure_id: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    if request.method == "POST":
        name = measure.name
        try:
            actions.do_delete_measure(user, measure, request=request)
        except InquiryRuleError as exc:
            refused, status = str(exc), 403
        else:
            messages.success(request, f"Deleted the measure “{name}” and its data.")
            return redirect("inquiry:detail", inquiry_id=measure.inquiry_id)
    else:
        refused, status = actions.measure_delete_refusal(user, measure), 200
    return render(request, "inquiry/delete.html", {
        "inquiry": measure.inquiry, "measure": measure, "losses": measure_losses(measure),
        "what": "measure", "name": measure.name, "refused": refused,
        "back": reverse("inquiry:measure", args=[measure.pk])}, status=status)


@allow(Role.TEACHER)
def occasion_delete(request: HttpRequest, occasion_id: int) -> HttpResponse:
    """A teacher of the class deletes one of its data points."""
    user = _user(request)
    occasion = access_occasion(user, occasion_id)
    measure = occasion.measure
    if request.method == "POST":
        actions.do_delete_occasion(user, occasion, request=request)
        messages.success(request, f"Deleted {occasion.section.title}, "
                                  f"{occasion.date:%Y-%m-%d}.")
        return redirect("inquiry:measure", measure_id=measure.pk)
    name = (f"{occasion.section.title}, {occasion.date:%Y-%m-%d}"
            + (f" {occasion.label}" if occasion.label else ""))
    return render(request, "inquiry/delete.html", {
        "inquiry": measure.inquiry, "measure": measure, "occasion": occasion,
        "losses": occasion_losses(occasion), "what": "data point", "name": name,
        "back": reverse("inquiry:measure", args=[measure.pk])})


# ------------------------------------------------------------------------------ teams


def _team_page(request: HttpRequest, team: Team, **forms: Any) -> HttpResponse:
    user = _user(request)
    members = list(team.members.order_by("last_name", "first_name"))
    owners = set(team.inquiries.values_list("owner_id", flat=True))
    return render(request, "inquiry/team.html", {
        "team": team,
        "members": [(m, m.pk in owners) for m in members],
        "inquiries": team.inquiries.select_related("owner").order_by("title"),
        "edit_form": forms.get("edit_form") or TeamEditForm(
            initial={"name": team.name, "kind": team.kind}),
        "add_form": forms.get("add_form") or AddMemberForm(team=team, user=user),
    }, status=400 if any(f.errors for f in forms.values()) else 200)


@allow(Role.TEACHER)
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_page(request, access_team(_user(request), team_id))


@allow(Role.TEACHER)
@require_POST
def team_rename(request: HttpRequest, team_id: int) -> HttpResponse:
    user = _user(request)
    team = access_team(user, team_id)
    form = TeamEditForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, edit_form=form)
    try:
        actions.do_rename_team(user, team, name=form.cleaned_data["name"],
                               kind=form.cleaned_data["kind"], request=request)
    except InquiryRuleError as exc:
        form.add_error("name", str(exc))
        return _team_page(request, team, edit_form=form)
    messages.success(request, "Team saved.")
    return redirect("inquiry:team", team_id=team.pk)


@allow(Role.TEACHER)
@require_POST
def team_add_member(request: HttpRequest, team_id: int) -> HttpResponse:
    user = _user(request)
    team = access_team(user, team_id)
    form = AddMemberForm(request.POST, team=team, user=user)
    if not form.is_valid():
        return _team_page(request, team, add_form=form)
    person = form.cleaned_data["member"]
    actions.do_add_team_member(user, team, person, request=request)
    # Confirmed by what she typed: the name shows on the team page, as every member's does.
    messages.success(request, f"{form.cleaned_data.get('email') or person.display_name} "
                              "joined the team.")
    return redirect("inquiry:team", team_id=team.pk)


@allow(Role.TEACHER)
@require_POST
def team_remove_member(request: HttpRequest, team_id: int, person_id: int) -> HttpResponse:
    user = _user(request)
    team = access_team(user, team_id)
    person = team.members.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such member.")
    with showing_refusals(request, done=f"{person.display_name} is no longer on the team."):
        actions.do_remove_team_member(user, team, person, request=request)
    return redirect("inquiry:team", team_id=team.pk)


@allow(Role.TEACHER)
def team_leave(request: HttpRequest, team_id: int) -> HttpResponse:
    """GET says what leaving does (which of her inquiries leave with her); POST leaves."""
    user = _user(request)
    team = access_team(user, team_id)
    if request.method == "POST":
        name = team.name
        taken = actions.do_leave_team(user, team, request=request)
        messages.success(request, f"You left {name}."
                         + (f" {len(taken)} of your inquiries are no longer shared with it."
                            if taken else ""))
        return redirect("inquiry:teams")
    return render(request, "inquiry/team_leave.html", {
        "team": team, "owned": actions.owned_team_inquiries(team, user),
        "others": team.inquiries.exclude(owner=user).count(),
        "last": not team.members.exclude(pk=user.pk).exists()})
