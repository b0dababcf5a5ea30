"""The networks app's ties examples for the project-wide access matrices
(tests/test_access_matrix.py, tests/test_access_lapses.py, tests/test_api_access_matrix.py).

- A tie she named is hers alone: Jamie (``teacher``) removes it; nobody else reaches it,
  the district's coordinator included (she reads the whole network, never edits a
  person's own ties). Jamie loses it when her role is revoked or her account closed.
- Relations and contacts are the district's, kept by its coordinators: a district-wide
  role the access matrix covers (``not_objects`` for the lapse walk).
- Lists: the relations and contacts are read by anyone with a network (an educator, a
  coordinator, a researcher; another district's coordinator reads her own); the known
  layer by the whole network's readers.
"""

from __future__ import annotations

from typing import Any

EGO = {"teacher", "colleague", "outsider", "coach", "leader"}
KEEPERS = {"coordinator"}
WHOLE = {"coordinator", "researcher"}
NETWORK_READERS = EGO | WHOLE | {"other_coordinator"}
NAMED_TIE = "a tie she named"


def _contact(w: Any, name: str = "Dr. Liu") -> Any:
    from uptake.networks.actions.ties import ContactData, do_add_contact

    return do_add_contact(w.people["teacher"], ContactData(name, "person", "Bluesky"))


def named_tie(w: Any) -> Any:
    """Jamie learns from Dr. Liu on Bluesky, weekly (she named it). One world may ask
    several times (the page matrix): the tie named the first time."""
    from uptake.networks.actions.ties import NamedTieData, do_name_tie
    from uptake.networks.models import Tie

    liu = _contact(w)
    return Tie.objects.filter(reported_by=w.people["teacher"], source_contact=liu).first() \
        or do_name_tie(w.people["teacher"], NamedTieData(
            direction="from", relation="advice", frequency="weekly", contact=liu))


def relation(w: Any) -> dict[str, Any]:
    from uptake.networks.actions.ties import do_add_relation
    from uptake.networks.models import Relation

    made = Relation.objects.filter(district=w.district, label="Assessment advice").first() \
        or do_add_relation(w.people["coordinator"], label="Assessment advice")
    return {"relation_id": made.pk}


def contact(w: Any) -> dict[str, Any]:
    return {"contact_id": named_tie(w).source_contact_id}


def tie(w: Any) -> dict[str, Any]:
    return {"tie_id": named_tie(w).pk}


def nothing(w: Any) -> dict[str, Any]:
    named_tie(w)
    return {}


def some_relations(w: Any) -> dict[str, Any]:
    relation(w)
    return {}


def a_contact_to_name(w: Any) -> dict[str, Any]:
    """A contact every educator persona already named (an educator names only her own
    contacts, queries.contacts_for)."""
    from uptake.networks.actions.ties import NamedTieData, do_name_tie
    from uptake.networks.models import Tie

    contact = _contact(w, "Global Math Department")
    for persona in sorted(EGO - {"teacher"}):
        if Tie.objects.filter(reported_by=w.people[persona], source_contact=contact,
                              relation="advice").exists():
            continue
        do_name_tie(w.people[persona], NamedTieData(direction="from", relation="advice",
                                                    frequency="yearly", contact=contact))
    return {"contact_id": contact.pk}


URL_EXAMPLES = {
    "networks:tie_remove": (tie, {"teacher"}),
    "networks:relation_edit": (relation, KEEPERS),
    "networks:relation_delete": (relation, KEEPERS),
    "networks:contact_edit": (contact, KEEPERS),
    "networks:contact_merge": (contact, KEEPERS),
    "networks:contact_delete": (contact, KEEPERS),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/networks/relations": [
        {"label": "the district's relations", "params": some_relations,
         "allowed": NETWORK_READERS},
    ],
    "POST /api/v1/networks/relations": [
        {"label": "a relation of the district's own", "params": lambda w: {},
         "body": lambda w, p: {"label": "Assessment advice",
                               "question": "Whom do you go to about assessment?"},
         "allowed": KEEPERS | {"other_coordinator"},
         "refused": (EGO | WHOLE) - KEEPERS},
    ],
    "PUT /api/v1/networks/relations/{relation_id}": [
        {"label": "the district's relation", "params": relation,
         "body": lambda w, p: {"label": "Advice on assessment"}, "allowed": KEEPERS},
    ],
    "DELETE /api/v1/networks/relations/{relation_id}": [
        {"label": "a relation no tie carries", "params": relation, "allowed": KEEPERS},
    ],
    "GET /api/v1/networks/contacts": [
        {"label": "the district's contacts", "params": nothing, "allowed": NETWORK_READERS},
    ],
    "POST /api/v1/networks/contacts": [
        {"label": "someone outside the district", "params": lambda w: {},
         "body": lambda w, p: {"name": "#ElemMathChat", "kind": "community",
                               "platform": "Bluesky"},
         "allowed": EGO | KEEPERS | {"other_coordinator"}, "refused": {"researcher"}},
    ],
    "PUT /api/v1/networks/contacts/{contact_id}": [
        {"label": "a contact of the district", "params": contact,
         "body": lambda w, p: {"name": "Dr. Mei Liu", "kind": "person",
                               "platform": "Bluesky"},
         "allowed": KEEPERS},
    ],
    "DELETE /api/v1/networks/contacts/{contact_id}": [
        {"label": "a contact with a tie", "params": contact, "allowed": KEEPERS},
    ],
    "GET /api/v1/networks/ties/mine": [
        {"label": "her own named ties", "params": nothing, "allowed": EGO},
    ],
    "POST /api/v1/networks/ties/mine": [
        {"label": "a tie to a contact", "params": a_contact_to_name,
         "body": lambda w, p: {"direction": "from", "relation": "information",
                               "frequency": "monthly", "contact_id": p["contact_id"]},
         "allowed": EGO},
    ],
    "DELETE /api/v1/networks/ties/mine/{tie_id}": [
        {"label": "a tie Jamie named", "params": tie, "allowed": {"teacher"}},
    ],
    "GET /api/v1/networks/known": [
        {"label": "the known layer", "params": nothing,
         "allowed": WHOLE | {"other_coordinator"}},
    ],
}


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    return {"tie_id": named_tie(w).pk}


LAPSE_EXAMPLES: dict[str, Any] = {
    "types": {frozenset({"tie_id"}): (NAMED_TIE,)},
    "ids": lapse_ids,
    "holders": {"teacher": {"role revoked": frozenset({NAMED_TIE}),
                            "account deactivated": frozenset({NAMED_TIE})}},
    "not_objects": {frozenset({"relation_id"}), frozenset({"contact_id"})},
}
