"""Forms for roster pages. They parse and validate input; actions change things."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from uptake.accounts.models import School


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="OneRoster CSV zip",
        help_text="The .zip your student information system exports (OneRoster 1.1 or 1.2 "
                  "CSV). Nothing changes until you have checked the report and applied it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size:,} bytes; the most this server accepts is "
                f"{settings.ROSTER_MAX_UPLOAD_BYTES:,}.")
        return upload


class ApplyImportForm(forms.Form):
    confirm_removals = forms.BooleanField(
        label="I understand that what the files no longer list will be switched off",
        required=False)


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ClassFilterForm(forms.Form):
    q = forms.CharField(label="Class, course or code", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    school = SchoolChoiceField(label="School", required=False, queryset=School.objects.none(),
                               empty_label="Any school")
    show = forms.ChoiceField(label="Show", required=False, choices=[
        ("active", "Current classes"), ("all", "Current and inactive classes")])

    def __init__(self, *args: Any, school_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (  # type: ignore[attr-defined]
            School.objects.filter(pk__in=school_ids).order_by("name"))
