"""The authors' forms: a survey's settings, a question, an invitation."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.access import district_id_of, schools_led_by
from uptake.accounts.models import Role, School, User
from uptake.programs.models import Program, ProgramSession
from uptake.programs.queries import visible_programs
from uptake.surveys.models import Question, Survey

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    purpose = forms.ChoiceField(choices=Survey.Purpose.choices)
    anonymous = forms.BooleanField(
        required=False, initial=True, label="Anonymous",
        help_text="Nobody, not even you, can see who gave which answers. Only whether "
                  "someone has answered is kept, so reminders go to the others.")
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False,
                                    empty_label="The whole district")
    program = forms.ModelChoiceField(queryset=Program.objects.none(), required=False,
                                     empty_label="No program")
    session = forms.ModelChoiceField(
        queryset=ProgramSession.objects.none(), required=False, empty_label="No one session",
        help_text="A reactions survey may be about one session of the program.")
    opens_at = forms.DateTimeField(label="Opens", widget=WHEN)
    closes_at = forms.DateTimeField(label="Closes", widget=WHEN)
    remind_every_days = forms.IntegerField(
        min_value=1, max_value=60, initial=3, label="Remind every (days)",
        help_text="Reminders go only to people who have not answered.")
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            label="Introduction", max_length=4000)

    def __init__(self, *args: Any, author: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(district_id=district_id_of(author), active=True)
        if not author.has_role(Role.COORDINATOR):
            schools = schools.filter(pk__in=schools_led_by(author))
            self.fields["school"].required = True
            self.fields["school"].empty_label = None  # type: ignore[attr-defined]
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        # Only the programs she may see now (a school leader: district-wide ones and her
        # schools'), never another school's by name.
        programs = visible_programs(author).filter(archived_at__isnull=True)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        sessions = ProgramSession.objects.filter(program__in=programs).select_related("program")
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.program.name}: {s}")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices)
    prompt = forms.CharField(max_length=500, label="Question")
    help_text = forms.CharField(max_length=500, required=False, label="Help text")
    required = forms.BooleanField(required=False, label="An answer is required")
    likert_labels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, label="Scale labels",
        help_text="Agreement scale: one label a line, lowest first. Empty: Strongly "
                  "disagree to Strongly agree.")
    options = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              help_text="Choices: one option a line.")
    number_min = forms.FloatField(required=False, label="Smallest number allowed")
    number_max = forms.FloatField(required=False, label="Largest number allowed")
    roster_scope = forms.ChoiceField(choices=[("", "—"), *Question.RosterScope.choices],
                                     required=False, label="Names listed")
    frequency_labels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="How often",
        help_text="Names from a list: one frequency a line. Empty: Yearly, Monthly, Weekly, "
                  "Daily.")


class InviteForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=[(Role.TEACHER, "Teachers"), (Role.COACH, "Coaches"),
                 (Role.SCHOOL_LEADER, "School leaders")],
        widget=forms.CheckboxSelectMultiple, required=False, label="Who to ask")
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False,
                                    empty_label="Every school")
    participants = forms.BooleanField(required=False,
                                      label="The participants of the survey's program")

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(district_id=survey.district_id, active=True)
        if survey.school_id is not None:
            schools = schools.filter(pk=survey.school_id)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if survey.program_id is None:
            del self.fields["participants"]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
