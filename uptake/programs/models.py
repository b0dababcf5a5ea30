"""A district's professional-learning programs: what it offers, to whom, when.

A program is data, not a page: its kind, focus area, standards alignment (framework
elements), schools, dates and facilitator let the district view count participation and
outcomes by program. Sessions, enrolment and attendance, and the records a teacher links to
the program she learned in, hang off it (see the models below ``Program``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from uptake.accounts.models import District, School


class FundingSource(models.TextChoices):
    """Where the money for professional learning comes from (ESSA titles first)."""

    TITLE_II_A = "title_ii_a", "Federal Title II-A"
    TITLE_I = "title_i", "Federal Title I"
    TITLE_IV = "title_iv", "Federal Title IV"
    STATE = "state", "State"
    DISTRICT = "district", "District"
    GRANT = "grant", "Grant"
    OTHER = "other", "Other"


class Program(models.Model):
    """One professional-learning offering of a district."""

    class Kind(models.TextChoices):
        COACHING = "coaching", "Coaching cycle"
        COURSE = "course", "Course or workshop"
        PLC = "plc", "PLC initiative"
        MENTORING = "mentoring", "Mentoring"
        CONFERENCE = "conference", "Conference"
        BOOK_STUDY = "book_study", "Book study"
        MICRO_CREDENTIAL = "micro_credential", "Micro-credential program"
        SELF_DIRECTED = "self_directed", "Self-directed learning"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="programs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    focus_area = models.CharField(
        max_length=100, blank=True,
        help_text="What it works on, in the district's words: \"Math discourse\", \"Writing\".")
    description = models.TextField(blank=True)
    # Standards alignment: elements of the district's frameworks (learning app).
    elements = models.ManyToManyField("learning.FrameworkElement", related_name="programs",
                                      blank=True)
    # The schools it runs in; none means the whole district.
    schools = models.ManyToManyField(School, related_name="programs", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    facilitator = models.CharField(max_length=200, blank=True,
                                   help_text="Who leads it: a person, a team or a provider.")
    facilitator_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="programs_facilitated")
    # A micro-credential program offers these credentials; stipends they pay are charged
    # to ``funding_source`` in the spending ledger.
    credentials = models.ManyToManyField("credentials.Credential", related_name="programs",
                                         blank=True)
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices,
                                      default=FundingSource.DISTRICT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name", "pk"]
        indexes = [models.Index(fields=["district", "starts_on"])]

    def __str__(self) -> str:
        return self.name


class ProgramSession(models.Model):
    """One meeting of a program: a workshop day, a coaching visit, a PLC meeting."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"),
                                validators=[MinValueValidator(Decimal("0")),
                                            MaxValueValidator(Decimal("100"))])

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title or f"Session of {self.held_on:%-d %B %Y}"


class Participant(models.Model):
    """A person's enrolment in a program, and how it ended."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="program_participations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    enrolled_on = models.DateField(default=datetime.date.today)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "person__email", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"],
                                    name="participant_once_per_program"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.program}"


class Attendance(models.Model):
    """Whether one person was at one session (a row is written for present and absent)."""

    session = models.ForeignKey(ProgramSession, on_delete=models.CASCADE,
                                related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="program_attendance")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"],
                                    name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {'at' if self.present else 'absent from'} {self.session}"


class ProgramLink(models.Model):
    """A teacher's record that came out of a program: an inquiry, a learning source or a
    credential she worked toward. Exactly one target is set."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="links")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="program_links")
    inquiry = models.ForeignKey("inquiry.Inquiry", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="program_links")
    source = models.ForeignKey("learning.LearningSource", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="program_links")
    credential = models.ForeignKey("credentials.Credential", on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="program_links")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(inquiry__isnull=False, source__isnull=True, credential__isnull=True)
                    | Q(inquiry__isnull=True, source__isnull=False, credential__isnull=True)
                    | Q(inquiry__isnull=True, source__isnull=True, credential__isnull=False)),
                name="programlink_exactly_one_target"),
            models.UniqueConstraint(fields=["program", "inquiry"],
                                    condition=Q(inquiry__isnull=False),
                                    name="programlink_unique_inquiry"),
            models.UniqueConstraint(fields=["program", "source"],
                                    condition=Q(source__isnull=False),
                                    name="programlink_unique_source"),
            models.UniqueConstraint(fields=["program", "owner", "credential"],
                                    condition=Q(credential__isnull=False),
                                    name="programlink_unique_credential"),
        ]

    def __str__(self) -> str:
        return f"{self.target} from {self.program}"

    @property
    def target(self) -> models.Model:
        return self.inquiry or self.source or self.credential  # type: ignore[return-value]

    @property
    def target_kind(self) -> str:
        if self.inquiry_id:
            return "inquiry"
        return "source" if self.source_id else "credential"
