"""Forms of the online-community pages: the upload and coding one sample item."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.analysis.community import CODEBOOK
from uptake.networks.actions.community import max_bytes

ACCEPT = ".json,.jsonl,.ndjson,.csv,application/json,text/csv"


class CommunityUploadForm(forms.Form):
    name = forms.CharField(
        label="Community", max_length=200,
        help_text="Its name as you will want to read it, for example r/Teachers.")
    # An empty file reaches the action, which names it in its refusal.
    file = forms.FileField(
        label="Export (JSON, JSON lines or CSV)", allow_empty_file=True,
        help_text="Posts and comments with id, author, created, score, title, body and "
                  "parent. Authors are replaced by pseudonyms; usernames are never shown.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    period_months = forms.TypedChoiceField(
        label="Period", coerce=int, initial=6,
        choices=[(1, "Months"), (3, "Quarters (3 months)"),
                 (4, "Thirds of a year (4 months)"),
                 (6, "Half-years, January to June and July to December (as Staudt Willet "
                     "and Carpenter)"), (12, "Calendar years")],
        help_text="The measures are worked out for each period of the calendar year.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"This file is {upload.size:,} bytes; the most Uptake accepts is "
                f"{max_bytes():,}.")
        return upload


def code_choices(*, is_post: bool | None = None) -> list[tuple[str, str]]:
    """"Not coded", then the codes for a post or for a response (both when None)."""
    kinds = {"post", "response"} if is_post is None else {"post" if is_post else "response"}
    return [("", "Not coded"),
            *((code.key, code.label) for code in CODEBOOK if code.applies_to in kinds)]


class CodeItemForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.ChoiceField(label="Code", required=False, choices=())
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = code_choices()  # type: ignore[attr-defined]
