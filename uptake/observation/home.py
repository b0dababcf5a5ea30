"""The home-page panel of observations a person was asked to make (a peer observer with no
role sees it as her start page). Registered in ObservationConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from uptake.observation.access import requests_to_observe
from uptake.observation.models import ObservationRequest


def to_observe_panel(user: Any) -> dict[str, Any] | None:
    # Only those she can still do something about: open, and the window not yet closed.
    requests = list(requests_to_observe(user).filter(status=ObservationRequest.Status.OPEN,
                                                     closes_at__gte=timezone.now())
                    .select_related("section", "requested_by").order_by("opens_at"))
    if not requests:
        return None
    return {"observations_to_make": requests}
