"""Every change to frameworks, learning plans, goals, reviews and sources.

Each ``do_*`` function is atomic and checks the rules it enforces itself (views and forms
check too, for friendly messages, but no caller can skip these). Changes others should be
able to trace — sharing, reviews, framework edits, deletions — write an audit event in the
same transaction. Rules are raised as :class:`LearningRuleError` with a message the person
who asked can act on; the optional ``field`` names the form field it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from uptake.accounts.actions import GrantAudit, do_grant, do_withdraw_grants
from uptake.accounts.grants import end_of_day, grantees_of
from uptake.accounts.models import District, Grant, GrantReason, Role, User
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.inquiry.access import inquiries_editable_by
from uptake.inquiry.models import Inquiry
from uptake.learning.access import PLAN_GRANTS, is_eligible_reviewer, may_read_plan
from uptake.learning.models import (
    MAX_SOURCE_HOURS,
    Framework,
    FrameworkElement,
    Goal,
    LearningPlan,
    LearningSource,
    PlanReview,
    school_year_bounds,
    school_year_label,
    school_year_of,
)
from uptake.learning.seeds import FRAMEWORK_SEEDS, ElementSeed
from uptake.rules import RuleError

if TYPE_CHECKING:
    from django.http import HttpRequest

# A plan covers one to five school years; longer is a vision, not a plan.
MAX_PLAN_YEARS = 5
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class LearningRuleError(RuleError):
    """A change refused by a rule; the message is shown to the person who asked."""


# ------------------------------------------------------------------------------ seeding

def _seed_elements(framework: Framework, seeds: Sequence[ElementSeed],
                   parent: FrameworkElement | None = None) -> int:
    created = 0
    for order, seed in enumerate(seeds, start=1):
        element = FrameworkElement.objects.create(
            framework=framework, parent=parent, code=seed["code"], title=seed["title"],
            description=seed["description"], order=order)
        created += 1 + _seed_elements(framework, seed["children"], element)
    return created


@transaction.atomic
def do_seed_frameworks(district: District) -> list[Framework]:
    """Give the district the built-in frameworks it does not have yet (idempotent).

    Called for every new district (a ``post_save`` receiver in ``receivers.py``), so the
    ``accounts.actions.do_ensure_district``, ``uptake add-coordinator`` and the demo all get them;
    the data migration ``0002_seed_frameworks`` did the same for districts that existed
    before. A framework a coordinator renamed is recognised by its ``seed_key``.
    """
    made = []
    existing = set(Framework.objects.filter(district=district).values_list("seed_key",
                                                                           flat=True))
    taken_names = set(Framework.objects.filter(district=district).values_list("name",
                                                                              flat=True))
    for seed in FRAMEWORK_SEEDS:
        if seed["seed_key"] in existing:
            continue
        name = seed["name"] if seed["name"] not in taken_names else f"{seed['name']} (Uptake)"
        framework = Framework.objects.create(
            district=district, name=name, kind=seed["kind"],
            description=seed["description"], seed_key=seed["seed_key"])
        _seed_elements(framework, seed["elements"])
        made.append(framework)
    return made


# --------------------------------------------------------------------------- frameworks

def _check_coordinator_of(actor: User, district_id: int) -> None:
    # Access helpers already enforce this; repeated so that no caller can skip it.
    if actor.district_id != district_id or not actor.has_role(Role.COORDINATOR):
        raise LearningRuleError("Only the district's coordinators edit its frameworks.")


def _framework_event(actor: User, obj: Any, summary: str, request: HttpRequest | None,
                     **details: Any) -> None:
    record(AuditAction.FRAMEWORK_CHANGED, actor=actor, request=request, obj=obj,
           summary=summary, details=details)


def _check_framework_name(district_id: int, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise LearningRuleError("Give the framework a name.", field="name")
    clash = Framework.objects.filter(district_id=district_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise LearningRuleError(f"Your district already has a framework called “{name}”.",
                                field="name")
    return name


@transaction.atomic
def do_create_framework(*, actor: User, name: str, kind: str, description: str = "",
                        request: HttpRequest | None = None) -> Framework:
    if actor.district_id is None:
        raise LearningRuleError("Only the district's coordinators edit its frameworks.")
    district_id: int = actor.district_id
    _check_coordinator_of(actor, district_id)
    if kind not in Framework.Kind.values:
        raise LearningRuleError("Choose standards or teaching practice.", field="kind")
    name = _check_framework_name(district_id, name)
    framework = Framework.objects.create(district_id=district_id, name=name, kind=kind,
                                         description=description.strip())
    _framework_event(actor, framework, f"Created framework “{name}”", request,
                     change="created")
    return framework


@transaction.atomic
def do_update_framework(framework: Framework, *, actor: User, name: str, description: str,
                        request: HttpRequest | None = None) -> Framework:
    _check_coordinator_of(actor, framework.district_id)
    old = framework.name
    framework.name = _check_framework_name(framework.district_id, name, framework.pk)
    framework.description = description.strip()
    framework.save(update_fields=["name", "description"])
    _framework_event(actor, framework, f"Updated framework “{framework.name}”", request,
                     change="updated", old_name=old)
    return framework


def _check_code(framework: Framework, code: str, exclude_pk: int | None = None) -> str:
    code = code.strip()
    if not code:
        raise LearningRuleError("Give the element a short code, for example 3.2.",
                                field="code")
    clash = FrameworkElement.objects.filter(framework=framework, code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise LearningRuleError(f"Code {code} is already used in {framework.name} "
                                "(retired elements keep their codes).", field="code")
    return code


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise LearningRuleError("Give the element a title.", field="title")
    return title


@transaction.atomic
def do_add_element(framework: Framework, *, actor: User, code: str, title: str,
                   description: str = "", parent: FrameworkElement | None = None,
                   request: HttpRequest | None = None) -> FrameworkElement:
    """Add an element at the end of its level (under ``parent``, or at the top)."""
    _check_coordinator_of(actor, framework.district_id)
    if parent is not None and (parent.framework_id != framework.pk or parent.parent_id):
        # Two levels only: domains and their components.
        raise LearningRuleError("Choose a top-level element of this framework as the parent.",
                                field="parent")
    code = _check_code(framework, code)
    siblings = FrameworkElement.objects.filter(framework=framework, parent=parent)
    last = siblings.aggregate(m=Max("order"))["m"] or 0
    element = FrameworkElement.objects.create(
        framework=framework, parent=parent, code=code, title=_check_title(title),
        description=description.strip(), order=last + 1)
    _framework_event(actor, element, f"Added {element} to {framework.name}", request,
                     change="element_added", framework=framework.pk)
    return element


@transaction.atomic
def do_update_element(element: FrameworkElement, *, actor: User, code: str, title: str,
                      description: str, request: HttpRequest | None = None
                      ) -> FrameworkElement:
    """Rename an element. Goals aligned to it follow the new wording."""
    _check_coordinator_of(actor, element.framework.district_id)
    old = str(element)
    element.code = _check_code(element.framework, code, element.pk)
    element.title = _check_title(title)
    element.description = description.strip()
    element.save(update_fields=["code", "title", "description"])
    _framework_event(actor, element, f"Renamed {old} to {element}", request,
                     change="element_updated", framework=element.framework_id)
    return element


@transaction.atomic
def do_move_element(element: FrameworkElement, *, actor: User, direction: str,
                    request: HttpRequest | None = None) -> FrameworkElement:
    """Swap an element with its neighbour above ("up") or below ("down")."""
    _check_coordinator_of(actor, element.framework.district_id)
    if direction not in ("up", "down"):
        raise LearningRuleError("Move an element up or down.")
    siblings = list(FrameworkElement.objects.select_for_update()
                    .filter(framework_id=element.framework_id, parent_id=element.parent_id)
                    .order_by("order", "code", "pk"))
    # Renumber first: seeded or imported orders may have gaps or ties.
    index = next(i for i, s in enumerate(siblings) if s.pk == element.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        sibling.order = order
    FrameworkElement.objects.bulk_update(siblings, ["order"])
    _framework_event(actor, element, f"Moved {element} {direction}", request,
                     change="element_moved", framework=element.framework_id)
    element.refresh_from_db(fields=["order"])
    return element


def _subtree(element: FrameworkElement) -> list[FrameworkElement]:
    return [element, *FrameworkElement.objects.filter(parent=element)]


@transaction.atomic
def do_remove_element(element: FrameworkElement, *, actor: User,
                      request: HttpRequest | None = None) -> str:
    """Delete an element (and its components) no goal or inquiry aligns to; otherwise
    retire them.

    Returns ``"deleted"`` or ``"retired"``. Retiring keeps old goals meaningful; retired
    elements are no longer offered for new goals and can be restored.
    """
    _check_coordinator_of(actor, element.framework.district_id)
    tree = _subtree(element)
    in_use = (Goal.objects.filter(elements__in=tree).exists()
              or Inquiry.objects.filter(aligned_elements__in=tree).exists())
    label = str(element)
    if in_use:
        now = timezone.now()
        FrameworkElement.objects.filter(pk__in=[e.pk for e in tree],
                                        retired_at__isnull=True).update(retired_at=now)
        outcome = "retired"
    else:
        FrameworkElement.objects.filter(pk__in=[e.pk for e in tree]).delete()
        outcome = "deleted"
    _framework_event(actor, element.framework, f"{outcome.capitalize()} {label}", request,
                     change=f"element_{outcome}", element=label,
                     elements=len(tree))
    return outcome


@transaction.atomic
def do_restore_element(element: FrameworkElement, *, actor: User,
                       request: HttpRequest | None = None) -> FrameworkElement:
    _check_coordinator_of(actor, element.framework.district_id)
    if element.parent is not None and element.parent.retired_at is not None:
        raise LearningRuleError(f"Restore {element.parent} first; {element} belongs to it.")
    element.retired_at = None
    element.save(update_fields=["retired_at"])
    _framework_event(actor, element, f"Restored {element}", request,
                     change="element_restored", framework=element.framework_id)
    return element


# -------------------------------------------------------------------------------- plans

def _check_owner(actor: User, plan: LearningPlan) -> None:
    if plan.owner_id != actor.pk or plan.district_id != actor.district_id:
        raise LearningRuleError("Only the plan's owner changes it.")


def check_plan_years(start_year: int, end_year: int) -> None:
    if not EARLIEST_YEAR <= start_year <= LATEST_YEAR:
        raise LearningRuleError(f"Start with a school year between {EARLIEST_YEAR} and "
                                f"{LATEST_YEAR}.", field="start_year")
    if end_year < start_year:
        raise LearningRuleError(
            f"The plan ends ({school_year_label(end_year)}) before it starts "
            f"({school_year_label(start_year)}).", field="end_year")
    if end_year - start_year + 1 > MAX_PLAN_YEARS:
        raise LearningRuleError(f"A plan covers at most {MAX_PLAN_YEARS} school years.",
                                field="end_year")


@transaction.atomic
def do_create_plan(*, owner: User, title: str, start_year: int, end_year: int,
                   focus: str = "") -> LearningPlan:
    if owner.district_id is None or not owner.has_role(Role.TEACHER, Role.COACH):
        raise LearningRuleError("Learning plans are kept by teachers and coaches.")
    check_plan_years(start_year, end_year)
    title = title.strip() or f"Learning plan {school_year_label(start_year)}"
    return LearningPlan.objects.create(owner=owner, district_id=owner.district_id,
                                       title=title, start_year=start_year,
                                       end_year=end_year, focus=focus.strip())


@transaction.atomic
def do_update_plan(plan: LearningPlan, *, actor: User, title: str, start_year: int,
                   end_year: int, focus: str) -> LearningPlan:
    _check_owner(actor, plan)
    check_plan_years(start_year, end_year)
    first, last = school_year_bounds(start_year, end_year)
    outside = plan.goals.exclude(target_date__range=(first, last)).count()
    if outside:
        raise LearningRuleError(
            f"{outside} goal(s) have a target date outside {school_year_label(start_year)} "
            f"to {school_year_label(end_year)}; change those dates first.",
            field="end_year")
    plan.title = title.strip() or plan.title
    plan.start_year, plan.end_year, plan.focus = start_year, end_year, focus.strip()
    plan.updated_at = timezone.now()
    plan.save(update_fields=["title", "start_year", "end_year", "focus", "updated_at"])
    return plan


def _touch(plan: LearningPlan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def _grant_audit(plan: LearningPlan) -> GrantAudit:
    return GrantAudit(AuditAction.PLAN_SHARED, AuditAction.PLAN_UNSHARED,
                      f"Learning plan “{plan.title}”")


@transaction.atomic
def do_share_plan(plan: LearningPlan, *, actor: User, reviewer: User,
                  until: date | None = None, request: HttpRequest | None = None) -> Grant:
    """Record the owner's consent that the reviewer reads her plan (a grant, reason review);
    she reads it while she is a coach or leader where the owner works, or a coordinator."""
    _check_owner(actor, plan)
    if not is_eligible_reviewer(reviewer, actor):
        raise LearningRuleError("Share your plan with a coach or leader at your school, or "
                                "a district coordinator.", field="reviewer")
    return do_grant(plan, actor=actor, grantee=reviewer, rule=PLAN_GRANTS,
                    reason=GrantReason.REVIEW, audit=_grant_audit(plan),
                    expires_at=end_of_day(until), details={"reviewer": reviewer.pk},
                    request=request)


@transaction.atomic
def do_unshare_plan(plan: LearningPlan, *, actor: User, reviewer: User,
                    request: HttpRequest | None = None) -> bool:
    """Withdraw the reviewer's grant (kept, stamped, as history)."""
    _check_owner(actor, plan)
    return bool(do_withdraw_grants(plan, actor=actor, grantee=reviewer,
                                   audit=_grant_audit(plan), request=request))


@transaction.atomic
def do_delete_plan(plan: LearningPlan, *, actor: User,
                   request: HttpRequest | None = None) -> None:
    """Delete a plan with its goals, reviews and sharing. Sources linked to its goals are
    kept (they lose only the link): they are the teacher's record of hours."""
    _check_owner(actor, plan)
    record(AuditAction.DELETION, actor=actor, request=request, obj=plan,
           summary=f"Deleted learning plan “{plan.title[:200]}” ({plan.years_label})",
           details={"what": "learning_plan", "goals": plan.goals.count(),
                    "reviews": plan.reviews.count(),
                    "shared_with": list(grantees_of(plan).values_list("pk", flat=True)),
                    "sources_unlinked": LearningSource.objects.filter(goals__plan=plan)
                    .distinct().count()})
    do_withdraw_grants(plan, actor=actor, audit=None)
    plan.delete()


def _check_review(plan: LearningPlan, *, actor: User, reviewer: User, reviewed_on: date,
                  notes: str, kept_reviewer_id: int | None = None) -> None:
    """The owner names an eligible reviewer; a reviewer she shared with logs her own."""
    if actor.pk == plan.owner_id:
        if reviewer.pk == plan.owner_id or (
                reviewer.pk != kept_reviewer_id
                and not is_eligible_reviewer(reviewer, plan.owner)):
            raise LearningRuleError("The reviewer must be a coach or leader at your school, "
                                    "or a district coordinator.", field="reviewer")
    elif reviewer.pk != actor.pk or not may_read_plan(actor, plan):
        raise LearningRuleError("Only the plan's owner, or a reviewer she shared it with, "
                                "logs a review.")
    if reviewed_on > timezone.localdate():
        raise LearningRuleError("Log a review after it has taken place.", field="reviewed_on")
    if not notes.strip():
        raise LearningRuleError("Say what you talked about.", field="notes")


@transaction.atomic
def do_log_review(plan: LearningPlan, *, actor: User, reviewer: User, reviewed_on: date,
                  notes: str, next_steps: str = "",
                  request: HttpRequest | None = None) -> PlanReview:
    """Log a review conversation, by the owner or by a reviewer she shared the plan with."""
    _check_review(plan, actor=actor, reviewer=reviewer, reviewed_on=reviewed_on, notes=notes)
    review = PlanReview.objects.create(plan=plan, reviewer=reviewer, reviewed_on=reviewed_on,
                                       notes=notes.strip(), next_steps=next_steps.strip(),
                                       logged_by=actor)
    _touch(plan)
    record(AuditAction.PLAN_REVIEWED, actor=actor, request=request, obj=plan,
           summary=f"Review of learning plan “{plan.title}” with {reviewer.display_name} "
                   f"on {reviewed_on:%d %b %Y}",
           details={"review": review.pk, "reviewer": reviewer.pk,
                    "owner": plan.owner_id})
    return review


def _check_logged_by(actor: User, review: PlanReview) -> None:
    # Access helpers already enforce this; repeated so that no caller can skip it.
    if review.logged_by_id != actor.pk or review.plan.district_id != actor.district_id:
        raise LearningRuleError("Only the person who logged a review corrects or deletes it.")


@transaction.atomic
def do_update_review(review: PlanReview, *, actor: User, reviewer: User, reviewed_on: date,
                     notes: str, next_steps: str = "",
                     request: HttpRequest | None = None) -> PlanReview:
    """Correct a review, by the person who logged it (while she may still read the plan)."""
    _check_logged_by(actor, review)
    plan = review.plan
    _check_review(plan, actor=actor, reviewer=reviewer, reviewed_on=reviewed_on, notes=notes,
                  kept_reviewer_id=review.reviewer_id)
    before = {"reviewer": review.reviewer_id, "reviewed_on": review.reviewed_on.isoformat()}
    review.reviewer, review.reviewed_on = reviewer, reviewed_on
    review.notes, review.next_steps = notes.strip(), next_steps.strip()
    review.save(update_fields=["reviewer", "reviewed_on", "notes", "next_steps"])
    _touch(plan)
    # No audit kind of its own: a correction is recorded as the review it changes.
    record(AuditAction.PLAN_REVIEWED, actor=actor, request=request, obj=plan,
           summary=f"Corrected the review of learning plan “{plan.title}” with "
                   f"{reviewer.display_name} on {reviewed_on:%d %b %Y}",
           details={"change": "corrected", "review": review.pk, "reviewer": reviewer.pk,
                    "owner": plan.owner_id, "before": before})
    return review


@transaction.atomic
def do_delete_review(review: PlanReview, *, actor: User,
                     request: HttpRequest | None = None) -> None:
    _check_logged_by(actor, review)
    plan = review.plan
    record(AuditAction.DELETION, actor=actor, request=request, obj=plan,
           summary=f"Deleted the review of learning plan “{plan.title}” with "
                   f"{review.reviewer.display_name} on {review.reviewed_on:%d %b %Y}",
           details={"what": "learning_plan_review", "review": review.pk,
                    "reviewer": review.reviewer_id, "owner": plan.owner_id})
    review.delete()
    _touch(plan)


# -------------------------------------------------------------------------------- goals

@dataclass(frozen=True)
class GoalFields:
    statement: str
    measure: str
    steps: str
    relevance: str
    target_date: date
    status: str = Goal.Status.NOT_STARTED
    elements: tuple[FrameworkElement, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()


def check_elements(district_id: int, elements: Iterable[FrameworkElement],
                   already: Iterable[int] = ()) -> list[FrameworkElement]:
    """Elements of the district's own frameworks, not retired (unless already aligned)."""
    kept = set(already)
    chosen = list(elements)
    for element in chosen:
        if element.framework.district_id != district_id:
            raise LearningRuleError("Align goals to your own district's frameworks.",
                                    field="elements")
        if element.retired_at is not None and element.pk not in kept:
            raise LearningRuleError(f"{element} has been retired; choose a current element.",
                                    field="elements")
    return chosen


def check_goal(plan: LearningPlan, fields: GoalFields, already: Iterable[int] = ()
                ) -> list[FrameworkElement]:
    for name, label in (("statement", "the goal"), ("measure", "how you will measure it"),
                        ("steps", "the steps"), ("relevance", "why it matters")):
        if not getattr(fields, name).strip():
            raise LearningRuleError(f"Describe {label}.", field=name)
    if fields.status not in Goal.Status.values:
        raise LearningRuleError("Choose a status.", field="status")
    first, last = school_year_bounds(plan.start_year, plan.end_year)
    if not first <= fields.target_date <= last:
        raise LearningRuleError(
            f"Choose a target date within the plan ({first:%-d %b %Y} to {last:%-d %b %Y}).",
            field="target_date")
    check_inquiries(plan.owner, fields.inquiries, what="goals")
    return check_elements(plan.district_id, fields.elements, already)


def _goal_values(fields: GoalFields) -> dict[str, Any]:
    return {"statement": fields.statement.strip(), "measure": fields.measure.strip(),
            "steps": fields.steps.strip(), "relevance": fields.relevance.strip(),
            "target_date": fields.target_date, "status": fields.status}


@transaction.atomic
def do_add_goal(plan: LearningPlan, *, actor: User, fields: GoalFields) -> Goal:
    _check_owner(actor, plan)
    elements = check_goal(plan, fields)
    goal = Goal.objects.create(plan=plan, **_goal_values(fields))
    goal.elements.set(elements)
    _set_inquiries(goal, plan.owner, fields.inquiries)
    _touch(plan)
    return goal


@transaction.atomic
def do_update_goal(goal: Goal, *, actor: User, fields: GoalFields) -> Goal:
    _check_owner(actor, goal.plan)
    elements = check_goal(goal.plan, fields, goal.elements.values_list("pk", flat=True))
    for name, value in _goal_values(fields).items():
        setattr(goal, name, value)
    goal.updated_at = timezone.now()
    goal.save(update_fields=[*_goal_values(fields), "updated_at"])
    goal.elements.set(elements)
    _set_inquiries(goal, goal.plan.owner, fields.inquiries)
    _touch(goal.plan)
    return goal


@transaction.atomic
def do_delete_goal(goal: Goal, *, actor: User, request: HttpRequest | None = None) -> None:
    _check_owner(actor, goal.plan)
    plan = goal.plan
    record(AuditAction.DELETION, actor=actor, request=request, obj=goal,
           summary=f"Deleted a goal from learning plan “{plan.title}”",
           details={"what": "learning_goal", "plan": plan.pk})
    goal.delete()
    _touch(plan)


# ------------------------------------------------------------------------------ sources

@dataclass(frozen=True)
class SourceFields:
    kind: str
    title: str
    learned_on: date
    hours: Decimal = Decimal("0")
    author: str = ""
    link: str = ""
    research_based: bool = False
    citation: str = ""
    reflection: str = ""
    goals: tuple[Goal, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()


_url_validator = URLValidator(schemes=["http", "https"])


def check_link(link: str) -> str:
    """An http(s) address or nothing; ``javascript:``, ``data:`` and the like are refused."""
    link = link.strip()
    if not link:
        return ""
    scheme = urlsplit(link).scheme.lower()
    if scheme not in ("http", "https"):
        raise LearningRuleError("Give a web address starting with http:// or https://.",
                                field="link")
    try:
        _url_validator(link)
    except ValidationError:
        raise LearningRuleError("That is not a valid web address.", field="link") from None
    return link


def check_hours(hours: Decimal) -> Decimal:
    if not hours.is_finite() or hours < 0:
        raise LearningRuleError("Hours cannot be negative.", field="hours")
    if hours > MAX_SOURCE_HOURS:
        raise LearningRuleError(f"Record at most {MAX_SOURCE_HOURS} hours for one source; "
                                "split a longer course into parts.", field="hours")
    if hours != hours.quantize(Decimal("0.01")):
        raise LearningRuleError("Give hours to two decimal places at most.", field="hours")
    return hours


def _check_source(owner: User, fields: SourceFields, already_linked: Iterable[int] = ()
                  ) -> dict[str, Any]:
    if fields.kind not in LearningSource.Kind.values:
        raise LearningRuleError("Choose what kind of source this is.", field="kind")
    if not fields.title.strip():
        raise LearningRuleError("Give the source a title.", field="title")
    if fields.learned_on > timezone.localdate() + timedelta(days=1):
        raise LearningRuleError("Record a source once you have learned from it.",
                                field="learned_on")
    if any(g.plan.owner_id != owner.pk for g in fields.goals):
        raise LearningRuleError("Link sources to your own goals.", field="goals")
    check_inquiries(owner, fields.inquiries, already_linked)
    return {"kind": fields.kind, "title": fields.title.strip(),
            "author": fields.author.strip(), "link": check_link(fields.link),
            "learned_on": fields.learned_on, "hours": check_hours(fields.hours),
            "research_based": fields.research_based,
            "citation": fields.citation.strip() if fields.research_based else "",
            "reflection": fields.reflection.strip()}


def check_inquiries(owner: User, inquiries: Iterable[Inquiry], already: Iterable[int] = (),
                    *, what: str = "sources") -> None:
    """Inquiries she may edit (her own or her team's), or ones already linked."""
    wanted = {i.pk for i in inquiries} - set(already)
    editable = set(inquiries_editable_by(owner).filter(pk__in=wanted)
                   .values_list("pk", flat=True))
    if wanted - editable:
        raise LearningRuleError(f"Link {what} to your own or your team's inquiries.",
                                field="inquiries")


def _set_inquiries(linked: LearningSource | Goal, owner: User,
                   chosen: Iterable[Inquiry]) -> None:
    """Links to what she chose, keeping links to inquiries she can no longer edit (she left
    the team): the form does not offer those, so leaving them out is not unlinking them."""
    editable = inquiries_editable_by(owner).values("pk")
    kept = list(linked.inquiries.exclude(pk__in=editable).values_list("pk", flat=True))
    linked.inquiries.set([*{i.pk for i in chosen}, *kept])


@transaction.atomic
def do_add_source(*, owner: User, fields: SourceFields) -> LearningSource:
    if owner.district_id is None:
        raise LearningRuleError("Sources are recorded by people in a district.")
    values = _check_source(owner, fields)
    source = LearningSource.objects.create(owner=owner, district_id=owner.district_id,
                                           **values)
    source.goals.set(fields.goals)
    _set_inquiries(source, owner, fields.inquiries)
    return source


@transaction.atomic
def do_update_source(source: LearningSource, *, actor: User, fields: SourceFields
                     ) -> LearningSource:
    if source.owner_id != actor.pk:
        raise LearningRuleError("Only the person who recorded a source changes it.")
    values = _check_source(actor, fields, source.inquiries.values_list("pk", flat=True))
    for name, value in values.items():
        setattr(source, name, value)
    source.updated_at = timezone.now()
    source.save(update_fields=[*values, "updated_at"])
    source.goals.set(fields.goals)
    _set_inquiries(source, actor, fields.inquiries)
    return source


@transaction.atomic
def do_delete_source(source: LearningSource, *, actor: User,
                     request: HttpRequest | None = None) -> None:
    if source.owner_id != actor.pk:
        raise LearningRuleError("Only the person who recorded a source deletes it.")
    record(AuditAction.DELETION, actor=actor, request=request, obj=source,
           summary=f"Deleted learning source “{source.title[:200]}”",
           details={"what": "learning_source", "hours": str(source.hours),
                    "school_year": school_year_of(source.learned_on)})
    source.delete()


# ------------------------------------------------------------------------------ exports

def do_record_hours_export(*, actor: User, owner: User, what: str, count: int,
                           hours: Decimal, request: HttpRequest | None = None,
                           plan: LearningPlan | None = None, year: int | None = None,
                           filters: dict[str, Any] | None = None) -> None:
    """Audit an export of hours of learning (CSV, XLSX or a printed year summary).

    Only the owner exports her sources; a reviewer she shared a plan with may open the
    year summary of the sources linked to that plan."""
    if actor.pk != owner.pk and (plan is None or plan.owner_id != owner.pk
                                 or not may_read_plan(actor, plan)):
        raise LearningRuleError("Only the teacher exports her hours of learning.")
    labels = {"csv": "as CSV", "xlsx": "as an Excel workbook",
              "summary": "as a printable summary"}
    period = f" for {school_year_label(year)}" if year is not None else ""
    whose = "" if actor.pk == owner.pk else f" of {owner.display_name}"
    scope = f" linked to learning plan “{plan.title}”" if plan is not None else ""
    record(AuditAction.EXPORT, actor=actor, request=request, obj=plan or owner,
           summary=f"Exported {count} learning source{'s' if count != 1 else ''}{whose}"
                   f"{scope}{period} {labels[what]}",
           details={"what": f"learning_hours_{what}", "owner": owner.pk, "rows": count,
                    "hours": str(hours), "year": year, "plan": plan.pk if plan else None,
                    "filters": filters or {}})


# --------------------------------------------------------------------------------- demo

DEMO_PLAN_TITLE = "Student talk in every lesson"
DEMO_TEACHERS = 3

_DEMO_GOALS = (
    ("More of my students explain their thinking aloud in math, not just give answers.",
     "In four observed lessons a term, the share of students who explain their thinking "
     "rises from about a third to two thirds.",
     "Learn three talk moves; plan one discussion prompt per lesson; invite a colleague to "
     "observe and tally; look at the tallies with my coach each month.",
     "Students who explain their thinking understand more deeply, and I learn what they "
     "actually understand.", Goal.Status.IN_PROGRESS, ("DA", "IM", "3.2")),
    ("Use exit tickets every week to regroup students for the next lesson.",
     "Exit-ticket data drives at least one regrouping a week for a whole term.",
     "Write a bank of exit tickets with my grade-level team; agree on a 0-3 scale; "
     "schedule a weekly 20-minute data look.",
     "Regrouping on evidence closes gaps sooner than waiting for the unit test.",
     Goal.Status.NOT_STARTED, ("LC", "DA", "3.4")),
)

_DEMO_SOURCES = (
    (LearningSource.Kind.BOOK, "Classroom discussions in math", "A teacher-educator team",
     "", Decimal("6"), True, "A practitioner guide grounded in classroom research.",
     "The talk moves are simple; waiting after a question is the hard part."),
    (LearningSource.Kind.WEBINAR, "Talk moves that get every student talking",
     "State mathematics council", "https://example.org/webinars/talk-moves", Decimal("1.5"),
     False, "", "Turn-and-talk before whole-class sharing gives quieter students a start."),
    (LearningSource.Kind.NETWORK_THREAD, "#mathchat thread on wait time",
     "Teachers on social media", "https://example.org/threads/wait-time", Decimal("0.5"),
     False, "", "Several teachers count silently to seven; I will try it for two weeks."),
)


def _demo_elements(district: District, codes: Iterable[str]) -> list[FrameworkElement]:
    return list(FrameworkElement.objects.active().filter(
        framework__district=district, framework__seed_key__in=[
            s["seed_key"] for s in FRAMEWORK_SEEDS], code__in=list(codes)))


def _demo_plan(teacher: User, district: District, today: date) -> LearningPlan:
    year = school_year_of(today)
    plan = do_create_plan(owner=teacher, title=DEMO_PLAN_TITLE, start_year=year,
                          end_year=year + 2,
                          focus="Getting students to do more of the thinking and talking.")
    _, last_day = school_year_bounds(year)
    goals = [do_add_goal(plan, actor=teacher, fields=GoalFields(
        statement=s, measure=m, steps=st, relevance=r, target_date=last_day, status=status,
        elements=tuple(_demo_elements(district, codes))))
        for s, m, st, r, status, codes in _DEMO_GOALS]
    for n, (kind, title, author, link, hours, research, citation, reflection) in \
            enumerate(_DEMO_SOURCES):
        do_add_source(owner=teacher, fields=SourceFields(
            kind=kind, title=title, author=author, link=link,
            learned_on=max(today - timedelta(days=20 * (n + 1)), school_year_bounds(year)[0]),
            hours=hours, research_based=research, citation=citation,
            reflection=reflection, goals=(goals[0],)))
    return plan


def _demo_review(plan: LearningPlan, today: date) -> bool:
    from uptake.learning.access import eligible_reviewers

    coach = eligible_reviewers(plan.owner).filter(roles__role=Role.COACH).first()
    if coach is None:
        return False
    do_share_plan(plan, actor=plan.owner, reviewer=coach)
    do_log_review(plan, actor=coach, reviewer=coach, reviewed_on=today,
                  notes="Looked at the first month of talk tallies together; the share of "
                        "students explaining is up in two of the four prompts.",
                  next_steps="Try the wait-time routine; observe again in three weeks.")
    return True


@transaction.atomic
def do_load_learning_demo(district: District) -> list[LearningPlan]:
    """Give the demo district's first teachers a plan with goals and sources (idempotent).

    Teachers who already have the demo plan are left alone. The first of them with a coach
    at her school shares her plan with that coach, who has logged a review.
    """
    do_seed_frameworks(district)
    today = timezone.localdate()
    ids = (User.objects.filter(district=district, is_active=True, roles__role=Role.TEACHER)
           .order_by("roles__school__name", "last_name", "first_name", "pk")
           .values_list("pk", flat=True))
    first = list(dict.fromkeys(ids))[:DEMO_TEACHERS]  # a teacher at two schools counts once
    teachers = sorted(User.objects.filter(pk__in=first), key=lambda t: first.index(t.pk))
    made = []
    reviewed = PlanReview.objects.filter(plan__district=district,
                                         plan__title=DEMO_PLAN_TITLE).exists()
    for teacher in teachers:
        if LearningPlan.objects.filter(owner=teacher, title=DEMO_PLAN_TITLE).exists():
            continue
        plan = _demo_plan(teacher, district, today)
        if not reviewed:
            reviewed = _demo_review(plan, today)
        made.append(plan)
    return made


# -------------------------------------------------------------- inquiry alignment


@transaction.atomic
def do_align_inquiry(actor: User, inquiry: Inquiry, elements: Iterable[FrameworkElement], *,
                     request: HttpRequest | None = None) -> list[FrameworkElement]:
    """Align an inquiry directly to these framework elements (replacing its direct
    alignment; the standards of plan goals that cite it stay as they are). Its owner or a
    member of its team may; only elements of the district's own frameworks, and no retired
    element that was not aligned already."""
    if not inquiries_editable_by(actor).filter(pk=inquiry.pk).exists():
        raise LearningRuleError("Only the inquiry's owner and its team's members can align it "
                                "to standards.")
    chosen = list({e.pk: e for e in elements}.values())
    already = set(inquiry.aligned_elements.values_list("pk", flat=True))
    for element in chosen:
        if element.framework.district_id != inquiry.district_id:
            raise LearningRuleError("Align the inquiry to your own district's frameworks.",
                                    field="elements")
        if element.retired_at is not None and element.pk not in already:
            raise LearningRuleError(f"{element} has been retired; choose a current element.",
                                    field="elements")
    inquiry.aligned_elements.set(chosen)
    wanted = {e.pk for e in chosen}
    if wanted != already:
        names = ", ".join(e.code for e in sorted(chosen, key=lambda e: (e.framework_id,
                                                                         e.order, e.code)))
        record(AuditAction.INQUIRY_CHANGED, actor=actor, request=request, obj=inquiry,
               summary=(f"Inquiry {inquiry.title!r} aligned to {names}" if names
                        else f"Inquiry {inquiry.title!r} no longer aligned to a framework"),
               details={"elements": sorted(wanted), "was": sorted(already)})
    return chosen
