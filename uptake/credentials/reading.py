"""What an assessor reads of a round: the records it froze, each as it is now. One read for
the review page and the API's review resource."""

from __future__ import annotations

from typing import Any

from uptake.credentials.models import Item, Round
from uptake.evidence.models import Artifact
from uptake.inquiry.models import Cycle, Inquiry, Measure
from uptake.learning.models import Goal, LearningSource
from uptake.library.models import Practice

_MODELS: dict[str, Any] = {
    Item.Kind.INQUIRY: Inquiry, Item.Kind.CYCLE: Cycle, Item.Kind.MEASURE: Measure,
    Item.Kind.SOURCE: LearningSource, Item.Kind.ARTIFACT: Artifact, Item.Kind.GOAL: Goal,
    Item.Kind.PRACTICE: Practice}


def sent_records(rnd: Round) -> dict[str, list[dict[str, Any]]]:
    """The records the round froze, by kind, each with the record as it is now (None
    when she has deleted it since: the label the round kept says what it was)."""
    wanted: dict[str, set[int]] = {}
    for entry in rnd.items:
        if entry.get("id") is not None and entry.get("kind") in _MODELS:
            wanted.setdefault(entry["kind"], set()).add(int(entry["id"]))
    found = {kind: _MODELS[kind].objects.in_bulk(list(ids)) for kind, ids in wanted.items()}
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _MODELS}
    for entry in rnd.items:
        kind = entry.get("kind")
        if kind not in _MODELS:
            continue
        record = found.get(kind, {}).get(int(entry["id"])) if entry.get("id") is not None \
            else None
        out[kind].append({"label": entry.get("label", ""), "note": entry.get("note", ""),
                          "record": record})
    return out
