"""One survey engine for every instrument a district needs.

A needs assessment, the end-of-session reactions form (Guskey's level 1), the
organisational-support survey (level 3) and a network survey are all a :class:`Survey`
with :class:`Question`\\ s. Who was asked is a :class:`Recipient`; what was said is a
:class:`Response` with its :class:`Answer`\\ s.

Anonymity is a property of the tables, not only of the pages: for an anonymous survey the
recipient row records only *that* she answered (so reminders go to the others), and the
response row carries no person, no time and a random key, so neither a page, an export,
the API nor an ``ORDER BY`` on any column ties a response to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District, School

DEFAULT_LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                  "Strongly agree"]
DEFAULT_FREQUENCIES = ["Yearly", "Monthly", "Weekly", "Daily"]


class Survey(models.Model):
    """One instrument: its questions, its window, who is asked."""

    class Purpose(models.TextChoices):
        NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
        REACTIONS = "reactions", "Reactions to a session (Guskey level 1)"
        ORGANISATION = "organisation", "Organisational support (Guskey level 3)"
        NETWORK = "network", "Network: who works with whom"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Published, not open yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="surveys")
    # A school leader's survey is for her school; None: a district survey (coordinators).
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="surveys")
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="surveys")
    # A reactions survey may be about one session of the program.
    session = models.ForeignKey("programs.ProgramSession", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="surveys")
    anonymous = models.BooleanField(default=True)
    intro = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    remind_every_days = models.PositiveSmallIntegerField(default=3)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "title", "pk"]
        indexes = [models.Index(fields=["district", "opens_at"])]

    def __str__(self) -> str:
        return self.title

    def status_at(self, now: object = None) -> str:
        """Draft until published; then the window decides (closing early ends it)."""
        when = now or timezone.now()
        if self.published_at is None:
            return self.Status.DRAFT
        if self.closed_at is not None or when >= self.closes_at:  # type: ignore[operator]
            return self.Status.CLOSED
        if when < self.opens_at:  # type: ignore[operator]
            return self.Status.SCHEDULED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def ends_at(self) -> object:
        """When answering ended or ends: closing early moves it forward."""
        return min(self.closed_at, self.closes_at) if self.closed_at else self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement scale (Likert)"
        CHOICE = "choice", "One choice"
        MULTIPLE = "multiple", "Several choices"
        NUMBER = "number", "A number"
        TEXT = "text", "Open text"
        ROSTER = "roster", "Names from a list (network)"

    class RosterScope(models.TextChoices):
        DISTRICT = "district", "The district's educators"
        PROGRAM = "program", "The participants of the survey's program"
        SCHOOLS = "schools", "The educators of the survey's school or program's schools"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    prompt = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    likert_labels = models.JSONField(default=list, blank=True)  # low to high
    options = models.JSONField(default=list, blank=True)
    number_min = models.FloatField(null=True, blank=True)
    number_max = models.FloatField(null=True, blank=True)
    roster_scope = models.CharField(max_length=10, choices=RosterScope.choices, blank=True)
    frequency_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def field_name(self) -> str:
        """The form field (and error key) of this question: ``q<id>``."""
        return f"q{self.pk}"


class Recipient(models.Model):
    """Someone asked to answer. For an anonymous survey this is all that is known of her
    part in it: that she answered, never what."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="survey_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "person"],
                                               name="recipient_once_per_survey")]

    def __str__(self) -> str:
        return f"{self.person} asked in {self.survey}"


def _random_key() -> uuid.UUID:
    return uuid.uuid4()


class Response(models.Model):
    """One person's answers. Anonymous: no person, no time, a random key (so the key's
    order is not the order of answering); the school and role it came from are kept for
    breakdowns that are suppressed below the minimum group size, and never exported."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="survey_responses")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    role = models.CharField(max_length=20, blank=True)
    # Identified surveys only: when it was sent and last changed.
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(
            fields=["survey", "person"], condition=models.Q(person__isnull=False),
            name="identified_response_once_per_person")]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class Answer(models.Model):
    """The answer to one question. A roster question has one row per person named (with
    the frequency chosen); a multiple-choice one keeps its choices in ``choices``."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.FloatField(null=True, blank=True)  # Likert position (1..k) or a number
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    named = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              blank=True, related_name="survey_nominations")
    frequency = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
