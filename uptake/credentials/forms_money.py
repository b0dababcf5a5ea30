"""The filters of the money pages, in the URL so that a view can be shared and exported as
shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from uptake.learning.models import school_year_label, school_year_of

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def month_label(period: str) -> str:
    """``"2026-11"`` → ``"November 2026"``."""
    try:
        return date(int(period[:4]), int(period[5:7]), 1).strftime("%B %Y")
    except (ValueError, IndexError):
        return period


def year_of_period(period: str) -> int:
    """The school year a month (``"2026-11"``) falls in."""
    return school_year_of(date(int(period[:4]), int(period[5:7]), 1))


def year_choices(years: set[int], *, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(y), school_year_label(y)) for y in sorted(years, reverse=True))]


def _choose(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    form.fields[name].choices = choices  # type: ignore[attr-defined]


class StipendFilterForm(forms.Form):
    """A month or a school year, and a school."""

    month = forms.ChoiceField(label="Month", required=False)
    year = forms.ChoiceField(label="School year", required=False)
    school = forms.ChoiceField(label="School", required=False)

    def __init__(self, *args: Any, periods: list[str], years: set[int],
                 schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "month", [("", "Any month"), *(
            (p, month_label(p)) for p in sorted(periods, reverse=True))])
        _choose(self, "year", year_choices(years, empty="Any school year"))
        _choose(self, "school", [("", "Every school"),
                                 *((str(pk), name) for pk, name in schools),
                                 ("none", "No school on record")])

    def label_of(self, name: str, value: str) -> str:
        return dict(self.fields[name].choices).get(value, value)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = data.get("month"), data.get("year")
        if month and year and year_of_period(month) != int(year):
            self.add_error("month", f"{month_label(month)} is not in the school year "
                                    f"{school_year_label(int(year))}: choose a month of "
                                    "that year, or any month.")
        return data


class YearRangeForm(forms.Form):
    """School years from and to (either may be left open)."""

    start_year = forms.ChoiceField(label="From school year", required=False)
    end_year = forms.ChoiceField(label="To school year", required=False)

    def __init__(self, *args: Any, years: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "start_year", year_choices(years, empty="The first"))
        _choose(self, "end_year", year_choices(years, empty="The latest"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and int(start) > int(end):
            self.add_error("end_year", f"The last school year ({school_year_label(int(end))}) "
                                       "comes before the first "
                                       f"({school_year_label(int(start))}).")
        return data

    def years(self) -> tuple[int | None, int | None]:
        if not self.is_valid():
            return None, None
        start, end = self.cleaned_data.get("start_year"), self.cleaned_data.get("end_year")
        return (int(start) if start else None, int(end) if end else None)


class YearForm(forms.Form):
    year = forms.ChoiceField(label="School year", required=False)

    def __init__(self, *args: Any, years: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "year", year_choices(years, empty="Every school year"))

    def chosen_year(self) -> int | None:
        if not self.is_valid() or not self.cleaned_data.get("year"):
            return None
        return int(self.cleaned_data["year"])
