"""What the map pages and the map's API show, computed once per request and cached by the
network's content (docs/network-map.md).

- :func:`whole_network`: the district's network under the filters, every node's measures
  (``uptake.analysis.networks.measure``), the informal brokers, key-player removal, the
  survey's response rate; cached by a hash of the nodes and ties (and the grouping), so
  the same network is measured once however often it is viewed;
- :func:`school_aggregates`: a school leader's schools, numbers only (never a name or who
  named whom), withheld below ``settings.MIN_GROUP_SIZE`` people;
- :func:`ego`: a person's own ties, who she learns from and who learns from her.

**Informal brokers** (the panel above the map): people of the district with no formal
coaching or leadership role (``Node.formal_role`` false) whose betweenness is in the top
decile of the network's nodes (the top ``ceil(n / 10)`` places, ties at the cut kept) and
above zero. Betweenness rather than the brokerage z-scores because it needs no grouping and
has no undefined values on small networks (a z-score is undefined when a role's expected
count has no variance); the five brokerage roles and their z-scores are in the table.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings

from uptake.accounts.models import Role
from uptake.analysis import networks as sna
from uptake.networks import precompute, queries
from uptake.networks.queries import Network, Node, TieRow

if TYPE_CHECKING:
    from uptake.accounts.models import User
    from uptake.analysis.networks import KeyPlayers, NetworkMeasures

ALL_LAYERS = ("survey", "import", "reported", "known")
DEFAULT_LAYERS = ("survey", "import", "reported")
LAYER_LABELS = {"survey": "Network survey", "import": "Edge-list import",
                "reported": "Named by the person", "known": "Known to Uptake"}
GROUPINGS = {"school": "School", "role": "Role", "place": "Inside or outside the district"}
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
KEY_PLAYERS = 3
TOP_BROKERS = 3
# Beyond this many nodes the map draws the largest connected part, or nothing.
MAX_DRAWN = 400
# Betweenness (and closeness) are estimated from a sample of source nodes beyond this many
# nodes (the page says so): exact betweenness is O(n m) and keeps an n x n table of
# dependencies for the greedy key-player removal (uptake/analysis/networks.py).
EXACT_BETWEENNESS_UP_TO = 300
BETWEENNESS_SAMPLE = 200
CACHE_VERSION = "v2"
# Who the cached figures are for: only whole-network readers (coordinators, researchers)
# are ever given them (uptake/networks/access.py).
WHOLE = "whole-network"
OUTSIDE = "Outside the district"
# The role a node is grouped by when grouping by role: the most formal it holds.
ROLE_ORDER = ((Role.COORDINATOR, "Coordinator"), (Role.SCHOOL_LEADER, "School leader"),
              (Role.COACH, "Coach"), (Role.TEACHER, "Teacher"),
              (Role.RESEARCHER, "Researcher"), (Role.ASSESSOR, "Assessor"))


@dataclass(frozen=True)
class Filters:
    """What part of the network to show. Empty ``relations`` or ``school_ids``: all."""

    relations: tuple[str, ...] = ()
    layers: tuple[str, ...] = DEFAULT_LAYERS
    min_weight: int = 1
    school_ids: tuple[int, ...] = ()
    since: date | None = None
    until: date | None = None
    group_by: str = "school"

    def query(self) -> dict[str, Any]:
        """The keyword arguments of ``queries.network``."""
        return {"relations": self.relations or None, "layers": self.layers,
                "min_weight": self.min_weight, "school_ids": self.school_ids or None,
                "since": self.since, "until": self.until}

    def as_json(self) -> dict[str, Any]:
        return {"relations": list(self.relations), "layers": list(self.layers),
                "min_weight": self.min_weight, "school_ids": list(self.school_ids),
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "group_by": self.group_by}


@dataclass(frozen=True)
class Row:
    """One node's line of the measures table."""

    key: str
    label: str
    school: str
    group: str
    external: bool
    formal_role: bool
    unobserved: bool
    in_degree: int
    out_degree: int
    betweenness: float
    closeness: float
    eigenvector: float
    two_step_reach: int
    brokerage: dict[str, int]
    brokerage_z: dict[str, float | None]
    brokerage_total: int
    informal_broker: bool = False

    def value(self, column: str) -> Any:
        if column in BROKERAGE_ROLES:
            return self.brokerage.get(column, 0)
        return getattr(self, column)


@dataclass(frozen=True)
class MapFigures:
    """The whole network under the filters, measured."""

    key: str
    filters: Filters
    network: Network
    measures: NetworkMeasures
    rows: list[Row]
    informal: list[Row]
    top: list[Row]
    key_players: KeyPlayers
    key_player_labels: list[str]
    groups: dict[str, str]
    response: str
    drawn: frozenset[str] = field(default_factory=frozenset)
    too_large: bool = False

    @property
    def people(self) -> int:
        return len(self.network.nodes)

    @property
    def ties(self) -> int:
        return len(self.network.ties)

    def summary(self) -> str:
        """The text alternative of the map: a paragraph for people."""
        return summary(self)


def content_key(network: Network, *extra: object) -> str:
    """A hash of the nodes (with what they are drawn and grouped by) and the ties: the same
    network has the same key, whatever order the database returned it in."""
    nodes = sorted((n.key, n.label, n.external, n.school_id, n.school, sorted(n.roles),
                    n.formal_role, n.unobserved) for n in network.nodes.values())
    ties = sorted((t.source, t.target, t.relation, t.weight, t.layer,
                   t.observed_on.isoformat() if t.observed_on else "") for t in network.ties)
    blob = json.dumps([nodes, ties, network.invited, network.responded, list(extra)],
                      default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def group_of(node: Node, by: str) -> str:
    """The group a node belongs to for brokerage and the E-I index."""
    if by == "place":
        return OUTSIDE if node.external else "In the district"
    if node.external:
        return OUTSIDE
    if by == "role":
        return role_label(node.roles)
    return node.school or "No school"


def role_label(roles: Collection[str]) -> str:
    for role, label in ROLE_ORDER:
        if role in roles:
            return label
    return "No role"


def whole_network(district_id: int, filters: Filters) -> MapFigures:
    """The district's network under ``filters``, measured (cached by its content).

    A view that comes again finds the figures by the district's cheap version (its change
    token and ``queries.stored_version``: a few aggregate queries) without reading the
    network: the version, read before the network, names the content key it was measured
    under. With the known layer chosen, or no token, the network is read and hashed."""
    slot = version_slot(district_id, filters, WHOLE)
    if slot is not None:
        key = precompute.get(slot)
        found = (precompute.get(f"networks:map:{CACHE_VERSION}:{key}")
                 if isinstance(key, str) else None)
        if isinstance(found, MapFigures):
            return replace(found, filters=filters)
    network = queries.network(district_id, **filters.query())
    figures = measured(network, filters)
    if slot is not None:
        precompute.put(slot, figures.key)
    return figures


def version_slot(district_id: int, filters: Filters, audience: str) -> str | None:
    """The cache slot naming the content key of this district's network under ``filters``
    for ``audience`` at its current version; None when there is no cheap version (the
    known layer is read live from other apps; the shared cache keeps no token)."""
    if "known" in filters.layers:
        return None
    token = precompute.change_token(district_id)
    if token is None:
        return None
    blob = json.dumps([queries.stored_version(district_id), filters.as_json(), audience],
                      default=str, separators=(",", ":"))
    digest = hashlib.sha256(blob.encode()).hexdigest()
    return f"networks:mapv:{CACHE_VERSION}:{district_id}:{token}:{digest}"


def measured(network: Network, filters: Filters, *, audience: str = WHOLE) -> MapFigures:
    """The network's figures: computed once per content (nodes, ties, grouping) and
    audience, then read from the page caches (uptake/networks/precompute.py)."""
    key = content_key(network, filters.group_by, audience)
    slot = f"networks:map:{CACHE_VERSION}:{key}"
    found = precompute.get(slot)
    if isinstance(found, MapFigures):
        return replace(found, filters=filters, network=network)
    figures = _measure(network, filters, key)
    precompute.put(slot, figures)
    return figures


def _measure(network: Network, filters: Filters, key: str) -> MapFigures:
    order = sorted(network.nodes)
    groups = {k: group_of(network.nodes[k], filters.group_by) for k in order}
    attributes = {name: {k: group_of(network.nodes[k], name) for k in order}
                  for name in GROUPINGS}
    arcs = [sna.Arc(t.source, t.target, float(t.weight), t.relation)
            for t in sorted(network.ties, key=lambda t: (t.source, t.target, t.relation))]
    sample = None if len(order) <= EXACT_BETWEENNESS_UP_TO else BETWEENNESS_SAMPLE
    measures = sna.measure(order, arcs, groups=groups, attributes=attributes,
                           key_players=KEY_PLAYERS, betweenness_sample=sample, seed=0)
    rows = _rows(network, measures, groups)
    informal_keys = informal_brokers(rows)
    rows = [replace(r, informal_broker=r.key in informal_keys) for r in rows]
    top = sorted((r for r in rows if r.betweenness > 0),
                 key=lambda r: (-r.betweenness, r.label, r.key))[:TOP_BROKERS]
    labels = [network.nodes[k].label for k in measures.key_players.removed
              if k in network.nodes]
    drawn, too_large = drawable(order, [(t.source, t.target) for t in network.ties])
    return MapFigures(
        key=key, filters=filters, network=network, measures=measures, rows=rows,
        informal=[r for r in sorted(rows, key=lambda r: (-r.betweenness, r.label))
                  if r.informal_broker],
        top=top, key_players=measures.key_players, key_player_labels=labels, groups=groups,
        response=response_rate(network.invited, network.responded,
                               sum(1 for n in network.nodes.values() if n.unobserved)),
        drawn=drawn, too_large=too_large)


def _rows(network: Network, measures: NetworkMeasures, groups: Mapping[str, str]
          ) -> list[Row]:
    rows = []
    for key_, m in measures.nodes.items():
        node = network.nodes[key_]
        b = m.brokerage
        rows.append(Row(
            key=key_, label=node.label, school=OUTSIDE if node.external else node.school,
            group=groups.get(key_, ""), external=node.external,
            formal_role=node.formal_role, unobserved=node.unobserved,
            in_degree=m.in_degree, out_degree=m.out_degree, betweenness=m.betweenness,
            closeness=m.closeness, eigenvector=m.eigenvector,
            two_step_reach=m.two_step_reach,
            brokerage=dict(b.raw) if b else {}, brokerage_z=dict(b.z) if b else {},
            brokerage_total=b.total if b else 0))
    return sorted(rows, key=lambda r: (r.label.casefold(), r.key))


def informal_brokers(rows: Sequence[Row]) -> set[str]:
    """The people of the district without a formal role whose betweenness is in the top
    decile of all nodes (ties at the cut kept) and above zero (module docstring)."""
    if not rows:
        return set()
    ranked = sorted((r.betweenness for r in rows), reverse=True)
    cut = ranked[math.ceil(len(ranked) / 10) - 1]
    return {r.key for r in rows if r.betweenness >= cut and r.betweenness > 0
            and not r.formal_role and not r.external}


def drawable(nodes: Sequence[str], pairs: Iterable[tuple[str, str]]
             ) -> tuple[frozenset[str], bool]:
    """The nodes the map draws: all of them up to ``MAX_DRAWN``; beyond, the largest
    connected part (ties read both ways) when it fits; else none (too large to draw)."""
    if len(nodes) <= MAX_DRAWN:
        return frozenset(nodes), False
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    parts: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        parts[root(n)].append(n)
    largest = max(parts.values(), key=lambda p: (len(p), min(p)))
    if len(largest) <= MAX_DRAWN:
        return frozenset(largest), False
    return frozenset(), True


def response_rate(invited: int, responded: int, unobserved: int) -> str:
    """A network survey's response rate, in words ("" when no survey is in the map)."""
    if not invited:
        return ""
    share = round(100 * responded / invited)
    text = (f"{responded} of the {invited} people asked answered the network survey "
            f"({share} %).")
    if unobserved:
        who = ("The 1 person who did not answer is" if unobserved == 1
               else f"The {unobserved} who did not answer are")
        text += (f" {who} marked unobserved: the ties they would have named are missing, "
                 "so what reaches them is undercounted.")
    return text


def nonresponse_caveat(network: Network) -> str:
    """The sentence beside density and reciprocity when people invited to a survey in the
    selection did not answer: their pairs with no tie are unknown, not absent, so both are
    lower bounds ("" when everyone answered)."""
    missing = network.invited - network.responded
    if missing <= 0:
        return ""
    return (f"{missing} of {network.invited} people invited did not answer; their own "
            "answers are missing, so density and reciprocity here are lower bounds.")


def summary(f: MapFigures) -> str:
    """The paragraph beside the map: people, ties, density, the top brokers."""
    outside = sum(1 for n in f.network.nodes.values() if n.external)
    text = (f"The network has {f.people} {'person' if f.people == 1 else 'people'}"
            + (f" ({outside} outside the district)" if outside else "")
            + f" and {f.ties} tie{'' if f.ties == 1 else 's'}; its density is "
            f"{f.measures.density:.3f}")
    if f.measures.reciprocity is not None:
        text += f" and {round(100 * f.measures.reciprocity)} % of its ties are returned"
    text += "."
    caveat = nonresponse_caveat(f.network)
    if caveat:
        text += " " + caveat
    if f.top:
        names = ", ".join(f"{r.label} ({r.school})" for r in f.top)
        text += f" The top brokers by betweenness: {names}."
    else:
        text += " Nobody stands between others yet."
    return text


def key_player_sentence(f: MapFigures) -> str:
    kp = f.key_players
    if not kp.removed or not kp.reach_before:
        return ""
    names = ", ".join(f.key_player_labels)
    return (f"Without the top {len(kp.removed)} brokers ({names}), two-step reach falls by "
            f"{round(100 * kp.lost)} % (from {kp.reach_before} to {kp.reach_after}).")


# The columns of the measures table: key, heading, sortable.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("label", "Name"), ("school", "School"), ("in_degree", "In-degree"),
    ("out_degree", "Out-degree"), ("betweenness", "Betweenness"),
    ("closeness", "Closeness"), ("eigenvector", "Eigenvector"),
    ("two_step_reach", "Two-step reach"), ("coordinator", "Coordinator"),
    ("itinerant", "Itinerant"), ("representative", "Representative"),
    ("gatekeeper", "Gatekeeper"), ("liaison", "Liaison"),
    ("brokerage_total", "Total brokerage"))
SORTABLE = frozenset(k for k, _ in COLUMNS)


def sorted_rows(rows: Sequence[Row], column: str, descending: bool) -> list[Row]:
    """The table's rows by a column (name then key break ties, so the order is stable)."""
    if column not in SORTABLE:
        column = "label"
    text = column in ("label", "school")

    def by(r: Row) -> Any:
        v = r.value(column)
        return v.casefold() if text else v

    ordered = sorted(rows, key=lambda r: (r.label.casefold(), r.key))
    return sorted(ordered, key=by, reverse=descending)


# -- a school leader's aggregate ------------------------------------------------------


@dataclass(frozen=True)
class SchoolAggregate:
    """One school's network in numbers, never names. ``withheld``: fewer than the minimum
    group size of people, so every number is withheld."""

    school_id: int
    school: str
    people: int
    withheld: bool
    ties: int | None = None
    ties_inside: int | None = None
    density: float | None = None
    reciprocity: float | None = None
    ei_index: float | None = None
    outside_share: float | None = None
    ei_by_role: dict[str, float | None] = field(default_factory=dict)
    roles_withheld: tuple[str, ...] = ()
    caveat: str = ""  # people of the school did not answer a survey: lower bounds


def school_aggregates(district_id: int, school_ids: Sequence[int], *,
                      names: Mapping[int, str]) -> list[SchoolAggregate]:
    """Each of the schools' aggregates, from the district's network (default layers)."""
    network = queries.network(district_id, **Filters().query())
    return [aggregate(network, sid, names.get(sid, "")) for sid in school_ids]


def aggregate(network: Network, school_id: int, name: str) -> SchoolAggregate:
    """The numbers of one school: its people (district staff of the school in the network),
    the ties touching them, density and reciprocity of the ties among them, the E-I index
    of the school (ties leaving it against ties inside it, Krackhardt and Stern 1988), the
    same by role among its ties inside, and the share of its ties that go outside it."""
    members = {k for k, n in network.nodes.items()
               if not n.external and n.school_id == school_id}
    n = len(members)
    if n < settings.MIN_GROUP_SIZE:
        return SchoolAggregate(school_id, name, n, withheld=True)
    pairs = {(t.source, t.target) for t in network.ties if t.source != t.target}
    touching = {p for p in pairs if p[0] in members or p[1] in members}
    inside = {p for p in touching if p[0] in members and p[1] in members}
    external = len(touching) - len(inside)
    returned = sum(1 for a, b in inside if (b, a) in inside)
    roles = {k: role_label(network.nodes[k].roles) for k in members}
    unobserved = any(network.nodes[k].unobserved for k in members)
    return SchoolAggregate(
        school_id, name, n, withheld=False, ties=len(touching), ties_inside=len(inside),
        density=len(inside) / (n * (n - 1)),
        reciprocity=returned / len(inside) if inside else None,
        ei_index=ei(len(inside), external),
        outside_share=external / len(touching) if touching else None,
        **_by_role(sna.ei_index(inside, roles).by_group, roles),
        caveat=nonresponse_caveat(network) if unobserved else "")


def _by_role(by_group: dict[str, float | None], roles: Mapping[str, str]
             ) -> dict[str, Any]:
    """The E-I index by role, a role with fewer than the minimum group size of people in
    the school withheld (one coach's value is that one person's). When exactly one role
    would be withheld, the smallest shown role is withheld with it (complementary
    suppression): with the school's ties inside known (its density), one hidden role
    beside the shown ones could be worked back from them."""
    sizes: dict[str, int] = {}
    for label in roles.values():
        sizes[label] = sizes.get(label, 0) + 1
    hidden = {g for g in by_group if sizes.get(g, 0) < settings.MIN_GROUP_SIZE}
    shown = sorted((sizes.get(g, 0), g) for g in by_group if g not in hidden)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return {"ei_by_role": {g: v for g, v in by_group.items() if g not in hidden},
            "roles_withheld": tuple(sorted(hidden))}


def ei(internal: int, external: int) -> float | None:
    """Krackhardt and Stern's E-I index, (E - I) / (E + I); None without ties."""
    total = internal + external
    return (external - internal) / total if total else None


# -- a person's ego network -----------------------------------------------------------


@dataclass(frozen=True)
class EgoTie:
    """One of her ties. ``layer`` is "reported" only for a tie she named herself, else ""
    (never said): the layer of a tie into or out of her that someone else named would tell
    her who named it, so the page and the API say no layer and rows differing only by a
    hidden layer are one row (the highest weight, the latest observation)."""

    other: str
    external: bool
    relation: str
    layer: str
    weight: int
    observed_on: date | None


@dataclass(frozen=True)
class Ego:
    """Who she learns from (ties into her) and who learns from her (ties out of her)."""

    learns_from: list[EgoTie]
    learned_from_by: list[EgoTie]

    @property
    def people(self) -> int:
        return len({t.other for t in self.learns_from + self.learned_from_by})


def ego(person: User, *, relations: Collection[str] | None = None) -> Ego:
    network = queries.ego_network(person, relations=relations)
    me = f"p{person.pk}"
    named = {(n.other_key, me, n.relation) if n.direction == "from"
             else (me, n.other_key, n.relation) for n in queries.named_by(person)}
    return ego_of(network, me, named=named)


def ego_of(network: Network, me: str,
           named: Collection[tuple[str, str, str]] = ()) -> Ego:
    """Her ego network; ``named``: the (source, target, relation) of the ties she named."""
    mine = set(named)

    def side(rows: list[TieRow], other_end: str) -> list[EgoTie]:
        shown: dict[tuple[str, str, str], EgoTie] = {}
        for t in rows:
            other = getattr(t, other_end)
            layer = t.layer if t.layer == "reported" and (
                t.source, t.target, t.relation) in mine else ""
            node = network.nodes.get(other)
            e = EgoTie(other=node.label if node else other,
                       external=bool(node and node.external), relation=t.relation,
                       layer=layer, weight=t.weight, observed_on=t.observed_on)
            key = (other, t.relation, layer)
            was = shown.get(key)
            if was is not None:
                dates = [d for d in (was.observed_on, e.observed_on) if d is not None]
                e = EgoTie(e.other, e.external, e.relation, layer,
                           max(was.weight, e.weight), max(dates) if dates else None)
            shown[key] = e
        return sorted(shown.values(),
                      key=lambda e: (e.relation, e.layer, e.other.casefold(), -e.weight))

    ins = [t for t in network.ties if t.target == me and t.source != me]
    outs = [t for t in network.ties if t.source == me and t.target != me]
    return Ego(side(ins, "source"), side(outs, "target"))
