"""Objects for the access matrices (tests/test_access_matrix.py and
tests/test_api_access_matrix.py): Jamie's request that Asha (``colleague``) observe her
class for a proportion measure, its window open now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def observation(w: Any) -> Any:
    from uptake.observation.tests.conftest import make_observation

    return make_observation(w)


def request_id(w: Any) -> dict[str, Any]:
    return {"request_id": observation(w).pk}


def new_request(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    """A request for the same inquiry, measure and class, asking the coach."""
    from django.utils import timezone

    obs = observation(w)
    now = timezone.now()
    return {"inquiry_id": obs.inquiry_id, "measure_id": obs.measure_id,
            "section_id": obs.section_id, "prompt_id": obs.prompt_id,
            "opens_at": now.isoformat(), "closes_at": (now + timedelta(hours=1)).isoformat(),
            "observer_id": w.people["coach"].pk}


def taps(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.observation.models import ObservationRequest

    obs = ObservationRequest.objects.get(pk=params["request_id"])
    return {"events": [{"id": "tap-1", "prompt": obs.prompt_id, "delta": 1}],
            "present": {"value": 24, "seq": 1}}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/observations": [
        {"label": "everyone lists her own", "params": lambda w: {},
         "allowed": {"teacher", "colleague", "outsider", "coach", "assessor", "leader",
                     "coordinator", "researcher", "other_coordinator"}},
    ],
    "GET /api/v1/observations/{request_id}": [
        {"label": "the owner and the observer", "params": request_id,
         "allowed": {"teacher", "colleague"}},
    ],
    "POST /api/v1/observations": [
        {"label": "on her own inquiry", "params": lambda w: {}, "body": new_request,
         "allowed": {"teacher"}},
    ],
    "POST /api/v1/observations/{request_id}/cancel": [
        {"label": "the owner withdraws it", "params": request_id, "allowed": {"teacher"}},
    ],
    "POST /api/v1/observations/{request_id}/tallies": [
        {"label": "the observer, window open", "params": request_id, "body": taps,
         "allowed": {"colleague"}},
    ],
}
