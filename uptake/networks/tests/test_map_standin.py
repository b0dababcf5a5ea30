"""A stand-in for ``uptake.analysis.networks`` (its interface, docs in context of the
issue) while that module is being written: installed only when the real one cannot be
imported, and only for the map's tests. No value it computes is pinned by a test: the map's
tests check who sees what, what is drawn and chosen, never a measure's value."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


@dataclass(frozen=True)
class Arc:
    source: Any
    target: Any
    weight: float = 1.0
    relation: str = ""


@dataclass(frozen=True)
class BrokerageScores:
    raw: dict[str, int]
    total: int
    z: dict[str, float | None]


@dataclass(frozen=True)
class EIIndex:
    index: float | None
    internal: int
    external: int
    by_group: dict[str, float | None]


@dataclass(frozen=True)
class KeyPlayers:
    removed: tuple[Any, ...]
    reach_before: int
    reach_after: int
    lost: float


@dataclass(frozen=True)
class NodeMeasures:
    in_degree: int
    out_degree: int
    in_strength: float
    out_strength: float
    betweenness: float
    closeness: float
    eigenvector: float
    two_step_reach: int
    brokerage: BrokerageScores | None


@dataclass(frozen=True)
class NetworkMeasures:
    nodes: dict[Any, NodeMeasures]
    density: float
    reciprocity: float | None
    ei: dict[str, EIIndex]
    eigenvector_method: str
    multiplexity: dict[tuple[Any, Any], int]
    key_players: KeyPlayers
    betweenness_sample: int | None


def _reach(nodes: Sequence[Any], pairs: set[tuple[Any, Any]]) -> dict[Any, int]:
    out: dict[Any, set[Any]] = {n: set() for n in nodes}
    for a, b in pairs:
        out[a].add(b)
    return {n: len((out[n] | {c for b in out[n] for c in out[b]}) - {n}) for n in nodes}


def brokerage(nodes: Sequence[Any], arcs: Iterable[tuple[Any, Any]],
              groups: Mapping[Any, str]) -> dict[Any, BrokerageScores]:
    pairs = {(a, b) for a, b in arcs if a != b}
    raw = {n: dict.fromkeys(ROLES, 0) for n in nodes}
    for a, v in pairs:
        for v2, b in pairs:
            if v2 != v or b == a or (a, b) in pairs:
                continue
            ga, gv, gb = groups[a], groups[v], groups[b]
            role = ("coordinator" if ga == gv == gb else "itinerant" if ga == gb
                    else "representative" if ga == gv else "gatekeeper" if gv == gb
                    else "liaison")
            raw[v][role] += 1
    return {n: BrokerageScores(r, sum(r.values()), dict.fromkeys(ROLES)) for n, r in raw.items()}


def _ei(pairs: set[tuple[Any, Any]], attribute: Mapping[Any, str]) -> EIIndex:
    internal = sum(1 for a, b in pairs if attribute[a] == attribute[b])
    external = len(pairs) - internal
    total = internal + external
    return EIIndex((external - internal) / total if total else None, internal, external, {})


def measure(nodes: Sequence[Any], arcs: Sequence[Arc], *,
            groups: Mapping[Any, str] | None = None,
            attributes: Mapping[str, Mapping[Any, str]] | None = None, key_players: int = 3,
            betweenness_sample: int | None = None, seed: int = 0) -> NetworkMeasures:
    import networkx as nx

    pairs = {(a.source, a.target) for a in arcs if a.source != a.target}
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(pairs)
    between = nx.betweenness_centrality(graph, normalized=False)
    close = nx.closeness_centrality(graph)
    rank = nx.pagerank(graph) if nodes else {}
    reach = _reach(nodes, pairs)
    broker = brokerage(nodes, pairs, groups) if groups else {}
    measured = {n: NodeMeasures(graph.in_degree(n), graph.out_degree(n), 0.0, 0.0,
                                float(between[n]), float(close[n]), float(rank.get(n, 0)),
                                reach[n], broker.get(n)) for n in nodes}
    top = tuple(sorted(nodes, key=lambda n: (-between[n], n))[:key_players])
    rest = [n for n in nodes if n not in top]
    after = sum(_reach(rest, {p for p in pairs if p[0] in rest and p[1] in rest}).values())
    before = sum(reach.values())
    n = len(nodes)
    return NetworkMeasures(
        measured, len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
        (sum(1 for a, b in pairs if (b, a) in pairs) / len(pairs)) if pairs else None,
        {k: _ei(pairs, v) for k, v in (attributes or {}).items()},
        "Eigenvector centrality stands in as PageRank.", {},
        KeyPlayers(top, before, after, (before - after) / before if before else 0.0),
        betweenness_sample)


def install() -> None:
    """Put the stand-in in place of ``uptake.analysis.networks`` when that is missing."""
    try:
        importlib.import_module("uptake.analysis.networks")
    except ModuleNotFoundError:
        module = types.ModuleType("uptake.analysis.networks")
        for name in ("ROLES", "Arc", "BrokerageScores", "EIIndex", "KeyPlayers", "NodeMeasures",
                     "NetworkMeasures", "brokerage", "measure"):
            setattr(module, name, globals()[name])
        sys.modules["uptake.analysis.networks"] = module
        import uptake.analysis as analysis

        analysis.networks = module  # type: ignore[attr-defined]
