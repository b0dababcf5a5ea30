"""Evidence: the artifacts a teacher keeps to show what she did and what happened.

An :class:`Artifact` is a photo, document, lesson plan, student-work sample, short video,
link or text, tagged with the Guskey level of evidence it speaks to (Guskey, *Evaluating
Professional Development*, 2000).
Files are stored (through Django's default storage) only after content sniffing,
metadata stripping and a malware-scan hook (see ``uptake.evidence.uploads``); the stored
bytes are what ``sha256``, ``content_type`` and ``size`` describe.

Who sees an artifact is decided in ``uptake.evidence.access`` and documented in
docs/user-guide.md ("Evidence").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District

if TYPE_CHECKING:
    from typing import Any


class Kind(models.TextChoices):
    PHOTO = "photo", "Photo"
    DOCUMENT = "document", "Document"
    LESSON_PLAN = "lesson_plan", "Lesson plan"
    STUDENT_WORK = "student_work", "Student work"
    VIDEO = "video", "Short video"
    LINK = "link", "Link"
    TEXT = "text", "Text"


class GuskeyLevel(models.IntegerChoices):
    REACTIONS = 1, "1 Reactions"
    LEARNING = 2, "2 Participants' learning"
    ORGANISATION = 3, "3 Organisation support and change"
    USE = 4, "4 Use of new knowledge and skills"
    STUDENT_OUTCOMES = 5, "5 Student learning outcomes"


class ArtifactQuerySet(models.QuerySet["Artifact"]):
    def visible_to(self, user: Any) -> ArtifactQuerySet:
        from uptake.evidence.access import artifacts_visible_to

        return artifacts_visible_to(user, self)


class Artifact(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="artifacts")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="artifacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guskey_level = models.PositiveSmallIntegerField(choices=GuskeyLevel.choices)
    inquiry = models.ForeignKey("inquiry.Inquiry", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="artifacts")
    cycle = models.ForeignKey("inquiry.Cycle", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="artifacts")
    # Stored under a random name; the name the teacher's file had is kept for downloads.
    file = models.FileField(upload_to="evidence/", blank=True, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    link = models.URLField(max_length=2000, blank=True)
    body = models.TextField(blank=True)
    identifies_students = models.BooleanField(
        help_text="Whether a student could be recognised from it (face, name, handwriting, "
                  "voice).")
    # Shared with her school (its teachers, coaches and leaders, unless it identifies
    # students) and her district's coordinators: an audience by role, re-read at every
    # request. Coaches she names hold an ``accounts.Grant`` each, which counts only while
    # this is on (see ``uptake.evidence.access``).
    shared = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    scan_verdict = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ArtifactQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"]),
                   models.Index(fields=["district", "shared"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(guskey_level__gte=1, guskey_level__lte=5),
                                   name="artifact_guskey_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")
