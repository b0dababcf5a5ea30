"""Forms of the story builder. They parse input; the actions decide and change things."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from uptake.stories.actions import (
    LABEL_MAX,
    LINK_DAYS_DEFAULT,
    LINK_DAYS_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from uptake.stories.models import Consent, Story

PART_HELP = {
    "question": "The question you set out to answer, in a family's words.",
    "what_changed": "What you changed in your teaching, and when.",
    "what_happened": "What you saw for your students: say what happened, not why.",
    "whats_next": "What you will keep, change or try next.",
}


class StoryForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    language = forms.ChoiceField(label="Language you write in", choices=Story.Language.choices,
                                 help_text="The language your words are in.")
    question = forms.CharField(label="The question", required=False, max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=PART_HELP["question"])
    what_changed = forms.CharField(label="What I changed", required=False, max_length=TEXT_MAX,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=PART_HELP["what_changed"])
    what_happened = forms.CharField(label="What happened for my students", required=False,
                                    max_length=TEXT_MAX,
                                    widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text=PART_HELP["what_happened"])
    whats_next = forms.CharField(label="What is next", required=False, max_length=TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=PART_HELP["whats_next"])

    @staticmethod
    def initial_from(story: Story) -> dict[str, Any]:
        return {name: getattr(story, name) for name in
                ("title", "language", "question", "what_changed", "what_happened",
                 "whats_next")}


class ShareLinkForm(forms.Form):
    label = forms.CharField(label="Who the link is for", max_length=LABEL_MAX,
                            help_text="For example “Families, room 12” or “School board”. "
                                      "Only you see this name.")
    days = forms.IntegerField(label="Days it works", min_value=1, max_value=LINK_DAYS_MAX,
                              initial=LINK_DAYS_DEFAULT,
                              help_text=f"From 1 to {LINK_DAYS_MAX} days. You can revoke it "
                                        "at any time.")


class ConsentForm(forms.Form):
    given_by = forms.CharField(label="Who gave consent", max_length=200,
                               help_text="As the signed form names them, for example “the "
                                         "student's parent or guardian”. Not a student's "
                                         "name: only you see this.")
    given_on = forms.DateField(label="Date on the form",
                               widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.ChoiceField(label="Who may see the artifact", choices=Consent.Scope.choices,
                              widget=forms.RadioSelect)
    note = forms.CharField(label="Note", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Optional: where the signed form is kept, any limits "
                                     "the family set.")

    def clean_given_on(self) -> Any:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Consent cannot be dated in the future.")
        return given_on
