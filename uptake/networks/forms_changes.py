"""The knowledge-mobilisation log's forms: a change (with its chain as a fixed number of
step rows, more by an "Add a step" button, no JavaScript), the log's filters and the
reports' period (both in the URL, so a view can be shared and downloaded as shown)."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import School, User
from uptake.learning.models import LearningSource
from uptake.library.models import Practice
from uptake.networks.actions.changes import (
    MAX_STEPS,
    SOURCE_LABELS,
    ChangeData,
    StepData,
    source_of,
)
from uptake.networks.models import Change, Contact
from uptake.networks.queries import colleague_by_email
from uptake.networks.queries_changes import SOURCE_KIND_LABELS
from uptake.programs.models import Program

DEFAULT_ROWS = 3
ACROSS = "district"
COUNTERFACTUAL_QUESTION = "Would this have happened without it?"


def _choices(empty: str, items: list[tuple[Any, str]]) -> list[tuple[str, str]]:
    return [("", empty), *((str(k), v) for k, v in items)]


class ChangeForm(forms.Form):
    title = forms.CharField(label="What changed", max_length=200,
                            help_text="In a few words: \u201cGrade 5 team adopted a shared "
                                      "exit-ticket protocol\u201d.")
    school = forms.ChoiceField(label="Which school made the change")
    kind = forms.ChoiceField(label="Kind of change", choices=_choices("Choose…",
                                                                     Change.Kind.choices))
    depth = forms.ChoiceField(
        label="Soft or real", choices=Change.Depth.choices, widget=forms.RadioSelect,
        help_text="Soft: people felt better connected or more confident. Real: a change to "
                  "policy, practice or how the school runs.")
    happened_on = forms.DateField(label="When it happened", help_text="As YYYY-MM-DD.",
                                  widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="What happened", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label="Where the knowledge came from",
                               choices=list(SOURCE_LABELS.items()), widget=forms.RadioSelect,
                               initial="note")
    learning_source = forms.ChoiceField(label="Which of my learning sources", required=False)
    practice = forms.ChoiceField(label="Which practice of the library", required=False)
    program = forms.ChoiceField(label="Which program", required=False)
    contact = forms.ChoiceField(label="Which contact", required=False)
    source_note = forms.CharField(label="Note on the source", required=False, max_length=300,
                                  help_text="Required when the source is \u201csomething "
                                            "else\u201d: a podcast, a blog, a visit.")
    source_kind = forms.ChoiceField(
        label="Kind of source (for the reports)", required=False,
        choices=_choices("As the source says", list(Change.SourceKind.choices)),
        help_text="Left as it is, it follows from the source: a network thread or a contact "
                  "is social media, a course or conference is a course, the library is the "
                  "library, a colleague is colleagues.")
    counterfactual = forms.ChoiceField(
        label=COUNTERFACTUAL_QUESTION, choices=Change.Counterfactual.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Answer the question \u201cWould this have happened "
                                    "without it?\u201d"})
    evidence = forms.CharField(label="Evidence", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What shows the change happened: minutes, the new "
                                         "policy, a timetable.")
    evidence_link = forms.URLField(label="Link to the evidence", required=False,
                                   max_length=500, assume_scheme="https")
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_STEPS,
                              required=False)

    MAIN = ("title", "school", "kind", "depth", "happened_on", "description")
    SOURCE = ("source", "learning_source", "practice", "program", "contact", "source_note",
              "source_kind")
    AFTER = ("counterfactual", "evidence", "evidence_link")

    def __init__(self, *args: Any, me: User, schools: list[School], district_wide: bool,
                 sources: list[LearningSource], practices: list[Practice],
                 programs: list[Program], contacts: list[Contact], people: list[User],
                 rows: int = DEFAULT_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_choices = [(str(s.pk), s.name) for s in schools]
        if district_wide:
            school_choices.append((ACROSS, "Across the district"))
        self.fields["school"].choices = school_choices  # type: ignore[attr-defined]
        if len(school_choices) > 1:
            self.fields["school"].choices = [  # type: ignore[attr-defined]
                ("", "Choose…"), *school_choices]
        for name, items in (("learning_source", [(s.pk, s.title) for s in sources]),
                            ("practice", [(p.pk, p.title) for p in practices]),
                            ("program", [(p.pk, p.name) for p in programs]),
                            ("contact", [(c.pk, str(c)) for c in contacts])):
            self.fields[name].choices = _choices("—", items)  # type: ignore[attr-defined]
        carriers = [*((f"p{p.pk}", p.display_name) for p in people),
                    *((f"c{c.pk}", f"{c} (outside the district)") for c in contacts)]
        self.row_count = max(1, min(rows, MAX_STEPS))
        self.step_names: list[tuple[int, str, str]] = []
        for n in range(1, self.row_count + 1):
            who, did = f"step_{n}_who", f"step_{n}_did"
            self.fields[who] = forms.ChoiceField(
                label=f"Step {n}: who", required=False,
                choices=[("", "—"), *carriers])
            self.fields[f"step_{n}_email"] = forms.EmailField(
                label=f"Step {n}: or the e-mail of a colleague elsewhere in the district",
                required=False)
            self.fields[did] = forms.CharField(label=f"Step {n}: what they did",
                                               required=False, max_length=200)
            self.step_names.append((n, who, did))
        self.initial["rows"] = self.row_count
        self._me = me

    def groups(self) -> dict[str, list[forms.BoundField]]:
        return {part: [self[name] for name in names] for part, names in (
            ("main", self.MAIN), ("source", self.SOURCE), ("after", self.AFTER))}

    def step_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField,
                                      forms.BoundField]]:
        return [(n, self[who], self[f"step_{n}_email"], self[did])
                for n, who, did in self.step_names]

    def clean(self) -> dict[str, Any]:
        """A step's colleague elsewhere, given by e-mail as on the ties form: an address
        that cannot be used gets one neutral answer (the directory is not listed)."""
        data = super().clean() or {}
        for n, who, _ in self.step_names:
            email = data.get(f"step_{n}_email")
            if not email:
                continue
            if data.get(who):
                self.add_error(f"step_{n}_email", "Choose the person or give an e-mail, "
                                                  "not both.")
                continue
            found = colleague_by_email(self._me, email)
            if found is None:
                self.add_error(f"step_{n}_email", "We cannot name that address in the "
                                                  "chain: check it, or choose a contact.")
                continue
            data[who] = f"p{found.pk}"
        return data

    @classmethod
    def initial_of(cls, change: Change) -> dict[str, Any]:
        source, source_id = source_of(change)
        initial: dict[str, Any] = {
            "title": change.title, "school": str(change.school_id or ACROSS),
            "kind": change.kind, "depth": change.depth, "happened_on": change.happened_on,
            "description": change.description, "source": source,
            "source_note": change.source_note, "source_kind": change.source_kind,
            "counterfactual": change.counterfactual, "evidence": change.evidence,
            "evidence_link": change.evidence_link}
        if source_id is not None:
            initial[source] = str(source_id)
        for step in change.steps.all():
            who = f"p{step.person_id}" if step.person_id else f"c{step.contact_id}"
            initial[f"step_{step.position}_who"] = who
            initial[f"step_{step.position}_did"] = step.did
        return initial

    def data_of(self) -> ChangeData:
        d = self.cleaned_data
        source = d["source"]
        raw_id = d.get(source) if source in ("learning_source", "practice", "program",
                                             "contact") else ""
        steps = []
        for _, who, did in self.step_names:
            carrier, what = d.get(who) or "", (d.get(did) or "").strip()
            if not carrier and not what:
                continue
            steps.append(StepData(
                person_id=int(carrier[1:]) if carrier.startswith("p") else None,
                contact_id=int(carrier[1:]) if carrier.startswith("c") else None, did=what))
        school = d.get("school") or ""
        return ChangeData(
            title=d["title"], kind=d["kind"], depth=d["depth"],
            happened_on=d["happened_on"], counterfactual=d["counterfactual"],
            school_id=int(school) if school not in ("", ACROSS) else None,
            description=d.get("description") or "", source=source,
            source_id=int(raw_id) if raw_id else None,
            source_kind=d.get("source_kind") or "", source_note=d.get("source_note") or "",
            evidence=d.get("evidence") or "", evidence_link=d.get("evidence_link") or "",
            steps=tuple(steps))

    def clean_school(self) -> str:
        value: str = self.cleaned_data.get("school") or ""
        if not value:
            raise forms.ValidationError("Choose the school that made the change.")
        return value


class LogFilterForm(forms.Form):
    school = forms.ChoiceField(label="School", required=False)
    kind = forms.ChoiceField(label="Kind of change", required=False,
                             choices=_choices("Every kind", list(Change.Kind.choices)))
    depth = forms.ChoiceField(label="Soft or real", required=False,
                              choices=[("", "Both"), ("real", "Real"), ("soft", "Soft")])
    source_kind = forms.ChoiceField(
        label="Kind of source", required=False,
        choices=_choices("Every kind of source", list(SOURCE_KIND_LABELS.items())))
    since = forms.DateField(label="From", required=False, help_text="YYYY-MM-DD",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, help_text="YYYY-MM-DD",
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [  # type: ignore[attr-defined]
            *_choices("Every school", list(schools)), (ACROSS, "Across the district")]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("since") and d.get("until") and d["since"] > d["until"]:
            self.add_error("until", "The end of the period comes after its start.")
        return d


class PeriodForm(forms.Form):
    since = forms.DateField(label="From", required=False, help_text="YYYY-MM-DD",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, help_text="YYYY-MM-DD",
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("since") and d.get("until") and d["since"] > d["until"]:
            self.add_error("until", "The end of the period comes after its start.")
        return d
