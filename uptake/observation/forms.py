"""Forms for observation requests and protocols: they parse; actions change things."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import User
from uptake.inquiry.access import sections_taught_by
from uptake.inquiry.models import Inquiry, Measure
from uptake.observation.actions import RequestPlan, colleagues_for
from uptake.observation.models import ObservationPrompt
from uptake.roster.models import Section

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class RequestForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(), label="Measure",
        help_text="A proportion measure: the share of students who did what the prompt says.")
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label="Class")
    prompt = forms.ModelChoiceField(
        queryset=ObservationPrompt.objects.none(), label="Prompt the measure counts",
        help_text="The observer tallies every prompt; this one becomes the measure's point.")
    opens_at = forms.DateTimeField(label="Window opens", widget=WHEN)
    closes_at = forms.DateTimeField(label="Window closes", widget=WHEN,
                                    help_text="After this, the observer can only read.")
    observer = PersonChoice(queryset=User.objects.none(), required=False,
                            label="A colleague in your district", empty_label="(nobody chosen)")
    email = forms.EmailField(required=False, label="Or anyone, by e-mail",
                             help_text="They get an invitation link and make an account.")
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              label="Message (for an e-mailed invitation)")

    def __init__(self, *args: Any, user: User, inquiry: Inquiry, protocol_prompts: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = inquiry.measures.filter(  # type: ignore[attr-defined]
            kind=Measure.Kind.PROPORTION)
        self.fields["section"].queryset = sections_taught_by(user).filter(  # type: ignore[attr-defined]
            inquiry_measures__inquiry=inquiry).distinct()
        self.fields["prompt"].queryset = protocol_prompts  # type: ignore[attr-defined]
        self.fields["observer"].queryset = colleagues_for(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("observer")) == bool(data.get("email")):
            raise forms.ValidationError("Choose a colleague or give an e-mail address "
                                        "(one of the two).")
        return data

    def plan(self) -> RequestPlan:
        d = self.cleaned_data
        return RequestPlan(measure=d["measure"], section=d["section"], prompt=d["prompt"],
                           opens_at=d["opens_at"], closes_at=d["closes_at"],
                           observer=d["observer"], email=d["email"] or "",
                           message=d["message"] or "")


class PromptForm(forms.Form):
    text = forms.CharField(max_length=200, label="Prompt",
                           help_text="Something students say or do, e.g. \"A student asks a "
                                     "question\".")
    retired = forms.BooleanField(required=False, label="Retired (no longer tallied)")
