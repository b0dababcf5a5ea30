"""The ledger's forms: a line, the ledger's filters (in the URL, so a view can be shared and
exported as shown) and the finance file to import."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.programs.models import FundingSource
from uptake.spending.actions import EntryData
from uptake.spending.finance import MAX_DESCRIPTION, MAX_REFERENCE
from uptake.spending.models import SpendingEntry, Use
from uptake.spending.queries import fiscal_year_label


def _program_choices(programs: list[tuple[int, str]], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(pk), name) for pk, name in programs)]


class EntryForm(forms.Form):
    spent_on = forms.DateField(label="Date", help_text="The posting date, as YYYY-MM-DD.",
                               widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label="Amount in dollars", max_digits=12, decimal_places=2,
        help_text="A refund or correction is negative (say why in the description).",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    source = forms.ChoiceField(label="Funding source", choices=FundingSource.choices)
    use = forms.ChoiceField(label="What it paid for", choices=Use.choices)
    program_id = forms.ChoiceField(label="Program", required=False)
    description = forms.CharField(label="Description", required=False,
                                  max_length=MAX_DESCRIPTION)
    reference = forms.CharField(
        label="Reference", required=False, max_length=MAX_REFERENCE,
        help_text="The finance system's id for the line (voucher or journal number), if any; "
                  "a reference is on one line only.")

    def __init__(self, *args: Any, programs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program_id"].choices = _program_choices(  # type: ignore[attr-defined]
            programs, "No program")

    @classmethod
    def initial_of(cls, entry: SpendingEntry) -> dict[str, Any]:
        return {"spent_on": entry.spent_on, "amount": entry.amount, "source": entry.source,
                "use": entry.use, "program_id": str(entry.program_id or ""),
                "description": entry.description, "reference": entry.reference}

    def data_of(self) -> EntryData:
        d = self.cleaned_data
        return EntryData(spent_on=d["spent_on"], amount=d["amount"], source=d["source"],
                         use=d["use"],
                         program_id=int(d["program_id"]) if d.get("program_id") else None,
                         description=d.get("description") or "",
                         reference=d.get("reference") or "")


class LedgerFilterForm(forms.Form):
    year = forms.ChoiceField(label="Fiscal year", required=False)
    source = forms.ChoiceField(label="Funding source", required=False,
                               choices=[("", "Every source"), *FundingSource.choices])
    use = forms.ChoiceField(label="Use", required=False,
                            choices=[("", "Every use"), *Use.choices])
    program = forms.ChoiceField(label="Program", required=False)

    def __init__(self, *args: Any, years: list[int], programs: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (str(y), fiscal_year_label(y)) for y in sorted(years, reverse=True)]
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            *_program_choices(programs, "Every program"), ("none", "No program")]


class ImportForm(forms.Form):
    file = forms.FileField(label="Finance file (.csv or .xlsx)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
