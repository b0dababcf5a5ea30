"""Properties of the brokerage counts and the other measures on random networks.

The reference is the definition itself, written out as a triple loop: v brokers
a -> v -> b when both arcs exist, a, v, b are distinct and there is no arc a -> b;
the role follows the groups of a, v and b (Gould & Fernandez 1989).
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uptake.analysis.networks import ROLES, Arc, brokerage, measure


def role(ga: str, gv: str, gb: str) -> str:
    if ga == gv == gb:
        return "coordinator"
    if ga == gb:
        return "itinerant"
    if ga == gv:
        return "representative"
    if gv == gb:
        return "gatekeeper"
    return "liaison"


def by_definition(n: int, arcs: set[tuple[int, int]], groups: dict[int, str]):
    counts = {v: dict.fromkeys(ROLES, 0) for v in range(n)}
    for a, v in arcs:
        for v2, b in arcs:
            if v2 == v and len({a, v, b}) == 3 and (a, b) not in arcs:
                counts[v][role(groups[a], groups[v], groups[b])] += 1
    return counts


@st.composite
def networks(draw, max_nodes: int = 9):
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    arcs = {(a, b) for a, b in draw(st.lists(pairs, max_size=n * n)) if a != b}
    labels = draw(st.lists(st.sampled_from("PQRS"), min_size=n, max_size=n))
    return n, arcs, dict(enumerate(labels))


@settings(max_examples=150, deadline=None)
@given(networks())
def test_brokerage_counts_follow_the_definition(network):
    n, arcs, groups = network
    scores = brokerage(list(range(n)), arcs, groups)
    assert {v: s.raw for v, s in scores.items()} == by_definition(n, arcs, groups)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_roles_of_a_person_add_up_to_the_open_two_paths_through_her(network):
    n, arcs, groups = network
    scores = brokerage(list(range(n)), arcs, groups)
    for v in range(n):
        ins = [a for a, b in arcs if b == v]
        outs = [b for a, b in arcs if a == v]
        open_paths = sum(1 for a in ins for b in outs if a != b and (a, b) not in arcs)
        assert scores[v].total == sum(scores[v].raw.values()) == open_paths


@settings(max_examples=100, deadline=None)
@given(networks())
def test_reversal_swaps_gatekeepers_and_representatives(network):
    n, arcs, groups = network
    forward = brokerage(list(range(n)), arcs, groups)
    backward = brokerage(list(range(n)), {(b, a) for a, b in arcs}, groups)
    for v in range(n):
        f, b = forward[v], backward[v]
        assert b.raw["gatekeeper"] == f.raw["representative"]
        assert b.raw["representative"] == f.raw["gatekeeper"]
        assert b.z["gatekeeper"] == f.z["representative"]


@settings(max_examples=60, deadline=None)
@given(networks())
def test_one_group_makes_everyone_a_coordinator_or_nothing(network):
    n, arcs, _ = network
    scores = brokerage(list(range(n)), arcs, dict.fromkeys(range(n), "all"))
    for s in scores.values():
        assert s.raw["coordinator"] == s.total


@settings(max_examples=60, deadline=None)
@given(networks())
def test_path_measures_agree_with_networkx(network):
    n, arcs, _ = network
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(arcs)
    result = measure(list(range(n)), [Arc(a, b) for a, b in arcs], key_players=0)
    between = nx.betweenness_centrality(G, normalized=False)
    close = nx.closeness_centrality(G.reverse(), wf_improved=True)
    for v in range(n):
        m = result.nodes[v]
        assert m.betweenness == pytest.approx(between[v], abs=1e-9)
        assert m.closeness == pytest.approx(close[v], abs=1e-9)
        two_steps = set(nx.single_source_shortest_path_length(G, v, cutoff=2)) - {v}
        assert m.two_step_reach == len(two_steps)
    if arcs:
        assert result.reciprocity == pytest.approx(nx.overall_reciprocity(G))


@settings(max_examples=80, deadline=None)
@given(networks())
def test_eigenvector_or_pagerank_agree_with_networkx(network):
    n, arcs, _ = network
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(arcs)
    result = measure(list(range(n)), [Arc(a, b) for a, b in arcs], key_players=0)
    if n < 2 or not arcs:
        assert all(m.eigenvector == 0 for m in result.nodes.values())
        return
    if nx.is_strongly_connected(G):
        groups = [set(G)]
        expected = {}
        assert result.eigenvector_method.startswith("eigenvector")
    else:
        # Eigenvector centrality within each strongly connected group of three or
        # more, the whole network's PageRank for everyone else.
        groups = [c for c in nx.strongly_connected_components(G) if len(c) >= 3]
        expected = nx.pagerank(G.reverse(), alpha=0.85)
        assert ("PageRank" in result.eigenvector_method) == (sum(map(len, groups)) < n)
    for c in groups:
        # networkx's power iteration (its ARPACK variant refuses three people),
        # scaled as igraph's scale=TRUE: the group's maximum is 1.
        inside = nx.eigenvector_centrality(G.subgraph(c).reverse(), max_iter=100_000,
                                           tol=1e-12)
        top = max(inside.values())
        expected.update({v: x / top for v, x in inside.items()})
    for v in range(n):
        inside_a_group = any(v in c for c in groups)
        assert result.nodes[v].eigenvector_by == (
            "eigenvector" if inside_a_group else "pagerank")
        assert result.nodes[v].eigenvector == pytest.approx(expected[v], abs=1e-6)
