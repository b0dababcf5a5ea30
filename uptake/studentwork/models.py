"""Looking at Student Work (the What Matters Now network's protocol): score a set of work
samples against a rubric, group students by their next instructional step, record what
was done for each group and what followed.

Student names appear only to an editor of the inquiry (owner, team members) who teaches the
set's class now (see ``access``); every page that shows them is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.inquiry.models import Inquiry
from uptake.roster.models import Section, Student


class WorkSampleSet(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="work_sets")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class RubricLevel(models.Model):
    """One level of the set's rubric; ``position`` 1 is the lowest."""

    sample_set = models.ForeignKey(WorkSampleSet, on_delete=models.CASCADE,
                                   related_name="levels")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=100)
    descriptor = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["sample_set", "position"],
                                               name="rubric_level_unique_position")]

    def __str__(self) -> str:
        return self.label


class WorkScore(models.Model):
    """A student's sample scored on the rubric; ``level`` None means missing."""

    sample_set = models.ForeignKey(WorkSampleSet, on_delete=models.CASCADE,
                                   related_name="scores")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(RubricLevel, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample_set", "student"],
                                               name="work_score_unique_student")]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.level_id or 'missing'}"


class StudentGroup(models.Model):
    """Students who need the same next instructional step."""

    sample_set = models.ForeignKey(WorkSampleSet, on_delete=models.CASCADE,
                                   related_name="groups")
    name = models.CharField(max_length=100)
    next_step = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A student in a group (one group per student per set), with an optional re-score
    after the group's intervention."""

    sample_set = models.ForeignKey(WorkSampleSet, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    rescore = models.ForeignKey(RubricLevel, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample_set", "student"],
                                               name="group_member_one_group_per_set")]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.group_id}"


class Intervention(models.Model):
    """What was done for a group, when, and (later) what followed."""

    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE,
                              related_name="interventions")
    what = models.TextField()
    when = models.DateField()
    outcome_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["when", "pk"]

    def __str__(self) -> str:
        return f"{self.when}: {self.what[:40]}"
