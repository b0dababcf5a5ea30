"""This app's part of the JSON API (uptake/api):
Learning plans, goals and learning sources.

Who sees what is what the pages show (``uptake.learning.access``): a plan, its goals, the
sources linked to them and its reviews to its owner and to the reviewers she shared it
with, while each still holds the role that made her eligible (a coach or leader at one of
the owner's schools, or a coordinator); a stopped share, a lapsed end date or a revoked
role gives the same 404 as a missing plan. Only the owner (a teacher or coach, as on the
pages) creates and changes plans and goals; sources are their recorder's own. Every write
goes through ``uptake.learning.actions`` with the pages' checks.

Framework elements appear as the pages show them: id, code, title and framework. Goals
align to elements by id (a code is unique only within its framework).
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.inquiry.access import inquiries_editable_by, inquiries_visible_to
from uptake.inquiry.models import Inquiry
from uptake.learning import actions, queries
from uptake.learning.access import (
    access_own_goal,
    access_own_plan,
    access_own_source,
    access_plan,
    alignable_elements,
    own_sources,
    plans_granted_to,
)
from uptake.learning.models import (
    MAX_SOURCE_HOURS,
    FrameworkElement,
    Goal,
    LearningPlan,
    LearningSource,
)

router = Router(tags=["Learning"])

PLAN_KEEPERS = (Role.TEACHER, Role.COACH)
PLAN_READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)

GoalStatus = Literal["not_started", "in_progress", "met", "not_met", "set_aside"]
SourceKind = Literal["book", "article", "webinar", "course", "conference", "network_thread",
                     "colleague_visit"]
LONG_TEXT = 20_000


def _caller(request: HttpRequest, roles: tuple[str, ...], missing: str) -> User:
    """The caller, if she holds one of the roles the pages admit; else the same 404."""
    me = support.me(request)
    if not me.has_role(*roles):
        raise Http404(missing)
    return me


# --------------------------------------------------------------------------- schemas

class ElementOut(Schema):
    id: int
    code: str
    title: str
    framework_id: int
    framework: str
    retired: bool


def _element(e: FrameworkElement) -> ElementOut:
    return ElementOut(id=e.pk, code=e.code, title=e.title, framework_id=e.framework_id,
                      framework=e.framework.name, retired=e.is_retired)


class LinkedInquiryOut(Schema):
    id: int
    title: str
    readable: bool


class GoalOut(Schema):
    id: int
    plan_id: int
    statement: str
    measure: str
    steps: str
    relevance: str
    target_date: dt.date
    status: GoalStatus
    elements: list[ElementOut]
    inquiries: list[LinkedInquiryOut]
    source_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


class _PlanFields(Schema):
    id: int
    title: str
    start_year: int
    end_year: int
    years: str
    focus: str
    owner_id: int
    owner_name: str
    is_mine: bool
    goal_count: int
    goals_met: int
    last_reviewed_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PlanItemOut(_PlanFields):
    @staticmethod
    def resolve_years(obj: LearningPlan) -> str:
        return obj.years_label

    @staticmethod
    def resolve_owner_name(obj: LearningPlan) -> str:
        return obj.owner.display_name

    @staticmethod
    def resolve_is_mine(obj: LearningPlan, context: dict[str, Any]) -> bool:
        return bool(obj.owner_id == context["request"].user.pk)


class StatusCountOut(Schema):
    status: GoalStatus
    count: int


class PlanReviewOut(Schema):
    id: int
    reviewer_id: int
    reviewer_name: str
    reviewed_on: dt.date
    notes: str
    next_steps: str


class LinkedSourceOut(Schema):
    id: int
    kind: SourceKind
    title: str
    author: str
    learned_on: dt.date
    hours: Decimal
    research_based: bool
    citation: str
    reflection: str


class PlanOut(_PlanFields):
    goals: list[GoalOut]
    status_counts: list[StatusCountOut]
    hours: Decimal
    sources: list[LinkedSourceOut]
    reviews: list[PlanReviewOut]


class SourceOut(Schema):
    id: int
    kind: SourceKind
    title: str
    author: str
    link: str
    learned_on: dt.date
    school_year: int
    hours: Decimal
    research_based: bool
    citation: str
    reflection: str
    goal_ids: list[int]
    inquiry_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_goal_ids(obj: LearningSource) -> list[int]:
        return sorted(g.pk for g in obj.goals.all())

    @staticmethod
    def resolve_inquiry_ids(obj: LearningSource) -> list[int]:
        return sorted(i.pk for i in getattr(obj, "informed", obj.inquiries.all()))


# ---------------------------------------------------------------------------- reads

def _plans_for(me: User) -> QuerySet[LearningPlan]:
    """Her own plans and those shared with her that she may still read."""
    mine = Q(owner=me, district_id=me.district_id)
    shared = Q(pk__in=plans_granted_to(me).values("pk"))
    return (LearningPlan.objects.filter(mine | shared).select_related("owner")
            .annotate(goal_count=Count("goals", distinct=True),
                      goals_met=Count("goals", filter=Q(goals__status=Goal.Status.MET),
                                      distinct=True),
                      last_reviewed_on=Max("reviews__reviewed_on")))


@router.get("/plans", response=list[PlanItemOut], summary="My learning plans and those "
                                                         "shared with me")
@support.paginate(ordering=("-start_year", "pk"))
def list_plans(request: HttpRequest, mine: bool | None = None,
               updated_since: dt.datetime | None = None,
               school_year: int | None = Query(None, ge=2000, le=2100)
               ) -> QuerySet[LearningPlan]:
    """My plans and the plans shared with me for review (while I may still read them),
    as the learning home lists them. ``mine=true`` keeps mine, ``mine=false`` those shared
    with me; ``school_year`` (its starting year) keeps plans covering it."""
    me = _caller(request, PLAN_READERS, "No such plan.")
    plans = _plans_for(me)
    if mine is not None:
        plans = plans.filter(owner=me) if mine else plans.exclude(owner=me)
    plans = support.where(plans, updated_at__gte=updated_since)
    if school_year is not None:
        plans = plans.filter(start_year__lte=school_year, end_year__gte=school_year)
    return plans


def _goals(plan: LearningPlan, reader: User) -> list[Goal]:
    goals: list[Goal] = list(plan.goals.prefetch_related(
        Prefetch("elements", queryset=FrameworkElement.objects.select_related("framework")))
        .annotate(source_count=Count("sources", distinct=True)))
    pursued = queries.linked_inquiries(goals, reader)
    for goal in goals:
        goal.inquiries_shown = [  # type: ignore[attr-defined]
            {"id": row["inquiry"].pk, "title": row["inquiry"].title,
             "readable": row["readable"]} for row in pursued[goal.pk]]
    return goals


def _goal_out(goal: Goal) -> GoalOut:
    return GoalOut(
        id=goal.pk, plan_id=goal.plan_id, statement=goal.statement, measure=goal.measure,
        steps=goal.steps, relevance=goal.relevance, target_date=goal.target_date,
        status=goal.status,  # type: ignore[arg-type]
        elements=[_element(e) for e in goal.elements.all()],
        inquiries=[LinkedInquiryOut(**i) for i in goal.inquiries_shown],  # type: ignore[attr-defined]
        source_count=getattr(goal, "source_count", 0), created_at=goal.created_at,
        updated_at=goal.updated_at)


@router.get("/plans/{plan_id}", response=PlanOut, summary="One learning plan, whole")
def get_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    """The plan as its page shows it: its goals (with the standards they align to and the
    inquiries that pursue them), counts of goals by status, the sources of learning linked
    to its goals with their reflections and hours, and its reviews."""
    me = _caller(request, PLAN_READERS, "No such plan.")
    plan = _plans_for(me).get(pk=access_plan(me, plan_id).pk)
    goals = _goals(plan, me)
    counts = {s: 0 for s in Goal.Status.values}
    for goal in goals:
        counts[goal.status] += 1
    sources = (LearningSource.objects.filter(goals__plan=plan).distinct()
               .order_by("-learned_on", "-pk"))
    item = PlanItemOut.from_orm(plan, context={"request": request}).model_dump()
    return PlanOut(
        **item, goals=[_goal_out(g) for g in goals],
        status_counts=[StatusCountOut(status=s, count=n)  # type: ignore[arg-type]
                       for s, n in counts.items() if n],
        hours=sources.aggregate(h=Sum("hours"))["h"] or Decimal("0"),
        sources=[LinkedSourceOut.from_orm(s) for s in sources],
        reviews=[PlanReviewOut(id=r.pk, reviewer_id=r.reviewer_id,
                           reviewer_name=r.reviewer.display_name,
                           reviewed_on=r.reviewed_on, notes=r.notes, next_steps=r.next_steps)
                 for r in plan.reviews.select_related("reviewer")])


class GoalItemOut(GoalOut):
    """A goal as the plan's goal list gives it (the same fields as ``GoalOut``)."""

    @staticmethod
    def resolve_elements(obj: Goal) -> list[ElementOut]:
        return [_element(e) for e in obj.elements.all()]

    @staticmethod
    def resolve_inquiries(obj: Goal, context: dict[str, Any]) -> list[LinkedInquiryOut]:
        rows = queries.linked_inquiries([obj], context["request"].user)[obj.pk]
        return [LinkedInquiryOut(id=r["inquiry"].pk, title=r["inquiry"].title,
                                 readable=r["readable"]) for r in rows]


@router.get("/plans/{plan_id}/goals", response=list[GoalItemOut], summary="A plan's goals")
@support.paginate(ordering=("target_date", "pk"))
def list_goals(request: HttpRequest, plan_id: int,
               updated_since: dt.datetime | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None
               ) -> QuerySet[Goal]:
    """The plan's SMART goals by target date, for its owner and its reviewers, with the
    standards they align to and the inquiries that pursue them (as on the plan's page).
    ``date_from``/``date_to`` bound the target date."""
    me = _caller(request, PLAN_READERS, "No such plan.")
    plan = access_plan(me, plan_id)
    goals = (plan.goals.select_related("plan", "plan__owner").prefetch_related(
        Prefetch("elements", queryset=FrameworkElement.objects.select_related("framework")))
        .annotate(source_count=Count("sources", distinct=True)))
    goals = support.where(goals, updated_at__gte=updated_since, target_date__gte=date_from,
                                 target_date__lte=date_to)
    return goals


# ------------------------------------------------------------------------- plan writes

class PlanIn(Schema):
    title: str = Field("", max_length=200)
    start_year: int = Field(ge=0, le=9999, description="The school year it starts in, "
                                                       "by its first calendar year.")
    end_year: int = Field(ge=0, le=9999)
    focus: str = Field("", max_length=LONG_TEXT)


class PlanPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    start_year: int | None = Field(None, ge=0, le=9999)
    end_year: int | None = Field(None, ge=0, le=9999)
    focus: str | None = Field(None, max_length=LONG_TEXT)


def _plan_answer(request: HttpRequest, plan: LearningPlan) -> PlanOut:
    return get_plan(request, plan.pk)


@router.post("/plans", response={201: PlanOut}, summary="Start a learning plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[PlanOut]:
    """A new plan of mine (a teacher's or coach's) over one to five school years."""
    me = _caller(request, PLAN_KEEPERS, "No such plan.")
    plan = actions.do_create_plan(owner=me, title=payload.title,
                                  start_year=payload.start_year, end_year=payload.end_year,
                                  focus=payload.focus)
    return Status(201, _plan_answer(request, plan))


def _not_null(payload: Schema, names: tuple[str, ...]) -> None:
    for name in names:
        if name in payload.model_fields_set and getattr(payload, name) is None:
            raise actions.LearningRuleError(f"{name} cannot be null.", field=name)


@router.patch("/plans/{plan_id}", response=PlanOut, summary="Change my learning plan")
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> PlanOut:
    """Change the title, years or focus of my plan; only the fields sent change. Years
    that would leave a goal's target date outside the plan are refused."""
    me = _caller(request, PLAN_KEEPERS, "No such plan.")
    plan = access_own_plan(me, plan_id)
    _not_null(payload, ("title", "start_year", "end_year", "focus"))
    actions.do_update_plan(
        plan, actor=me, title=payload.title or plan.title,
        start_year=payload.start_year if payload.start_year is not None else plan.start_year,
        end_year=payload.end_year if payload.end_year is not None else plan.end_year,
        focus=payload.focus if payload.focus is not None else plan.focus)
    return _plan_answer(request, plan)


# ------------------------------------------------------------------------- goal writes

class GoalIn(Schema):
    statement: str = Field(min_length=1, max_length=LONG_TEXT)
    measure: str = Field(min_length=1, max_length=LONG_TEXT)
    steps: str = Field(min_length=1, max_length=LONG_TEXT)
    relevance: str = Field(min_length=1, max_length=LONG_TEXT)
    target_date: dt.date
    status: GoalStatus = "not_started"
    element_ids: list[int] = Field(default_factory=list, max_length=200)
    inquiry_ids: list[int] = Field(default_factory=list, max_length=200)


class GoalPatch(Schema):
    statement: str | None = Field(None, min_length=1, max_length=LONG_TEXT)
    measure: str | None = Field(None, min_length=1, max_length=LONG_TEXT)
    steps: str | None = Field(None, min_length=1, max_length=LONG_TEXT)
    relevance: str | None = Field(None, min_length=1, max_length=LONG_TEXT)
    target_date: dt.date | None = None
    status: GoalStatus | None = None
    element_ids: list[int] | None = Field(None, max_length=200)
    inquiry_ids: list[int] | None = Field(None, max_length=200)


def _elements(plan: LearningPlan, ids: list[int], kept: set[int]) -> tuple[FrameworkElement, ...]:
    """Elements the goal form offers: the district's current ones, or ones already aligned."""
    offered = FrameworkElement.objects.filter(
        Q(pk__in=alignable_elements(plan.district_id).values("pk")) | Q(pk__in=kept),
        pk__in=ids).select_related("framework")
    found = {e.pk: e for e in offered}
    unknown = sorted(set(ids) - set(found))
    if unknown:
        raise actions.LearningRuleError(
            f"Not elements of your district's current frameworks: {unknown[:10]}.",
            field="element_ids")
    return tuple(found[i] for i in dict.fromkeys(ids))


def _inquiries(owner: User, ids: list[int], kept: set[int], what: str) -> tuple[Inquiry, ...]:
    """Inquiries she may edit (her own or her team's), or ones already linked."""
    offered = Inquiry.objects.filter(
        Q(pk__in=inquiries_editable_by(owner).values("pk")) | Q(pk__in=kept), pk__in=ids)
    found = {i.pk: i for i in offered}
    unknown = sorted(set(ids) - set(found))
    if unknown:
        raise actions.LearningRuleError(
            f"Link {what} to your own or your team's inquiries (not {unknown[:10]}).",
            field="inquiry_ids")
    return tuple(found[i] for i in dict.fromkeys(ids))


@router.post("/plans/{plan_id}/goals", response={201: GoalOut}, summary="Add a goal")
def create_goal(request: HttpRequest, plan_id: int, payload: GoalIn) -> Status[GoalOut]:
    """A SMART goal on my plan, its target date within the plan's years, aligned to
    elements of my district's frameworks and linked to inquiries I may edit (by id)."""
    me = _caller(request, PLAN_KEEPERS, "No such plan.")
    plan = access_own_plan(me, plan_id)
    fields = actions.GoalFields(
        statement=payload.statement, measure=payload.measure, steps=payload.steps,
        relevance=payload.relevance, target_date=payload.target_date, status=payload.status,
        elements=_elements(plan, payload.element_ids, set()),
        inquiries=_inquiries(me, payload.inquiry_ids, set(), "goals"))
    goal = actions.do_add_goal(plan, actor=me, fields=fields)
    return Status(201, _one_goal(plan, goal.pk, me))


def _one_goal(plan: LearningPlan, goal_id: int, reader: User) -> GoalOut:
    return next(_goal_out(g) for g in _goals(plan, reader) if g.pk == goal_id)


def _own_goal(me: User, plan_id: int, goal_id: int) -> Goal:
    goal = access_own_goal(me, goal_id)
    if goal.plan_id != plan_id:
        raise Http404("No such goal.")
    return goal


@router.patch("/plans/{plan_id}/goals/{goal_id}", response=GoalOut, summary="Change a goal")
def update_goal(request: HttpRequest, plan_id: int, goal_id: int, payload: GoalPatch
                ) -> GoalOut:
    """Change a goal of my plan; only the fields sent change (``element_ids`` and
    ``inquiry_ids``, when sent, are the whole new list). Links to a team's inquiry I can
    no longer edit stay, as on the page."""
    me = _caller(request, PLAN_KEEPERS, "No such goal.")
    goal = _own_goal(me, plan_id, goal_id)
    _not_null(payload, ("statement", "measure", "steps", "relevance", "target_date",
                        "status"))
    kept_elements = set(goal.elements.values_list("pk", flat=True))
    kept_inquiries = set(goal.inquiries.values_list("pk", flat=True))
    # A link she can no longer make (she left the team) stays without being sent again.
    editable = set(inquiries_editable_by(me).values_list("pk", flat=True))
    element_ids = (payload.element_ids if payload.element_ids is not None
                   else sorted(kept_elements))
    inquiry_ids = (payload.inquiry_ids if payload.inquiry_ids is not None
                   else sorted(kept_inquiries))
    fields = actions.GoalFields(
        statement=payload.statement or goal.statement, measure=payload.measure or goal.measure,
        steps=payload.steps or goal.steps, relevance=payload.relevance or goal.relevance,
        target_date=payload.target_date or goal.target_date,
        status=payload.status or goal.status,
        elements=_elements(goal.plan, element_ids, kept_elements),
        inquiries=tuple(i for i in _inquiries(me, inquiry_ids, kept_inquiries, "goals")
                        if i.pk in editable))
    actions.do_update_goal(goal, actor=me, fields=fields)
    return _one_goal(goal.plan, goal.pk, me)


@router.delete("/plans/{plan_id}/goals/{goal_id}", response={204: None},
               summary="Delete a goal")
def delete_goal(request: HttpRequest, plan_id: int, goal_id: int) -> Status[None]:
    """Delete a goal of my plan (audited); sources linked to it are kept."""
    me = _caller(request, PLAN_KEEPERS, "No such goal.")
    goal = _own_goal(me, plan_id, goal_id)
    actions.do_delete_goal(goal, actor=me, request=request)
    return Status(204, None)


# ------------------------------------------------------------------------------ sources

def _sources(me: User) -> QuerySet[LearningSource]:
    informed = Prefetch("inquiries", to_attr="informed",
                        queryset=inquiries_visible_to(me).order_by("pk"))
    return own_sources(me).prefetch_related("goals", informed)


@router.get("/sources", response=list[SourceOut], summary="My sources of learning")
@support.paginate(ordering=("-learned_on", "-pk"))
def list_sources(request: HttpRequest, kind: SourceKind | None = None,
                 research_based: bool | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 updated_since: dt.datetime | None = None) -> QuerySet[LearningSource]:
    """What I learned from (books, courses, colleague visits …) with hours and
    reflections, newest first; ``date_from``/``date_to`` bound the day I learned it.
    Inquiries are named only while I may still read them."""
    me = _caller(request, PLAN_KEEPERS, "No such source.")
    sources = _sources(me)
    sources = support.where(sources, kind=kind, research_based=research_based,
                                     learned_on__gte=date_from, learned_on__lte=date_to,
                                     updated_at__gte=updated_since)
    return sources


def _one_source(me: User, source_id: int) -> LearningSource:
    try:
        return _sources(me).get(pk=access_own_source(me, source_id).pk)
    except LearningSource.DoesNotExist:
        raise Http404("No such source.") from None


@router.get("/sources/{source_id}", response=SourceOut, summary="One source of learning")
def get_source(request: HttpRequest, source_id: int) -> LearningSource:
    """One of my sources of learning, with the goals and inquiries it is linked to."""
    me = _caller(request, PLAN_KEEPERS, "No such source.")
    return _one_source(me, source_id)


class SourceIn(Schema):
    kind: SourceKind
    title: str = Field(min_length=1, max_length=300)
    learned_on: dt.date
    hours: Decimal = Field(Decimal("0"), ge=0, le=MAX_SOURCE_HOURS, max_digits=5,
                           decimal_places=2)
    author: str = Field("", max_length=300)
    link: str = Field("", max_length=500)
    research_based: bool = False
    citation: str = Field("", max_length=LONG_TEXT)
    reflection: str = Field("", max_length=LONG_TEXT)
    goal_ids: list[int] = Field(default_factory=list, max_length=200)
    inquiry_ids: list[int] = Field(default_factory=list, max_length=200)


class SourcePatch(Schema):
    kind: SourceKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    learned_on: dt.date | None = None
    hours: Decimal | None = Field(None, ge=0, le=MAX_SOURCE_HOURS, max_digits=5,
                                  decimal_places=2)
    author: str | None = Field(None, max_length=300)
    link: str | None = Field(None, max_length=500)
    research_based: bool | None = None
    citation: str | None = Field(None, max_length=LONG_TEXT)
    reflection: str | None = Field(None, max_length=LONG_TEXT)
    goal_ids: list[int] | None = Field(None, max_length=200)
    inquiry_ids: list[int] | None = Field(None, max_length=200)


def _my_goals(me: User, ids: list[int]) -> tuple[Goal, ...]:
    found = {g.pk: g for g in Goal.objects.filter(
        pk__in=ids, plan__owner=me, plan__district=me.district).select_related("plan")}
    unknown = sorted(set(ids) - set(found))
    if unknown:
        raise actions.LearningRuleError(f"Link sources to your own goals (not "
                                        f"{unknown[:10]}).", field="goal_ids")
    return tuple(found[i] for i in dict.fromkeys(ids))


@router.post("/sources", response={201: SourceOut}, summary="Record a source of learning")
def create_source(request: HttpRequest, payload: SourceIn) -> Status[LearningSource]:
    """Something I learned from, with its hours (0 to 200, two decimals) and reflection,
    linked to my goals and to inquiries I may edit (by id)."""
    me = _caller(request, PLAN_KEEPERS, "No such source.")
    fields = actions.SourceFields(
        kind=payload.kind, title=payload.title, learned_on=payload.learned_on,
        hours=payload.hours, author=payload.author, link=payload.link,
        research_based=payload.research_based, citation=payload.citation,
        reflection=payload.reflection, goals=_my_goals(me, payload.goal_ids),
        inquiries=_inquiries(me, payload.inquiry_ids, set(), "sources"))
    source = actions.do_add_source(owner=me, fields=fields)
    return Status(201, _one_source(me, source.pk))


@router.patch("/sources/{source_id}", response=SourceOut, summary="Change a source")
def update_source(request: HttpRequest, source_id: int, payload: SourcePatch
                  ) -> LearningSource:
    """Change one of my sources; only the fields sent change (``goal_ids`` and
    ``inquiry_ids``, when sent, are the whole new list)."""
    me = _caller(request, PLAN_KEEPERS, "No such source.")
    source = access_own_source(me, source_id)
    _not_null(payload, ("kind", "title", "learned_on", "hours", "author", "link",
                        "research_based", "citation", "reflection"))
    kept = set(source.inquiries.values_list("pk", flat=True))
    editable = set(inquiries_editable_by(me).values_list("pk", flat=True))
    goal_ids = (payload.goal_ids if payload.goal_ids is not None
                else list(source.goals.values_list("pk", flat=True)))
    inquiry_ids = payload.inquiry_ids if payload.inquiry_ids is not None else sorted(kept)
    chosen = _inquiries(me, inquiry_ids, kept, "sources")

    def value(name: str) -> Any:
        sent = getattr(payload, name)
        return sent if sent is not None else getattr(source, name)

    fields = actions.SourceFields(
        kind=value("kind"), title=value("title"), learned_on=value("learned_on"),
        hours=value("hours"), author=value("author"), link=value("link"),
        research_based=value("research_based"), citation=value("citation"),
        reflection=value("reflection"), goals=_my_goals(me, goal_ids),
        inquiries=tuple(i for i in chosen if i.pk in editable))
    actions.do_update_source(source, actor=me, fields=fields)
    return _one_source(me, source.pk)


@router.delete("/sources/{source_id}", response={204: None}, summary="Delete a source")
def delete_source(request: HttpRequest, source_id: int) -> Status[None]:
    """Delete one of my sources of learning (audited with its hours and school year)."""
    me = _caller(request, PLAN_KEEPERS, "No such source.")
    actions.do_delete_source(access_own_source(me, source_id), actor=me, request=request)
    return Status(204, None)

