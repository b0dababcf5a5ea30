"""A district's professional-learning programs: what it offers, to whom, when.

A program is data, not a page: its kind, focus area, standards alignment (framework
elements), schools, dates and facilitator let the district view count participation and
outcomes by program. Sessions, enrolment and attendance, and the records a teacher links to
the program she learned in, hang off it (see the models below ``Program``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
