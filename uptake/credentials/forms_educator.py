"""Forms of the educator's pages: selecting one of her records for a submission, and her
reflection (words, or a video of hers when the tier accepts one).

Which records are hers is the action's rule (``selection.selectable``): the forms only
read what was posted, so that a forged id is refused by the action with its own message
and nothing is saved."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.credentials.actions import NOTE_MAX, REFLECTION_MAX
from uptake.credentials.models import Item


class AddItemForm(forms.Form):
    kind = forms.ChoiceField(choices=Item.Kind.choices, label="Kind of record",
                             error_messages={"required": "Choose what kind of record to add.",
                                             "invalid_choice": "Choose what kind of record "
                                                               "to add."})
    record_id = forms.CharField(label="Record", max_length=20,
                                error_messages={"required": "Choose one of your records."})
    note = forms.CharField(label="Note for the assessor (optional)", required=False,
                           max_length=NOTE_MAX,
                           help_text="Why you chose it, or where to look.")


class ReflectionForm(forms.Form):
    reflection = forms.CharField(label="Your reflection", required=False,
                                 max_length=REFLECTION_MAX,
                                 widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args: Any, videos: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if videos:
            self.fields["reflection_video"] = forms.ChoiceField(
                label="Or a short video of yours instead", required=False,
                choices=[("", "No video: I write my reflection")]
                + [(str(v.pk), v.title) for v in videos],
                help_text="A video you already added to your evidence. The assessor "
                          "checks its length.",
                error_messages={"invalid_choice": "Choose one of your video artifacts."})
