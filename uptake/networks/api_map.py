"""The networks app's map part of the JSON API (see api.py; docs/network-map.md).

The same access rules (``uptake.networks.access``) and figures (``uptake.networks.figures``)
as the pages:

- ``GET /networks/map/measures``: the whole network's measures under the map's filters
  (``relation``, ``layer``, ``min_weight``, ``school``, ``since``, ``until``, ``group``),
  every node's line: the district's coordinators and researchers; in the audit log as
  ``network_viewed``;
- ``GET /networks/map/brokers``: the informal brokers, the top brokers and key-player
  removal, same filters and audience;
- ``GET /networks/map/ego``: her own ties in and out (a teacher, coach or school leader);
- ``GET /networks/map/schools/{school_id}``: a school's aggregate, numbers only, for its
  leaders (and the whole network's readers); withheld below the minimum group size.

Anyone else gets the same 404 as for something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from uptake.accounts.access import district_id_of
from uptake.accounts.models import School, User
from uptake.api import support
from uptake.audit.actions import record
from uptake.networks import access, figures
from uptake.rules import Invalid

router = Router(tags=["Networks"])

PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
Layer = Literal["survey", "import", "reported", "known"]
Grouping = Literal["school", "role", "place"]
MAX_CHOICES = 50


class NetworkBrokerageOut(Schema):
    role: str = Field(description="coordinator, itinerant, representative, gatekeeper or "
                                  "liaison (Gould and Fernandez)")
    count: int
    z: float | None = Field(description="Against chance; null where undefined (no "
                                        "variance), as R's sna::brokerage gives NaN.")


class NetworkNodeOut(Schema):
    key: str = Field(description='"p<person id>" or "c<contact id>"')
    label: str
    school: str
    group: str
    external: bool
    formal_role: bool
    unobserved: bool = Field(description="Invited to a network survey, did not answer.")
    informal_broker: bool
    in_degree: int
    out_degree: int
    betweenness: float
    closeness: float
    eigenvector: float
    two_step_reach: int
    brokerage: list[NetworkBrokerageOut]
    brokerage_total: int


class NetworkMeasuresOut(Schema):
    people: int = Field(description="Nodes, people outside the district included.")
    ties: int
    density: float
    reciprocity: float | None
    ei_index: float | None = Field(description="Of the chosen grouping.")
    ei_by_group: dict[str, float | None]
    eigenvector_method: str
    summary: str
    survey_response: str
    invited: int
    responded: int
    filters: dict[str, object]
    nodes: list[NetworkNodeOut]


class NetworkBrokersOut(Schema):
    informal: list[NetworkNodeOut] = Field(
        description="No formal role, betweenness in the top decile and above zero.")
    top: list[NetworkNodeOut] = Field(description="The top three by betweenness.")
    key_players_removed: list[str] = Field(description="Their keys.")
    reach_before: int
    reach_after: int
    reach_lost: float = Field(description="The share of two-step reach lost without them.")
    sentence: str


class EgoTieOut(Schema):
    other: str
    external: bool
    relation: str
    layer: str = Field(description="\"reported\" for a tie she named herself, else empty: "
                                   "who named a tie is not said.")
    weight: int
    observed_on: dt.date | None


class EgoNetworkOut(Schema):
    people: int
    learns_from: list[EgoTieOut] = Field(description="Ties into her: they → her.")
    learned_from_by: list[EgoTieOut] = Field(description="Ties out of her: her → them.")


class SchoolNetworkAggregateOut(Schema):
    school_id: int
    school: str
    people: int
    withheld: bool = Field(description="Fewer people than the minimum group size: every "
                                       "other number is null.")
    min_group_size: int
    ties: int | None
    ties_inside: int | None
    density: float | None
    reciprocity: float | None
    ei_index: float | None
    outside_share: float | None
    caveat: str = Field(default="", description="When people of the school invited to a "
                                                "network survey did not answer: density "
                                                "and reciprocity are lower bounds.")
    ei_by_role: dict[str, float | None]


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_see_whole_network(me):
        raise Http404("No such network.")
    return me


class NetworkMapQuery(Schema):
    relation: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=MAX_CHOICES)
    layer: list[Layer] = Field(default_factory=list, max_length=4)
    min_weight: int = Field(1, ge=1, le=10)
    school: list[PathId] = Field(default_factory=list, max_length=MAX_CHOICES)
    since: dt.date | None = None
    until: dt.date | None = None
    group: Grouping = "school"


def _filters(q: NetworkMapQuery) -> figures.Filters:
    if q.since and q.until and q.since > q.until:
        raise Invalid(f"until ({q.until.isoformat()}) is before since "
                      f"({q.since.isoformat()}).", field="until")
    return figures.Filters(
        relations=tuple(sorted(set(q.relation))),
        layers=tuple(sorted(set(q.layer))) or figures.DEFAULT_LAYERS,
        min_weight=q.min_weight, school_ids=tuple(sorted(set(q.school))),
        since=q.since, until=q.until, group_by=q.group)


def _node(r: figures.Row) -> dict[str, object]:
    return {**{k: getattr(r, k) for k in (
        "key", "label", "school", "group", "external", "formal_role", "unobserved",
        "informal_broker", "in_degree", "out_degree", "betweenness", "closeness",
        "eigenvector", "two_step_reach", "brokerage_total")},
        "brokerage": [{"role": k, "count": r.brokerage.get(k, 0), "z": r.brokerage_z.get(k)}
                      for k in figures.BROKERAGE_ROLES]}


FILTER_DOC = ("relation, layer and school may repeat; none given: every relation, the "
              "survey, import and reported layers, every school.")


@router.get("/map/measures", response=NetworkMeasuresOut, summary="The network's measures",
            description=FILTER_DOC)
def network_measures(request: HttpRequest, q: Query[NetworkMapQuery]
                     ) -> dict[str, object]:
    me = _reader(request)
    f = figures.whole_network(district_id_of(me), _filters(q))
    record("network_viewed", actor=me, request=request,
           summary=f"Read the whole network's measures: {f.people} nodes, {f.ties} ties",
           details={"filters": f.filters.as_json(), "nodes": f.people, "ties": f.ties})
    ei = f.measures.ei.get(f.filters.group_by)
    return {"people": f.people, "ties": f.ties, "density": f.measures.density,
            "reciprocity": f.measures.reciprocity, "ei_index": ei.index if ei else None,
            "ei_by_group": dict(ei.by_group) if ei else {},
            "eigenvector_method": f.measures.eigenvector_method, "summary": f.summary(),
            "survey_response": f.response, "invited": f.network.invited,
            "responded": f.network.responded, "filters": f.filters.as_json(),
            "nodes": [_node(r) for r in f.rows]}


@router.get("/map/brokers", response=NetworkBrokersOut, summary="The network's brokers",
            description=FILTER_DOC)
def network_brokers(request: HttpRequest, q: Query[NetworkMapQuery]
                    ) -> dict[str, object]:
    me = _reader(request)
    f = figures.whole_network(district_id_of(me), _filters(q))
    record("network_viewed", actor=me, request=request,
           summary=f"Read the network's brokers: {f.people} nodes, {f.ties} ties",
           details={"filters": f.filters.as_json(), "nodes": f.people, "ties": f.ties})
    kp = f.key_players
    return {"informal": [_node(r) for r in f.informal], "top": [_node(r) for r in f.top],
            "key_players_removed": list(kp.removed), "reach_before": kp.reach_before,
            "reach_after": kp.reach_after, "reach_lost": kp.lost,
            "sentence": figures.key_player_sentence(f)}


@router.get("/map/ego", response=EgoNetworkOut, summary="My own network")
def my_network(request: HttpRequest) -> dict[str, object]:
    me = support.me(request)
    if not access.may_have_ego_network(me):
        raise Http404("No such network.")
    mine = figures.ego(me)
    return {"people": mine.people, "learns_from": mine.learns_from,
            "learned_from_by": mine.learned_from_by}


@router.get("/map/schools/{school_id}", response=SchoolNetworkAggregateOut,
            summary="A school's network in numbers")
def school_network(request: HttpRequest, school_id: PathId) -> dict[str, object]:
    me = support.me(request)
    if not access.may_see_whole_network(me) and school_id not in access.aggregate_schools(me):
        raise Http404("No such school.")
    school = School.objects.filter(pk=school_id, district_id=district_id_of(me)).first()
    if school is None:
        raise Http404("No such school.")
    got = figures.school_aggregates(school.district_id, [school.pk],
                                    names={school.pk: school.name})[0]
    return {**asdict(got), "min_group_size": settings.MIN_GROUP_SIZE}
