"""The programs' forms: only what the person may choose is offered (her district's
schools, framework elements, micro-credentials and people); the actions check again."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import School, User
from uptake.programs.models import FundingSource, Participant, Program

DATE = forms.DateInput(attrs={"type": "date"})


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Program.Kind.choices)
    focus_area = forms.CharField(max_length=100, required=False,
                                 help_text="What it works on, in your words: "
                                           "“Math discourse”, “Writing”.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE, required=False)
    facilitator = forms.CharField(max_length=200, required=False,
                                  help_text="A person, a team or a provider.")
    facilitator_person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Facilitator in Uptake",
        help_text="If the facilitator has an Uptake account.")
    funding_source = forms.ChoiceField(choices=FundingSource.choices,
                                       initial=FundingSource.DISTRICT)
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Choose none for the whole district.")
    elements = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Standards it aligns to")
    credentials: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Micro-credentials it offers")

    def __init__(self, *args: Any, district_id: int, **kwargs: Any) -> None:
        from uptake.credentials.models import Credential
        from uptake.learning.models import FrameworkElement

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["facilitator_person"].queryset = User.objects.filter(
            district_id=district_id, is_active=True)
        fields["schools"].queryset = School.objects.filter(district_id=district_id)
        fields["elements"].queryset = FrameworkElement.objects.filter(
            framework__district_id=district_id, retired_at__isnull=True
        ).select_related("framework").order_by("framework__name", "pk")
        fields["credentials"].queryset = Credential.objects.filter(
            district_id=district_id, retired_at__isnull=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("schools", "elements", "credentials"):
            data[key] = list(data.get(key) or [])
        return data


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    title = forms.CharField(max_length=200, required=False)
    hours = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, initial=0)


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Person to enrol")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = User.objects.filter(
            district_id=program.district_id, is_active=True).exclude(
            program_participations__program=program)


class StatusForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Participant.Status.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label="Participation file (.csv or .xlsx)",
                           help_text="Columns: email (or staff_identifier), session (its "
                                     "date or title), attended (yes or no), status "
                                     "(enrolled, completed or withdrawn).")
