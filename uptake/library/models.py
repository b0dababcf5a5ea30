"""The shared-practice library: practices teachers share with their district, and the
colleagues' inquiries that tried them.

A :class:`Practice` is detailed enough for a colleague to implement (overview, steps,
materials, lessons learned, suggested revisions, resource links), tagged by grade, subject,
focus and standards. A :class:`Trial` links a colleague's own inquiry to a practice ("I
tried this"), so the practice shows how far it travelled and what happened where it was
tried (the verdicts of that inquiry's measures).

Grades and typed standard codes are stored between bars (``"|03|04|"``) so that one of them
is found with ``icontains`` on SQLite and PostgreSQL alike. Who sees what is decided in
``uptake.library.access`` and documented in docs/library.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District

TITLE_MAX = 200
TEXT_MAX = 20_000
SHORT_MAX = 100
LINKS_MAX = 20
CODES_MAX = 20
CODE_MAX = 60
URL_MAX = 2000
NOTE_MAX = 2000

# The roster's grade codes (OneRoster/CEDS), with what people call them.
GRADES = (("PK", "Pre-K"), ("KG", "K"), *((f"{n:02d}", str(n)) for n in range(1, 13)))
GRADE_LABELS = dict(GRADES)


def joined(values: list[str]) -> str:
    return f"|{'|'.join(values)}|" if values else ""


def split(stored: str) -> list[str]:
    return [v for v in stored.split("|") if v]


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="practices")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="practices")
    title = models.CharField(max_length=TITLE_MAX)
    overview = models.TextField(blank=True, help_text="What it is and why.")
    steps = models.TextField(blank=True, help_text="The lesson plan or steps.")
    materials = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    suggested_revisions = models.TextField(blank=True)
    grades = models.CharField(max_length=SHORT_MAX, blank=True)  # "|03|04|"
    subject = models.CharField(max_length=SHORT_MAX, blank=True)
    focus = models.CharField(max_length=SHORT_MAX, blank=True)
    elements = models.ManyToManyField("learning.FrameworkElement", blank=True,
                                      related_name="practices")
    standard_codes = models.TextField(blank=True)  # "|CCSS.MATH.CONTENT.4.NF.A.1|"
    source_inquiry = models.ForeignKey("inquiry.Inquiry", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="shared_practices")
    artifacts = models.ManyToManyField("evidence.Artifact", blank=True,
                                       related_name="practices")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["district", "status", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def grade_list(self) -> list[str]:
        return split(self.grades)

    @property
    def grade_labels(self) -> list[str]:
        return [GRADE_LABELS.get(g, g) for g in self.grade_list]

    @property
    def code_list(self) -> list[str]:
        return split(self.standard_codes)


class PracticeLink(models.Model):
    """A resource link of a practice (http or https only)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    url = models.URLField(max_length=URL_MAX)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Trial(models.Model):
    """"I tried this": a colleague's own inquiry linked to a practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="trials")
    inquiry = models.ForeignKey("inquiry.Inquiry", on_delete=models.CASCADE,
                                related_name="practice_trials")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    note = models.TextField(blank=True, help_text="What she adapted, in her words.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["practice", "inquiry"],
                                               name="trial_unique_practice_inquiry")]

    def __str__(self) -> str:
        return f"{self.inquiry} tried {self.practice}"
