"""A story of what happened for kids: told from one inquiry, published as a snapshot, read
by families through share links.

A story is written by the people who may edit its inquiry. It picks charts (a measure, for
one class or for its classes together) and artifacts, and holds the teacher's words.
Publishing freezes what a reader sees into ``snapshot`` (numbers and charts after
suppression, built by ``uptake.stories.snapshot``), so that a family never sees it change
under them; the teacher refreshes it when she chooses.

An artifact that identifies students may be shown only while a consent record for it is
in force (``Consent``). Share links hold only the SHA-256 of their secret
(``uptake.accounts.tokens``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District


class Story(models.Model):
    class Language(models.TextChoices):
        EN = "en", "English"
        ES = "es", "Español"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="stories")
    inquiry = models.OneToOneField("inquiry.Inquiry", on_delete=models.CASCADE,
                                   related_name="story")
    title = models.CharField(max_length=200)
    # The language the teacher writes in (the page's lang attribute for her words).
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    question = models.TextField(blank=True, help_text="The question she set out to answer.")
    what_changed = models.TextField(blank=True, help_text="What she changed in her practice.")
    what_happened = models.TextField(blank=True,
                                     help_text="What happened for her students.")
    whats_next = models.TextField(blank=True, help_text="What she will do next.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The published snapshot (None: never published, or unpublished). ``published_at``
    # is the first publication; ``snapshot_at`` when the snapshot was last taken.
    snapshot: models.JSONField[Any] = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.snapshot is not None


class StoryChart(models.Model):
    """A chart the story shows: a measure for one of its classes, or (``section`` None)
    for its classes together (the only class when it has one)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="charts")
    measure = models.ForeignKey("inquiry.Measure", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("roster.Section", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["story", "measure", "section"],
                                    name="story_chart_once"),
            models.UniqueConstraint(fields=["story", "measure"],
                                    condition=models.Q(section__isnull=True),
                                    name="story_chart_together_once"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.section or 'classes together'})"


class StoryArtifact(models.Model):
    """An artifact the story shows, with the caption families read under it."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="pieces")
    artifact = models.ForeignKey("evidence.Artifact", on_delete=models.CASCADE,
                                 related_name="+")
    caption = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["story", "artifact"],
                                               name="story_artifact_once")]

    def __str__(self) -> str:
        return str(self.artifact)


class Consent(models.Model):
    """Consent to show an artifact that identifies students: who gave it, when, for what.

    Recorded by the teacher from the signed form she holds; in force until withdrawn.
    Withdrawing it takes the artifact out of every story at once (the share view and the
    PDF check consent on every request, snapshot or not)."""

    class Scope(models.TextChoices):
        STORY_LINKS = "story_links", "Families and others who hold one of her story's links"
        DISTRICT = "district", "Colleagues in the district"
        PUBLIC = "public", "Anyone (public pages and credentials)"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    artifact = models.ForeignKey("evidence.Artifact", on_delete=models.CASCADE,
                                 related_name="consents")
    # Who gave it, as the form names them ("the student's parent or guardian"); never shown
    # outside the teacher's own pages.
    given_by = models.CharField(max_length=200)
    given_on = models.DateField()
    scope = models.CharField(max_length=20, choices=Scope.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["artifact", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_on})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class ShareLink(models.Model):
    """A link to a published story that opens without signing in, until it expires or is
    revoked. Only the digest of its secret is stored."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, help_text="Who it is for, e.g. “Families, room 12”.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label
