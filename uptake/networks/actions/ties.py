"""Relations, contacts and the ties a person names (docs/networks.md).

- A district's **relations** (beside the built-in advice, information, collaboration) are
  kept by its coordinators: added, renamed (the key stays, so the ties keep it), deleted
  when no tie carries it.
- **Contacts** (people and communities outside the district) are added by whoever names a
  tie to one; coordinators correct, merge and delete them (a deleted contact takes its
  ties and the steps of change chains it carried with it).
- A teacher, coach or school leader **names her own ties**: "people I learn from" (them →
  her) and "people who learn from me" (her → them), with a relation and how often, on
  the fixed scale ``FREQUENCIES``. She removes only the ties she named.

Every change is audited (``network_relation_*``, ``network_contact_*``,
``network_tie_named``, ``network_tie_removed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from uptake.accounts.models import User
from uptake.audit.actions import record
from uptake.networks import access
from uptake.networks.models import (
    BUILTIN_RELATIONS,
    KNOWN_RELATIONS,
    ChangeStep,
    Contact,
    Relation,
    Tie,
)
from uptake.networks.precompute import network_changed
from uptake.networks.queries import NODE_ROLES, relations_of
from uptake.rules import Conflict, Invalid, NotAllowed, RuleError

if TYPE_CHECKING:
    from django.http import HttpRequest

# How often, as people say it, and the weight (rank) each is stored with. A fixed,
# documented scale, so that weights mean the same in every district (docs/networks.md).
FREQUENCIES: tuple[tuple[str, str, int], ...] = (
    ("yearly", "A few times a year", 1),
    ("monthly", "Monthly", 2),
    ("weekly", "Weekly", 3),
    ("daily", "Daily", 4),
)
FREQUENCY_LABELS = {key: label for key, label, _ in FREQUENCIES}
FREQUENCY_WEIGHTS = {key: weight for key, _, weight in FREQUENCIES}
# "from": she learns from them (them → her); "to": they learn from her (her → them).
DIRECTIONS = {"from": "People I learn from", "to": "People who learn from me"}
LABEL_MAX = 120
QUESTION_MAX = 300
NAME_MAX = 200
PLATFORM_MAX = 120
NOTE_MAX = 300


class TieRefused(RuleError):
    """A change to relations, contacts or named ties that the rules refuse."""


class TieConflict(Conflict, TieRefused):
    """The change does not fit what is there (a name taken, a relation in use)."""


def _district(actor: User) -> int:
    if actor.district_id is None:
        raise NotAllowed("Only people in a district keep its network.")
    return actor.district_id


def _keeper(actor: User) -> int:
    if not access.may_keep_network(actor):
        raise NotAllowed("Only the district's coordinators keep its relations and contacts.")
    return _district(actor)


def _ego(actor: User) -> int:
    if not access.may_have_ego_network(actor):
        raise NotAllowed("Only teachers, coaches and school leaders name their own ties.")
    return _district(actor)


def _text(value: str, *, field: str, limit: int, what: str, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise Invalid(f"Give {what}.", field=field)
    if len(value) > limit:
        raise Invalid(f"Keep {what} to {limit} characters.", field=field)
    return value


# ------------------------------------------------------------------------------ relations

def _relation_fields(label: str, question: str) -> tuple[str, str]:
    return (_text(label, field="label", limit=LABEL_MAX, what="the relation a name"),
            _text(question, field="question", limit=QUESTION_MAX, what="the question",
                  required=False))


def _label_taken(district_id: int, label: str, *, but: int | None = None) -> bool:
    builtin = {v[0].casefold() for v in BUILTIN_RELATIONS.values()}
    known = {v.casefold() for v in KNOWN_RELATIONS.values()}
    if label.casefold() in builtin | known:
        return True
    same = Relation.objects.filter(district_id=district_id, label__iexact=label)
    return (same.exclude(pk=but) if but is not None else same).exists()


def _new_key(district_id: int, label: str) -> str:
    base = slugify(label).replace("-", "_")[:32] or "relation"
    taken = set(BUILTIN_RELATIONS) | set(KNOWN_RELATIONS) | set(
        Relation.objects.filter(district_id=district_id).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def do_add_relation(actor: User, *, label: str, question: str = "",
                    request: HttpRequest | None = None) -> Relation:
    """A relation of the district's own ("whom do you go to about assessment?"). Its key
    is made from the name once and never changes."""
    district_id = _keeper(actor)
    label, question = _relation_fields(label, question)
    if _label_taken(district_id, label):
        raise TieConflict(f"The district already has a relation called “{label}”.",
                          field="label")
    relation = Relation.objects.create(district_id=district_id, key=_new_key(district_id, label),
                                       label=label, question=question, created_by=actor)
    record("network_relation_added", actor=actor, request=request, obj=relation,
           summary=f"Network relation added: {label}", details={"key": relation.key})
    return relation


@transaction.atomic
def do_change_relation(actor: User, relation: Relation, *, label: str, question: str = "",
                       request: HttpRequest | None = None) -> Relation:
    """Rename a relation or reword its question; its ties keep it (the key stays)."""
    district_id = _keeper(actor)
    if relation.district_id != district_id:
        raise NotAllowed("This relation is another district's.")
    label, question = _relation_fields(label, question)
    if _label_taken(district_id, label, but=relation.pk):
        raise TieConflict(f"The district already has a relation called “{label}”.",
                          field="label")
    before = {"label": relation.label, "question": relation.question}
    relation.label, relation.question = label, question
    relation.save(update_fields=["label", "question"])
    record("network_relation_changed", actor=actor, request=request, obj=relation,
           summary=f"Network relation changed: {before['label']} → {label}",
           details={"key": relation.key, "before": before})
    return relation


def relation_use(relation: Relation) -> int:
    """How many ties carry the relation (whatever their layer)."""
    return Tie.objects.filter(district_id=relation.district_id, relation=relation.key).count()


@transaction.atomic
def do_delete_relation(actor: User, relation: Relation, *,
                       request: HttpRequest | None = None) -> None:
    """Delete a relation no tie carries (a relation in use is refused, with the count)."""
    district_id = _keeper(actor)
    if relation.district_id != district_id:
        raise NotAllowed("This relation is another district's.")
    used = relation_use(relation)
    if used:
        ties = "1 tie carries" if used == 1 else f"{used:,} ties carry"
        raise TieConflict(f"{ties} the relation “{relation.label}”: delete the imports or "
                          "ties that use it first, or rename it instead.")
    record("network_relation_deleted", actor=actor, request=request, obj=relation,
           summary=f"Network relation deleted: {relation.label}",
           details={"key": relation.key, "label": relation.label})
    relation.delete()


# ------------------------------------------------------------------------------- contacts

@dataclass(frozen=True)
class ContactData:
    name: str
    kind: str = Contact.Kind.PERSON
    platform: str = ""


def _contact_fields(data: ContactData) -> ContactData:
    name = _text(data.name, field="name", limit=NAME_MAX, what="the contact a name")
    platform = _text(data.platform, field="platform", limit=PLATFORM_MAX,
                     what="the platform", required=False)
    if data.kind not in Contact.Kind.values:
        raise Invalid("Choose a person, an online community or an organisation.",
                      field="kind")
    return ContactData(name, data.kind, platform)


def _same_contact(district_id: int, data: ContactData) -> Contact | None:
    return Contact.objects.filter(district_id=district_id, name__iexact=data.name,
                                  platform__iexact=data.platform).first()


@transaction.atomic
def do_add_contact(actor: User, data: ContactData, *,
                   request: HttpRequest | None = None) -> Contact:
    """Someone outside the district, added by a coordinator or by whoever names a tie to
    her. The same name on the same platform (whatever the case) is the contact already
    there, returned as it is."""
    if not (access.may_keep_network(actor) or access.may_have_ego_network(actor)):
        raise NotAllowed("Only the district's educators and coordinators add contacts.")
    district_id = _district(actor)
    data = _contact_fields(data)
    found = _same_contact(district_id, data)
    if found is not None:
        return found
    contact = Contact.objects.create(district_id=district_id, name=data.name, kind=data.kind,
                                     platform=data.platform, added_by=actor)
    record("network_contact_added", actor=actor, request=request, obj=contact,
           summary=f"Network contact added: {contact}",
           details={"kind": contact.kind, "platform": contact.platform})
    return contact


@transaction.atomic
def do_change_contact(actor: User, contact: Contact, data: ContactData, *,
                      request: HttpRequest | None = None) -> Contact:
    """Correct a contact's name, kind or platform (coordinators)."""
    district_id = _keeper(actor)
    if contact.district_id != district_id:
        raise NotAllowed("This contact is another district's.")
    data = _contact_fields(data)
    other = _same_contact(district_id, data)
    if other is not None and other.pk != contact.pk:
        raise TieConflict(f"“{other}” is already a contact: merge the two instead.",
                          field="name")
    before = {"name": contact.name, "kind": contact.kind, "platform": contact.platform}
    contact.name, contact.kind, contact.platform = data.name, data.kind, data.platform
    contact.save(update_fields=["name", "kind", "platform"])
    network_changed(district_id)
    record("network_contact_changed", actor=actor, request=request, obj=contact,
           summary=f"Network contact changed: {before['name']} → {contact}",
           details={"before": before})
    return contact


@dataclass(frozen=True)
class ContactUse:
    ties: int
    steps: int  # steps of change chains she carried (they go with her)
    changes: int  # changes naming her as their source (they are kept, unlinked)


def contact_use(contact: Contact) -> ContactUse:
    return ContactUse(
        Tie.objects.filter(Q(source_contact=contact) | Q(target_contact=contact)).count(),
        ChangeStep.objects.filter(contact=contact).count(),
        contact.changes.count())


@transaction.atomic
def do_merge_contacts(actor: User, keep: Contact, gone: Contact, *,
                      request: HttpRequest | None = None) -> Contact:
    """Two records of one contact: ``gone``'s ties, chain steps and changes move to
    ``keep``, then ``gone`` is deleted."""
    district_id = _keeper(actor)
    if keep.district_id != district_id or gone.district_id != district_id:
        raise NotAllowed("These contacts are another district's.")
    if keep.pk == gone.pk:
        raise Invalid("Choose two different contacts to merge.", field="other")
    moved = {
        "ties_out": Tie.objects.filter(source_contact=gone).update(source_contact=keep),
        "ties_in": Tie.objects.filter(target_contact=gone).update(target_contact=keep),
        "steps": ChangeStep.objects.filter(contact=gone).update(contact=keep),
        "changes": gone.changes.update(contact=keep),
    }
    record("network_contact_changed", actor=actor, request=request, obj=keep,
           summary=f"Network contact merged: {gone} into {keep}",
           details={"merged": gone.pk, "merged_name": str(gone), **moved})
    gone.delete()
    network_changed(district_id)
    return keep


@transaction.atomic
def do_delete_contact(actor: User, contact: Contact, *,
                      request: HttpRequest | None = None) -> ContactUse:
    """Delete a contact with her ties and the chain steps she carried (the changes naming
    her as their source are kept, unlinked). Returns what went with her."""
    district_id = _keeper(actor)
    if contact.district_id != district_id:
        raise NotAllowed("This contact is another district's.")
    use = contact_use(contact)
    record("network_contact_deleted", actor=actor, request=request, obj=contact,
           summary=f"Network contact deleted: {contact} (with {use.ties} ties)",
           details={"name": contact.name, "platform": contact.platform, "ties": use.ties,
                    "steps": use.steps, "changes_unlinked": use.changes})
    contact.delete()
    network_changed(district_id)
    return use


# ------------------------------------------------------------------------------ named ties

@dataclass(frozen=True)
class NamedTieData:
    direction: str  # "from" (them → her) or "to" (her → them)
    relation: str
    frequency: str  # a key of FREQUENCIES
    person: User | None = None
    contact: Contact | None = None
    note: str = ""
    observed_on: date | None = None  # default: today


def _check_other(actor: User, data: NamedTieData, district_id: int) -> None:
    if (data.person is None) == (data.contact is None):
        raise Invalid("Choose a colleague or an outside contact (one of the two).",
                      field="person")
    if data.person is not None:
        person = data.person
        if person.pk == actor.pk:
            raise Invalid("Name someone other than yourself.", field="person")
        if (person.district_id != district_id or not person.is_active
                or not person.roles.filter(role__in=NODE_ROLES).exists()):
            raise Invalid("Choose a colleague of your district.", field="person")
    elif data.contact is not None and data.contact.district_id != district_id:
        raise Invalid("Choose one of the district's contacts.", field="contact")


def _check_named(actor: User, data: NamedTieData, district_id: int) -> date:
    if data.direction not in DIRECTIONS:
        raise Invalid("Say whether you learn from them or they learn from you.",
                      field="direction")
    if data.relation not in {r.key for r in relations_of(district_id)}:
        raise Invalid("Choose one of the district's relations.", field="relation")
    if data.frequency not in FREQUENCY_WEIGHTS:
        raise Invalid("Choose how often: " + ", ".join(FREQUENCY_LABELS.values()) + ".",
                      field="frequency")
    _check_other(actor, data, district_id)
    today = timezone.localdate()
    day = data.observed_on or today
    if day > today:
        raise Invalid("Name a tie as it is now or was, not one to come.", field="observed_on")
    return day


def _ends(actor: User, data: NamedTieData) -> dict[str, object]:
    other = ({"person": data.person} if data.person is not None
             else {"contact": data.contact})
    them = {f"{'source' if data.direction == 'from' else 'target'}_{k}": v
            for k, v in other.items()}
    me = {"target_person" if data.direction == "from" else "source_person": actor}
    return {**them, **me}


@transaction.atomic
def do_name_tie(actor: User, data: NamedTieData, *,
                request: HttpRequest | None = None) -> Tie:
    """She names a tie of her own: someone she learns from (them → her) or who learns from
    her (her → them), with the relation and how often. The same person, relation and
    direction named again is refused: change it by removing it first."""
    district_id = _ego(actor)
    day = _check_named(actor, data, district_id)
    note = _text(data.note, field="note", limit=NOTE_MAX, what="the note", required=False)
    ends = _ends(actor, data)
    if Tie.objects.filter(district_id=district_id, origin=Tie.Origin.REPORTED,
                          reported_by=actor, relation=data.relation, **ends).exists():
        raise TieConflict("You already named this tie: remove it first to change it.",
                          field="person")
    try:
        with transaction.atomic():
            tie = Tie.objects.create(
                district_id=district_id, relation=data.relation,
                weight=FREQUENCY_WEIGHTS[data.frequency],
                frequency=FREQUENCY_LABELS[data.frequency], observed_on=day,
                origin=Tie.Origin.REPORTED, reported_by=actor, note=note, **ends)
    except IntegrityError:  # pragma: no cover - the checks above keep to the constraints
        raise Invalid("This tie cannot be saved.") from None
    other = data.person.display_name if data.person is not None else str(data.contact)
    record("network_tie_named", actor=actor, request=request, obj=tie,
           summary=(f"Named a tie ({data.relation}): "
                    + (f"learns from {other}" if data.direction == "from"
                       else f"{other} learns from her")),
           details={"tie": tie.pk, "direction": data.direction, "relation": data.relation,
                    "weight": tie.weight})
    network_changed(district_id)
    return tie


@transaction.atomic
def do_remove_tie(actor: User, tie: Tie, *, request: HttpRequest | None = None) -> None:
    """Remove a tie she named (only hers: never one named by someone else, nor a survey's
    or an import's)."""
    if (tie.origin != Tie.Origin.REPORTED or tie.reported_by_id != actor.pk
            or tie.district_id != actor.district_id):
        raise NotAllowed("You can remove only the ties you named.")
    record("network_tie_removed", actor=actor, request=request, obj=tie,
           summary=f"Removed a tie she named ({tie.relation})",
           details={"tie": tie.pk, "relation": tie.relation})
    tie.delete()
    network_changed(tie.district_id)
