"""Forms of the ties pages: a relation, a contact, merging two contacts, and a tie she
names. The actions (``uptake.networks.actions.ties``) check the rules; the forms check the
shape and pick the people."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import User
from uptake.networks.actions.ties import (
    DIRECTIONS,
    FREQUENCIES,
    LABEL_MAX,
    NAME_MAX,
    NOTE_MAX,
    PLATFORM_MAX,
    QUESTION_MAX,
    ContactData,
    NamedTieData,
)
from uptake.networks.models import Contact
from uptake.networks.queries import RelationChoice, colleague_by_email, contacts_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RelationForm(forms.Form):
    label = forms.CharField(label="Name", max_length=LABEL_MAX,
                            help_text="For example “Assessment advice”.")
    question = forms.CharField(
        label="Question", max_length=QUESTION_MAX, required=False,
        help_text="The question a network survey asks about it, for example “Whom do you "
                  "go to about assessment?”.")


class ContactForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX)
    kind = forms.ChoiceField(label="Kind", choices=Contact.Kind.choices)
    platform = forms.CharField(
        label="Where you meet them", max_length=PLATFORM_MAX, required=False,
        help_text="A platform or place: “Bluesky”, “r/Teachers”, “Lakeside district”.")

    def data_of(self) -> ContactData:
        d = self.cleaned_data
        return ContactData(d["name"], d["kind"], d.get("platform") or "")

    @staticmethod
    def initial_of(contact: Contact) -> dict[str, Any]:
        return {"name": contact.name, "kind": contact.kind, "platform": contact.platform}


class MergeContactForm(forms.Form):
    other = forms.ModelChoiceField(
        label="The duplicate to merge into this one", queryset=Contact.objects.none(),
        empty_label="Choose…",
        help_text="Its ties and the change chains it carried move here; it is then deleted.")

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Contact.objects.filter(district_id=contact.district_id).exclude(pk=contact.pk))


class NameTieForm(forms.Form):
    """Whom she learns from, or who learns from her: a colleague at her school, a colleague
    elsewhere by e-mail (the district's directory is not listed, and an address that
    cannot be used gets one neutral answer), a contact the district knows, or a new one."""

    direction = forms.ChoiceField(label="Which way", choices=list(DIRECTIONS.items()),
                                  widget=forms.RadioSelect, initial="from")
    relation = forms.ChoiceField(label="What about")
    frequency = forms.ChoiceField(label="How often",
                                  choices=[(k, label) for k, label, _ in FREQUENCIES])
    person = forms.ModelChoiceField(label="A colleague at your school", required=False,
                                    queryset=User.objects.none(), empty_label="Choose…")
    email = forms.EmailField(label="Or the e-mail of a colleague elsewhere in the district",
                             required=False)
    contact = forms.ModelChoiceField(label="Or someone outside the district you named before",
                                     required=False, queryset=Contact.objects.none(),
                                     empty_label="Choose…")
    contact_name = forms.CharField(
        label="Or someone new outside the district: name", required=False,
        max_length=NAME_MAX, help_text="A person of your PLN, an online community, an "
                                       "organisation.")
    contact_kind = forms.ChoiceField(label="Kind", choices=Contact.Kind.choices,
                                     required=False)
    contact_platform = forms.CharField(
        label="Where you meet them", required=False, max_length=PLATFORM_MAX,
        help_text="“Bluesky”, “r/Teachers”, “a conference”, “Lakeside district”.")
    observed_on = forms.DateField(label="As of", required=False, widget=DATE,
                                  help_text="Leave empty for today.")
    note = forms.CharField(label="Note (only you and the coordinators see it)",
                           required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, me: User, relations: list[RelationChoice],
                 colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.me = me
        self.fields["relation"].choices = [  # type: ignore[attr-defined]
            (r.key, r.label) for r in relations]
        person = self.fields["person"]
        person.queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in colleagues]).order_by("last_name", "first_name", "email")
        person.label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["contact"].queryset = contacts_for(me)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        chosen = [k for k in ("person", "email", "contact", "contact_name") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                "Choose one person: a colleague at your school, a colleague's e-mail, a "
                "contact you named before or someone new outside the district.")
        if data.get("email"):
            found = colleague_by_email(self.me, data["email"])
            if found is None:
                self.add_error("email", "We cannot name a tie to that address: check it, or "
                                        "add them as someone outside the district.")
            data["colleague"] = found
        return data

    def new_contact(self) -> ContactData | None:
        d = self.cleaned_data
        if not d.get("contact_name"):
            return None
        return ContactData(d["contact_name"], d.get("contact_kind") or Contact.Kind.PERSON,
                           d.get("contact_platform") or "")

    def data_of(self, contact: Contact | None = None) -> NamedTieData:
        d = self.cleaned_data
        person = d.get("person") or d.get("colleague")
        return NamedTieData(direction=d["direction"], relation=d["relation"],
                            frequency=d["frequency"], person=person,
                            contact=contact or d.get("contact"), note=d.get("note") or "",
                            observed_on=d.get("observed_on"))
