"""The networks app's map examples for the project-wide access matrices, and the scene the
map's tests share.

The whole network (the map, its measures, brokers, downloads) is for the district's
coordinators and researchers; another district's coordinator reaches the same pages but
reads her own district's (empty) network, never this one. A school leader reads her own
schools' aggregate; a teacher, coach or leader her own ties. The pages take no ids, so the
page matrix reads their audience from ``allow``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

WHOLE = {"coordinator", "researcher"}
EGO = {"teacher", "colleague", "outsider", "coach", "leader"}
OBSERVED = date(2026, 10, 1)


def tie(w: Any, source: Any, target: Any, *, relation: str = "advice", weight: int = 1,
        origin: str = "reported", observed_on: date = OBSERVED) -> Any:
    """A tie source → target (a ``User`` or a ``Contact`` at either end)."""
    from uptake.networks.models import Contact, Tie

    ends: dict[str, Any] = {}
    for side, end in (("source", source), ("target", target)):
        ends[f"{side}_{'contact' if isinstance(end, Contact) else 'person'}"] = end
    reported_by = target if origin == "reported" and not isinstance(target, Contact) else None
    return Tie.objects.create(district=w.district, relation=relation, weight=weight,
                              observed_on=observed_on, origin=origin,
                              reported_by=reported_by, **ends)


def scene(w: Any) -> dict[str, Any]:
    """Jamie (teacher) learns from Asha (colleague) and from a podcast host outside the
    district; Asha learns from the coach; Miguel (Birch) learns from Jamie."""
    from uptake.networks.models import Contact

    p = w.people
    host = Contact.objects.create(district=w.district, name="Pat Podcast",
                                  platform="Teaching Podcast")
    tie(w, p["colleague"], p["teacher"], weight=5)
    tie(w, host, p["teacher"], relation="information", weight=3)
    tie(w, p["coach"], p["colleague"], weight=4)
    tie(w, p["teacher"], p["outsider"], relation="collaboration", weight=2)
    return {"host": host}


def _scene(w: Any) -> dict[str, Any]:
    scene(w)
    return {}


def _cedar(w: Any) -> dict[str, Any]:
    _scene(w)
    return {"school_id": w.cedar.pk}


URL_EXAMPLES: dict[str, Any] = {}
LAPSE_EXAMPLES: dict[str, Any] = {}
API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/networks/map/measures": [
        {"label": "the district's network", "params": _scene,
         "allowed": WHOLE | {"other_coordinator"}},
    ],
    "GET /api/v1/networks/map/brokers": [
        {"label": "the district's brokers", "params": _scene,
         "allowed": WHOLE | {"other_coordinator"}},
    ],
    "GET /api/v1/networks/map/ego": [
        {"label": "her own ties", "params": _scene, "allowed": EGO},
    ],
    "GET /api/v1/networks/map/schools/{school_id}": [
        {"label": "Cedar's aggregate", "params": _cedar, "allowed": WHOLE | {"leader"}},
    ],
}
