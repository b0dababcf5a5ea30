"""Micro-credentials: what a district offers, what an educator submits, how it is read.

- :class:`Credential` is the lasting identity of a district's micro-credential; its content
  lives in numbered :class:`Version` s. A version is edited as a draft, then **published**
  and frozen: editing a published credential starts the next draft, and publishing that
  draft supersedes the old version. Submissions stay on the version they began on.
- A version has :class:`Tier` s (learning, implementation, impact, sharing; or a data-use
  credential's monthly tasks), each with the evidence it needs, the reflection's length,
  its stipend and CEUs, and a scoring guide: :class:`Criterion` rows with a
  descriptor per level (``Tier.levels``, "Not yet on track" / "On track" by default).
- An educator's work toward one tier is a :class:`Submission`, assembled from records she
  already has (:class:`Item`: an inquiry, a cycle, a measure, a learning source, an
  artifact, a plan goal), never a second upload. Each time she submits, a :class:`Round`
  freezes what was sent; assessors read a round in :class:`Review` s with a
  :class:`Score` per criterion. Resubmissions add rounds, so the history stays.
- When every tier of a version is awarded she has earned the credential: an
  :class:`Award` (what the Open Badges issuer signs), and each awarded tier leaves a
  :class:`StipendEntry` in the ledger.
- A district's rules (who may read whose work, the second reader, how learning hours
  convert to CEUs) are one :class:`Policy` row.

The states a submission moves through, and the only moves allowed, are in
``uptake.credentials.workflow``; only ``uptake.credentials.actions`` moves them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from uptake.accounts.models import District, School

DEFAULT_LEVELS = ["Not yet on track", "On track"]
MONEY = {"max_digits": 9, "decimal_places": 2, "default": Decimal("0"),
         "validators": [MinValueValidator(Decimal("0"))]}
HOURS = {"max_digits": 6, "decimal_places": 2, "default": Decimal("0"),
         "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]}


def default_levels() -> list[str]:
    return list(DEFAULT_LEVELS)


# ------------------------------------------------------------------------ authoring

class Credential(models.Model):
    """A district's micro-credential across its versions."""

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="credentials")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # No longer offered for new submissions; awards and work in flight stay.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        version = self.versions.order_by("-number").first()
        return version.title if version is not None else f"Credential {self.pk}"


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a later version"

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE,
                                   related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    competency = models.TextField(help_text="The competency statement: what an educator "
                                            "who earns it can do.")
    key_method = models.TextField(blank=True, help_text="The practice or method at its heart.")
    research_basis = models.TextField(blank=True, help_text="The research it rests on.")
    # Which preset it was started from ("" for none): ``uptake.credentials.presets``.
    preset = models.CharField(max_length=30, blank=True)
    # Stored after the same sniffing and metadata stripping as evidence (PNG, JPEG, SVG
    # refused: a badge image is a raster the issuer bakes).
    image = models.FileField(upload_to="credentials/", blank=True, max_length=255)
    image_alt = models.CharField(max_length=200, blank=True)
    # Standards alignment: elements of the district's frameworks.
    elements = models.ManyToManyField("learning.FrameworkElement", related_name="+",
                                      blank=True)
    # A stack: credentials an educator must have earned before she may submit to this one.
    requires = models.ManyToManyField(Credential, related_name="required_by", blank=True)
    # Exemplars: practices published in the district's shared-practice library (their
    # authors' consent to be read district-wide) that show what the work looks like.
    exemplars = models.ManyToManyField("library.Practice", related_name="+", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["credential", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "number"],
                                    name="version_unique_number"),
            models.UniqueConstraint(fields=["credential"], condition=Q(status="draft"),
                                    name="version_one_draft_per_credential"),
            models.UniqueConstraint(fields=["credential"], condition=Q(status="published"),
                                    name="version_one_published_per_credential"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def district_id(self) -> int:
        return self.credential.district_id


class Tier(models.Model):
    class Kind(models.TextChoices):
        LEARNING = "learning", "Learning"
        IMPLEMENTATION = "implementation", "Implementation"
        IMPACT = "impact", "Impact"
        SHARING = "sharing", "Sharing"
        TASK = "task", "Task"

    class Impact(models.TextChoices):
        """What counts as impact, because districts differ."""

        NONE = "", "No student data needed"
        DATA_AND_REFLECTION = "data_and_reflection", (
            "Student data and a reflection on it; positive or negative results both count")
        SUSTAINED_IMPROVEMENT = "sustained_improvement", (
            "A sustained improvement on a run or control chart in at least one class")
        MIN_PAIRED_CHANGE = "min_paired_change", (
            "A minimum paired change (the same students, before and after) in at least one "
            "class")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TASK)
    description = models.TextField(blank=True, help_text="What the educator does and sends.")
    # The evidence it needs.
    min_sources = models.PositiveSmallIntegerField(default=0)
    min_research_sources = models.PositiveSmallIntegerField(default=0)
    min_artifacts = models.PositiveSmallIntegerField(default=0)
    min_links = models.PositiveSmallIntegerField(default=0)
    needs_lesson_plan = models.BooleanField(default=False)
    needs_goal = models.BooleanField(default=False, help_text="A SMART goal from her plan.")
    impact_rule = models.CharField(max_length=24, choices=Impact.choices, blank=True,
                                   default=Impact.NONE)
    # For MIN_PAIRED_CHANGE: the smallest mean paired change, in the measure's own units, in
    # the direction the measure counts as better.
    impact_min_change = models.DecimalField(max_digits=8, decimal_places=2, null=True,
                                            blank=True)
    # The reflection: words, or (when ``accepts_video``) a short video instead.
    reflection_min_words = models.PositiveIntegerField(null=True, blank=True)
    reflection_max_words = models.PositiveIntegerField(null=True, blank=True)
    accepts_video = models.BooleanField(default=False)
    video_min_seconds = models.PositiveIntegerField(null=True, blank=True)
    video_max_seconds = models.PositiveIntegerField(null=True, blank=True)
    stipend = models.DecimalField(**MONEY)  # type: ignore[arg-type]
    ceus = models.DecimalField(**HOURS)  # type: ignore[arg-type]
    # The scoring guide's levels, lowest first; ``passing_level`` indexes the lowest level
    # that counts as meeting a criterion (every criterion must, for an award).
    levels = models.JSONField(default=default_levels)
    passing_level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="tier_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def passing_label(self) -> str:
        return self.levels[self.passing_level]


class Criterion(models.Model):
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=300, help_text="What the assessor judges.")
    # One descriptor per level of the tier, lowest first.
    descriptors = models.JSONField(default=list)

    class Meta:
        ordering = ["tier", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Policy(models.Model):
    """A district's rules for micro-credentials."""

    class SecondReader(models.TextChoices):
        ON_REQUEST = "on_request", "When the first assessor asks for one"
        ALWAYS = "always", "Always: every round is read by two assessors"

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="credential_policy")
    # "An administrator rather than the coach": an assessor who coaches at a school where
    # the educator works is not given her work.
    exclude_coaches = models.BooleanField(default=True)
    second_reader = models.CharField(max_length=12, choices=SecondReader.choices,
                                     default=SecondReader.ON_REQUEST)
    # CEUs: logged learning hours convert at this rate (10 contact hours = 1 CEU).
    contact_hours_per_ceu = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.5"))])
    count_learning_hours = models.BooleanField(default=True)
    # Books and articles read on her own, and social-media / network threads.
    accept_self_directed = models.BooleanField(default=True)
    accept_social_media = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"Micro-credential policy of district {self.district_id}"


# ----------------------------------------------------------------------- submissions

class Submission(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for an assessor"
        IN_REVIEW = "in_review", "Being reviewed"
        RETURNED = "returned", "Returned with feedback"
        AWARDED = "awarded", "Awarded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="credential_submissions")
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="credential_submissions")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # The reflection she writes for this tier (or a video among her artifacts).
    reflection = models.TextField(blank=True)
    reflection_video = models.ForeignKey("evidence.Artifact", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["district", "state", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["educator", "tier"],
                                    condition=~Q(state="withdrawn"),
                                    name="submission_one_live_per_tier"),
            models.CheckConstraint(condition=Q(state__in=[
                "draft", "submitted", "in_review", "returned", "awarded", "withdrawn"]),
                name="submission_known_state"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} by person {self.educator_id}"

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class Item(models.Model):
    """One of her records selected for a submission. Exactly one of the links is set when
    she selects it; if she later deletes the record the link is cut and ``label`` says
    what it was (a round already sent keeps its own frozen copy)."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", "Inquiry"
        CYCLE = "cycle", "Cycle of an inquiry"
        MEASURE = "measure", "Measure (student data)"
        SOURCE = "source", "Learning source"
        ARTIFACT = "artifact", "Artifact"
        GOAL = "goal", "Plan goal"
        PRACTICE = "practice", "Practice shared in the library"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    inquiry = models.ForeignKey("inquiry.Inquiry", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    cycle = models.ForeignKey("inquiry.Cycle", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    measure = models.ForeignKey("inquiry.Measure", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    source = models.ForeignKey("learning.LearningSource", on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    artifact = models.ForeignKey("evidence.Artifact", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    goal = models.ForeignKey("learning.Goal", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    practice = models.ForeignKey("library.Practice", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    label = models.CharField(max_length=300)
    note = models.CharField(max_length=500, blank=True,
                            help_text="Why she chose it, for the assessor.")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "added_at", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def target(self) -> models.Model | None:
        return getattr(self, self.kind)


class Round(models.Model):
    """One sending of a submission, frozen: what she sent, what the pre-check and her
    measures said at that moment, and how it ended."""

    class Outcome(models.TextChoices):
        OPEN = "", "Open"
        AWARDED = "awarded", "Awarded"
        RETURNED = "returned", "Returned with feedback"
        WITHDRAWN = "withdrawn", "Withdrawn"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    reflection = models.TextField(blank=True)
    items = models.JSONField(default=list)  # [{"kind", "id", "label", "note"}]
    checks = models.JSONField(default=list)  # the pre-check, as sent
    impact = models.JSONField(default=list)  # the verdicts of her measures, as sent
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True,
                               default=Outcome.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"],
                                    name="round_unique_number"),
            models.UniqueConstraint(fields=["submission"], condition=Q(outcome=""),
                                    name="round_one_open_per_submission"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of submission {self.submission_id}"


class Review(models.Model):
    class Reader(models.TextChoices):
        FIRST = "first", "First reader"
        SECOND = "second", "Second reader"
        DECIDING = "deciding", "Deciding reader (the first two disagreed)"

    class Decision(models.TextChoices):
        NONE = "", "Not decided"
        AWARD = "award", "Award"
        RETURN = "return", "Return with feedback"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="credential_reviews")
    reader = models.CharField(max_length=10, choices=Reader.choices, default=Reader.FIRST)
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True,
                                default=Decision.NONE)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Taken off this round (reassigned, or her role ended) before deciding.
    released_at = models.DateTimeField(null=True, blank=True)
    released_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"],
                                    condition=Q(released_at__isnull=True),
                                    name="review_one_live_per_assessor_and_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reader_display()} of round {self.round_id}"

    @property
    def open(self) -> bool:
        return self.decided_at is None and self.released_at is None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"Level {self.level} on criterion {self.criterion_id}"


# ------------------------------------------------------------------ awards and money

class Award(models.Model):
    """A credential earned: every tier of one version awarded. What the Open Badges issuer
    signs (issue 14) starts from here."""

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="credential_awards")
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="credential_awards")
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="awards")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["educator", "credential"],
                                    name="award_once_per_credential"),
        ]

    def __str__(self) -> str:
        return f"{self.version.title} earned by person {self.educator_id}"


class StipendEntry(models.Model):
    """The stipend one awarded tier earns: a ledger row, never edited. ``school`` is where
    she worked when it was awarded (payroll runs per school); ``period`` the month."""

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="stipend_entries")
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="stipend_entries")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT,
                                      related_name="stipend")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    ceus = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    awarded_on = models.DateField()
    period = models.CharField(max_length=7)  # "2026-11"
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["district", "period"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="stipend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to person {self.educator_id} ({self.period})"
