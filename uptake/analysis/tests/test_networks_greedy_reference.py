"""The vectorised betweenness and its incremental greedy removal give networkx's values.

The reference is what ``measure`` computed before betweenness was vectorised: networkx's
``betweenness_centrality`` (exact, or its ``k``-source sample with the same seed) run
again on the network after each greedy removal.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from uptake.analysis.networks import Arc, key_player_removal, measure


def random_network(seed: int, n: int, m: int) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    nodes = [f"n{i:03d}" for i in range(n)]
    pairs = {(rng.choice(nodes), rng.choice(nodes)) for _ in range(m)}
    return nodes, sorted((a, b) for a, b in pairs if a != b)


def networkx_greedy(nodes: list[str], pairs: list[tuple[str, str]], k: int,
                    sample: int | None) -> tuple[str, ...]:
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(pairs)
    removed: list[str] = []
    for _ in range(k):
        kk = sample if sample is not None and sample < G.number_of_nodes() else None
        scores = nx.betweenness_centrality(G, k=kk, normalized=False, seed=0)
        live = [(-b, nodes.index(v), v) for v, b in scores.items()]
        if not live or min(live)[0] >= 0:
            break
        top = min(live)[2]
        removed.append(top)
        G.remove_node(top)
    return tuple(removed)


@pytest.mark.parametrize(("seed", "n", "m", "sample"), [
    (1, 40, 90, None), (2, 60, 240, None), (3, 25, 30, None), (4, 80, 300, 20),
    (5, 50, 120, 10), (6, 12, 0, None)])
def test_the_greedy_removes_whom_networkx_would(seed: int, n: int, m: int,
                                                sample: int | None) -> None:
    nodes, pairs = random_network(seed, n, m)
    kp = key_player_removal(nodes, pairs, 3, betweenness_sample=sample, seed=0)
    assert kp.removed == networkx_greedy(nodes, pairs, 3, sample)


@pytest.mark.parametrize(("seed", "sample"), [(7, None), (8, 15), (9, 59)])
def test_betweenness_is_networkx_value(seed: int, sample: int | None) -> None:
    nodes, pairs = random_network(seed, 60, 200)
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(pairs)
    expected = nx.betweenness_centrality(G, k=sample, normalized=False, seed=0)
    got = measure(nodes, [Arc(a, b) for a, b in pairs], key_players=0,
                  betweenness_sample=sample, seed=0).nodes
    for v in nodes:
        assert got[v].betweenness == pytest.approx(expected[v], rel=1e-9, abs=1e-9)
