"""Looking at Student Work pages. Names are shown only to an editor of the inquiry who
teaches the set's class now (the access helpers admit nobody else), and each page that
shows them records the read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow
from uptake.accounts.models import Role, User
from uptake.audit.actions import record_student_read
from uptake.idempotency import once
from uptake.inquiry.access import access_inquiry, sections_taught_by
from uptake.inquiry.actions import current_students
from uptake.roster.models import Student
from uptake.studentwork import actions
from uptake.studentwork.access import (
    access_group,
    access_intervention,
    access_set,
    sets_editable_by,
)
from uptake.studentwork.models import GroupMember, WorkSampleSet
from uptake.views_support import showing_refusals


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _choices(post: Any, prefix: str) -> dict[int, int | None]:
    """"<prefix>-<student id>" -> chosen id ("" = none). Unparseable keys are refused."""
    chosen: dict[int, int | None] = {}
    for key, value in post.items():
        if not key.startswith(prefix + "-"):
            continue
        try:
            chosen[int(key.removeprefix(prefix + "-"))] = int(value) if value else None
        except ValueError:
            raise actions.StudentWorkRuleError(f"{key}: not a valid choice.") from None
    return chosen


@allow(Role.TEACHER)
def set_list(request: HttpRequest) -> HttpResponse:
    sets = sets_editable_by(request.user).select_related("inquiry", "section")
    return render(request, "studentwork/list.html", {"sets": sets})


@allow(Role.TEACHER)
@once
def set_new(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    sections = sections_taught_by(user)
    error, status = "", 200
    if request.method == "POST":
        section = sections.filter(pk=request.POST.get("section") or 0).first()
        when = _date(request.POST.get("date", ""))
        try:
            if section is None:
                raise actions.StudentWorkRuleError("Choose one of the classes you teach.")
            if when is None:
                raise actions.StudentWorkRuleError("Give the date as YYYY-MM-DD.")
            new = actions.do_create_set(user, inquiry, section=section, when=when,
                                        title=request.POST.get("title", ""),
                                        rubric=request.POST.get("rubric", ""))
        except actions.StudentWorkRuleError as exc:
            error, status = str(exc), 400
        else:
            return redirect("studentwork:detail", set_id=new.pk)
    return render(request, "studentwork/new.html", {
        "inquiry": inquiry, "sections": sections, "error": error, "posted": request.POST},
        status=status)


def _rows(sample_set: WorkSampleSet) -> list[dict[str, Any]]:
    students = {s.pk: s for s in current_students(sample_set.section)}
    scores = {s.student_id: s.level_id for s in sample_set.scores.all()}
    missing = set(scores) - set(students)
    students.update({s.pk: s for s in Student.objects.filter(pk__in=missing)})
    members = {m.student_id: m for m in GroupMember.objects.filter(sample_set=sample_set)}
    return [{"student": s, "level": scores.get(s.pk),
             "group": members[s.pk].group_id if s.pk in members else None}
            for s in sorted(students.values(), key=lambda s: (s.family_name, s.given_name))]


def _moved_up(member: GroupMember, before: dict[int, int | None],
              position: dict[int, int]) -> bool:
    was, now = before.get(member.student_id), member.rescore_id
    return was is not None and now is not None and position[now] > position[was]


def _tracking(sample_set: WorkSampleSet) -> list[dict[str, Any]]:
    """One row per intervention: the group, what was done, what followed."""
    position = {lv.pk: lv.position for lv in sample_set.levels.all()}
    before = {s.student_id: s.level_id for s in sample_set.scores.all()}
    rows = []
    for group in sample_set.groups.prefetch_related("members", "interventions"):
        members = list(group.members.all())
        rescored = [m for m in members if m.rescore_id is not None]
        up = len([m for m in rescored if _moved_up(m, before, position)])
        for intervention in group.interventions.all():
            rows.append({"group": group, "intervention": intervention, "size": len(members),
                         "rescored": len(rescored), "moved_up": up})
        if not group.interventions.all():
            rows.append({"group": group, "intervention": None, "size": len(members),
                         "rescored": 0, "moved_up": 0})
    return rows


# The set's page, one step at a time (it was one long page of forms): the overview, then
# the four steps of the protocol. Only the steps that name students record a read.
STEPS = (("overview", "Overview"), ("score", "Score"), ("group", "Group by next step"),
         ("interventions", "Interventions"), ("outcome", "What followed"))
NAMING_STEPS = frozenset({"score", "group", "interventions", "outcome"})


def _to_step(sample_set: WorkSampleSet, step: str) -> HttpResponse:
    return redirect(reverse("studentwork:detail", args=[sample_set.pk]) + f"?step={step}")


@allow(Role.TEACHER)
def set_detail(request: HttpRequest, set_id: int) -> HttpResponse:
    sample_set = access_set(request.user, set_id)
    step = request.GET.get("step", "overview")
    if step not in dict(STEPS):
        step = "overview"
    rows = _rows(sample_set)
    if step in NAMING_STEPS:
        record_student_read(request, [r["student"].pseudonym for r in rows], obj=sample_set,
                            summary=f"Viewed student work {sample_set.title!r} ({step})")
    groups = list(sample_set.groups.prefetch_related("interventions", "members__student"))
    keys = [key for key, _ in STEPS]
    following = keys[keys.index(step) + 1] if step != keys[-1] else None
    return render(request, "studentwork/detail.html", {
        "set": sample_set, "rows": rows, "levels": list(sample_set.levels.all()),
        "groups": groups, "tracking": _tracking(sample_set), "step": step,
        "steps": STEPS, "next_step": following, "next_label": dict(STEPS).get(following or ""),
        "progress": _progress(rows, groups)})


def _progress(rows: list[dict[str, Any]], groups: list[Any]) -> dict[str, int]:
    interventions = [iv for g in groups for iv in g.interventions.all()]
    return {"students": len(rows), "scored": sum(1 for r in rows if r["level"] is not None),
            "grouped": sum(1 for r in rows if r["group"] is not None), "groups": len(groups),
            "interventions": len(interventions),
            "outcomes": sum(1 for iv in interventions if iv.outcome_date)}


@allow(Role.TEACHER)
@require_POST
def set_scores(request: HttpRequest, set_id: int) -> HttpResponse:
    sample_set = access_set(request.user, set_id)
    with showing_refusals(request, done="Scores saved."):
        actions.do_score(_user(request), sample_set, _choices(request.POST, "score"),
                         request=request)
    return _to_step(sample_set, "score")


@allow(Role.TEACHER)
@require_POST
@once
def group_add(request: HttpRequest, set_id: int) -> HttpResponse:
    sample_set = access_set(request.user, set_id)
    with showing_refusals(request, done="Group added."):
        actions.do_add_group(_user(request), sample_set, name=request.POST.get("name", ""),
                             next_step=request.POST.get("next_step", ""))
    return _to_step(sample_set, "group")


@allow(Role.TEACHER)
@require_POST
def set_assign(request: HttpRequest, set_id: int) -> HttpResponse:
    sample_set = access_set(request.user, set_id)
    with showing_refusals(request, done="Groups saved."):
        actions.do_assign(_user(request), sample_set, _choices(request.POST, "group"),
                          request=request)
    return _to_step(sample_set, "group")


@allow(Role.TEACHER)
@require_POST
@once
def intervention_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    with showing_refusals(request, done="Intervention recorded."):
        when = _date(request.POST.get("when", ""))
        if when is None:
            raise actions.StudentWorkRuleError("Give the intervention's date as YYYY-MM-DD.")
        actions.do_add_intervention(_user(request), group, what=request.POST.get("what", ""),
                                    when=when)
    return _to_step(group.sample_set, "interventions")


@allow(Role.TEACHER)
@require_POST
def outcome(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = access_intervention(request.user, intervention_id)
    with showing_refusals(request, done="Outcome recorded."):
        when = _date(request.POST.get("outcome_date", ""))
        if when is None:
            raise actions.StudentWorkRuleError("Give the outcome's date as YYYY-MM-DD.")
        actions.do_record_outcome(_user(request), intervention, when=when,
                                  outcome=request.POST.get("outcome", ""),
                                  rescores=_choices(request.POST, "rescore"), request=request)
    return _to_step(intervention.group.sample_set, "outcome")
