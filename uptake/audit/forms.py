"""The audit log's filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from uptake import registry


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Event", required=False, choices=lambda: [
        ("", "Any event"), *((kind.key, kind.label) for kind in registry.audit_kinds)])
    person = forms.CharField(label="Person (name or e-mail)", required=False, max_length=200,
                             widget=forms.TextInput(attrs={"type": "search",
                                                           "autocomplete": "off"}))
    date_from = forms.DateField(label="From", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    student = forms.CharField(label="Student pseudonym", required=False, max_length=16,
                              help_text="For example S-7K2M9QXD",
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_student(self) -> str:
        return str(self.cleaned_data.get("student") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the district's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    """Midnight at the end of ``day`` (exclusive bound)."""
    return start_of(day + timedelta(days=1))
