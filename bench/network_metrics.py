"""Benchmark (not a test): every network measure on a 100,000-person, 1,000,000-arc network.

A random directed network (arcs drawn uniformly, no loops, no repeats) with people in
50 groups (schools); one arc in ten also carries a second relation. Prints the time of
``uptake.analysis.networks.measure`` (all measures: degree, strength, sampled
betweenness, closeness from the same sample, PageRank, two-step reach, E-I index,
multiplexity, brokerage roles with sna's z-scores, greedy key players) and of
``brokerage`` alone, and their ratios to a floor measured in the same run: networkx's
own ``betweenness_centrality`` with the same ``k`` sources and seed on the same graph.
Record the figures in docs/performance.md.

    .venv/bin/python bench/network_metrics.py [--nodes 100000] [--arcs 1000000]
        [--groups 50] [--sample 8] [--key-players 3]
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import networkx as nx
import numpy as np

from uptake.analysis.networks import Arc, brokerage, measure


def random_network(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < m:  # draw until m distinct arcs without loops
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        keys = np.unique(np.concatenate([keys, (a * n + b)[a != b]]))
    keys = rng.permutation(keys)[:m]
    return keys // n, keys % n


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t, result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=100_000)
    p.add_argument("--arcs", type=int, default=1_000_000)
    p.add_argument("--groups", type=int, default=50)
    p.add_argument("--sample", type=int, default=8, help="betweenness sources (k)")
    p.add_argument("--key-players", type=int, default=3)
    p.add_argument("--seed", type=int, default=3)
    a = p.parse_args()
    src, dst = random_network(a.nodes, a.arcs, a.seed)
    rng = np.random.default_rng(a.seed + 1)
    nodes = list(range(a.nodes))
    groups = {i: f"school {g}" for i, g in enumerate(rng.integers(0, a.groups, a.nodes))}
    pairs = list(zip(src.tolist(), dst.tolist(), strict=True))
    arcs = [Arc(s, t, 1.0, "advice") for s, t in pairs]
    arcs += [Arc(s, t, 2.0, "information") for s, t in pairs[: a.arcs // 10]]

    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(pairs)
    floor_s, _ = timed(nx.betweenness_centrality, G, k=a.sample, normalized=False,
                       seed=a.seed)
    del G
    broker_s, _ = timed(brokerage, nodes, pairs, groups)
    measure_s, result = timed(measure, nodes, arcs, groups=groups,
                              key_players=a.key_players, betweenness_sample=a.sample,
                              seed=a.seed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total_roles = sum(m.brokerage.total for m in result.nodes.values() if m.brokerage)
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, numpy {np.__version__}, networkx {nx.__version__}")
    print(f"{a.nodes} people, {a.arcs} arcs ({len(arcs)} with relations), {a.groups} "
          f"groups, betweenness from k={a.sample} sources, {a.key_players} key players")
    print(f"floor (networkx betweenness_centrality, k={a.sample}): {floor_s:.1f} s")
    print(f"brokerage (roles and sna z-scores): {broker_s:.1f} s "
          f"(ratio to floor {broker_s / floor_s:.2f}x)")
    print(f"measure (all measures): {measure_s:.1f} s (ratio to floor "
          f"{measure_s / floor_s:.1f}x; it computes betweenness 1 + {a.key_players - 1} "
          "times for the greedy key players)")
    print(f"peak memory: {peak:.0f} MB; open two-paths brokered: {total_roles}; "
          f"key players: {result.key_players.removed}, two-step reach lost "
          f"{result.key_players.lost:.4f}")


if __name__ == "__main__":
    main()
