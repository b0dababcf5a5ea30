"""Forms of the review side: an assessor's scoring and decision, a coordinator's choice of
reader. They only parse what was sent; the rules (every criterion scored, "on track" to
award, feedback to return, who may read whose work) are the actions'."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import User
from uptake.credentials.actions import COMMENT_MAX
from uptake.credentials.models import Review, Tier

DECISIONS = [(Review.Decision.AWARD, "Award"), (Review.Decision.RETURN, "Return with feedback")]


class DecisionForm(forms.Form):
    """A level and a comment for each criterion of the tier, an overall comment, and the
    decision (the button she pressed)."""

    decision = forms.ChoiceField(choices=DECISIONS, error_messages={
        "required": "Choose award or return.", "invalid_choice": "Choose award or return."})
    comment = forms.CharField(
        required=False, max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        label="Overall comment",
        help_text="What the educator reads. Required to return the work: say what to do "
                  "to reach “on track”.")

    def __init__(self, *args: Any, tier: Tier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tier = tier
        self.criteria = list(tier.criteria.all())
        levels = [(str(i), label) for i, label in enumerate(tier.levels)]
        for c in self.criteria:
            self.fields[f"level_{c.pk}"] = forms.TypedChoiceField(
                choices=levels, coerce=int, required=False, widget=forms.RadioSelect,
                label=c.text)
            self.fields[f"note_{c.pk}"] = forms.CharField(
                required=False, max_length=COMMENT_MAX, label=f"Comment on “{c.text}”",
                widget=forms.Textarea(attrs={"rows": 2}))

    def scores(self) -> dict[int, tuple[int, str]]:
        """The levels chosen (a criterion left unscored is left out: the action names it)."""
        data = self.cleaned_data
        out: dict[int, tuple[int, str]] = {}
        for c in self.criteria:
            level = data.get(f"level_{c.pk}")
            if level is not None and level != "":
                out[c.pk] = (int(level), data.get(f"note_{c.pk}", ""))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """Each criterion with its levels and their descriptors, for the template."""
        rows = []
        for c in self.criteria:
            chosen = self[f"level_{c.pk}"].value()
            descriptors = list(c.descriptors) + [""] * len(self.tier.levels)
            rows.append({
                "criterion": c, "name": f"level_{c.pk}",
                "levels": [{"value": str(i), "label": label, "descriptor": descriptors[i],
                            "passing": i >= self.tier.passing_level,
                            "checked": chosen is not None and str(chosen) == str(i)}
                           for i, label in enumerate(self.tier.levels)],
                "errors": self[f"level_{c.pk}"].errors, "note": self[f"note_{c.pk}"]})
        return rows


class AssignForm(forms.Form):
    """Whom a coordinator gives the work to, and (when someone is reading) whom she replaces."""

    assessor: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Assessor", empty_label="Choose an assessor",
        error_messages={"required": "Choose an assessor.",
                        "invalid_choice": "Choose one of the eligible assessors listed."})
    replace: forms.ModelChoiceField[Review] = forms.ModelChoiceField(
        queryset=Review.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, assessors: Any, readers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors  # type: ignore[attr-defined]
        self.fields["assessor"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.display_name} ({u.open_reviews} open)"
            if hasattr(u, "open_reviews") else u.display_name)
        self.fields["replace"].queryset = readers  # type: ignore[attr-defined]
