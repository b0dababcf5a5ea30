"""Forms of the authoring pages. They parse input; the actions decide and change things
(a draft only, every field checked again there)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from uptake.credentials.actions import DESCRIPTOR_MAX, LEVEL_MAX, LEVELS_MAX, TITLE_MAX
from uptake.credentials.models import Credential, Policy, Tier, Version
from uptake.credentials.presets import PRESETS
from uptake.learning.forms import _group_boxes, element_tree
from uptake.learning.models import FrameworkElement
from uptake.library.models import Practice

TEXT_MAX = 8000


def _area(label: str, help_text: str = "", rows: int = 4, *, required: bool = False
          ) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=50, initial=0, help_text=help_text,
        required=False, error_messages={"min_value": "Give a number from 0 to 50.",
                                        "max_value": "Give a number from 0 to 50."})


def _length(label: str, unit: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=100000,
        error_messages={"min_value": f"Give a number of {unit} from 0, or leave it empty.",
                        "max_value": f"At most 100,000 {unit}."})


class NewCredentialForm(forms.Form):
    preset = forms.ChoiceField(label="Start from", required=False, initial="four_tier",
                               widget=forms.RadioSelect)
    title = forms.CharField(label="Title", required=False, max_length=TITLE_MAX,
                            help_text="For example: Academic conversations. A preset with a "
                                      "title of its own uses it when this is empty.")
    competency = _area("Competency statement", "What an educator who earns it can do. "
                                               "You can write it later.", 3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [  # type: ignore[attr-defined]
            *((p.key, p.label) for p in PRESETS.values()), ("", "Blank: no tiers yet")]

    def options(self) -> list[tuple[Any, str]]:
        """Each radio button with the summary shown under it."""
        summaries = {p.key: p.summary for p in PRESETS.values()}
        summaries[""] = "Write every tier yourself."
        return [(radio, summaries.get(str(radio.data["value"]), ""))
                for radio in self["preset"]]


class VersionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX,
                            error_messages={"required": "Give the credential a title."})
    competency = _area("Competency statement",
                       str(Version._meta.get_field("competency").help_text), 3)
    key_method = _area("Key method", str(Version._meta.get_field("key_method").help_text), 3)
    research_basis = _area("Research basis",
                           "The research it rests on, with the sources an educator can read.",
                           4)


class ImageForm(forms.Form):
    image = forms.FileField(
        label="Image", required=False,
        help_text="A PNG or JPEG, shown in the catalog and on the earned credential. It is "
                  "checked like evidence, and its metadata (camera, place) is removed.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    image_alt = forms.CharField(label="Text alternative", required=False, max_length=200,
                                help_text="What the image shows, for people who cannot see "
                                          "it. Required with an image.")
    remove = forms.BooleanField(label="Remove the image", required=False)


class ChoicesField(forms.ModelMultipleChoiceField):
    """Checkboxes whose refusal of an unknown choice says what may be chosen."""

    def __init__(self, *, label: str, why: str, help_text: str = "") -> None:
        super().__init__(queryset=None, label=label, required=False, help_text=help_text,
                         widget=forms.CheckboxSelectMultiple,
                         error_messages={"invalid_choice": why, "invalid_pk_value": why})


class LinksForm(forms.Form):
    elements = ChoicesField(label="Standards alignment",
                            why="Align only to elements of your district's frameworks.",
                            help_text="The elements of your district's frameworks it works "
                                      "on.")
    requires = ChoicesField(label="Credentials it requires (a stack)",
                            why="Choose among your district's other credentials.",
                            help_text="An educator must have earned these before she "
                                      "submits work for this one.")
    exemplars = ChoicesField(label="Exemplars from the library",
                             why="Choose exemplars among practices published in your "
                                 "district's library.",
                             help_text="Practices colleagues published in your district's "
                                       "library that show what the work looks like.")

    def __init__(self, *args: Any, elements: QuerySet[FrameworkElement],
                 requires: QuerySet[Credential], exemplars: QuerySet[Practice],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["elements"]
        field.queryset = elements  # type: ignore[attr-defined]
        ordered = element_tree(elements)
        field.choices = [(e.pk, f"{e.code} {e.title}")  # type: ignore[attr-defined]
                         for e in ordered]
        group_of = {e.pk: (e.framework.name, e.parent_id is not None) for e in ordered}
        # Read by learning_tags.checkbox_groups: a fieldset per framework.
        self.groups_of = {"elements": lambda: _group_boxes(self["elements"], group_of)}
        self.fields["requires"].queryset = requires  # type: ignore[attr-defined]
        self.fields["exemplars"].queryset = exemplars  # type: ignore[attr-defined]
        self.fields["exemplars"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.title} ({p.author.display_name})")


COUNTS = ("min_sources", "min_research_sources", "min_artifacts", "min_links")
MONEY_ERRORS = {"min_value": "A stipend cannot be negative.",
                "max_value": "At most $100,000.", "invalid": "Give an amount in dollars, "
                                                             "for example 75 or 75.50."}


class TierForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100,
                           error_messages={"required": "Give the tier a name."})
    kind = forms.ChoiceField(label="Kind", choices=Tier.Kind.choices)
    description = _area("What the educator does and sends", rows=3)
    min_sources = _count("Learning sources", "Books, articles, webinars she logged.")
    min_research_sources = _count("Of which research-based")
    min_artifacts = _count("Artifacts", "Lesson materials, photos, student work.")
    min_links = _count("Links to resources")
    needs_lesson_plan = forms.BooleanField(label="A lesson plan or overview others can use",
                                           required=False)
    needs_goal = forms.BooleanField(label="A SMART goal from her learning plan",
                                    required=False)
    impact_rule = forms.ChoiceField(label="What counts as impact", required=False,
                                    choices=Tier.Impact.choices)
    impact_min_change = forms.DecimalField(
        label="Smallest paired change that counts", required=False, max_digits=8,
        decimal_places=2, help_text="In the measure's own units, in the direction it counts "
                                    "as better; for the minimum paired change only.")
    reflection_min_words = _length("Reflection: fewest words", "words")
    reflection_max_words = _length("Reflection: most words", "words")
    accepts_video = forms.BooleanField(label="A short video may replace the written "
                                             "reflection", required=False)
    video_min_seconds = _length("Video: shortest, in seconds", "seconds")
    video_max_seconds = _length("Video: longest, in seconds", "seconds")
    stipend = forms.DecimalField(label="Stipend (dollars)", min_value=Decimal("0"),
                                 max_value=Decimal("100000"), max_digits=9, decimal_places=2,
                                 initial=Decimal("0"), error_messages=MONEY_ERRORS)
    ceus = forms.DecimalField(
        label="CEUs", min_value=Decimal("0"), max_value=Decimal("1000"), max_digits=6,
        decimal_places=2, initial=Decimal("0"),
        error_messages={"min_value": "CEUs cannot be negative.",
                        "max_value": "At most 1,000 CEUs."},
        help_text="Continuing education units the tier earns (its contact hours divided "
                  "by your district's hours per CEU).")

    GROUPS = (
        ("The tier", ("name", "kind", "description")),
        ("The evidence it needs", ("min_sources", "min_research_sources", "min_artifacts",
                                   "min_links", "needs_lesson_plan", "needs_goal")),
        ("Impact", ("impact_rule", "impact_min_change")),
        ("The reflection", ("reflection_min_words", "reflection_max_words", "accepts_video",
                            "video_min_seconds", "video_max_seconds")),
        ("Stipend and credit", ("stipend", "ceus")),
    )

    def groups(self) -> list[tuple[str, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def tier_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["impact_rule"] = data.get("impact_rule") or ""
        for name in COUNTS:
            data[name] = data.get(name) or 0  # empty: none needed
        return data


def initial_tier(tier: Tier) -> dict[str, Any]:
    return {name: getattr(tier, name) for name in TierForm.base_fields}


class LevelsForm(forms.Form):
    """Up to six level names, lowest first (empty ones are dropped), and which of them is
    the lowest that counts as meeting a criterion."""

    passing = forms.TypedChoiceField(label="The lowest level that meets a criterion",
                                     coerce=int, choices=[])

    def __init__(self, *args: Any, tier: Tier, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            **{f"level_{n}": name for n, name in enumerate(tier.levels)},
            "passing": tier.passing_level})
        super().__init__(*args, **kwargs)
        for n in range(LEVELS_MAX):
            self.fields[f"level_{n}"] = forms.CharField(
                label=f"Level {n + 1}" + (" (lowest)" if n == 0 else ""), required=False,
                max_length=LEVEL_MAX)
        self.fields["passing"].choices = [  # type: ignore[attr-defined]
            (n, f"Level {n + 1}") for n in range(1, LEVELS_MAX)]
        self.order_fields([*(f"level_{n}" for n in range(LEVELS_MAX)), "passing"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = [(n, str(data.get(f"level_{n}") or "").strip()) for n in range(LEVELS_MAX)]
        passing = data.get("passing")
        if passing is not None and not named[passing][1]:
            self.add_error("passing", "Choose a level that has a name.")
        kept = [n for n, name in named if name]
        data["levels"] = [name for _, name in named if name]
        data["passing_level"] = kept.index(passing) if passing in kept else 0
        return data


class CriterionForm(forms.Form):
    text = forms.CharField(label="What the assessor judges", max_length=300,
                           error_messages={"required": "Say what the assessor judges."})

    def __init__(self, *args: Any, tier: Tier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, level in enumerate(tier.levels):
            self.fields[f"descriptor_{n}"] = forms.CharField(
                label=f"“{level}” looks like", required=False, max_length=DESCRIPTOR_MAX,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.levels = len(tier.levels)

    def descriptors(self) -> list[str]:
        return [self.cleaned_data.get(f"descriptor_{n}", "") for n in range(self.levels)]


def initial_criterion(criterion: Any) -> dict[str, Any]:
    return {"text": criterion.text,
            **{f"descriptor_{n}": d for n, d in enumerate(criterion.descriptors)}}


class PolicyForm(forms.Form):
    exclude_coaches = forms.BooleanField(
        label="Give an educator's work to someone other than her coach", required=False,
        help_text="An assessor who coaches at a school where the educator works is not "
                  "assigned her work.")
    second_reader = forms.ChoiceField(label="A second assessor reads",
                                      choices=Policy.SecondReader.choices,
                                      widget=forms.RadioSelect)
    contact_hours_per_ceu = forms.DecimalField(
        label="Contact hours per CEU", min_value=Decimal("0.5"), max_value=Decimal("100"),
        max_digits=5, decimal_places=2,
        help_text="For example 10: ten hours of logged learning earn one CEU.",
        error_messages={"min_value": "Give at least 0.5 hours per CEU.",
                        "max_value": "At most 100 hours per CEU."})
    count_learning_hours = forms.BooleanField(
        label="Logged learning hours count toward CEUs", required=False)
    accept_self_directed = forms.BooleanField(
        label="Self-directed learning counts (books and articles read on her own)",
        required=False)
    accept_social_media = forms.BooleanField(
        label="Learning in professional networks and on social media counts", required=False)


def initial_policy(policy: Policy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in PolicyForm.base_fields}
