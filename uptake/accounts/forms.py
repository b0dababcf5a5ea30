"""Forms for people, roles and invitations. They parse and validate; actions change things."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from uptake.accounts.actions import AccountRuleError, check_role_scope
from uptake.accounts.models import Role, School, User

SHARE_UNTIL_MAX_DAYS = 3 * 366


class ShareUntilField(forms.DateField):
    """An optional last day for a share (a grant's "until when"): after today, within three
    school years. Empty: until the owner stops sharing or the reader's role lapses."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Until (optional)")
        kwargs.setdefault("help_text", "The last day they can read it. Leave empty to share "
                                       "until you stop.")
        super().__init__(required=False, widget=forms.DateInput(
            attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError("Choose a day after today for the share to end.")
        if value > today + timedelta(days=SHARE_UNTIL_MAX_DAYS):
            raise forms.ValidationError("Choose a day within three years; you can share again "
                                        "later.")


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _district_schools(district_id: int | None) -> Any:
    if district_id is None:
        return School.objects.none()
    return School.objects.filter(district_id=district_id).order_by("name")


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name or e-mail", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    role = forms.ChoiceField(label="Role", required=False,
                             choices=[("", "Any role"), *Role.choices])
    school = SchoolChoiceField(label="School", required=False, queryset=School.objects.none(),
                               empty_label="Any school")
    status = forms.ChoiceField(label="Status", required=False, choices=[
        ("active", "Active"), ("inactive", "Deactivated"), ("all", "Active and deactivated")])

    def __init__(self, *args: Any, district_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _district_schools(district_id)  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = forms.CharField(label="Last name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label="E-mail", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))


class RoleScopeMixin(forms.Form):
    """A role and where it is held: a school, or (no school) the whole district."""

    role = forms.ChoiceField(label="Role", choices=Role.choices)
    school = SchoolChoiceField(
        label="School", required=False, queryset=School.objects.none(),
        empty_label="District-wide",
        help_text="Teachers, coaches and school leaders hold their role for a school; "
                  "coordinators and researchers hold theirs district-wide; assessors either.")

    def __init__(self, *args: Any, district_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _district_schools(district_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role"):
            try:
                check_role_scope(data["role"], data.get("school"))
            except AccountRuleError as exc:
                self.add_error("school", str(exc))
        return data


class AddPersonForm(PersonForm, RoleScopeMixin):
    field_order = ["first_name", "last_name", "email", "role", "school"]


class GrantRoleForm(RoleScopeMixin):
    pass


class PeerInvitationForm(forms.Form):
    email = forms.EmailField(label="Colleague's e-mail", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    message = forms.CharField(label="Message (optional)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class JoinInvitationForm(RoleScopeMixin):
    email = forms.EmailField(label="E-mail", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    message = forms.CharField(label="Message (optional)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["email", "role", "school", "message"]


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Last name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label="Choose a password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(
        label="Type the password again", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            candidate = User(email=self.email, first_name=data.get("first_name", ""),
                             last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
