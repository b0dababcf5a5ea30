"""Forms for plans, goals, reviews, sources and frameworks: they parse and check input so
that the person sees every problem at once; the actions enforce the same rules again."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from uptake.accounts.forms import ShareUntilField
from uptake.accounts.grants import grantees_of
from uptake.accounts.models import User
from uptake.inquiry.access import inquiries_editable_by
from uptake.inquiry.models import Inquiry
from uptake.learning import actions
from uptake.learning.access import alignable_elements, eligible_reviewers
from uptake.learning.models import (
    MAX_SOURCE_HOURS,
    Framework,
    FrameworkElement,
    Goal,
    LearningPlan,
    LearningSource,
    school_year_label,
    school_year_of,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _check(form: forms.Form, check: Callable[[], Any]) -> Any:
    """Run an action's check; its error lands on the field it names."""
    try:
        return check()
    except actions.LearningRuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None


class GroupedCheckboxes:
    """Checkbox choices shown in labelled groups (a fieldset each)."""

    groups_of: dict[str, Callable[[], list[tuple[str, list[tuple[Any, bool]]]]]]

    def checkbox_groups(self, name: str) -> list[tuple[str, list[tuple[Any, bool]]]]:
        return self.groups_of[name]()


def _group_boxes(bound: Any, group_of: dict[int, tuple[str, bool]]
                 ) -> list[tuple[str, list[tuple[Any, bool]]]]:
    """(legend, [(checkbox, indented)]) in the field's choice order."""
    groups: dict[str, list[tuple[Any, bool]]] = {}
    for box in bound:
        value = box.data["value"]
        pk = int(getattr(value, "value", value))
        legend, indented = group_of[pk]
        groups.setdefault(legend, []).append((box, indented))
    return list(groups.items())


# ------------------------------------------------------------------------------- plans

def school_year_choices(around: int | None = None) -> list[tuple[int, str]]:
    now = school_year_of(timezone.localdate()) if around is None else around
    return [(y, school_year_label(y)) for y in range(now - 3, now + 7)]


class PlanForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, required=False,
                            help_text="For example “Talk moves in math, 2026-29”. Left blank, "
                                      "the plan is named after its first year.")
    start_year = forms.TypedChoiceField(label="First school year", coerce=int)
    end_year = forms.TypedChoiceField(label="Last school year", coerce=int,
                                      help_text="A plan covers one to five school years.")
    focus = forms.CharField(label="Focus", required=False, widget=_area(4),
                            help_text="What you want to grow in, and why, in a few sentences.")

    def __init__(self, *args: Any, plan: LearningPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = school_year_choices()
        if plan is not None:  # keep a plan's own years selectable as time moves on
            years = {y for y, _ in choices} | {plan.start_year, plan.end_year}
            choices = [(y, school_year_label(y)) for y in sorted(years)]
        for name in ("start_year", "end_year"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_year") is not None and data.get("end_year") is not None:
            _check(self, lambda: actions.check_plan_years(data["start_year"],
                                                          data["end_year"]))
        return data


class ShareForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label="Share with", queryset=User.objects.none(), empty_label="Choose a person",
        help_text="Coaches and leaders at your school and district coordinators. They can "
                  "read the whole plan, including reflections, and log reviews.")
    until = ShareUntilField()

    def __init__(self, *args: Any, plan: LearningPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Sharing again (a new last day) is accepted; the list offers only new people.
        people = eligible_reviewers(plan.owner)
        if not self.is_bound:
            people = people.exclude(pk__in=grantees_of(plan, live=True).values("pk"))
        self.fields["reviewer"].queryset = people  # type: ignore[attr-defined]
        self.fields["reviewer"].label_from_instance = _person_with_role  # type: ignore[attr-defined]


def _person_with_role(person: User) -> str:
    roles = ", ".join(sorted({str(r.get_role_display()) for r in person.roles.all()}))
    return f"{person.display_name} ({roles})" if roles else person.display_name


class ReviewForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="Reviewer", queryset=User.objects.none(),
                                      empty_label="Choose a person")
    reviewed_on = forms.DateField(label="Date of the review", widget=DATE)
    notes = forms.CharField(label="Notes", widget=_area(5),
                            help_text="What you talked about and what you noticed.")
    next_steps = forms.CharField(label="Next steps", required=False, widget=_area(3))

    def __init__(self, *args: Any, plan: LearningPlan, by_owner: bool,
                 keep_reviewer: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if by_owner:
            # A review being corrected keeps its reviewer even if she has since left.
            reviewers = User.objects.filter(
                Q(pk__in=eligible_reviewers(plan.owner).values("pk"))
                | Q(pk=getattr(keep_reviewer, "pk", None))).order_by(
                "last_name", "first_name", "email")
            self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]
            self.fields["reviewer"].label_from_instance = _person_with_role  # type: ignore[attr-defined]
        else:  # a reviewer logs her own review
            del self.fields["reviewer"]

    def clean_reviewed_on(self) -> Any:
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Log a review after it has taken place.")
        return day


# ------------------------------------------------------------------------------- goals

class ElementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        retired = " (retired)" if obj.retired_at else ""
        return f"{obj.code} {obj.title}{retired}"


def element_tree(elements: QuerySet[FrameworkElement]) -> list[FrameworkElement]:
    """Elements in reading order: each framework's domains, each followed by its components."""
    items = list(elements)
    children: dict[int | None, list[FrameworkElement]] = {}
    for e in items:
        children.setdefault(e.parent_id, []).append(e)
    in_list = {e.pk for e in items}
    tops = [e for e in items if e.parent_id is None or e.parent_id not in in_list]

    def key(e: FrameworkElement) -> tuple[Any, ...]:
        # Standards first, then practice frameworks; each in its coordinators' order.
        return (e.framework.kind != Framework.Kind.STANDARDS, e.framework.name,
                e.framework_id, e.order, e.code)

    ordered: list[FrameworkElement] = []
    for top in sorted(tops, key=key):
        ordered.append(top)
        ordered.extend(sorted(children.get(top.pk, []), key=key))
    return ordered


class InquiryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.team.name})" if obj.team_id else obj.title


class GoalForm(GroupedCheckboxes, forms.Form):
    statement = forms.CharField(label="Goal", widget=_area(3),
                                help_text="Specific: what will change in your practice, and "
                                          "for which students.")
    measure = forms.CharField(label="Measure of success", widget=_area(3),
                              help_text="Measurable: the evidence that will show you met it.")
    steps = forms.CharField(label="Steps", widget=_area(4),
                            help_text="Achievable: the steps you will take, and the support "
                                      "you need.")
    relevance = forms.CharField(label="Why it matters", widget=_area(3),
                                help_text="Relevant: how it serves your students and your "
                                          "school's goals.")
    target_date = forms.DateField(label="Target date", widget=DATE,
                                  help_text="Time-bound: within the plan's school years.")
    status = forms.ChoiceField(label="Status", choices=Goal.Status.choices)
    elements = ElementChoiceField(label="Aligned to", required=False,
                                  queryset=FrameworkElement.objects.none(),
                                  widget=forms.CheckboxSelectMultiple,
                                  help_text="The standards and practices this goal works on.")
    inquiries = InquiryChoiceField(label="Inquiries that pursue it", required=False,
                                   queryset=Inquiry.objects.none(),
                                   widget=forms.CheckboxSelectMultiple,
                                   help_text="Your inquiries, and your teams', that work "
                                             "towards this goal: their pages then name it "
                                             "and the standards it is aligned to.")

    def __init__(self, *args: Any, plan: LearningPlan, goal: Goal | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["inquiries"].queryset = (  # type: ignore[attr-defined]
            inquiries_editable_by(plan.owner).select_related("team")
            .order_by("-updated_at", "-pk"))
        current = (FrameworkElement.objects.filter(goals=goal) if goal is not None
                   else FrameworkElement.objects.none())
        self.kept = set(current.values_list("pk", flat=True))
        qs = (FrameworkElement.objects.filter(
            Q(pk__in=alignable_elements(plan.district_id).values("pk")) | Q(pk__in=self.kept))
            .select_related("framework"))
        ordered = element_tree(qs)
        field = self.fields["elements"]
        field.queryset = qs  # type: ignore[attr-defined]
        field.choices = [(e.pk, field.label_from_instance(e))  # type: ignore[attr-defined]
                         for e in ordered]
        group_of = {e.pk: (e.framework.name, e.parent_id is not None) for e in ordered}
        self.groups_of = {"elements": lambda: _group_boxes(self["elements"], group_of)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) for k in ("statement", "measure", "steps", "relevance",
                                     "target_date", "status")):
            _check(self, lambda: actions.check_goal(self.plan, self.fields_value(data),
                                                     self.kept))
        return data

    def fields_value(self, data: dict[str, Any] | None = None) -> actions.GoalFields:
        d = self.cleaned_data if data is None else data
        return actions.GoalFields(
            statement=d["statement"], measure=d["measure"], steps=d["steps"],
            relevance=d["relevance"], target_date=d["target_date"], status=d["status"],
            elements=tuple(d.get("elements") or ()), inquiries=tuple(d.get("inquiries") or ()))


class AlignmentForm(GroupedCheckboxes, forms.Form):
    """An inquiry's direct alignment to the district's framework elements."""

    elements = ElementChoiceField(label="Standards and practices it works on", required=False,
                                  queryset=FrameworkElement.objects.none(),
                                  widget=forms.CheckboxSelectMultiple,
                                  help_text="Tick each element this inquiry works on; the "
                                            "district's dashboards count its results "
                                            "under them.")

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept = set(inquiry.aligned_elements.values_list("pk", flat=True))
        qs = (FrameworkElement.objects.filter(
            Q(pk__in=alignable_elements(inquiry.district_id).values("pk"))
            | Q(pk__in=self.kept)).select_related("framework"))
        ordered = element_tree(qs)
        field = self.fields["elements"]
        field.queryset = qs  # type: ignore[attr-defined]
        field.choices = [(e.pk, field.label_from_instance(e))  # type: ignore[attr-defined]
                         for e in ordered]
        if not self.is_bound:
            self.initial["elements"] = sorted(self.kept)
        group_of = {e.pk: (e.framework.name, e.parent_id is not None) for e in ordered}
        self.groups_of = {"elements": lambda: _group_boxes(self["elements"], group_of)}


# ----------------------------------------------------------------------------- sources

class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.statement if len(obj.statement) <= 90 else obj.statement[:89] + "…"
        return text


class SourceForm(GroupedCheckboxes, forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=LearningSource.Kind.choices)
    title = forms.CharField(label="Title", max_length=300)
    author = forms.CharField(label="Author or host", max_length=300, required=False)
    link = forms.CharField(label="Link", max_length=500, required=False,
                           widget=forms.URLInput(attrs={"inputmode": "url"}),
                           help_text="A web address starting with https:// or http://.")
    learned_on = forms.DateField(label="Date", widget=DATE,
                                 help_text="When you read, watched, attended or visited.")
    hours = forms.DecimalField(label="Hours", min_value=Decimal("0"),
                               max_value=MAX_SOURCE_HOURS, max_digits=5, decimal_places=2,
                               initial=Decimal("1"),
                               widget=forms.NumberInput(attrs={"step": "0.25"}),
                               help_text="Time spent learning, for CEU and stipend "
                                         "records (0 to 200).")
    research_based = forms.BooleanField(label="Research-based", required=False,
                                        help_text="It reports or rests on published "
                                                  "research.")
    citation = forms.CharField(label="Citation", required=False, widget=_area(2),
                               help_text="Optional: the research it rests on.")
    reflection = forms.CharField(label="Reflection", required=False, widget=_area(6),
                                 help_text="What you learned and what you will try. "
                                           "Shared only with reviewers you share a linked "
                                           "plan with.")
    goals = GoalChoiceField(label="Linked goals", required=False,
                            queryset=Goal.objects.none(), widget=forms.CheckboxSelectMultiple)
    inquiries = InquiryChoiceField(label="Inquiries it informed", required=False,
                                   queryset=Inquiry.objects.none(),
                                   widget=forms.CheckboxSelectMultiple,
                                   help_text="Your inquiries, and your teams', that this "
                                             "learning fed into.")

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        goals = (Goal.objects.filter(plan__owner=owner, plan__district=owner.district)
                 .select_related("plan").order_by("-plan__start_year", "plan_id",
                                                  "target_date", "pk"))
        self.fields["goals"].queryset = goals  # type: ignore[attr-defined]
        group_of = {g.pk: (f"{g.plan.title} ({g.plan.years_label})", False) for g in goals}
        self.groups_of = {"goals": lambda: _group_boxes(self["goals"], group_of)}
        self.fields["inquiries"].queryset = (  # type: ignore[attr-defined]
            inquiries_editable_by(owner).select_related("team")
            .order_by("-updated_at", "-pk"))

    def clean_link(self) -> str:
        try:
            return actions.check_link(self.cleaned_data.get("link") or "")
        except actions.LearningRuleError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_hours(self) -> Decimal:
        try:
            return actions.check_hours(self.cleaned_data["hours"])
        except actions.LearningRuleError as exc:
            raise forms.ValidationError(str(exc)) from None

    def fields_value(self) -> actions.SourceFields:
        d = self.cleaned_data
        return actions.SourceFields(
            kind=d["kind"], title=d["title"], author=d.get("author") or "",
            link=d.get("link") or "", learned_on=d["learned_on"], hours=d["hours"],
            research_based=bool(d.get("research_based")), citation=d.get("citation") or "",
            reflection=d.get("reflection") or "", goals=tuple(d.get("goals") or ()),
            inquiries=tuple(d.get("inquiries") or ()))


class SourceFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Any kind"), *LearningSource.Kind.choices])
    year = forms.TypedChoiceField(label="School year", required=False, coerce=int,
                                  empty_value=None)
    research = forms.ChoiceField(label="Research-based", required=False, choices=[
        ("", "Any source"), ("yes", "Research-based only"), ("no", "Not research-based")])
    q = forms.CharField(label="Title or author", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "autocomplete": "off"}))

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", "Any year"), *[(y, school_year_label(y)) for y in years]]


# -------------------------------------------------------------------------- frameworks

class FrameworkForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=Framework.Kind.choices)
    description = forms.CharField(label="Description", required=False, widget=_area(3))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # what a framework is does not change once goals align to it
            del self.fields["kind"]


class ElementForm(forms.Form):
    code = forms.CharField(label="Code", max_length=20,
                           help_text="Short and unique in this framework, for example 3.2.")
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=_area(2))
    parent = forms.ModelChoiceField(label="Belongs to", required=False,
                                    queryset=FrameworkElement.objects.none(),
                                    empty_label="Top level (a standard or domain)")

    def __init__(self, *args: Any, framework: Framework, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # moving between domains is done by adding anew and retiring
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = (  # type: ignore[attr-defined]
                FrameworkElement.objects.filter(framework=framework, parent__isnull=True)
                .active().order_by("order", "code"))
