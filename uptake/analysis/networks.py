"""Network measures for professional learning networks, and Gould-Fernandez brokerage.

Convention: an arc ``a -> b`` means knowledge or advice flows from ``a`` to ``b``.
A survey nomination "i goes to j for advice" is therefore stored reversed, as
``j -> i`` (:func:`reverse_nominations`). Every measure below reads arcs that way;
``docs/analysis-networks.md`` gives each definition, formula and source.

- Degree and strength (Wasserman & Faust 1994, ch. 4): out-degree is how many people
  a person passes knowledge to, in-degree how many she draws on ("direct brokerage").
- Betweenness (Freeman 1977, Brandes 2001), directed and unnormalised: the sum over
  ordered pairs ``(s, t)``, ``s != t != v``, of the share of shortest ``s -> t`` paths
  through ``v``; the values of R ``sna::betweenness(g, gmode="digraph")`` and
  ``igraph::betweenness(g, directed=TRUE)`` ("indirect brokerage"). With
  ``betweenness_sample=k`` it is networkx's ``k``-source estimate (same ``seed``).
- Closeness, outward, with Wasserman & Faust's (1994, p. 201) scaling for networks
  that are not strongly connected: ``C(u) = (r / (n - 1)) * (r / sum of d(u, v))``
  over the ``r`` people ``u`` reaches; networkx's ``closeness_centrality(G.reverse(),
  wf_improved=True)``.
- Eigenvector centrality (Bonacich 1972) within each strongly connected group of
  3 or more people, where it is unique and positive (Perron-Frobenius), scaled so the
  group's most central person scores 1 (igraph's ``scale=TRUE``): scores compare only
  within a group. Everyone else gets PageRank (Brin & Page 1998, damping 0.85) on the
  whole network. Both follow arcs backwards, so a person is central when she gives
  knowledge to people who are central; ``eigenvector_method`` says which for whom,
  and each person's ``eigenvector_by`` and ``eigenvector_component``.
- Arc reciprocity (sna's ``grecip(measure="edgewise")``, igraph's default), density,
  the E-I index (Krackhardt & Stern 1988), two-step reach, multiplexity, and greedy
  key-player removal (the idea: Borgatti 2006).
- Brokerage roles (Gould & Fernandez 1989) with the raw counts and z-scores of
  Butts' ``sna::brokerage`` exactly, vectorised with scipy.sparse so that it runs on
  networks of a million arcs.

Pure Python (numpy, scipy); never imports Django. Betweenness is Brandes' algorithm run for
many sources at once on scipy.sparse (networkx's values and sampling, checked against it in
the tests), so the greedy key-player removal can recompute it cheaply.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.sparse import linalg as splinalg

__all__ = [
    "ROLES",
    "Arc",
    "BrokerageScores",
    "EIIndex",
    "KeyPlayers",
    "NetworkMeasures",
    "NodeMeasures",
    "brokerage",
    "ei_index",
    "key_player_removal",
    "measure",
    "reverse_nominations",
]

#: Gould & Fernandez's five roles, in the column order of ``sna::brokerage``
#: (w_I, w_O, b_IO, b_OI, b_O). For a two-path a -> v -> b with groups (A, v's, B):
#: coordinator A->A->A, itinerant A->B->A, representative A->A->B,
#: gatekeeper A->B->B, liaison A->B->C.
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

PAGERANK_DAMPING = 0.85
# Rows of a sparse product computed at once: bounds memory on a million arcs.
_PRODUCT_BUDGET = 4_000_000
# Up to this many people, eigenvectors come from a dense solver (ARPACK needs n > 2).
_DENSE_EIGEN = 200
# Smallest strongly connected group given its own eigenvector centrality.
_EIGEN_GROUP = 3


def reverse_nominations[N: Hashable](pairs: Iterable[tuple[N, N]]) -> list[tuple[N, N]]:
    """Turn nominations "i goes to j" into knowledge-flow arcs ``j -> i``.

    >>> reverse_nominations([("ana", "ben"), ("ana", "cai")])
    [('ben', 'ana'), ('cai', 'ana')]
    """
    return [(j, i) for i, j in pairs]


@dataclass(frozen=True)
class Arc[T]:
    """One tie: knowledge flows from ``source`` to ``target`` in ``relation``."""

    source: T
    target: T
    weight: float = 1.0
    relation: str = ""


@dataclass(frozen=True)
class BrokerageScores:
    """One person's Gould-Fernandez brokerage, as ``sna::brokerage`` reports it.

    ``raw`` counts the open two-paths ``a -> v -> b`` (no arc ``a -> b``) through the
    person in each role; ``total`` is their sum (sna's ``t``). ``z`` and ``z_total`` are
    sna's z-scores against its null model (a random network of the same density and
    group sizes); None where sna gives NaN or infinity (a standard deviation of 0,
    e.g. coordinator in a group of one). ``expected`` is that model's mean count.
    """

    raw: dict[str, int]
    total: int
    z: dict[str, float | None]
    z_total: float | None = None
    expected: dict[str, float] | None = None


@dataclass(frozen=True)
class EIIndex:
    """Krackhardt & Stern's E-I index: (external - internal) / (external + internal).

    +1: every tie crosses groups; -1: every tie stays inside. ``by_group`` gives the
    index of each group's own ties (those with at least one end in it); None when a
    group (or the whole) has no ties.
    """

    index: float | None
    internal: int
    external: int
    by_group: dict[str, float | None]


@dataclass(frozen=True)
class KeyPlayers:
    """Who, removed, cuts most of the others' two-step reach.

    ``reach_before``/``reach_after``: ordered pairs ``(u, v)`` of the people who stay,
    ``v`` within two steps of ``u``, with and without ``removed``; ``lost`` is the share
    of ``reach_before`` that goes (0 when there was none).
    """

    removed: tuple[Hashable, ...]
    reach_before: int
    reach_after: int
    lost: float


@dataclass(frozen=True)
class NodeMeasures:
    """Every measure of one person (see the module docstring for the definitions)."""

    in_degree: int
    out_degree: int
    in_strength: float
    out_strength: float
    betweenness: float
    closeness: float
    eigenvector: float
    two_step_reach: int
    brokerage: BrokerageScores | None
    #: The strongly connected group (0 the largest) whose eigenvector centrality
    #: ``eigenvector`` is, or None when it is the whole network's PageRank.
    eigenvector_component: int | None = None
    #: "eigenvector" or "pagerank": what ``eigenvector`` holds for this person.
    eigenvector_by: str = "eigenvector"


@dataclass(frozen=True)
class NetworkMeasures[T: Hashable]:
    """The measures of a whole network and of each of its people."""

    nodes: dict[T, NodeMeasures]
    density: float
    reciprocity: float | None
    ei: dict[str, EIIndex]
    eigenvector_method: str
    multiplexity: dict[tuple[T, T], int]
    key_players: KeyPlayers
    betweenness_sample: int | None
    closeness_method: str = ""


# --- the graph as index arrays -------------------------------------------------------


@dataclass(frozen=True)
class _Graph:
    n: int
    src: np.ndarray  # int64, deduplicated arcs, no loops
    dst: np.ndarray

    def matrix(self) -> sp.csr_matrix:
        data = np.ones(len(self.src), dtype=np.float64)
        return sp.csr_matrix((data, (self.src, self.dst)), shape=(self.n, self.n))


def _index[N: Hashable](nodes: Sequence[N]) -> dict[N, int]:
    index = {node: i for i, node in enumerate(nodes)}
    if len(index) != len(nodes):
        raise ValueError("Each person may appear only once in the list of nodes.")
    return index


def _graph[N: Hashable](index: Mapping[N, int], pairs: Iterable[tuple[N, N]], *,
           directed: bool = True) -> _Graph:
    """Index arrays of the distinct arcs between known nodes, loops dropped."""
    src: list[int] = []
    dst: list[int] = []
    for a, b in pairs:
        try:
            i, j = index[a], index[b]
        except KeyError as missing:
            raise ValueError(f"A tie names {missing.args[0]!r}, who is not among the "
                             "nodes of the network.") from None
        src.append(i)
        dst.append(j)
    s = np.asarray(src, dtype=np.int64)
    t = np.asarray(dst, dtype=np.int64)
    if not directed:
        s, t = np.concatenate([s, t]), np.concatenate([t, s])
    n = len(index)
    keep = s != t
    keys = np.unique(s[keep] * n + t[keep])
    return _Graph(n, keys // n, keys % n)


def _row_blocks(work: np.ndarray) -> Iterable[tuple[int, int]]:
    """Split rows into blocks whose summed ``work`` stays under the product budget."""
    lo, acc = 0, 0.0
    for i, w in enumerate(work.tolist()):
        if acc and acc + w > _PRODUCT_BUDGET:
            yield lo, i
            lo, acc = i, 0.0
        acc += w
    if lo < len(work):
        yield lo, len(work)


# --- brokerage -----------------------------------------------------------------------


def _brokerage_counts(g: _Graph, gid: np.ndarray) -> np.ndarray:
    """Open two-paths a -> v -> b (a != b, no arc a -> b) per node and role (n x 5).

    All pairs (in-neighbour, out-neighbour) of v are counted by group combination
    from per-group neighbour counts; the pairs with a == b (mutual ties) and the
    closed ones (arc a -> b present) are then subtracted. Closed two-paths are counted
    per v as row sums of (X^T Y) masked by Z, X, Y, Z the within- and between-group
    parts of the adjacency matrix, in row blocks.
    """
    n, src, dst = g.n, g.src, g.dst
    k = int(gid.max()) + 1 if n else 1
    same = gid[src] == gid[dst]
    indeg = np.bincount(dst, minlength=n).astype(np.float64)
    outdeg = np.bincount(src, minlength=n).astype(np.float64)
    in_own = np.bincount(dst[same], minlength=n).astype(np.float64)
    out_own = np.bincount(src[same], minlength=n).astype(np.float64)
    ones = np.ones(len(src))
    in_by_group = sp.csr_matrix((ones, (dst, gid[src])), shape=(n, k))
    out_by_group = sp.csr_matrix((ones, (src, gid[dst])), shape=(n, k))
    same_group_pairs = np.asarray(in_by_group.multiply(out_by_group).sum(axis=1)).ravel()
    other_group_pairs = same_group_pairs - in_own * out_own
    keys = src * n + dst
    mutual = np.isin(dst * n + src, keys)  # arc a -> v whose reverse v -> a exists
    mutual_own = np.bincount(dst[mutual & same], minlength=n)
    mutual_other = np.bincount(dst[mutual & ~same], minlength=n)
    counts = np.column_stack([
        in_own * out_own - mutual_own,
        other_group_pairs - mutual_other,
        in_own * (outdeg - out_own),
        (indeg - in_own) * out_own,
        (indeg - in_own) * (outdeg - out_own) - other_group_pairs,
    ])
    return counts - _closed_two_paths(g, same)


def _closed_two_paths(g: _Graph, same: np.ndarray) -> np.ndarray:
    n = g.n
    A = g.matrix()
    within = sp.csr_matrix((np.ones(int(same.sum())), (g.src[same], g.dst[same])),
                           shape=(n, n))
    across = (A - within).tocsr()
    within_t, across_t = within.T.tocsr(), across.T.tocsr()
    outdeg = np.bincount(g.src, minlength=n).astype(np.float64)
    work = A.T @ outdeg  # entries of row v of A^T A: sum of out-degrees of v's sources
    closed = np.zeros((n, 5))

    def masked_rowsum(p: sp.csr_matrix, mask: sp.csr_matrix) -> np.ndarray:
        return np.asarray(p.multiply(mask).sum(axis=1)).ravel()

    for lo, hi in _row_blocks(work):
        w, x = within[lo:hi], across[lo:hi]
        from_within = within_t[lo:hi] @ A  # a -> v inside v's group
        from_across = across_t[lo:hi] @ A  # a -> v from another group
        itinerant = masked_rowsum(across_t[lo:hi] @ within, x)
        closed[lo:hi, 0] = masked_rowsum(from_within, w)
        closed[lo:hi, 1] = itinerant
        closed[lo:hi, 2] = masked_rowsum(from_within, x)
        closed[lo:hi, 3] = masked_rowsum(from_across, w)
        closed[lo:hi, 4] = masked_rowsum(from_across, x) - itinerant
    return closed


def _choose2(x: np.ndarray | float) -> np.ndarray | float:
    return x * (x - 1) / 2  # R's choose(x, 2), also for x < 2


def _sna_null_model(n_nodes: int, m: int, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts and variances per group and role (+ total), as sna computes them.

    Transcribed from ``sna::brokerage`` (sna 2.7-1; Butts 2008), which follows Gould &
    Fernandez (1989): arcs independent with probability d = m / (N (N - 1)).
    """
    N = float(n_nodes)
    d = m / (N * (N - 1)) if n_nodes > 1 else math.nan
    p = d**2 * (1 - d)
    q = d**3 * (1 - d) ** 3
    k = len(sizes)
    n = sizes.astype(np.float64)
    exp = np.zeros((k, 6))
    var = np.zeros((k, 6))
    for i in range(k):
        ni = n[i]
        rest = np.delete(n, i)
        exp[i, 0] = p * (ni - 1) * (ni - 2)
        var[i, 0] = exp[i, 0] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q
        exp[i, 1] = p * np.sum(rest * (rest - 1))
        var[i, 1] = exp[i, 1] * (1 - p) + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * q
        exp[i, 2] = p * (N - ni) * (ni - 1)
        var[i, 2] = exp[i, 2] * (1 - p) + 2 * (
            (ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)) * q
        exp[i, 3], var[i, 3] = exp[i, 2], var[i, 2]
        exp[i, 4] = p * (np.sum(rest) ** 2 - np.sum(rest**2))
        var[i, 4] = exp[i, 4] * (1 - p) + 4 * np.sum(rest * _choose2(N - rest - ni) * q)
        exp[i, 5] = p * (N - 1) * (N - 2)
        var[i, 5] = exp[i, 5] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q
    return exp, var


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _group_ids[N: Hashable](nodes: Sequence[N], groups: Mapping[N, str]
                            ) -> tuple[np.ndarray, np.ndarray]:
    labels: dict[str, int] = {}
    gid = np.empty(len(nodes), dtype=np.int64)
    for i, node in enumerate(nodes):
        if node not in groups:
            raise ValueError(f"{node!r} has no group: brokerage roles need a group "
                             "(for example a school) for every person.")
        gid[i] = labels.setdefault(groups[node], len(labels))
    return gid, np.bincount(gid, minlength=len(labels))


def _brokerage_arrays[N: Hashable](nodes: Sequence[N], g: _Graph, groups: Mapping[N, str]
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gid, sizes = _group_ids(nodes, groups)
    raw = _brokerage_counts(g, gid) if g.n else np.zeros((0, 5))
    raw = np.rint(raw).astype(np.int64)
    exp, var = _sna_null_model(g.n, len(g.src), sizes)
    full = np.column_stack([raw, raw.sum(axis=1)]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (full - exp[gid]) / np.sqrt(var[gid])
    return raw, z, exp[gid]


def _scores(raw: np.ndarray, z: np.ndarray, exp: np.ndarray) -> BrokerageScores:
    return BrokerageScores(
        raw={role: int(raw[r]) for r, role in enumerate(ROLES)},
        total=int(raw.sum()),
        z={role: _finite(z[r]) for r, role in enumerate(ROLES)},
        z_total=_finite(z[5]),
        expected={role: float(exp[r]) for r, role in enumerate(ROLES)},
    )


def brokerage[N: Hashable](nodes: Sequence[N], arcs: Iterable[tuple[N, N]], groups: Mapping[N, str],
              *, directed: bool = True) -> dict[N, BrokerageScores]:
    """Gould-Fernandez brokerage of every node, as R ``sna::brokerage(g, cl)`` gives it.

    ``v`` brokers ``a -> v -> b`` when ``a -> v`` and ``v -> b`` are arcs, ``a != b``,
    and there is no arc ``a -> b``; the role follows the groups of ``a``, ``v`` and
    ``b`` (see :data:`ROLES`). Repeated arcs count once and loops are dropped (sna
    takes an adjacency matrix without loops). ``directed=False`` reads each pair as a
    tie both ways, as sna does with an undirected network. Reversing every arc swaps
    the gatekeeper and representative counts.

    >>> scores = brokerage(["a", "v", "b"], [("a", "v"), ("v", "b")],
    ...                    {"a": "x", "v": "x", "b": "y"})
    >>> scores["v"].raw["representative"], scores["v"].total
    (1, 1)
    """
    index = _index(nodes)
    g = _graph(index, arcs, directed=directed)
    raw, z, exp = _brokerage_arrays(nodes, g, groups)
    return {node: _scores(raw[i], z[i], exp[i]) for i, node in enumerate(nodes)}


# --- E-I index, reach, key players -----------------------------------------------------


def ei_index[N: Hashable](arcs: Iterable[tuple[N, N]], attribute: Mapping[N, str]) -> EIIndex:
    """Krackhardt & Stern's (1988) E-I index of the distinct arcs, overall and by group.

    Arcs with an end that has no value of the attribute are left out.

    >>> ei_index([("a", "b"), ("b", "c"), ("c", "a")],
    ...          {"a": "x", "b": "x", "c": "y"})  # doctest: +ELLIPSIS
    EIIndex(index=0.333..., internal=1, external=2, by_group={'x': 0.333..., 'y': 1.0})
    """
    internal = external = 0
    inside: dict[str, int] = {}
    outside: dict[str, int] = {}
    for a, b in {(a, b) for a, b in arcs if a != b}:
        if a not in attribute or b not in attribute:
            continue
        ga, gb = attribute[a], attribute[b]
        if ga == gb:
            internal += 1
            inside[ga] = inside.get(ga, 0) + 1
        else:
            external += 1
            outside[ga] = outside.get(ga, 0) + 1
            outside[gb] = outside.get(gb, 0) + 1
    by_group = {}
    for group in sorted(set(attribute.values())):
        e, i = outside.get(group, 0), inside.get(group, 0)
        by_group[group] = (e - i) / (e + i) if e + i else None
    index = (external - internal) / (external + internal) if external + internal else None
    return EIIndex(index, internal, external, by_group)


def _two_step(A: sp.csr_matrix) -> np.ndarray:
    """People within two steps of each row's person (herself excluded)."""
    n = A.shape[0]
    reach = np.zeros(n, dtype=np.int64)
    outdeg = np.diff(A.indptr).astype(np.float64)
    for lo, hi in _row_blocks(A @ outdeg + outdeg):
        block = A[lo:hi]
        r = (block + block @ A).tocsr()
        r.setdiag(0, k=lo)
        r.eliminate_zeros()
        reach[lo:hi] = np.diff(r.indptr)
    return reach


def _without(A: sp.csr_matrix, removed: Sequence[int]) -> sp.csr_matrix:
    keep = np.ones(A.shape[0], dtype=bool)
    keep[list(removed)] = False
    mask = sp.diags(keep.astype(np.float64))
    return (mask @ A @ mask).tocsr()


# Source rows x people held at once by the vectorised Brandes below (floats: 8 bytes each).
_BRANDES_BUDGET = 2_000_000
# Up to this many source rows x people, the greedy removal keeps every source's dependencies
# and recomputes only the sources that reached the person removed.
_KEEP_DEPENDENCIES = 4_000_000


def _dependencies(A: sp.csr_matrix, At: sp.csr_matrix, sources: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Brandes' (2001) dependencies ``delta_s(v)`` of each source (rows) on every person
    (columns), and whom each source reaches; all sources of the batch at once.

    The breadth-first search and the accumulation run level by level as sparse-matrix
    products over the batch (the "algebraic" form of Brandes' algorithm), which is the
    same arithmetic as networkx's ``_single_source_shortest_path_basic`` and
    ``_accumulate_basic`` per source, in numpy rather than Python loops.
    """
    # People are rows and sources columns, so each level is one sparse x dense product.
    b, n = len(sources), A.shape[0]
    cols = np.arange(b)
    dist = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    frontier = sigma.copy()
    depth = 0
    while True:
        paths = At @ frontier  # [v, i]: sum of sigma over u -> v in the frontier
        new = (dist < 0) & (paths > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        frontier = np.where(new, paths, 0.0)
        sigma += frontier
    delta = np.zeros((n, b))
    safe = np.where(sigma > 0, sigma, 1.0)
    for d in range(depth, 0, -1):
        coef = np.where(dist == d, (1.0 + delta) / safe, 0.0)
        pulled = A @ coef  # [v, i]: sum of coef over v -> w
        delta += np.where(dist == d - 1, sigma * pulled, 0.0)
    delta[sources, cols] = 0.0
    return delta.T, (dist >= 0).T


def _dependency_rows(A: sp.csr_matrix, sources: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """``_dependencies`` for many sources, in batches within the memory budget."""
    n = A.shape[0]
    At = A.T.tocsr()
    step = max(1, _BRANDES_BUDGET // max(n, 1))
    parts = [_dependencies(A, At, sources[lo:lo + step]) for lo in range(0, len(sources), step)]
    if not parts:
        return np.zeros((0, n)), np.zeros((0, n), dtype=bool)
    return np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])


def _dependency_sum(A: sp.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """The sum of ``_dependencies`` over many sources, one batch in memory at a time."""
    n = A.shape[0]
    At = A.T.tocsr()
    step = max(1, _BRANDES_BUDGET // max(n, 1))
    total = np.zeros(n)
    for lo in range(0, len(sources), step):
        total += _dependencies(A, At, sources[lo:lo + step])[0].sum(axis=0)
    return total


class _Betweenness:
    """Directed, unnormalised betweenness of the people still ``alive``, as networkx's
    ``betweenness_centrality(G, k=sample, normalized=False, seed=seed)`` gives it on the
    network without the removed people (the same sampled sources and rescaling).

    Exact betweenness keeps each source's dependencies (within a memory budget), so
    removing a person recomputes only the sources that reached her: the others' shortest
    paths never passed through her. A sample is drawn again from who is left, as
    networkx would draw it on the smaller network.
    """

    def __init__(self, g: _Graph, sample: int | None, seed: int) -> None:
        self.A = g.matrix()
        self.n = g.n
        self.alive = np.ones(g.n, dtype=bool)
        self.sample, self.seed = sample, seed
        self.rows: np.ndarray | None = None  # exact: each source's dependencies
        self.reached: np.ndarray | None = None

    def _sources(self) -> np.ndarray | None:
        """The sampled sources, or None when every person is a source."""
        people = np.flatnonzero(self.alive)
        if self.sample is None or self.sample >= len(people):
            return None
        chosen = random.Random(self.seed).sample(people.tolist(), self.sample)
        return np.asarray(chosen, dtype=np.int64)

    def scores(self) -> np.ndarray:
        """Each person's betweenness (0 for the removed)."""
        sources = self._sources()
        alive = int(self.alive.sum())
        if sources is None:
            total = self._exact()
        else:
            total = _dependency_sum(self.A, sources)
            if alive - 1 >= 2:  # networkx's _rescale without endpoints, N = n - 1
                N, k = alive - 1, len(sources)
                scale = np.full(self.n, N / k)
                scale[sources] = N / (k - 1) if k > 1 else math.nan
                total = total * scale
        total[~self.alive] = 0.0
        return total

    def _exact(self) -> np.ndarray:
        """Exact betweenness: from the kept dependencies when the network is small enough
        to keep them, else summed batch by batch over who is left."""
        if self.rows is None and self.n * self.n <= _KEEP_DEPENDENCIES:
            self.rows, self.reached = _dependency_rows(self.A, np.arange(self.n))
        if self.rows is not None:
            return self.rows[self.alive].sum(axis=0)
        return _dependency_sum(self.A, np.flatnonzero(self.alive))

    def remove(self, v: int) -> None:
        self.alive[v] = False
        self.A = _without(self.A, [v])
        if self.rows is None or self.reached is None:
            return
        self.rows[v] = 0.0
        again = np.flatnonzero(self.reached[:, v] & self.alive)
        if len(again):
            rows, reached = _dependency_rows(self.A, again)
            self.rows[again], self.reached[again] = rows, reached
        self.reached[:, v] = False


def _key_players[N: Hashable](nodes: Sequence[N], g: _Graph, k: int,
                              between: _Betweenness, first: np.ndarray | None = None
                              ) -> KeyPlayers:
    """Greedy: remove the top broker by betweenness, recompute, repeat ``k`` times.

    ``between`` is consumed (removed people leave it); ``first`` is its scores before
    any removal when they are already known.
    """
    removed: list[int] = []
    scores = first
    for _ in range(k):
        if scores is None:
            scores = between.scores()
        live = [(-float(scores[i]), i) for i in np.flatnonzero(between.alive).tolist()]
        if not live or min(live)[0] >= 0:
            break  # nobody left lies between anyone: removing more cuts nothing
        top = min(live)[1]  # highest betweenness; ties go to the earlier node
        removed.append(top)
        between.remove(top)
        scores = None
    A = g.matrix()
    keep = np.ones(g.n, dtype=bool)
    keep[removed] = False
    reach_full = _without_rows_reach(A, keep)
    reach_cut = int(_two_step(_without(A, removed))[keep].sum()) if removed else reach_full
    lost = 1 - reach_cut / reach_full if reach_full else 0.0
    return KeyPlayers(tuple(nodes[i] for i in removed), reach_full, reach_cut, lost)


def _without_rows_reach(A: sp.csr_matrix, keep: np.ndarray) -> int:
    """Ordered pairs of kept people within two steps in the whole network."""
    if keep.all():
        return int(_two_step(A).sum())
    total = 0
    outdeg = np.diff(A.indptr).astype(np.float64)
    cols = sp.diags(keep.astype(np.float64))
    for lo, hi in _row_blocks(A @ outdeg + outdeg):
        block = A[lo:hi]
        r = ((block + block @ A) @ cols).tocsr()
        r.setdiag(0, k=lo)
        r.eliminate_zeros()
        total += int(np.diff(r.indptr)[keep[lo:hi]].sum())
    return total


def key_player_removal[N: Hashable](nodes: Sequence[N], arcs: Iterable[tuple[N, N]], k: int, *,
                       betweenness_sample: int | None = None, seed: int = 0) -> KeyPlayers:
    """Remove the ``k`` top brokers greedily and measure the two-step reach lost.

    Each round removes the person with the highest betweenness in what is left
    (ties: the earlier in ``nodes``) and recomputes it; it stops early when nobody
    lies between anyone. The aim, a set of people whose absence most disconnects the
    others, is Borgatti's (2006) key-player problem; greedy removal by betweenness is
    a simple heuristic for it, not his optimisation.
    """
    if k < 0:
        raise ValueError("The number of key players cannot be negative.")
    g = _graph(_index(nodes), arcs)
    return _key_players(nodes, g, k, _Betweenness(g, betweenness_sample, seed))


# --- closeness and eigenvector ---------------------------------------------------------


def _closeness(A: sp.csr_matrix, sample: int | None, seed: int) -> tuple[np.ndarray, str]:
    n = A.shape[0]
    out = np.zeros(n)
    if n < 2:
        return out, "closeness (Wasserman & Faust scaling); one person has none"
    if sample is not None and sample < n:
        pivots = random.Random(seed).sample(range(n), sample)
        # d(u, p) for every u: distances from p against the arcs.
        dist = csgraph.shortest_path(A.T.tocsr(), unweighted=True, indices=pivots)
        not_self = np.ones_like(dist, dtype=bool)
        not_self[np.arange(sample), pivots] = False
        reached = np.isfinite(dist) & not_self
        r = reached.sum(axis=0)
        s = np.where(reached, dist, 0).sum(axis=0)
        share = r / not_self.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(s > 0, share * r / s, 0.0)
        return out, (f"closeness estimated from distances to {sample} sampled people "
                     "(Eppstein & Wang 2004), the sources of the betweenness sample, "
                     "with Wasserman & Faust scaling")
    step = max(1, _PRODUCT_BUDGET // n)
    for lo in range(0, n, step):
        rows = np.arange(lo, min(n, lo + step))
        dist = csgraph.shortest_path(A, unweighted=True, indices=rows)
        dist[np.arange(len(rows)), rows] = np.inf
        finite = np.isfinite(dist)
        r = finite.sum(axis=1)
        s = np.where(finite, dist, 0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[rows] = np.where(s > 0, (r / (n - 1)) * (r / s), 0.0)
    return out, "closeness to the people each person reaches, with Wasserman & Faust scaling"


def _pagerank(A: sp.csr_matrix, *, tol: float = 1e-6, max_iter: int = 100) -> np.ndarray:
    """PageRank over the reversed arcs: networkx's ``pagerank(G.reverse(), alpha=0.85)``.

    The same power iteration as networkx (uniform teleport, dangling people's rank
    spread uniformly, stop when the L1 change is below ``n * tol``), on scipy arrays.
    """
    n = A.shape[0]
    walk = A.T.tocsr()  # the reversed graph: from receiver back to giver
    out = np.asarray(walk.sum(axis=1)).ravel()
    step = sp.diags(np.divide(1.0, out, out=np.zeros(n), where=out > 0)) @ walk
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = PAGERANK_DAMPING * (x @ step + x[dangling].sum() / n) + (1 - PAGERANK_DAMPING) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return x / x.sum()


def _principal(A: sp.csr_matrix) -> np.ndarray:
    """The principal eigenvector of a strongly connected ``A``, scaled so its maximum is 1.

    ``x_v`` is proportional to the sum of ``x_b`` over ``v -> b``: igraph's
    ``eigen_centrality(reverse_edges(g), directed=TRUE, scale=TRUE)``.
    """
    n = A.shape[0]
    if n <= _DENSE_EIGEN:
        values, vectors = np.linalg.eig(A.toarray())
        x = np.abs(vectors[:, np.argmax(values.real)].real)
    else:
        _, vectors = splinalg.eigs(A, k=1, which="LR", maxiter=max(1000, 50 * n), tol=0)
        x = np.abs(vectors[:, 0].real)
    return x / x.max()


def _eigenvector(A: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, str]:
    """Scores, each person's group number (-1: PageRank) and a sentence saying which.

    Eigenvector centrality within each strongly connected group of at least
    ``_EIGEN_GROUP`` people, groups numbered by size (largest first, then by first
    person); PageRank over the whole network for everyone outside them.
    """
    n = A.shape[0]
    group = np.full(n, -1)
    if n < 2 or A.nnz == 0:
        return np.zeros(n), group, "no eigenvector centrality: the network has no ties"
    count, labels = csgraph.connected_components(A, directed=True, connection="strong")
    if count == 1:
        group[:] = 0
        return (_principal(A), group,
                "eigenvector centrality (the network is strongly connected: everyone "
                "reaches everyone)")
    sizes = np.bincount(labels, minlength=count)
    first = np.full(count, n)
    np.minimum.at(first, labels, np.arange(n))
    order = np.lexsort((first, -sizes))  # largest first, then by first person
    big = order[sizes[order] >= _EIGEN_GROUP].tolist()
    x = _pagerank(A)
    if not big:
        return (x, group,
                f"PageRank (damping {PAGERANK_DAMPING}) instead of eigenvector centrality: "
                f"the network falls into {count} strongly connected parts, none of "
                f"{_EIGEN_GROUP} or more people, and eigenvector centrality is only "
                "defined where everyone reaches everyone")
    by_label = np.argsort(labels, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)))
    for number, c in enumerate(big):
        members = by_label[starts[c]:starts[c + 1]]
        x[members] = _principal(A[members][:, members].tocsr())
        group[members] = number
    outside = int((group < 0).sum())
    within = (f"within each of the {len(big)} strongly connected groups"
              if len(big) > 1 else "within the one strongly connected group")
    return (x, group,
            f"Eigenvector centrality {within} of {_EIGEN_GROUP} or more people (everyone "
            "in a group reaches everyone else in it; scores compare only within a "
            f"group, its most central person scoring 1); PageRank (damping "
            f"{PAGERANK_DAMPING}, over the whole network) for the {outside} "
            f"{'person' if outside == 1 else 'people'} outside them.")


# --- everything at once ----------------------------------------------------------------


def measure[N: Hashable](nodes: Sequence[N], arcs: Sequence[Arc[N]], *,
            groups: Mapping[N, str] | None = None,
            attributes: Mapping[str, Mapping[N, str]] | None = None,
            key_players: int = 3, betweenness_sample: int | None = None,
            seed: int = 0) -> NetworkMeasures[N]:
    """Every measure of a network whose arcs may carry several relations.

    Measures read the union of ordered pairs; a pair's weight is the sum over its
    relations (strength), and ``multiplexity`` counts its distinct relations.
    ``groups`` (e.g. schools) gives brokerage roles and an E-I index under the key
    ``"group"``; ``attributes`` adds an E-I index per attribute. With
    ``betweenness_sample=k``, betweenness is networkx's estimate from ``k`` sources
    drawn with ``seed`` and closeness is estimated from distances to the same ``k``.
    """
    index = _index(nodes)
    weight: dict[tuple[int, int], float] = {}
    kinds: dict[tuple[int, int], set[str]] = {}
    for arc in arcs:
        if arc.source not in index or arc.target not in index:
            missing = arc.source if arc.source not in index else arc.target
            raise ValueError(f"A tie names {missing!r}, who is not among the nodes of "
                             "the network.")
        if arc.source == arc.target:
            continue
        pair = (index[arc.source], index[arc.target])
        weight[pair] = weight.get(pair, 0.0) + arc.weight
        kinds.setdefault(pair, set()).add(arc.relation)
    g = _graph(index, ((nodes[a], nodes[b]) for a, b in weight))
    n, m = g.n, len(g.src)
    w = np.array([weight[(a, b)] for a, b in zip(g.src.tolist(), g.dst.tolist(),
                                                 strict=True)], dtype=np.float64)
    A = g.matrix()
    betweenness = _Betweenness(g, betweenness_sample, seed)
    between = betweenness.scores()
    closeness, closeness_method = _closeness(A, betweenness_sample, seed)
    eigen, eigen_group, eigen_method = _eigenvector(A)
    reach = _two_step(A)
    broker = None
    if groups is not None:
        raw, z, exp = _brokerage_arrays(nodes, g, groups)
    indeg = np.bincount(g.dst, minlength=n)
    outdeg = np.bincount(g.src, minlength=n)
    in_strength = np.bincount(g.dst, weights=w, minlength=n)
    out_strength = np.bincount(g.src, weights=w, minlength=n)
    per_node = {}
    for i, node in enumerate(nodes):
        if groups is not None:
            broker = _scores(raw[i], z[i], exp[i])
        per_node[node] = NodeMeasures(
            int(indeg[i]), int(outdeg[i]), float(in_strength[i]), float(out_strength[i]),
            float(between[i]), float(closeness[i]), float(eigen[i]), int(reach[i]), broker,
            eigenvector_component=int(eigen_group[i]) if eigen_group[i] >= 0 else None,
            eigenvector_by="eigenvector" if eigen_group[i] >= 0 or not m else "pagerank")
    pairs = [(nodes[a], nodes[b]) for a, b in weight]
    ei = {name: ei_index(pairs, values) for name, values in (attributes or {}).items()}
    if groups is not None and "group" not in ei:
        ei["group"] = ei_index(pairs, groups)
    reverse = np.isin(g.dst * n + g.src, g.src * n + g.dst)
    return NetworkMeasures(
        nodes=per_node,
        density=m / (n * (n - 1)) if n > 1 else 0.0,
        reciprocity=float(reverse.sum() / m) if m else None,
        ei=ei,
        eigenvector_method=eigen_method,
        multiplexity={(nodes[a], nodes[b]): len(r) for (a, b), r in kinds.items()},
        key_players=_key_players(nodes, g, key_players, betweenness, between),
        betweenness_sample=betweenness_sample if betweenness_sample is not None
        and betweenness_sample < n else None,
        closeness_method=closeness_method,
    )
