"""Forms for inquiries, cycles and measures: they parse and validate; actions change things."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from uptake.accounts.forms import ShareUntilField
from uptake.accounts.grants import eligible_grantees, grantees_of
from uptake.accounts.models import Role, User
from uptake.inquiry.access import INQUIRY_GRANTS, sections_taught_by, teams_of
from uptake.inquiry.actions import (
    MAX_COUNT,
    InquiryRuleError,
    check_measure_fields,
    check_new_member,
)
from uptake.inquiry.models import Cycle, Inquiry, Measure, Team
from uptake.roster.models import Section

NOT_ELIGIBLE = ("You can share an inquiry only with a coach or school leader at a school "
                "where you work; choose someone from the list.")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SectionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.school.name})"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class InquiryForm(forms.ModelForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="Just me",
        help_text="Team members can edit the inquiry and add their own classes' data.")

    class Meta:
        model = Inquiry
        fields = ["title", "problem_of_practice", "question", "change_idea", "prediction",
                  "status", "team"]
        labels = {"problem_of_practice": "Problem of practice",
                  "question": "Question", "change_idea": "Change idea",
                  "prediction": "Prediction"}
        help_texts = {
            "problem_of_practice": "What is happening for students that you want to change?",
            "question": "The question this inquiry tries to answer.",
            "change_idea": "What you will do differently.",
            "prediction": "What you expect to happen for students, and by when.",
        }
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in
                   ("problem_of_practice", "question", "change_idea", "prediction")}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_of(user)  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Team.Kind.choices, initial=Team.Kind.PLC)
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Teachers at your school. You are always a member.")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = user.roles.filter(school__isnull=False).values("school_id")
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(district=user.district, is_active=True,
                                roles__role=Role.TEACHER, roles__school_id__in=schools)
            .exclude(pk=user.pk).distinct().order_by("last_name", "first_name"))
        self.fields["members"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    """Offers only the people the owner may share with now (a coach or leader at a school
    where she works); anyone else posted is refused with a message saying why."""

    person = PersonChoice(queryset=User.objects.none(), label="Coach or leader",
                          help_text="A coach or school leader at your school. They can read "
                                    "this inquiry and its results, never edit, for as long as "
                                    "they work at your school.",
                          error_messages={"invalid_choice": NOT_ELIGIBLE})
    until = ShareUntilField()

    def __init__(self, *args: Any, inquiry: Inquiry, withdrawing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Withdrawing names anyone the inquiry was shared with, eligible or not any more.
        # The list offers those not yet shared with; sharing again (a new last day) is
        # accepted for anyone eligible.
        people = eligible_grantees(inquiry.owner, INQUIRY_GRANTS)
        if withdrawing:
            people = grantees_of(inquiry)
        elif not self.is_bound:
            people = people.exclude(pk__in=grantees_of(inquiry, live=True).values("pk"))
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class PlanForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["plan", "prediction", "data_collection", "start_date", "end_date"]
        labels = {"plan": "Plan", "prediction": "Prediction",
                  "data_collection": "Planned data collection"}
        widgets = {"plan": forms.Textarea(attrs={"rows": 4}),
                   "prediction": forms.Textarea(attrs={"rows": 3}),
                   "data_collection": forms.Textarea(attrs={"rows": 3}),
                   "start_date": DATE, "end_date": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and \
                data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The cycle cannot end before it starts.")
        return data


class LogForm(forms.Form):
    when = forms.DateField(label="Date", widget=DATE)
    text = forms.CharField(label="What you did", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)


class StudyForm(forms.Form):
    notes = forms.CharField(
        label="What happened, compared with your prediction", required=False,
        widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class ActForm(forms.Form):
    decision = forms.ChoiceField(choices=Cycle.Decision.choices, widget=forms.RadioSelect,
                                 label="Decision")
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=5000)
    close = forms.BooleanField(
        required=False, label="Also close this inquiry",
        help_text="For when no further cycle is planned, for example when you abandon the "
                  "change or adopt it for good. A closed inquiry leaves “in progress” on your "
                  "home page and starts no new cycle; its data and results stay, and you can "
                  "reopen it on the inquiry page at any time.")

    def __init__(self, *args: Any, closed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if closed:  # nothing left to close
            del self.fields["close"]


class MeasureForm(forms.ModelForm):
    sections = SectionChoices(
        queryset=Section.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Your classes",
        help_text="The classes you will collect this measure in. Colleagues add their own.")
    comparison = SectionChoices(
        queryset=Section.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Of these, comparison classes",
        help_text="Classes that collect this measure but do not try the change yet. When a "
                  "team has both, the study sets the classes trying the change against them.")

    class Meta:
        model = Measure
        fields = ["name", "kind", "scale_min", "scale_max", "likert_labels", "direction",
                  "change_date", "chart"]
        labels = {"scale_min": "Lowest possible value", "scale_max": "Highest possible value",
                  "likert_labels": "Likert labels", "change_date": "Change date",
                  "chart": "Chart for scores, rubric levels and Likert items"}
        help_texts = {"likert_labels": "Likert items only: one label per point of the scale, "
                                       "lowest first, one per line (for 1 to 5, five labels "
                                       "from “Strongly disagree” to “Strongly agree”). They "
                                       "are shown in the entry grid, on the measure page and "
                                       "on the chart.",
                      "scale_min": "Leave empty for proportions and counts."}
        widgets = {"change_date": DATE, "likert_labels": forms.Textarea(attrs={"rows": 3}),
                   "chart": forms.RadioSelect}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine: QuerySet[Section] = sections_taught_by(user).select_related("school")
        self.fields["sections"].queryset = mine  # type: ignore[attr-defined]
        self.fields["comparison"].queryset = mine  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["sections"] = list(self.instance.sections.filter(pk__in=mine))
            self.initial["comparison"] = list(
                self.instance.comparison_sections.filter(pk__in=mine))
        # Forms posted without a chart (older pages, scripts) keep the measure's chart.
        self.fields["chart"].required = False

    def clean_chart(self) -> str:
        return str(self.cleaned_data.get("chart") or self.instance.chart or Measure.Chart.RUN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outside = set(data.get("comparison") or ()) - set(data.get("sections") or ())
        if outside:
            self.add_error("comparison", "A comparison class must be one of the classes "
                           "that collect this measure: tick it above as well.")
        try:
            check_measure_fields(data)
        except InquiryRuleError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


class OccasionForm(forms.Form):
    when = forms.DateField(label="Date", widget=DATE)
    label = forms.CharField(label="Label (optional)", required=False, max_length=100,
                            help_text="For example “Exit ticket 3”.")


class TotalForm(forms.Form):
    numerator = forms.IntegerField(min_value=0, max_value=MAX_COUNT, label="How many (k)")
    denominator = forms.IntegerField(min_value=1, max_value=MAX_COUNT, label="Out of (n)")


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV or Excel (.xlsx) file",
                           help_text="Long layout: student_id, date, label, value. Wide "
                                     "layout: student_id, then one column per occasion.")


class TeamEditForm(forms.Form):
    name = forms.CharField(max_length=200, label="Team name")
    kind = forms.ChoiceField(choices=Team.Kind.choices, label="Kind of team")


def not_addable(email: str) -> str:
    """The one answer for every e-mail that cannot be added: no account, another district,
    not an active teacher, or already a member. It confirms nothing about who holds it."""
    return (f"{email} is not the e-mail of a teacher you can add to this team. Check the "
            "address with your colleague.")


class AddMemberForm(forms.Form):
    """Choose a teacher at one of your schools, or give the e-mail of a teacher elsewhere
    in the district (the district's directory is not listed, and a typed e-mail that cannot
    be added gets one neutral answer, so the form reveals nobody's name or role)."""

    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Teacher at your school",
        empty_label="Choose…")
    email = forms.EmailField(
        required=False, label="Or the e-mail of a teacher at another school",
        help_text="A teacher in your district, for example a colleague in a vertical team.")

    def __init__(self, *args: Any, team: Team, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        schools = user.roles.filter(school__isnull=False).values("school_id")
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(district_id=team.district_id, is_active=True,
                                roles__role=Role.TEACHER, roles__school_id__in=schools)
            .exclude(pk__in=team.members.values("pk")).distinct()
            .order_by("last_name", "first_name"))
        self.fields["person"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, email = data.get("person"), data.get("email")
        if self.errors:
            return data
        if bool(person) == bool(email):
            raise forms.ValidationError(
                "Choose a teacher at your school, or give an e-mail address (one of the two).")
        if email:
            member = self._addable_by_email(email)
            if member is None:
                self.add_error("email", not_addable(email))
                return data
        else:
            member = data["person"]
            try:
                check_new_member(self.team, member)
            except InquiryRuleError as exc:  # someone from the list, already visible to her
                self.add_error("person", str(exc))
                return data
        data["member"] = member
        return data

    def _addable_by_email(self, email: str) -> User | None:
        person = User.objects.filter(email__iexact=email,
                                     district_id=self.team.district_id).first()
        if person is None:
            return None
        try:
            check_new_member(self.team, person)
        except InquiryRuleError:
            return None
        return person


class AnnotationForm(forms.Form):
    """A note on a measure's charts; the action checks the rules (length, class)."""

    when = forms.DateField(label="Day", widget=DATE, error_messages={
        "required": "Give the day the note is about.",
        "invalid": "Give the day as a date, such as 2026-11-16."})
    text = forms.CharField(
        label="Note", help_text='A few words, such as "snow day" or "sub all week" '
        "(at most 60 characters).", required=False,
        widget=forms.TextInput(attrs={"maxlength": 60}))
    section = forms.ModelChoiceField(label="Class", queryset=Section.objects.none(),
                                     required=False, empty_label="All classes",
                                     error_messages={"invalid_choice":
                                                     "That class does not collect this "
                                                     "measure."})

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = measure.sections.order_by("title")  # type: ignore[attr-defined]
