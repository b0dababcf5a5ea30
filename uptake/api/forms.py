"""Forms of the token and integration pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from uptake import registry
from uptake.api import oauth, scopes

TOKEN_DAYS, MAX_TOKEN_DAYS = 90, 365


def scope_groups(chosen: list[str], roles: frozenset[str] | None = None
                 ) -> list[dict[str, Any]]:
    """The areas, each with its read (and write) scope, for the checkboxes: those offered
    to holders of ``roles`` (every area when None, as for an integration)."""
    groups = []
    for area in registry.api_areas:
        if area.every_token or (roles is not None and area.for_roles
                                and not roles & set(area.for_roles)):
            continue
        options: list[dict[str, Any]] = [{"value": f"{area.key}:{scopes.READ}",
                                          "label": "Read"}]
        if area.writes:
            options.append({"value": f"{area.key}:{scopes.WRITE}", "label": "Change"})
        for option in options:
            option["checked"] = option["value"] in chosen
            option["id"] = "scope-" + option["value"].replace(":", "-")
        groups.append({"key": area.key, "label": area.label,
                       "description": area.description, "options": options})
    return groups


class ScopesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[], required=False, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value) in scopes.known()


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           help_text="What the token is for, e.g. “Nightly export to our "
                                     "warehouse”.")
    scopes = ScopesField(label="What the token may do")
    expires_on = forms.DateField(
        label="Expires on", widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"At most a year from today; {TOKEN_DAYS} days unless you change it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + timedelta(days=TOKEN_DAYS)
        self.fields["expires_on"].widget.attrs.update(
            {"min": (today + timedelta(days=1)).isoformat(),
             "max": (today + timedelta(days=MAX_TOKEN_DAYS)).isoformat()})

    def clean_scopes(self) -> list[str]:
        chosen = list(self.cleaned_data.get("scopes") or [])
        if not chosen:
            raise forms.ValidationError("Choose at least one thing the token may do.")
        return chosen

    def clean_expires_on(self) -> date:
        when: date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if when <= today:
            raise forms.ValidationError("Choose a day after today.")
        if when > today + timedelta(days=MAX_TOKEN_DAYS):
            raise forms.ValidationError("A token lasts at most a year; choose an earlier day.")
        return when


class IntegrationForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name",
                           help_text="The system that will call the API, e.g. “PowerSchool "
                                     "roster sync”.")
    role = forms.ChoiceField(
        label="Acts as", widget=forms.RadioSelect, initial="coordinator",
        choices=list(oauth.SERVICE_ROLES.items()),
        help_text="The integration gets an account of its own in your district, with this "
                  "role; it sees what someone with the role would.")
    scopes = ScopesField(label="What the integration may do")
    rate_per_minute = forms.IntegerField(
        label="Requests a minute", min_value=oauth.MIN_RATE, max_value=oauth.MAX_RATE,
        initial=oauth.DEFAULT_RATE,
        help_text="More are refused (429) until the minute is over.")

    def clean_scopes(self) -> list[str]:
        chosen = list(self.cleaned_data.get("scopes") or [])
        if not chosen:
            raise forms.ValidationError("Choose at least one thing the integration may do.")
        return chosen
