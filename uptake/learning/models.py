"""Learning plans, their SMART goals and reviews, the frameworks goals align to, and the
sources of new learning a teacher records.

Years are school years named by the calendar year they start in: ``start_year=2026`` is
the 2026-27 school year, which runs from July 2026 to June 2027.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District

# The school year starts in July: hours and targets are counted per school year, which is
# how recertification and stipend periods are usually framed in K-12.
SCHOOL_YEAR_FIRST_MONTH = 7
MAX_SOURCE_HOURS = Decimal("200")


def school_year_of(day: date) -> int:
    """The school year ``day`` falls in, named by its starting calendar year."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_label(start: int) -> str:
    """``2026`` → ``"2026-27"``."""
    return f"{start}-{(start + 1) % 100:02d}"


def school_year_bounds(start: int, end: int | None = None) -> tuple[date, date]:
    """First and last day of the school years ``start`` to ``end`` (inclusive)."""
    last = start if end is None else end
    return (date(start, SCHOOL_YEAR_FIRST_MONTH, 1),
            date(last + 1, SCHOOL_YEAR_FIRST_MONTH, 1) - timedelta(days=1))


# ---------------------------------------------------------------------------- frameworks

class Framework(models.Model):
    """A set of standards or practices a district aligns goals to; districts edit them."""

    class Kind(models.TextChoices):
        STANDARDS = "standards", "Standards for professional learning"
        PRACTICE = "practice", "Teaching practice"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="frameworks")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    # Which built-in framework this row was seeded from ("" for a district's own), so that
    # seeding is idempotent without matching on names a coordinator may have changed.
    seed_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"],
                                    name="framework_unique_name_per_district"),
            models.UniqueConstraint(fields=["district", "seed_key"],
                                    condition=~models.Q(seed_key=""),
                                    name="framework_unique_seed_per_district"),
        ]

    def __str__(self) -> str:
        return self.name


class ElementQuerySet(models.QuerySet["FrameworkElement"]):
    def active(self) -> ElementQuerySet:
        return self.filter(retired_at__isnull=True)


class FrameworkElement(models.Model):
    """A standard, or a domain (``parent`` empty) or component of a practice framework."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    # Elements that goals align to are retired rather than deleted, so old goals keep
    # their meaning; retired elements are not offered for new alignments.
    retired_at = models.DateTimeField(null=True, blank=True)
    # Inquiries aligned to it directly (``do_align_inquiry``); an inquiry is also aligned
    # to the elements of the plan goals that cite it (``queries.elements_of_inquiry``).
    inquiries = models.ManyToManyField("inquiry.Inquiry", related_name="aligned_elements",
                                       blank=True)

    objects = ElementQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"],
                                    name="element_unique_code_per_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


# ------------------------------------------------------------------------------ plans

class LearningPlan(models.Model):
    """A teacher's multi-year professional learning plan. Private to her until she shares
    it (an ``accounts.Grant`` per reviewer, see ``uptake.learning.access``)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="learning_plans")
    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="learning_plans")
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    focus = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_year", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="plan_end_year_not_before_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.start_year == self.end_year:
            return school_year_label(self.start_year)
        return f"{school_year_label(self.start_year)} to {school_year_label(self.end_year)}"


class Goal(models.Model):
    """A SMART goal: specific, measurable, achievable (steps), relevant, time-bound."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        SET_ASIDE = "set_aside", "Set aside"

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="goals")
    statement = models.TextField(help_text="Specific: what will change, for whom")
    measure = models.TextField(help_text="Measurable: how success will be known")
    steps = models.TextField(help_text="Achievable: the steps that get there")
    relevance = models.TextField(help_text="Relevant: why it matters for students")
    target_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED)
    elements = models.ManyToManyField(FrameworkElement, related_name="goals", blank=True)
    # The inquiries this goal is pursued through: ones the plan's owner may edit when she
    # links them (her own or her team's). A link to a team's inquiry stays when she leaves
    # the team, but is shown only while she may edit it (``learning.queries``).
    inquiries = models.ManyToManyField("inquiry.Inquiry", related_name="plan_goals",
                                       blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]


class PlanReview(models.Model):
    """A conversation about the plan with a coach, school leader or coordinator."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="plan_reviews_given")
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_steps = models.TextField(blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.reviewed_on:%Y-%m-%d}"


# ---------------------------------------------------------------------------- sources

class LearningSource(models.Model):
    """Something a teacher learned from, with her reflection on it."""

    class Kind(models.TextChoices):
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        WEBINAR = "webinar", "Webinar"
        COURSE = "course", "Course"
        CONFERENCE = "conference", "Conference"
        NETWORK_THREAD = "network_thread", "Professional-network or social-media thread"
        COLLEAGUE_VISIT = "colleague_visit", "Colleague visit"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="learning_sources")
    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="learning_sources")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    learned_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"),
                                validators=[MinValueValidator(Decimal("0")),
                                            MaxValueValidator(MAX_SOURCE_HOURS)])
    research_based = models.BooleanField(default=False)
    citation = models.TextField(blank=True)
    reflection = models.TextField(blank=True)
    goals = models.ManyToManyField(Goal, related_name="sources", blank=True)
    # Which of her inquiries this learning informed (her own or her team's: ones she may
    # edit when she links them, see ``uptake.inquiry.access.inquiries_editable_by``).
    inquiries = models.ManyToManyField("inquiry.Inquiry", related_name="learning_sources",
                                       blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-learned_on", "-pk"]
        indexes = [models.Index(fields=["owner", "-learned_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(hours__lte=MAX_SOURCE_HOURS),
                name="source_hours_between_0_and_200"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def school_year(self) -> int:
        return school_year_of(self.learned_on)
