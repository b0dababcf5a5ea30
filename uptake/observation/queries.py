"""Plain reads of peer observations for other apps (they never filter these models)."""

from __future__ import annotations

from uptake.inquiry.models import Inquiry, Measure, Occasion
from uptake.observation.models import ObservationRequest


def requests_on_inquiry(inquiry: Inquiry) -> int:
    """Observation requests made on the inquiry (deleted with it, tallies and all)."""
    return ObservationRequest.objects.filter(inquiry=inquiry).count()


def requests_on_measure(measure: Measure) -> int:
    """Observation requests feeding the measure (deleted with it)."""
    return ObservationRequest.objects.filter(measure=measure).count()


def submissions_behind(occasion: Occasion) -> int:
    """Submitted observations whose tally became this data point (they stay without it)."""
    return ObservationRequest.objects.filter(occasion=occasion).count()
