"""The knowledge-mobilisation log's examples for the project-wide access matrices
(tests/test_access_matrix.py, tests/test_access_lapses.py, tests/test_api_access_matrix.py),
and the small scene its own tests build on.

The scene: Jamie (``teacher``, Cedar) recorded that Cedar's grade 3 team adopted exit
tickets, from her own learning source (a conference), through a contact outside the
district and Asha (``colleague``, named in the chain). The change is read by Jamie, Asha,
Cedar's principal (``leader``), the coordinator and the researcher; Jamie and the
coordinator edit and delete it. The coach at Cedar, Miguel at Birch, the assessor and
another district's coordinator never reach it (the same 404 as a missing change).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from uptake.networks.actions.changes import ChangeData, StepData, do_record_change
from uptake.networks.models import Change, Contact

TITLE = "Lapsing change: grade 3 exit tickets"
CHANGE = "knowledge-mobilisation change"
READERS = {"teacher", "colleague", "leader", "coordinator", "researcher"}
EDITORS = {"teacher", "coordinator"}
# A reader who may not change it: the API answers her write with 403.
REFUSED_WRITERS = {"colleague", "leader", "researcher"}


def contact(w: Any, name: str = "Dr. Talk Moves") -> Contact:
    """A contact Jamie (the teacher) added: hers to name in a chain."""
    return Contact.objects.get_or_create(district=w.district, name=name, platform="Bluesky",
                                         defaults={"added_by": w.people["teacher"]})[0]


def learning_source(w: Any, owner: str = "teacher", kind: str = "conference") -> Any:
    from uptake.learning.models import LearningSource

    return LearningSource.objects.get_or_create(
        owner=w.people[owner], district=w.district, title=f"{owner}'s {kind}",
        defaults={"kind": kind, "learned_on": date(2026, 9, 20)})[0]


def change(w: Any) -> Change:
    """Jamie's change at Cedar (made once per world)."""
    found = Change.objects.filter(district=w.district, title=TITLE).first()
    if found is not None:
        return found
    return do_record_change(w.people["teacher"], ChangeData(
        title=TITLE, kind=Change.Kind.LESSON_TAUGHT, depth=Change.Depth.REAL,
        happened_on=date(2026, 10, 15), counterfactual=Change.Counterfactual.PROBABLY_NOT,
        school_id=w.cedar.pk, source="learning_source",
        source_id=learning_source(w).pk,
        evidence="PLC minutes of 15 October", evidence_link="https://example.org/minutes",
        steps=(StepData(contact_id=contact(w).pk, did="presented it at the conference"),
               StepData(person_id=w.people["teacher"].pk, did="heard it at the conference"),
               StepData(person_id=w.people["colleague"].pk,
                        did="tried it and shared it at the PLC"))))


def change_id(w: Any) -> dict[str, Any]:
    return {"change_id": change(w).pk}


def body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Shared rubric for talk", "kind": "resource_adopted", "depth": "real",
            "happened_on": "2026-11-02", "counterfactual": "unsure",
            "school_id": w.cedar.pk, "source": "note",
            "source_note": "A podcast episode", "steps": [
                {"person_id": w.people["colleague"].pk, "did": "shared it at the PLC"}]}


URL_EXAMPLES = {
    "networks:change": (change_id, READERS),
    "networks:change_edit": (change_id, EDITORS),
    "networks:change_delete": (change_id, EDITORS),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/changes/changes": [
        {"label": "the changes she reads", "params": lambda w: {},
         "allowed": {"teacher", "colleague", "outsider", "coach", "leader", "coordinator",
                     "researcher", "other_coordinator"}},
    ],
    "POST /api/v1/changes/changes": [
        {"label": "a change at Cedar", "params": lambda w: {}, "body": body,
         "allowed": {"teacher", "colleague", "coach", "leader", "coordinator"},
         "refused": {"outsider", "researcher", "other_coordinator"}},
    ],
    "GET /api/v1/changes/changes/{change_id}": [
        {"label": "Jamie's change at Cedar", "params": change_id, "allowed": READERS},
    ],
    "PUT /api/v1/changes/changes/{change_id}": [
        {"label": "Jamie's change at Cedar", "params": change_id, "body": body,
         "allowed": EDITORS, "refused": REFUSED_WRITERS},
    ],
    "DELETE /api/v1/changes/changes/{change_id}": [
        {"label": "Jamie's change at Cedar", "params": change_id, "allowed": EDITORS,
         "refused": REFUSED_WRITERS},
    ],
    "GET /api/v1/changes/reports": [
        {"label": "the reports of her scope", "params": lambda w: {},
         "allowed": {"leader", "coordinator", "researcher", "other_coordinator"}},
    ],
}

_LOSES = frozenset({CHANGE})
LAPSE_EXAMPLES: dict[str, Any] = {
    "types": {frozenset({"change_id"}): (CHANGE,)},
    "ids": lambda w, ids: change_id(w),
    "titles": {CHANGE: TITLE},
    # Reading rests on a role held now: the recorder's and the named colleague's educator
    # role, the leader's role at Cedar (a move to Birch ends it), the account being active.
    "holders": {
        "teacher": {"role revoked": _LOSES, "account deactivated": _LOSES},
        "colleague": {"role revoked": _LOSES, "account deactivated": _LOSES},
        "leader": {"role revoked": _LOSES, "moved to another school": _LOSES,
                   "account deactivated": _LOSES},
    },
}
