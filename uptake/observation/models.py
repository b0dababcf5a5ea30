"""Peer observation: a colleague tallies what students say and do, and the tallies become
a point of a class-level proportion measure.

- :class:`ObservationProtocol` — a district's list of prompts about students (never about
  the teacher), e.g. "a student explains their thinking". Coordinators edit it.
- :class:`ObservationRequest` — a teacher asks one person to observe one class, for one
  proportion measure of an inquiry, inside a time window. The measure counts one chosen
  prompt of the protocol; the observer tallies every prompt (the teacher sees them all),
  and on submission the chosen prompt's tally becomes the measure's "k of n" for that day.
- :class:`TallyEvent` — one tap (+1) or undo (-1) sent by the observer's phone, named by an
  id the phone made up, so a batch sent twice is counted once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District, Invitation
from uptake.inquiry.models import Inquiry, Measure, Occasion
from uptake.roster.models import Section

DEFAULT_PROMPTS = (
    "A student explains their thinking",
    "A student builds on a peer's idea",
    "A student asks a question",
    "A student uses math vocabulary",
)


class ObservationProtocol(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="observation_protocols")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ObservationPrompt(models.Model):
    """One thing students say or do. Retired prompts stay for past observations."""

    protocol = models.ForeignKey(ObservationProtocol, on_delete=models.CASCADE,
                                 related_name="prompts")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=200)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ObservationRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        CANCELLED = "cancelled", "Withdrawn"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE,
                                related_name="observation_requests")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    protocol = models.ForeignKey(ObservationProtocol, on_delete=models.PROTECT, related_name="+")
    prompt = models.ForeignKey(ObservationPrompt, on_delete=models.PROTECT, related_name="+",
                               help_text="The prompt whose tally becomes the measure's point.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="observation_requests_made")
    # Either a colleague chosen by name, or whoever accepts the e-mailed invitation.
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="observations_to_make")
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    students_present = models.PositiveIntegerField(null=True, blank=True)
    # The phone's sequence number of the last "students present" change the server kept,
    # so that an older change arriving late does not overwrite a newer one.
    present_seq = models.BigIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    occasion = models.ForeignKey(Occasion, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return f"Observation of {self.section} for {self.measure}"

    @property
    def observer_label(self) -> str:
        if self.observer is not None:
            return self.observer.display_name
        if self.invitation is not None:
            if self.invitation.accepted_by is not None:
                return self.invitation.accepted_by.display_name
            return self.invitation.email
        return "(nobody)"

    def window_state(self, now: object = None) -> str:
        """"before", "open" or "closed" (submitted and withdrawn requests count as closed)."""
        now = now or timezone.now()
        if self.status != self.Status.OPEN or now >= self.closes_at:  # type: ignore[operator]
            return "closed"
        if now < self.opens_at:  # type: ignore[operator]
            return "before"
        return "open"


class TallyEvent(models.Model):
    request = models.ForeignKey(ObservationRequest, on_delete=models.CASCADE,
                                related_name="tally_events")
    event_id = models.CharField(max_length=64)
    prompt = models.ForeignKey(ObservationPrompt, on_delete=models.CASCADE, related_name="+")
    delta = models.SmallIntegerField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "event_id"],
                                               name="tally_event_unique_id")]

    def __str__(self) -> str:
        return f"{self.prompt_id} {self.delta:+d}"
