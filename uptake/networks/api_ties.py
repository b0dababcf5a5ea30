"""The networks app's ties part of the JSON API (see api.py; docs/networks.md).

The same access rules (``uptake.networks.access``), reads (``uptake.networks.queries``)
and actions (``uptake.networks.actions.ties``) as the pages:

- ``GET /networks/relations``: the district's relations (built-in and its own), for
  anyone with a network (an educator, a coordinator, a researcher); ``POST``, ``PUT`` and
  ``DELETE /networks/relations/{relation_id}``: coordinators (a relation ties carry is
  refused with 409 and the count);
- ``GET /networks/contacts``: the district's external contacts, same readers;
  ``POST``: an educator or coordinator (the same name on the same platform returns the
  contact there); ``PUT`` and ``DELETE /networks/contacts/{contact_id}``: coordinators;
- ``GET /networks/ties/mine``, ``POST`` and ``DELETE /networks/ties/mine/{tie_id}``: the
  ties she names herself (a teacher, coach or school leader), never another's;
- ``GET /networks/known``: the known layer for the whole district (coordinators and
  researchers), in the audit log as ``network_viewed``.

Anyone else gets the same 404 as for something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.api import support
from uptake.audit.actions import record
from uptake.networks import access, queries
from uptake.networks.actions import ties as actions
from uptake.networks.models import Contact, Relation
from uptake.rules import Invalid

router = Router(tags=["Networks"])

PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
FrequencyKey = Literal["yearly", "monthly", "weekly", "daily"]
ContactKind = Literal["person", "community", "organisation"]


def _reader(request: HttpRequest, what: str) -> User:
    """Someone with a network to read: an educator, a coordinator, a researcher."""
    me = support.me(request)
    if not (access.may_have_ego_network(me) or access.may_see_whole_network(me)):
        raise access.not_found(f"No such {what}.")
    return me


def _ego(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_have_ego_network(me):
        raise access.not_found("No such tie.")
    return me


class NetworkRelationOut(Schema):
    id: int | None = Field(description="The district's own relation; null for a built-in.")
    key: str = Field(description="What a tie's ``relation`` holds; never changes.")
    label: str
    question: str
    builtin: bool


class NetworkRelationIn(Schema):
    label: str = Field(min_length=1, max_length=actions.LABEL_MAX)
    question: str = Field("", max_length=actions.QUESTION_MAX)


class NetworkContactOut(Schema):
    id: int
    name: str
    kind: str = Field(description="person, community or organisation")
    platform: str


class NetworkContactIn(Schema):
    name: str = Field(min_length=1, max_length=actions.NAME_MAX)
    kind: ContactKind = "person"
    platform: str = Field("", max_length=actions.PLATFORM_MAX)


class NamedTieOut(Schema):
    id: int
    direction: str = Field(description="from: she learns from them (them → her); to: they "
                                       "learn from her (her → them).")
    other: str = Field(description="The other end: p<person id> or c<contact id>.")
    other_label: str
    external: bool
    relation: str
    weight: int = Field(description="1 a few times a year, 2 monthly, 3 weekly, 4 daily.")
    frequency: str
    observed_on: dt.date
    note: str


class NamedTieIn(Schema):
    direction: Literal["from", "to"]
    relation: str = Field(min_length=1, max_length=40)
    frequency: FrequencyKey
    person_id: int | None = Field(None, ge=1, le=support.MAX_ID,
                                  description="A colleague of the district …")
    contact_id: int | None = Field(None, ge=1, le=support.MAX_ID,
                                   description="… or an external contact (one of the two).")
    note: str = Field("", max_length=actions.NOTE_MAX)
    observed_on: dt.date | None = Field(None, description="Default: today.")


class KnownTieOut(Schema):
    source: str = Field(description="p<person id>: knowledge flows from source to target.")
    target: str
    relation: str = Field(description="coaching, plan_review, team, observation, "
                                      "shared_inquiry or practice_tried")
    weight: int = Field(description="How many times the source records the pair (at most "
                                    "10).")
    observed_on: dt.date | None = Field(description="The latest; null for a team.")


def _relation_out(r: queries.RelationChoice, ids: dict[str, int]) -> NetworkRelationOut:
    return NetworkRelationOut(id=ids.get(r.key), key=r.key, label=r.label,
                              question=r.question, builtin=r.builtin)


def _one_relation(relation: Relation) -> NetworkRelationOut:
    return NetworkRelationOut(id=relation.pk, key=relation.key, label=relation.label,
                              question=relation.question, builtin=False)


# ------------------------------------------------------------------------------ relations

@router.get("/relations", response=list[NetworkRelationOut], summary="The relations")
def list_relations(request: HttpRequest) -> list[NetworkRelationOut]:
    """The built-in relations (advice, information, collaboration), then the district's
    own. The known layer's relations are listed in docs/networks.md."""
    me = _reader(request, "relation")
    district_id = district_id_of(me)
    ids = {r.key: r.pk for r in queries.district_relations(district_id)}
    return [_relation_out(r, ids) for r in queries.relations_of(district_id)]


@router.post("/relations", response={201: NetworkRelationOut}, summary="Add a relation")
@support.idempotent
def create_relation(request: HttpRequest, payload: NetworkRelationIn
                    ) -> Status[NetworkRelationOut]:
    """Coordinators: a relation of the district's own; its key is made from the label."""
    me = _reader(request, "relation")
    relation = actions.do_add_relation(me, label=payload.label, question=payload.question,
                                       request=request)
    return Status(201, _one_relation(relation))


@router.put("/relations/{relation_id}", response=NetworkRelationOut,
            summary="Rename a relation")
def update_relation(request: HttpRequest, relation_id: PathId, payload: NetworkRelationIn
                    ) -> NetworkRelationOut:
    """Coordinators: a new label or question; the key, and so the ties, stay."""
    me = support.me(request)
    relation = queries.access_relation(me, relation_id)
    return _one_relation(actions.do_change_relation(
        me, relation, label=payload.label, question=payload.question, request=request))


@router.delete("/relations/{relation_id}", response={204: None}, summary="Delete a relation")
def delete_relation(request: HttpRequest, relation_id: PathId) -> Status[None]:
    """Coordinators: refused (409, with the count) while ties carry it."""
    me = support.me(request)
    actions.do_delete_relation(me, queries.access_relation(me, relation_id), request=request)
    return Status(204, None)


# ------------------------------------------------------------------------------- contacts

@router.get("/contacts", response=list[NetworkContactOut], summary="Contacts outside the "
                                                                   "district")
@support.paginate(ordering=("name", "pk"))
def list_contacts(request: HttpRequest) -> QuerySet[Contact]:
    """Coordinators and researchers: every contact of the district; anyone else: those
    she added, named on a tie or put in a change she recorded (``queries.contacts_for``)."""
    me = _reader(request, "contact")
    return queries.contacts_for(me)


@router.post("/contacts", response={201: NetworkContactOut}, summary="Add a contact")
@support.idempotent
def create_contact(request: HttpRequest, payload: NetworkContactIn) -> Status[Contact]:
    """An educator or coordinator: someone outside the district. The same name on the
    same platform (whatever the case) answers the contact already there."""
    me = _reader(request, "contact")
    return Status(201, actions.do_add_contact(
        me, actions.ContactData(payload.name, payload.kind, payload.platform),
        request=request))


@router.put("/contacts/{contact_id}", response=NetworkContactOut, summary="Correct a contact")
def update_contact(request: HttpRequest, contact_id: PathId, payload: NetworkContactIn
                   ) -> Contact:
    """Coordinators: name, kind and platform (another contact's name and platform: 409,
    merge them on the page)."""
    me = support.me(request)
    contact = queries.access_contact(me, contact_id)
    return actions.do_change_contact(
        me, contact, actions.ContactData(payload.name, payload.kind, payload.platform),
        request=request)


@router.delete("/contacts/{contact_id}", response={204: None}, summary="Delete a contact")
def delete_contact(request: HttpRequest, contact_id: PathId) -> Status[None]:
    """Coordinators: the contact goes with her ties (the audit log keeps the count)."""
    me = support.me(request)
    actions.do_delete_contact(me, queries.access_contact(me, contact_id), request=request)
    return Status(204, None)


# ---------------------------------------------------------------------------- named ties

def _named_out(t: queries.NamedTie) -> NamedTieOut:
    return NamedTieOut(id=t.id, direction=t.direction, other=t.other_key,
                       other_label=t.other_label, external=t.external, relation=t.relation,
                       weight=t.weight, frequency=t.frequency, observed_on=t.observed_on,
                       note=t.note)


@router.get("/ties/mine", response=list[NamedTieOut], summary="The ties I named")
def list_my_ties(request: HttpRequest) -> list[NamedTieOut]:
    """The ties she named herself, newest first (never a tie someone else named)."""
    return [_named_out(t) for t in queries.named_by(_ego(request))]


def _tie_data(me: User, payload: NamedTieIn) -> actions.NamedTieData:
    district_id = district_id_of(me)
    person = contact = None
    if payload.person_id is not None:
        person = User.objects.filter(pk=payload.person_id, district_id=district_id).first()
        if person is None:
            raise Invalid("Choose a colleague of your district.", field="person_id")
    if payload.contact_id is not None:
        contact = queries.contacts_for(me).filter(pk=payload.contact_id).first()
        if contact is None:
            raise Invalid("Choose one of the district's contacts.", field="contact_id")
    return actions.NamedTieData(direction=payload.direction, relation=payload.relation,
                                frequency=payload.frequency, person=person, contact=contact,
                                note=payload.note, observed_on=payload.observed_on)


@router.post("/ties/mine", response={201: NamedTieOut}, summary="Name a tie")
@support.idempotent
def create_my_tie(request: HttpRequest, payload: NamedTieIn) -> Status[NamedTieOut]:
    """A teacher, coach or school leader: whom she learns from (``from``) or who learns
    from her (``to``), a colleague (``person_id``) or a contact (``contact_id``)."""
    me = _ego(request)
    tie = actions.do_name_tie(me, _tie_data(me, payload), request=request)
    (named,) = [t for t in queries.named_by(me) if t.id == tie.pk]
    return Status(201, _named_out(named))


@router.delete("/ties/mine/{tie_id}", response={204: None}, summary="Remove a tie I named")
def delete_my_tie(request: HttpRequest, tie_id: PathId) -> Status[None]:
    me = support.me(request)
    actions.do_remove_tie(me, queries.access_named_tie(me, tie_id), request=request)
    return Status(204, None)


# ---------------------------------------------------------------------------- known layer

@router.get("/known", response=list[KnownTieOut], summary="What Uptake already knows")
def list_known_ties(request: HttpRequest, since: dt.date | None = None,
                    until: dt.date | None = None) -> list[queries.TieRow]:
    """The whole district's known layer (coordinators and researchers): coaching, plan
    reviews, teams, peer observations, shared inquiries, practices tried, read live from
    the rest of Uptake, in the period ``since``..``until``."""
    me = support.me(request)
    if not access.may_see_whole_network(me):
        raise access.not_found("No such network.")
    if since is not None and until is not None and since > until:
        raise Invalid("The period ends before it starts.", field="until")
    rows = queries.known_ties(district_id_of(me), since=since, until=until)
    record("network_viewed", actor=me, request=request,
           summary=f"Read the network's known layer through the API ({len(rows)} ties)",
           details={"layer": "known", "since": str(since or ""), "until": str(until or "")})
    return rows
