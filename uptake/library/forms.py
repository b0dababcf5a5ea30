"""Forms of the library's pages. They parse input; actions decide and change things."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.evidence.models import Artifact
from uptake.inquiry.models import Inquiry
from uptake.learning.models import FrameworkElement
from uptake.library.actions import PracticeFields, parse_link_lines, split_codes
from uptake.library.models import (
    GRADES,
    NOTE_MAX,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    Practice,
)


def _text(label: str, help_text: str = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=TEXT_MAX,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


class PracticeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    overview = _text("Overview", "What the practice is and why it matters to students.", 4)
    steps = _text("Lesson plan or steps",
                  "Enough for a colleague to try it tomorrow: what you do, in what order, "
                  "how long each part takes.", 10)
    materials = _text("Materials", "What to prepare or print.", 3)
    lessons_learned = _text("Lessons learned", "What you would tell a colleague first.", 4)
    suggested_revisions = _text("Suggested revisions",
                                "What you would change next time, or for another grade.", 4)
    links = forms.CharField(
        label="Resource links", required=False,
        max_length=20 * (TITLE_MAX + URL_MAX + 2),
        help_text="One a line: a title, then the address (http:// or https://). For example: "
                  "Talk moves poster https://example.org/poster.pdf",
        widget=forms.Textarea(attrs={"rows": 3}))
    grades = forms.MultipleChoiceField(label="Grades", required=False, choices=GRADES,
                                       widget=forms.CheckboxSelectMultiple)
    subject = forms.CharField(label="Subject", required=False, max_length=SHORT_MAX,
                              widget=forms.TextInput(attrs={"list": "subject-suggestions"}))
    focus = forms.CharField(label="Focus", required=False, max_length=SHORT_MAX,
                            help_text="For example: discourse, feedback, retrieval practice.",
                            widget=forms.TextInput(attrs={"list": "focus-suggestions"}))
    elements = forms.ModelMultipleChoiceField(
        label="Standards of your district's frameworks", required=False,
        queryset=FrameworkElement.objects.none(),
        help_text="Hold Ctrl (or ⌘) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}))
    standard_codes = forms.CharField(
        label="Content standards (codes)", required=False, max_length=2000,
        help_text="Separated by commas or one a line, for example CCSS.MATH.CONTENT.4.NF.A.1",
        widget=forms.Textarea(attrs={"rows": 2}))
    source_inquiry = forms.ModelChoiceField(label="The inquiry it came from", required=False,
                                            queryset=Inquiry.objects.none(),
                                            empty_label="Not from an inquiry")
    artifacts = forms.ModelMultipleChoiceField(
        label="Your evidence to include", required=False, queryset=Artifact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only your evidence that does not identify students can be included: "
                  "everyone in the district reads a published practice.")

    def __init__(self, *args: Any, elements: Any, inquiries: Any, artifacts: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elements"].queryset = elements  # type: ignore[attr-defined]
        self.fields["source_inquiry"].queryset = inquiries  # type: ignore[attr-defined]
        self.fields["artifacts"].queryset = artifacts  # type: ignore[attr-defined]
        self.fields["artifacts"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.title} ({a.get_kind_display().lower()})")
        if not artifacts.exists():
            del self.fields["artifacts"]

    def practice_fields(self) -> PracticeFields:
        """The cleaned form as an action's input; raises LibraryRefused for bad links."""
        data = self.cleaned_data
        return PracticeFields(
            title=data["title"], overview=data["overview"], steps=data["steps"],
            materials=data["materials"], lessons_learned=data["lessons_learned"],
            suggested_revisions=data["suggested_revisions"], grades=list(data["grades"]),
            subject=data["subject"], focus=data["focus"], elements=list(data["elements"]),
            standard_codes=split_codes(data["standard_codes"]),
            links=parse_link_lines(data["links"]), source_inquiry=data.get("source_inquiry"),
            artifacts=list(data.get("artifacts") or []))


def initial_from(practice: Practice) -> dict[str, Any]:
    return {"title": practice.title, "overview": practice.overview, "steps": practice.steps,
            "materials": practice.materials, "lessons_learned": practice.lessons_learned,
            "suggested_revisions": practice.suggested_revisions,
            "grades": practice.grade_list, "subject": practice.subject,
            "focus": practice.focus, "elements": list(practice.elements.all()),
            "standard_codes": "\n".join(practice.code_list),
            "links": "\n".join(f"{link.title} {link.url}" for link in practice.links.all()),
            "source_inquiry": practice.source_inquiry_id,
            "artifacts": list(practice.artifacts.all())}


def initial_from_inquiry(inquiry: Inquiry) -> dict[str, Any]:
    """A new practice pre-filled from one of her inquiries: its title, its change idea as
    the overview, the plan of each cycle as the steps."""
    plans = [f"Cycle {c.number}: {c.plan.strip()}" for c in inquiry.cycles.order_by("number")
             if c.plan.strip()]
    overview = inquiry.change_idea.strip()
    if inquiry.problem_of_practice.strip():
        overview = f"{overview}\n\nWhy: {inquiry.problem_of_practice.strip()}".strip()
    return {"title": inquiry.title, "overview": overview, "steps": "\n\n".join(plans),
            "source_inquiry": inquiry.pk}


class TrialForm(forms.Form):
    inquiry = forms.ModelChoiceField(label="Which of your inquiries tried it?",
                                     queryset=Inquiry.objects.none(),
                                     empty_label="Choose an inquiry")
    note = forms.CharField(label="What you adapted (optional)", required=False,
                           max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Colleagues see this beside your inquiry's results.")

    def __init__(self, *args: Any, inquiries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inquiry"].queryset = inquiries  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """The library's filters, in the URL so that a search can be shared."""

    q = forms.CharField(label="Search", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    standard = forms.CharField(label="Standard", required=False, max_length=100,
                               widget=forms.TextInput(attrs={"list": "standard-suggestions"}))
    grade = forms.ChoiceField(label="Grade", required=False,
                              choices=[("", "Any grade"), *GRADES])
    subject = forms.CharField(label="Subject", required=False, max_length=SHORT_MAX,
                              widget=forms.TextInput(attrs={"list": "subject-suggestions"}))
    focus = forms.CharField(label="Focus", required=False, max_length=SHORT_MAX,
                            widget=forms.TextInput(attrs={"list": "focus-suggestions"}))
