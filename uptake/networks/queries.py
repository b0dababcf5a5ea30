"""Plain read functions of the networks app, for its own views and API and for other apps
(docs/networks.md).

**The edge convention.** A tie ``a → b`` means knowledge or advice flows from a to b
(survey nominations are stored reversed, see docs/network-imports.md).

**Nodes** are keyed ``"p<user id>"`` (a person of the district) or ``"c<contact id>"`` (an
external contact). The people of a network are the district's active educators and
coordinators (anyone holding teacher, coach, school leader or coordinator), with no tie or
many, plus whoever stands at an end of a tie chosen (a researcher who reviewed a plan, a
person since deactivated). A person's school is the school of her teaching role if she has
one, else of her coach or leader role (the first by name); ``formal_role`` marks a coach,
school leader or coordinator.

**Layers.** ``survey``, ``import`` and ``reported`` are ``Tie`` rows of this app; ``known``
is read live from the other apps by :func:`known_ties` and never copied (see there).

**The school filter** keeps a tie when both its ends are people who hold a role at one of
the chosen schools, and a tie between such a person and an external contact (her PLN
goes with her); ties between two external contacts, and ties reaching anyone outside
those schools, are left out. The nodes are then the people of those schools and the
contacts their kept ties reach.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from uptake.accounts.access import district_id_of
from uptake.accounts.models import Grant, GrantReason, Role, RoleAssignment, School, User
from uptake.inquiry.models import Inquiry, Team
from uptake.learning.models import PlanReview
from uptake.library.models import Trial
from uptake.networks import access
from uptake.networks.models import (
    BUILTIN_RELATIONS,
    KNOWN_RELATIONS,
    MAX_WEIGHT,
    Change,
    ChangeStep,
    Contact,
    NetworkImport,
    Relation,
    Tie,
)
from uptake.observation.models import ObservationRequest
from uptake.roster.models import RosterImport

LAYERS = ("survey", "import", "reported", "known")
TIE_LAYERS = ("survey", "import", "reported")  # stored here, as ``Tie.origin``
LAYER_LABELS = {
    "survey": "Network surveys",
    "import": "Edge-list imports",
    "reported": "Named by the person",
    "known": "What Uptake already knows",
}
# The people every network shows, with ties or without.
NODE_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
FORMAL_ROLES = frozenset({Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR})
# Which of her schools is "her school": the one she teaches at first.
_SCHOOL_ROLE_ORDER = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.ASSESSOR)


@dataclass(frozen=True)
class RelationChoice:
    key: str
    label: str
    question: str
    builtin: bool


@dataclass(frozen=True)
class Node:
    key: str  # "p<user id>" or "c<contact id>"
    label: str
    external: bool
    school_id: int | None
    school: str
    roles: frozenset[str]
    formal_role: bool  # holds coach, school leader or coordinator
    unobserved: bool  # invited to a network survey brought in, did not answer
    kind: str = "person"  # a contact's kind: person, community, organisation
    platform: str = ""  # where a contact is met


@dataclass(frozen=True)
class TieRow:
    source: str
    target: str
    relation: str
    weight: int
    layer: str  # "survey" | "import" | "reported" | "known"
    observed_on: date | None


@dataclass(frozen=True)
class Network:
    nodes: dict[str, Node]
    ties: list[TieRow]
    invited: int  # of the survey imports in the selection
    responded: int

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited if self.invited else None


def person_key(person_id: int) -> str:
    return f"p{person_id}"


def contact_key(contact_id: int) -> str:
    return f"c{contact_id}"


# ----------------------------------------------------------------------------- relations

def relations_of(district_id: int) -> list[RelationChoice]:
    """The relations a tie may carry in the district: the built-ins, then its own."""
    out = [RelationChoice(key, label, question, True)
           for key, (label, question) in BUILTIN_RELATIONS.items()]
    out += [RelationChoice(r.key, r.label, r.question, False)
            for r in Relation.objects.filter(district_id=district_id)]
    return out


def relation_labels(district_id: int) -> dict[str, str]:
    """Every relation's label, the known layer's included (for tables and legends)."""
    labels = {r.key: r.label for r in relations_of(district_id)}
    labels.update(KNOWN_RELATIONS)
    return labels


def district_relations(district_id: int) -> list[Relation]:
    """The district's own relations (not the built-ins)."""
    return list(Relation.objects.filter(district_id=district_id))


def relation_use_counts(district_id: int) -> dict[str, int]:
    """How many stored ties carry each relation (one query)."""
    return dict(Tie.objects.filter(district_id=district_id).values("relation")
                .annotate(n=Count("pk")).values_list("relation", "n"))


# --------------------------------------------------------------------------- the known layer

def _day(moment: datetime | date | None) -> date | None:
    if moment is None or not isinstance(moment, datetime):
        return moment
    return timezone.localdate(moment)


def _in_period(day: date | None, since: date | None, until: date | None) -> bool:
    if day is None:
        return True
    return (since is None or day >= since) and (until is None or day <= until)


Pair = tuple[int, int, str, date | None]  # source person, target person, relation, day


def _grant_pairs(district_id: int, person_id: int | None) -> Iterator[Pair]:
    """Coaching: a coach or leader the owner shared her inquiry or evidence with advises
    her (grantee → owner). Shared inquiries: a grant with the reason "team work" joins the
    two both ways. Withdrawn grants are left out: withdrawing consent takes the tie away;
    expired ones stay (the coaching happened)."""
    grants = Grant.objects.filter(district_id=district_id, withdrawn_at__isnull=True,
                                  granted_by__isnull=False,
                                  reason__in=(GrantReason.COACHING, GrantReason.TEAM))
    if person_id is not None:
        grants = grants.filter(Q(grantee_id=person_id) | Q(granted_by_id=person_id))
    for grantee, owner, reason, at in grants.values_list("grantee_id", "granted_by_id",
                                                         "reason", "granted_at"):
        if reason == GrantReason.COACHING:
            yield grantee, owner, "coaching", _day(at)
        else:
            yield grantee, owner, "shared_inquiry", _day(at)
            yield owner, grantee, "shared_inquiry", _day(at)


def _review_pairs(district_id: int, person_id: int | None) -> Iterator[Pair]:
    """Plan reviews: the reviewer advises the plan's owner (reviewer → owner)."""
    reviews = PlanReview.objects.filter(plan__district_id=district_id)
    if person_id is not None:
        reviews = reviews.filter(Q(reviewer_id=person_id) | Q(plan__owner_id=person_id))
    for reviewer, owner, on in reviews.values_list("reviewer_id", "plan__owner_id",
                                                   "reviewed_on"):
        yield reviewer, owner, "plan_review", on


def _team_members(district_id: int, person_id: int | None,
                  until: date | None) -> dict[int, tuple[list[int], date]]:
    """Each team's members now and the day it was formed (membership has no date)."""
    teams = Team.objects.filter(district_id=district_id)
    if person_id is not None:
        teams = teams.filter(members=person_id)
    rows = Team.members.through.objects.filter(team__in=teams.values("pk")).values_list(
        "team_id", "user_id", "team__created_at")
    out: dict[int, tuple[list[int], date]] = {}
    for team_id, user_id, created in rows:
        formed = _day(created)
        assert formed is not None
        if until is not None and formed > until:
            continue
        out.setdefault(team_id, ([], formed))[0].append(user_id)
    return out


def _team_pairs(members: dict[int, tuple[list[int], date]]) -> Iterator[Pair]:
    """Team membership: collaboration both ways between every two members. Undated: the
    team as it stands now, in every period that ends after it was formed."""
    for people, _formed in members.values():
        for a in people:
            for b in people:
                if a != b:
                    yield a, b, "team", None


def _team_inquiry_pairs(district_id: int, person_id: int | None,
                        members: dict[int, tuple[list[int], date]]) -> Iterator[Pair]:
    """Shared inquiries: a team's inquiry joins its owner and each other member both ways,
    dated when the inquiry began."""
    inquiries = Inquiry.objects.filter(district_id=district_id, team__in=list(members))
    for owner, team_id, created in inquiries.values_list("owner_id", "team_id", "created_at"):
        for member in members.get(team_id, ([], None))[0]:
            if member != owner and person_id in (None, owner, member):
                yield owner, member, "shared_inquiry", _day(created)
                yield member, owner, "shared_inquiry", _day(created)


def _observation_pairs(district_id: int, person_id: int | None) -> Iterator[Pair]:
    """Peer observations submitted: both ways. The observer learns by watching the
    teacher's practice (teacher → observer), and the teacher learns from what the observer
    tallied and said (observer → teacher). Dated when submitted."""
    requests = (ObservationRequest.objects
                .filter(inquiry__district_id=district_id,
                        status=ObservationRequest.Status.SUBMITTED)
                .annotate(seen_by=Coalesce("observer_id", "invitation__accepted_by_id")))
    if person_id is not None:
        requests = requests.filter(Q(requested_by_id=person_id) | Q(seen_by=person_id))
    for teacher, observer, at in requests.values_list("requested_by_id", "seen_by",
                                                      "submitted_at"):
        if observer is not None:
            yield teacher, observer, "observation", _day(at)
            yield observer, teacher, "observation", _day(at)


def _trial_pairs(district_id: int, person_id: int | None) -> Iterator[Pair]:
    """A practice tried from the library: its author → the teacher trying it in her
    inquiry, dated when the trial began."""
    trials = Trial.objects.filter(practice__district_id=district_id)
    if person_id is not None:
        trials = trials.filter(Q(practice__author_id=person_id) | Q(inquiry__owner_id=person_id))
    for author, trier, at in trials.values_list("practice__author_id", "inquiry__owner_id",
                                                "created_at"):
        yield author, trier, "practice_tried", _day(at)


def _known_pairs(district_id: int, person_id: int | None, since: date | None,
                 until: date | None) -> list[Pair]:
    members = _team_members(district_id, person_id, until)
    sources: Iterable[Pair] = (
        *_grant_pairs(district_id, person_id), *_review_pairs(district_id, person_id),
        *_team_pairs(members), *_team_inquiry_pairs(district_id, person_id, members),
        *_observation_pairs(district_id, person_id), *_trial_pairs(district_id, person_id))
    return [p for p in sources if p[0] != p[1] and _in_period(p[3], since, until)]


def _aggregate(pairs: list[Pair], district_id: int) -> list[TieRow]:
    """One tie per pair and relation: weight = how many times the source records it (teams
    shared, reviews, trials; at most MAX_WEIGHT), dated by the latest. Ends outside the
    district (an observer from elsewhere) are left out."""
    ids = {p[0] for p in pairs} | {p[1] for p in pairs}
    inside = set(User.objects.filter(_among("pk", ids), district_id=district_id)
                 .values_list("pk", flat=True))
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    latest: dict[tuple[int, int, str], date | None] = {}
    for a, b, relation, day in pairs:
        if a not in inside or b not in inside:
            continue
        key = (a, b, relation)
        counts[key] += 1
        seen = latest.get(key)
        latest[key] = day if seen is None or (day is not None and day > seen) else seen
    return [TieRow(person_key(a), person_key(b), relation, min(n, MAX_WEIGHT), "known",
                   latest[(a, b, relation)])
            for (a, b, relation), n in sorted(counts.items())]


def known_ties(district_id: int, *, since: date | None = None,
               until: date | None = None) -> list[TieRow]:
    """The ties Uptake already knows, read live from the other apps (a few queries in all,
    never one per person), each of relation ``KNOWN_RELATIONS`` and layer ``known``:

    - ``coaching``: a grant with the reason coaching (an inquiry or evidence shared with a
      coach or school leader): her coach → the teacher;
    - ``plan_review``: a review of a learning plan: the reviewer → the plan's owner;
    - ``team``: members of the same inquiry team, both ways (undated: as the team stands);
    - ``observation``: a submitted peer observation, both ways (the observer watches the
      teacher's practice; the teacher hears what the observer saw);
    - ``shared_inquiry``: a team's inquiry (its owner and each member) and a grant with the
      reason team work, both ways;
    - ``practice_tried``: a practice of the library tried in an inquiry: its author → the
      teacher trying it.

    ``since`` and ``until`` keep what happened in the period (dated ties by their date; a
    team counts in any period ending after it was formed).
    """
    return _aggregate(_known_pairs(district_id, None, since, until), district_id)


# ------------------------------------------------------------------------------ the network

def _tie_rows(ties: Iterable[Mapping[str, Any]]) -> list[TieRow]:
    out = []
    for t in ties:
        source = (person_key(t["source_person_id"]) if t["source_person_id"]
                  else contact_key(t["source_contact_id"]))
        target = (person_key(t["target_person_id"]) if t["target_person_id"]
                  else contact_key(t["target_contact_id"]))
        out.append(TieRow(source, target, t["relation"], t["weight"], t["origin"],
                          t["observed_on"]))
    return out


def _stored_ties(district_id: int, *, layers: Collection[str],
                 relations: Collection[str] | None, min_weight: int, since: date | None,
                 until: date | None, person_id: int | None = None) -> list[TieRow]:
    wanted = [layer for layer in layers if layer in TIE_LAYERS]
    if not wanted:
        return []
    ties = Tie.objects.filter(district_id=district_id, origin__in=wanted,
                              weight__gte=min_weight)
    if relations is not None:
        ties = ties.filter(relation__in=list(relations))
    if since is not None:
        ties = ties.filter(observed_on__gte=since)
    if until is not None:
        ties = ties.filter(observed_on__lte=until)
    if person_id is not None:
        ties = ties.filter(Q(source_person_id=person_id) | Q(target_person_id=person_id))
    return _tie_rows(ties.order_by("pk").values(
        "source_person_id", "source_contact_id", "target_person_id", "target_contact_id",
        "relation", "weight", "origin", "observed_on"))


def _select_known(rows: list[TieRow], relations: Collection[str] | None,
                  min_weight: int) -> list[TieRow]:
    return [t for t in rows if t.weight >= min_weight
            and (relations is None or t.relation in relations)]


def _survey_waves(district_id: int, *, layers: Collection[str],
                  relations: Collection[str] | None, since: date | None,
                  until: date | None) -> list[tuple[set[int], set[int]]]:
    """The survey imports in the selection: who was invited, who responded."""
    if "survey" not in layers:
        return []
    imports = NetworkImport.objects.filter(district_id=district_id,
                                           kind=NetworkImport.Kind.SURVEY)
    if relations is not None:
        imports = imports.filter(relation__in=list(relations))
    if since is not None:
        imports = imports.filter(observed_on__gte=since)
    if until is not None:
        imports = imports.filter(observed_on__lte=until)
    return [({int(i) for i in invited}, {int(r) for r in responded})
            for invited, responded in imports.values_list("invited", "responded")]


# Beyond this many ids, read the district's rows and keep the wanted ones in Python rather
# than send an IN list the database may refuse (SQLite binds at most 32,766 parameters).
IN_LIST_MAX = 500


def _among(field: str, ids: Collection[int], *, otherwise: Q | None = None) -> Q:
    """``field IN ids`` when the list is short; else ``otherwise`` (default: no filter,
    the caller keeps the wanted rows itself)."""
    if len(ids) <= IN_LIST_MAX:
        return Q(**{f"{field}__in": list(ids)})
    return Q() if otherwise is None else otherwise


@dataclass(frozen=True)
class _Person:
    label: str
    roles: frozenset[str]
    schools: frozenset[int]
    school_id: int | None
    school: str


def _people(district_id: int, extra_ids: Collection[int]) -> dict[int, _Person]:
    """The district's educators and coordinators, and the people in ``extra_ids``, with
    their roles and school (two queries)."""
    shown = Q(user__is_active=True, user__api_integration__isnull=True, role__in=NODE_ROLES)
    assignments = (RoleAssignment.objects
                   .filter(_among("user_id", extra_ids, otherwise=Q(pk__isnull=False)) | shown,
                           district_id=district_id)
                   .values_list("user_id", "role", "school_id", "school__name"))
    roles: dict[int, set[str]] = defaultdict(set)
    schools: dict[int, list[tuple[int, str, int, str]]] = defaultdict(list)
    extra = set(extra_ids)
    for user_id, role, school_id, school_name in assignments:
        roles[user_id].add(role)
        if school_id is not None:
            rank = (_SCHOOL_ROLE_ORDER.index(role) if role in _SCHOOL_ROLE_ORDER
                    else len(_SCHOOL_ROLE_ORDER))
            schools[user_id].append((rank, school_name, school_id, school_name))
    shown_ids = {pk for pk, held in roles.items() if held & set(NODE_ROLES)}
    ids = shown_ids | extra
    out = {}
    for user in User.objects.people().filter(_among("pk", ids), district_id=district_id).only(
            "pk", "first_name", "last_name", "email", "is_active"):
        if user.pk not in ids or (user.pk not in extra and not user.is_active):
            continue
        held = sorted(schools.get(user.pk, []))
        out[user.pk] = _Person(user.display_name, frozenset(roles.get(user.pk, ())),
                               frozenset(s[2] for s in held),
                               held[0][2] if held else None, held[0][3] if held else "")
    return out


def _contact_nodes(contact_ids: Collection[int], district_id: int) -> dict[str, Node]:
    wanted = set(contact_ids)
    if not wanted:
        return {}
    contacts = Contact.objects.filter(_among("pk", wanted), district_id=district_id)
    return {contact_key(c.pk): Node(contact_key(c.pk), str(c), True, None, "", frozenset(),
                                    False, False, kind=c.kind, platform=c.platform)
            for c in contacts if c.pk in wanted}


def _person_node(person_id: int, p: _Person, unobserved: bool) -> Node:
    return Node(person_key(person_id), p.label, False, p.school_id, p.school, p.roles,
                bool(p.roles & FORMAL_ROLES), unobserved)


def _ends(ties: Iterable[TieRow]) -> tuple[set[int], set[int]]:
    people: set[int] = set()
    contacts: set[int] = set()
    for t in ties:
        for end in (t.source, t.target):
            (people if end[0] == "p" else contacts).add(int(end[1:]))
    return people, contacts


def _in_schools(ties: list[TieRow], people: dict[int, _Person],
                school_ids: set[int]) -> list[TieRow]:
    def inside(end: str) -> bool:
        return end[0] == "p" and int(end[1:]) in people and bool(
            people[int(end[1:])].schools & school_ids)

    return [t for t in ties
            if (inside(t.source) and (inside(t.target) or t.target[0] == "c"))
            or (inside(t.target) and t.source[0] == "c")]


def network(district_id: int, *, relations: Collection[str] | None = None,
            layers: Collection[str] = TIE_LAYERS, min_weight: int = 1,
            school_ids: Collection[int] | None = None, since: date | None = None,
            until: date | None = None) -> Network:
    """The district's network: its people (and the contacts its ties reach) and the ties
    of the chosen layers, relations, period and least weight. ``school_ids`` keeps the
    ties whose both ends are in those schools, and their ties to external contacts.

    Unobserved nodes: people invited to a survey import of the selection (its relation and
    period) who did not answer it; their missing nominations are unknown, not absent.
    ``invited`` and ``responded`` count the people of those imports (in the schools)."""
    ties = _stored_ties(district_id, layers=layers, relations=relations,
                        min_weight=min_weight, since=since, until=until)
    if "known" in layers:
        ties += _select_known(known_ties(district_id, since=since, until=until), relations,
                              min_weight)
    waves = _survey_waves(district_id, layers=layers, relations=relations, since=since,
                          until=until)
    invited = set().union(*(w[0] for w in waves)) if waves else set()
    missed = {p for inv, resp in waves for p in inv - resp}
    tie_people, _ = _ends(ties)
    people = _people(district_id, tie_people | invited)
    if school_ids is not None:
        chosen = set(school_ids)
        ties = _in_schools(ties, people, chosen)
        people = {pk: p for pk, p in people.items() if p.schools & chosen}
        invited &= set(people)
    else:
        ties = [t for t in ties if all(
            end[0] == "c" or int(end[1:]) in people for end in (t.source, t.target))]
    nodes = {person_key(pk): _person_node(pk, p, pk in missed) for pk, p in people.items()}
    nodes.update(_contact_nodes(_ends(ties)[1], district_id))
    return Network(nodes, ties, len(invited), len(invited - missed))


def stored_version(district_id: int) -> tuple[Any, ...]:
    """A cheap fingerprint of what the stored layers' network is drawn from (seven aggregate
    queries, whatever the district's size): per table, the rows' count and largest id (a
    row added or deleted moves one of them), with sums that move when a row changes the
    people it joins (a role's holder or school, a tie's weight, who is active). An edit
    that keeps all of these (a renamed person, a tie's relation or date changed) is caught
    by the networks' change token instead (``precompute.change_token``), which the
    networks actions and every save of these rows bump; a roster import's bulk writes by
    its last apply. The known layer, read live from
    five other apps, is not covered: the map reads it in full (``figures.whole_network``)."""
    def agg(qs: QuerySet[Any], **more: Any) -> tuple[Any, ...]:
        return tuple(qs.aggregate(n=Count("pk"), top=Max("pk"), **more).values())

    return (
        agg(Tie.objects.filter(district_id=district_id), w=Sum("weight"),
            s=Sum("source_person_id"), t=Sum("target_person_id")),
        agg(NetworkImport.objects.filter(district_id=district_id)),
        agg(Contact.objects.filter(district_id=district_id)),
        agg(RoleAssignment.objects.filter(district_id=district_id), u=Sum("user_id"),
            s=Sum("school_id")),
        agg(User.objects.filter(district_id=district_id),
            active=Count("pk", filter=Q(is_active=True)),
            ids=Sum("pk", filter=Q(is_active=True))),
        agg(School.objects.filter(district_id=district_id)),
        # A roster import writes people, roles and schools in bulk (no save signals).
        agg(RosterImport.objects.filter(district_id=district_id), at=Max("applied_at")),
    )


def ego_network(person: User, *, relations: Collection[str] | None = None,
                layers: Collection[str] = LAYERS, min_weight: int = 1,
                since: date | None = None, until: date | None = None) -> Network:
    """Her ties in and out (every layer by default) and the nodes at their ends: never a
    tie between two others. Ties others named are in it, layer and all; figures.ego says hers only
    (``named_by`` lists the ties she named). Nobody is marked unobserved here: whether a
    colleague answered a survey is not hers to read."""
    district_id = person.district_id
    if district_id is None:
        return Network({}, [], 0, 0)
    ties = _stored_ties(district_id, layers=layers, relations=relations,
                        min_weight=min_weight, since=since, until=until, person_id=person.pk)
    if "known" in layers:
        known = _aggregate(_known_pairs(district_id, person.pk, since, until), district_id)
        me = person_key(person.pk)
        ties += [t for t in _select_known(known, relations, min_weight)
                 if me in (t.source, t.target)]
    tie_people, tie_contacts = _ends(ties)
    people = _people(district_id, tie_people | {person.pk})
    nodes = {person_key(pk): _person_node(pk, p, False) for pk, p in people.items()
             if pk in tie_people or pk == person.pk}
    nodes.update(_contact_nodes(tie_contacts, district_id))
    ties = [t for t in ties if t.source in nodes and t.target in nodes]
    return Network(nodes, ties, 0, 0)


# --------------------------------------------------------------------------- named ties

@dataclass(frozen=True)
class NamedTie:
    """A tie she named herself. ``direction``: "from" (she learns from them: them → her)
    or "to" (they learn from her: her → them)."""

    id: int
    direction: str
    other_key: str
    other_label: str
    external: bool
    relation: str
    relation_label: str
    weight: int
    frequency: str
    observed_on: date
    note: str


def named_by(person: User) -> list[NamedTie]:
    """The ties she named (origin reported, reported by her), newest first."""
    if person.district_id is None:
        return []
    labels = relation_labels(person.district_id)
    ties = (Tie.objects.filter(district_id=person.district_id, reported_by=person,
                               origin=Tie.Origin.REPORTED)
            .select_related("source_person", "source_contact", "target_person",
                            "target_contact")
            .order_by("-observed_on", "-pk"))
    out = []
    for t in ties:
        learns_from = t.target_person_id == person.pk
        other_person = t.source_person if learns_from else t.target_person
        other_contact = t.source_contact if learns_from else t.target_contact
        if other_person is not None:
            key, label, external = person_key(other_person.pk), other_person.display_name, False
        else:
            assert other_contact is not None
            key, label, external = contact_key(other_contact.pk), str(other_contact), True
        out.append(NamedTie(t.pk, "from" if learns_from else "to", key, label, external,
                            t.relation, labels.get(t.relation, t.relation), t.weight,
                            t.frequency, t.observed_on, t.note))
    return out


# ------------------------------------------------------------- one object, or the same 404

def access_relation(user: User, relation_id: Any) -> Relation:
    """A relation of her district's own, for a coordinator who keeps it; else 404."""
    if not access.may_keep_network(user):
        raise access.not_found("No such relation.")
    try:
        return Relation.objects.get(pk=relation_id, district_id=district_id_of(user))
    except (Relation.DoesNotExist, ValueError, TypeError):
        raise access.not_found("No such relation.") from None


def access_contact(user: User, contact_id: Any) -> Contact:
    """A contact of her district, for a coordinator who keeps them; else 404."""
    if not access.may_keep_network(user):
        raise access.not_found("No such contact.")
    try:
        return Contact.objects.get(pk=contact_id, district_id=district_id_of(user))
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise access.not_found("No such contact.") from None


def contacts_of(district_id: int) -> list[Contact]:
    return list(Contact.objects.filter(district_id=district_id))


def contacts_for(person: User) -> QuerySet[Contact]:
    """The contacts outside the district she is offered and listed: all of the district's
    for whoever reads the whole network (coordinators, researchers); for anyone else only
    those she added, named on a tie she reported (a school leader: or her schools' people
    reported), or put in a change she recorded (as its source or a step). Other people's
    contacts are theirs: a new name she types that
    matches one is matched silently (``actions.ties.do_add_contact``)."""
    mine = Contact.objects.filter(district_id=district_id_of(person))
    if access.may_see_whole_network(person):
        return mine
    # A school leader records her schools' changes, whose chains run through her staff's
    # contacts: she is offered the contacts her schools' people named too (never who
    # named them).
    reporters: Q = Q(reported_by=person)
    if led := access.aggregate_schools(person):
        reporters |= Q(reported_by__in=RoleAssignment.objects.filter(
            school_id__in=led).values("user_id"))
    return mine.filter(
        Q(added_by=person)
        | Exists(Tie.objects.filter(Q(source_contact=OuterRef("pk"))
                                    | Q(target_contact=OuterRef("pk"))).filter(reporters))
        | Exists(Change.objects.filter(contact=OuterRef("pk"), recorded_by=person))
        | Exists(ChangeStep.objects.filter(contact=OuterRef("pk"),
                                           change__recorded_by=person)))


def access_named_tie(user: User, tie_id: Any) -> Tie:
    """A tie she named herself, while she may name ties; else 404 (another's named tie,
    a survey's or an import's tie, included)."""
    if not access.may_have_ego_network(user):
        raise access.not_found("No such tie.")
    try:
        return Tie.objects.get(pk=tie_id, district_id=district_id_of(user), reported_by=user,
                               origin=Tie.Origin.REPORTED)
    except (Tie.DoesNotExist, ValueError, TypeError):
        raise access.not_found("No such tie.") from None


def colleagues_of(person: User) -> list[User]:
    """The colleagues she may pick by name: educators (teacher, coach, school leader) at
    one of her schools, active, but herself. Others of the district she gives by e-mail
    (the district's directory is not listed, as for teams). A coordinator, who keeps the
    district's people and records changes at any school, picks from all of them."""
    people = User.objects.people().filter(district_id=district_id_of(person), is_active=True)
    if access.may_keep_network(person):
        people = people.filter(roles__role__in=NODE_ROLES)
    else:
        schools = RoleAssignment.objects.filter(user=person, school__isnull=False).values(
            "school_id")
        people = people.filter(roles__role__in=(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER),
                               roles__school_id__in=schools)
    return list(people.exclude(pk=person.pk).distinct()
                .order_by("last_name", "first_name", "email"))


def colleague_by_email(person: User, email: str) -> User | None:
    """The active person of her district with that e-mail who may be a node, or None."""
    return (User.objects.people()
            .filter(district_id=district_id_of(person), is_active=True, email__iexact=email,
                    roles__role__in=NODE_ROLES).exclude(pk=person.pk).distinct().first())
