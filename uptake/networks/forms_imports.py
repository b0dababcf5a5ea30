"""The import pages' forms: bringing a network survey in, uploading an edge list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone

from uptake.networks.actions.imports import future_observed
from uptake.surveys.models import Question, Survey

DIRECTIONS = [
    ("flows", "Flows: “from shares with, or advises, to” (stored as written)"),
    ("nominations", "Nominations: “from goes to to for advice”, as a survey asks (stored "
                    "reversed, to → from)"),
]


def _not_future(form: forms.Form) -> Any:
    day = form.cleaned_data["observed_on"]
    if message := future_observed(day):
        raise forms.ValidationError(message)
    return day


class SurveyImportForm(forms.Form):
    question = forms.TypedChoiceField(label="The survey and its question", coerce=int,
                                      help_text="A network survey of the district that has "
                                                "opened, and one of its roster questions.")
    relation = forms.ChoiceField(label="The relation its answers record")
    observed_on = forms.DateField(label="Observed on",
                                  help_text="The period the ties describe, e.g. the day the "
                                            "survey closed.",
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, surveys: Iterable[Survey], relations: Mapping[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: list[tuple[str, list[tuple[int, str]]]] = []
        self.questions: dict[int, Question] = {}
        for survey in surveys:
            roster = [q for q in survey.questions.all() if q.kind == Question.Kind.ROSTER]
            if not roster:
                continue
            for q in roster:
                self.questions[q.pk] = q
            groups.append((f"{survey.title} ({survey.status_label.lower()})",
                           [(q.pk, q.prompt) for q in roster]))
        self.fields["question"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a question"), *groups]
        self.fields["relation"].choices = list(relations.items())  # type: ignore[attr-defined]
        self.fields["observed_on"].initial = timezone.localdate()

    def clean_observed_on(self) -> Any:
        return _not_future(self)

    def chosen(self) -> Question:
        return self.questions[self.cleaned_data["question"]]


class EdgeListForm(forms.Form):
    file = forms.FileField(label="Edge list (.csv or .xlsx)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    direction = forms.ChoiceField(label="How the rows read", choices=DIRECTIONS,
                                  widget=forms.RadioSelect)
    observed_on = forms.DateField(label="Observed on",
                                  help_text="The date of every row whose date cell is empty.",
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].initial = timezone.localdate()

    def clean_observed_on(self) -> Any:
        return _not_future(self)


class DeleteImportForm(forms.Form):
    confirm = forms.BooleanField(label="Yes, delete this import and every tie it brought in")
