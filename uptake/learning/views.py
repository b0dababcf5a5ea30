"""Learning plan pages: plans, goals, reviews and sharing for their owners and reviewers;
sources of learning for teachers and coaches; frameworks and the district overview for
coordinators. Views parse, call an action, render."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, district_id_of
from uptake.accounts.context import menu_for
from uptake.accounts.grants import grantees_of, grants_on, shared_message
from uptake.accounts.models import Role, User
from uptake.idempotency import once
from uptake.inquiry.access import access_inquiry, inquiries_visible_to
from uptake.learning import actions, hours, queries
from uptake.learning.access import (
    PLAN_GRANTS,
    access_element,
    access_framework,
    access_own_goal,
    access_own_plan,
    access_own_review,
    access_own_source,
    access_plan,
    own_sources,
    plans_shared_with,
)
from uptake.learning.forms import (
    AlignmentForm,
    ElementForm,
    FrameworkForm,
    GoalForm,
    PlanForm,
    ReviewForm,
    ShareForm,
    SourceFilterForm,
    SourceForm,
    element_tree,
)
from uptake.learning.models import (
    Framework,
    FrameworkElement,
    Goal,
    LearningPlan,
    LearningSource,
    school_year_bounds,
    school_year_label,
    school_year_of,
)
from uptake.views_support import showing_refusals

PLAN_KEEPERS = (Role.TEACHER, Role.COACH)
PLAN_READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
PLANS_PER_PAGE = 50
SOURCES_PER_PAGE = 50


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# -------------------------------------------------------------------------------- plans

@allow(*PLAN_READERS)
def home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    mine = (LearningPlan.objects.filter(owner=me, district=me.district)
            .annotate(goal_count=Count("goals", distinct=True),
                      met=Count("goals", filter=Q(goals__status=Goal.Status.MET),
                                distinct=True),
                      last_review=Max("reviews__reviewed_on")))
    return render(request, "learning/home.html", {
        "mine": mine, "shared": plans_shared_with(me),
        "keeps_plans": me.has_role(*PLAN_KEEPERS),
        "is_coordinator": me.has_role(Role.COORDINATOR),
        # Pages apps list here instead of the main row (the ego network: who she learns
        # from), see ``registry.MenuEntry.under``.
        "learning_pages": menu_for(request, frozenset(me.role_set()), under="learning")})


@allow(*PLAN_KEEPERS)
@once
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            plan = actions.do_create_plan(owner=_me(request), title=d["title"],
                                          start_year=d["start_year"], end_year=d["end_year"],
                                          focus=d["focus"])
        if attempt.ok:
            messages.success(request, "Plan created. Add your first goal.")
            return redirect("learning:plan", plan_id=plan.pk)
    if not form.is_bound:
        year = school_year_of(timezone.localdate())
        form.initial = {"start_year": year, "end_year": year + 2}
    return render(request, "learning/plan_form.html", {"form": form, "plan": None},
                  status=400 if form.errors else 200)


@allow(*PLAN_READERS)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    me = _me(request)
    plan = access_plan(me, plan_id)
    is_owner = plan.owner_id == me.pk
    goals = list(plan.goals.prefetch_related(
        Prefetch("elements", queryset=FrameworkElement.objects.select_related("framework")),
        "sources"))
    sources = (LearningSource.objects.filter(goals__plan=plan).distinct()
               .order_by("-learned_on", "-pk"))
    status_counts = {s: 0 for s in Goal.Status.values}
    pursued = queries.linked_inquiries(goals, me)
    for goal in goals:
        status_counts[goal.status] += 1
        goal.pursued = pursued[goal.pk]  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "plan": plan, "is_owner": is_owner, "me_id": me.pk, "goals": goals, "sources": sources,
        "hours": sources.aggregate(h=Sum("hours"))["h"] or Decimal("0"),
        "status_counts": [(Goal.Status(s).label, n) for s, n in status_counts.items() if n],
        "reviews": plan.reviews.select_related("reviewer"),
        "hour_years": [(y, school_year_label(y)) for y in _years_with(sources)],
    }
    if is_owner:
        context["grants"] = grants_on(plan, plan.owner, PLAN_GRANTS)
        context["share_form"] = ShareForm(plan=plan)
    return render(request, "learning/plan_detail.html", context)


@allow(*PLAN_KEEPERS)
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_own_plan(_me(request), plan_id)
    initial = {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
               "focus": plan.focus}
    form = PlanForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_plan(plan, actor=_me(request), title=d["title"],
                                   start_year=d["start_year"], end_year=d["end_year"],
                                   focus=d["focus"])
        if attempt.ok:
            messages.success(request, "Plan saved.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/plan_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
@require_POST
def plan_share(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_own_plan(_me(request), plan_id)
    form = ShareForm(request.POST, plan=plan)
    if form.is_valid():
        reviewer, until = form.cleaned_data["reviewer"], form.cleaned_data.get("until")
        with showing_refusals(request) as attempt:
            actions.do_share_plan(plan, actor=_me(request), reviewer=reviewer, until=until,
                                  request=request)
        if attempt.ok:
            messages.success(request, shared_message(reviewer, until))
    elif "until" in form.errors:
        messages.error(request, str(form.errors["until"][0]))
    else:
        messages.error(request, "Choose a coach, leader or coordinator to share with.")
    return redirect("learning:plan", plan_id=plan.pk)


@allow(*PLAN_KEEPERS)
@require_POST
def plan_unshare(request: HttpRequest, plan_id: int, person_id: int) -> HttpResponse:
    plan = access_own_plan(_me(request), plan_id)
    reviewer = grantees_of(plan).filter(pk=person_id).first()
    if reviewer is None:
        raise Http404("No such person.")
    actions.do_unshare_plan(plan, actor=_me(request), reviewer=reviewer, request=request)
    messages.success(request, f"{reviewer.display_name} can no longer read this plan.")
    return redirect("learning:plan", plan_id=plan.pk)


@allow(*PLAN_READERS)
@once
def review_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The owner, or a reviewer she shared with (reading access is reviewing access)."""
    me = _me(request)
    plan = access_plan(me, plan_id)
    by_owner = plan.owner_id == me.pk
    form = ReviewForm(request.POST or None, plan=plan, by_owner=by_owner,
                      initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            actions.do_log_review(plan, actor=me, reviewer=d.get("reviewer") or me,
                                  reviewed_on=d["reviewed_on"], notes=d["notes"],
                                  next_steps=d["next_steps"], request=request)
        if attempt.ok:
            messages.success(request, "Review logged.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/review_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
def plan_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    """GET: what would be lost; POST: delete it."""
    plan = access_own_plan(_me(request), plan_id)
    if request.method == "POST":
        title = plan.title
        actions.do_delete_plan(plan, actor=_me(request), request=request)
        messages.success(request, f"Deleted the plan “{title}”. Your sources of learning "
                                  "are kept.")
        return redirect("learning:home")
    sources = LearningSource.objects.filter(goals__plan=plan).distinct()
    return render(request, "learning/plan_delete.html", {
        "plan": plan, "goals": plan.goals.all(),
        "reviews": plan.reviews.select_related("reviewer"),
        "shares": grantees_of(plan), "source_count": sources.count()})


@allow(*PLAN_READERS)
def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    """Whoever logged a review corrects it."""
    me = _me(request)
    review = access_own_review(me, review_id)
    plan = review.plan
    by_owner = plan.owner_id == me.pk
    form = ReviewForm(request.POST or None, plan=plan, by_owner=by_owner,
                      keep_reviewer=review.reviewer,
                      initial={"reviewer": review.reviewer_id,
                               "reviewed_on": review.reviewed_on, "notes": review.notes,
                               "next_steps": review.next_steps})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_review(review, actor=me, reviewer=d.get("reviewer") or me,
                                     reviewed_on=d["reviewed_on"], notes=d["notes"],
                                     next_steps=d["next_steps"], request=request)
        if attempt.ok:
            messages.success(request, "Review corrected.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/review_form.html",
                  {"form": form, "plan": plan, "review": review},
                  status=400 if form.errors else 200)


@allow(*PLAN_READERS)
def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    """GET: the review that would be lost; POST: delete it."""
    review = access_own_review(_me(request), review_id)
    if request.method == "POST":
        plan_id = review.plan_id
        actions.do_delete_review(review, actor=_me(request), request=request)
        messages.success(request, "Review deleted.")
        return redirect("learning:plan", plan_id=plan_id)
    return render(request, "learning/review_delete.html", {"review": review,
                                                            "plan": review.plan})


# -------------------------------------------------------------------------------- goals

@allow(*PLAN_KEEPERS)
@once
def goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_own_plan(_me(request), plan_id)
    form = GoalForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_add_goal(plan, actor=_me(request), fields=form.fields_value())
        if attempt.ok:
            messages.success(request, "Goal added.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/goal_form.html", {"form": form, "plan": plan,
                                                        "goal": None},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = access_own_goal(_me(request), goal_id)
    initial = {"statement": goal.statement, "measure": goal.measure, "steps": goal.steps,
               "relevance": goal.relevance, "target_date": goal.target_date,
               "status": goal.status, "elements": list(goal.elements.all()),
               "inquiries": list(goal.inquiries.all())}
    form = GoalForm(request.POST or None, initial=initial, plan=goal.plan, goal=goal)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_goal(goal, actor=_me(request), fields=form.fields_value())
        if attempt.ok:
            messages.success(request, "Goal saved.")
            return redirect("learning:plan", plan_id=goal.plan_id)
    return render(request, "learning/goal_form.html", {"form": form, "plan": goal.plan,
                                                        "goal": goal},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    """GET: the goal and the sources that lose their link to it; POST: delete it."""
    goal = access_own_goal(_me(request), goal_id)
    plan_id = goal.plan_id
    if request.method == "POST":
        actions.do_delete_goal(goal, actor=_me(request), request=request)
        messages.success(request, "Goal deleted. Sources linked to it are kept.")
        return redirect("learning:plan", plan_id=plan_id)
    return render(request, "learning/goal_delete.html", {
        "goal": goal, "plan": goal.plan, "sources": goal.sources.order_by("-learned_on")})


# ------------------------------------------------------------------------------ sources

def hours_by_kind_and_year(sources: QuerySet[LearningSource]) -> dict[str, Any]:
    """Totals of hours per school year (rows) and kind (columns), with margins."""
    table: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for day, kind, spent in sources.values_list("learned_on", "kind", "hours"):
        table[school_year_of(day)][kind] += spent
    kinds = [k for k in LearningSource.Kind if any(k.value in row for row in table.values())]
    years = sorted(table, reverse=True)
    year_totals = {y: sum(table[y].values(), Decimal("0")) for y in years}
    rows = [{"year": school_year_label(y), "start": y,
             "cells": [table[y].get(k.value, Decimal("0")) for k in kinds],
             "total": year_totals[y]} for y in years]
    return {"kinds": [k.label for k in kinds], "rows": rows,
            "column_totals": [sum((table[y].get(k.value, Decimal("0")) for y in years),
                                  Decimal("0")) for k in kinds],
            "total": sum(year_totals.values(), Decimal("0"))}


def _filtered_sources(request: HttpRequest
                      ) -> tuple[SourceFilterForm, QuerySet[LearningSource], dict[str, Any]]:
    """Her sources, the filter form, the sources it chooses and the filters in use."""
    mine = own_sources(_me(request))
    years = sorted({school_year_of(d) for d in mine.values_list("learned_on", flat=True)},
                   reverse=True)
    form = SourceFilterForm(request.GET or None, years=years)
    chosen = mine
    used: dict[str, Any] = {}
    if form.is_valid():
        d = form.cleaned_data
        used = {k: v for k, v in d.items() if v not in ("", None)}
        if d.get("kind"):
            chosen = chosen.filter(kind=d["kind"])
        if d.get("year") is not None:
            chosen = chosen.filter(learned_on__range=school_year_bounds(d["year"]))
        if d.get("research"):
            chosen = chosen.filter(research_based=d["research"] == "yes")
        if d.get("q"):
            chosen = chosen.filter(Q(title__icontains=d["q"]) | Q(author__icontains=d["q"]))
    return form, chosen, used


@allow(*PLAN_KEEPERS)
def sources(request: HttpRequest) -> HttpResponse:
    form, chosen, _ = _filtered_sources(request)
    # Only inquiries she may still read are named (she may have left a team since).
    informed = Prefetch("inquiries", to_attr="informed",
                        queryset=inquiries_visible_to(_me(request)).order_by("title", "pk"))
    page = Paginator(chosen.prefetch_related("goals", informed), SOURCES_PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learning/sources.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "totals": hours_by_kind_and_year(chosen), "count": chosen.count(),
        "research_count": chosen.filter(research_based=True).count(),
        "summary_years": [(y, school_year_label(y))
                          for y in _years_with(own_sources(_me(request)))]})


def _export_sources(request: HttpRequest, what: str) -> HttpResponse:
    """Her sources with the list's filters, oldest first, with a total row; audited."""
    me = _me(request)
    _, chosen, used = _filtered_sources(request)
    rows = list(chosen.order_by("learned_on", "pk").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("target_date", "pk"))))
    summary = hours.totals(rows)
    actions.do_record_hours_export(actor=me, owner=me, what=what, count=summary.count,
                                   hours=summary.hours, request=request, filters=used)
    name = f"learning-hours-{timezone.localdate():%Y-%m-%d}.{what}"
    if what == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerows(hours.csv_rows(rows))
    else:
        response = HttpResponse(
            hours.xlsx_bytes(rows, title=f"Learning hours of {me.display_name}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@allow(*PLAN_KEEPERS)
def sources_csv(request: HttpRequest) -> HttpResponse:
    return _export_sources(request, "csv")


@allow(*PLAN_KEEPERS)
def sources_xlsx(request: HttpRequest) -> HttpResponse:
    return _export_sources(request, "xlsx")


def _check_year(year: int) -> None:
    if not actions.EARLIEST_YEAR <= year <= actions.LATEST_YEAR:
        raise Http404("No such school year.")


def _years_with(sources: QuerySet[LearningSource]) -> list[int]:
    return sorted({school_year_of(d) for d in sources.values_list("learned_on", flat=True)},
                  reverse=True)


def _summary_page(request: HttpRequest, *, owner: User, sources: QuerySet[LearningSource],
                  year: int, plan: LearningPlan | None = None) -> HttpResponse:
    summary = hours.year_summary(sources.filter(learned_on__range=school_year_bounds(year)),
                                 year)
    actions.do_record_hours_export(actor=_me(request), owner=owner, what="summary",
                                   count=summary.total.count, hours=summary.total.hours,
                                   request=request, plan=plan, year=year)
    schools = sorted({str(r.school.name) for r in owner.roles.select_related("school")
                      if r.school is not None})
    return render(request, "learning/hours_summary.html", {
        "summary": summary, "owner": owner, "plan": plan, "schools": schools,
        "year_label": school_year_label(year), "years": [
            (y, school_year_label(y)) for y in _years_with(sources)],
        "is_owner": owner.pk == _me(request).pk, "prepared_on": timezone.localdate()})


@allow(*PLAN_KEEPERS)
def hours_summary(request: HttpRequest, year: int) -> HttpResponse:
    """Her hours of learning in one school year, to print for a re-licensure file."""
    _check_year(year)
    me = _me(request)
    return _summary_page(request, owner=me, sources=own_sources(me), year=year)


@allow(*PLAN_READERS)
def plan_hours(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The same summary, of the sources linked to one plan's goals: what the plan's
    reviewers already read on the plan page, so the owner and they may open it."""
    _check_year(year)
    plan = access_plan(_me(request), plan_id)
    linked = LearningSource.objects.filter(
        pk__in=LearningSource.objects.filter(goals__plan=plan).values("pk"))
    return _summary_page(request, owner=plan.owner, sources=linked, year=year, plan=plan)


@allow(*PLAN_KEEPERS)
@once
def source_new(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    initial: dict[str, Any] = {"learned_on": timezone.localdate()}
    goal_id = request.GET.get("goal")
    if goal_id and goal_id.isdigit():
        initial["goals"] = list(Goal.objects.filter(pk=goal_id, plan__owner=me))
    form = SourceForm(request.POST or None, owner=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_add_source(owner=me, fields=form.fields_value())
        if attempt.ok:
            messages.success(request, "Source recorded.")
            return redirect("learning:sources")
    return render(request, "learning/source_form.html", {"form": form, "source": None},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    me = _me(request)
    source = access_own_source(me, source_id)
    initial = {f: getattr(source, f) for f in ("kind", "title", "author", "link",
                                               "learned_on", "hours", "research_based",
                                               "citation", "reflection")}
    initial["goals"] = list(source.goals.all())
    initial["inquiries"] = list(source.inquiries.all())
    form = SourceForm(request.POST or None, owner=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_source(source, actor=me, fields=form.fields_value())
        if attempt.ok:
            messages.success(request, "Source saved.")
            return redirect("learning:sources")
    return render(request, "learning/source_form.html", {"form": form, "source": source},
                  status=400 if form.errors else 200)


@allow(*PLAN_KEEPERS)
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    """GET: the source, its hours and reflection that would be lost; POST: delete it."""
    source = access_own_source(_me(request), source_id)
    if request.method == "POST":
        actions.do_delete_source(source, actor=_me(request), request=request)
        messages.success(request, "Source deleted.")
        return redirect("learning:sources")
    return render(request, "learning/source_delete.html", {
        "source": source, "goals": source.goals.select_related("plan")})


# -------------------------------------------------------------------- district overview

@allow(Role.COORDINATOR)
def district(request: HttpRequest) -> HttpResponse:
    """Plans exist and how they are going — never their goals' text or reflections."""
    district_id = district_id_of(_me(request))
    year = school_year_of(timezone.localdate())
    plans = (LearningPlan.objects.filter(district_id=district_id)
             .select_related("owner")
             .annotate(goal_count=Count("goals", distinct=True),
                       met=Count("goals", filter=Q(goals__status=Goal.Status.MET),
                                 distinct=True),
                       in_progress=Count("goals",
                                         filter=Q(goals__status=Goal.Status.IN_PROGRESS),
                                         distinct=True),
                       review_count=Count("reviews", distinct=True),
                       last_review=Max("reviews__reviewed_on"))
             .order_by("owner__last_name", "owner__first_name", "-start_year", "pk"))
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    this_year = LearningSource.objects.filter(district_id=district_id,
                                              learned_on__range=school_year_bounds(year))
    hours = dict(this_year.filter(owner__in=[p.owner_id for p in page.object_list])
                 .values("owner").annotate(h=Sum("hours")).values_list("owner", "h"))
    for plan in page.object_list:
        plan.hours_this_year = hours.get(plan.owner_id, Decimal("0"))  # type: ignore[attr-defined]
    standards = (FrameworkElement.objects
                 .filter(framework__district_id=district_id,
                         framework__kind=Framework.Kind.STANDARDS)
                 .annotate(teachers=Count("goals__plan__owner", distinct=True))
                 .select_related("framework")
                 .order_by("framework__name", "framework_id", "order", "code"))
    by_kind = (this_year.values("kind").annotate(h=Sum("hours"), n=Count("pk"))
               .order_by("kind"))
    kinds = dict(LearningSource.Kind.choices)
    return render(request, "learning/district.html", {
        "page": page, "year_label": school_year_label(year), "standards": standards,
        "by_kind": [{"kind": kinds.get(r["kind"], r["kind"]), "hours": r["h"], "n": r["n"]}
                    for r in by_kind],
        "plan_count": plans.count()})


# ---------------------------------------------------------------------------- frameworks

@allow(Role.COORDINATOR)
def frameworks(request: HttpRequest) -> HttpResponse:
    district_id = district_id_of(_me(request))
    listed = (Framework.objects.filter(district_id=district_id)
              .annotate(active=Count("elements", filter=Q(elements__retired_at__isnull=True)),
                        retired=Count("elements",
                                      filter=Q(elements__retired_at__isnull=False))))
    return render(request, "learning/frameworks.html", {"frameworks": listed})


@allow(Role.COORDINATOR)
@once
def framework_new(request: HttpRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            framework = actions.do_create_framework(actor=_me(request), name=d["name"],
                                                    kind=d["kind"],
                                                    description=d["description"],
                                                    request=request)
        if attempt.ok:
            messages.success(request, "Framework created. Add its elements below.")
            return redirect("learning:framework", framework_id=framework.pk)
    return render(request, "learning/framework_new.html", {"form": form},
                  status=400 if form.errors else 200)


def _framework_page(request: HttpRequest, framework: Framework, *,
                    form: FrameworkForm | None = None,
                    element_form: ElementForm | None = None, status: int = 200
                    ) -> HttpResponse:
    elements = list(framework.elements.annotate(goal_count=Count("goals"))
                    .select_related("parent"))
    by_pk = {e.pk: e for e in elements}
    ordered = [by_pk[e.pk] for e in element_tree(framework.elements.select_related(
        "framework"))]
    return render(request, "learning/framework_detail.html", {
        "framework": framework, "elements": ordered,
        "form": form or FrameworkForm(initial={"name": framework.name,
                                               "description": framework.description},
                                      editing=True),
        "element_form": element_form or ElementForm(framework=framework, prefix="element"),
    }, status=status)


@allow(Role.COORDINATOR)
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = access_framework(_me(request), framework_id)
    if request.method != "POST":
        return _framework_page(request, framework)
    form = FrameworkForm(request.POST, editing=True)
    if form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_framework(framework, actor=_me(request),
                                        name=form.cleaned_data["name"],
                                        description=form.cleaned_data["description"],
                                        request=request)
        if attempt.ok:
            messages.success(request, "Framework saved.")
            return redirect("learning:framework", framework_id=framework.pk)
    framework.refresh_from_db()
    return _framework_page(request, framework, form=form, status=400)


@allow(Role.COORDINATOR)
@require_POST
@once
def element_new(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = access_framework(_me(request), framework_id)
    form = ElementForm(request.POST, framework=framework, prefix="element")
    if form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            element = actions.do_add_element(framework, actor=_me(request), code=d["code"],
                                             title=d["title"], description=d["description"],
                                             parent=d.get("parent"), request=request)
        if attempt.ok:
            messages.success(request, f"Added {element}.")
            return redirect("learning:framework", framework_id=framework.pk)
    return _framework_page(request, framework, element_form=form, status=400)


@allow(Role.COORDINATOR)
def element_edit(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(_me(request), element_id)
    initial = {"code": element.code, "title": element.title,
               "description": element.description}
    form = ElementForm(request.POST or None, initial=initial, framework=element.framework,
                       editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_element(element, actor=_me(request), code=d["code"],
                                      title=d["title"], description=d["description"],
                                      request=request)
        if attempt.ok:
            messages.success(request, f"Saved {element}.")
            return redirect("learning:framework", framework_id=element.framework_id)
    return render(request, "learning/element_form.html", {"form": form, "element": element},
                  status=400 if form.errors else 200)


@allow(Role.COORDINATOR)
@require_POST
def element_move(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(_me(request), element_id)
    with showing_refusals(request):
        actions.do_move_element(element, actor=_me(request),
                                direction=request.POST.get("direction", ""), request=request)
    return redirect("learning:framework", framework_id=element.framework_id)


@allow(Role.COORDINATOR)
@require_POST
def element_remove(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(_me(request), element_id)
    label = str(element)
    outcome = actions.do_remove_element(element, actor=_me(request), request=request)
    if outcome == "retired":
        messages.success(request, f"Retired {label}: goals align to it, so it is kept for "
                                  "them but no longer offered for new goals.")
    else:
        messages.success(request, f"Deleted {label}.")
    return redirect("learning:framework", framework_id=element.framework_id)


@allow(Role.COORDINATOR)
@require_POST
def element_restore(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(_me(request), element_id)
    with showing_refusals(request) as attempt:
        actions.do_restore_element(element, actor=_me(request), request=request)
    if attempt.ok:
        messages.success(request, f"Restored {element}.")
    return redirect("learning:framework", framework_id=element.framework_id)


# ------------------------------------------------------------------ inquiry alignment

@allow(Role.TEACHER)
@require_POST
def inquiry_alignment(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Align an inquiry to framework elements (its owner or a member of its team; the
    form is a section of the inquiry's page, which it returns to)."""
    inquiry = access_inquiry(_me(request), inquiry_id, edit=True)
    form = AlignmentForm(request.POST, inquiry=inquiry)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        with showing_refusals(request, done="Alignment saved."):
            actions.do_align_inquiry(_me(request), inquiry, form.cleaned_data["elements"],
                                     request=request)
    return redirect(f"{reverse('inquiry:detail', args=[inquiry.pk])}#alignment-h")
