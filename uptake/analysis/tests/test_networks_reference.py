"""Network measures on published networks, against R's sna and igraph.

1. Coleman's (1964) high-school friendship nominations, fall wave: ``sna::coleman[1,,]``
   (73 boys, 243 arcs). The data carry no groups, so the boys are split by position
   (0, 3, 6, ... in "x"; 1, 4, ... in "y"; 2, 5, ... in "z") only to exercise the
   roles; the arcs are used as they are (the measures do not depend on which way a
   nomination is read, except that reversing swaps gatekeepers and representatives).
2. Padgett's Florentine marriages (Breiger & Pattison 1986; networkx's
   ``florentine_families_graph``, 15 families, 20 ties), undirected: sna expands each
   tie to both arcs, and so does ``brokerage(..., directed=False)``. Groups: the
   families in alphabetical thirds, again only to exercise the roles.
"""

from __future__ import annotations

import networkx as nx
import pytest

from uptake.analysis.networks import ROLES, Arc, brokerage, measure

COLEMAN_FALL = """
0,13 0,14 0,20 0,53 0,54 1,20 1,21 2,8 2,14 3,4 3,17 3,18 3,42 4,18 4,42 5,12 5,19 5,21
6,16 7,13 7,16 8,11 8,19 8,20 8,21 8,50 10,18 10,49 10,51 10,52 11,19 11,20 11,21 12,16
12,19 12,20 12,21 13,20 13,21 14,19 15,17 15,40 15,42 16,6 16,7 17,10 17,15 17,18 18,3
18,10 18,15 18,17 18,26 19,5 19,11 19,20 19,21 19,37 20,21 20,50 20,53 20,54 21,19
21,20 21,37 21,50 22,39 22,42 22,49 22,51 22,52 22,59 22,61 22,64 22,67 23,50 25,31
25,34 25,35 25,39 25,40 25,41 26,17 26,36 26,39 27,37 27,38 28,12 28,37 29,34 29,47
30,9 30,36 30,39 31,25 31,32 31,42 31,61 32,35 32,40 32,41 32,42 33,38 33,45 34,29
34,47 35,31 35,32 35,41 35,42 36,30 36,39 37,20 37,21 37,50 37,54 38,27 38,28 38,33
38,45 38,58 39,34 39,36 40,15 40,41 40,42 40,67 41,35 41,40 41,42 41,67 42,40 42,41
42,67 43,46 44,48 44,53 44,54 44,56 44,69 45,33 45,38 45,53 45,58 46,43 46,47 46,51
46,52 47,29 47,49 47,51 47,52 48,53 48,54 48,69 48,70 49,46 49,51 49,52 49,67 50,20
50,21 50,69 51,46 51,47 51,49 51,52 51,67 52,49 52,51 53,44 53,48 53,54 53,62 53,68
53,70 54,44 54,48 54,53 55,63 55,69 55,70 56,44 56,48 56,54 56,65 56,69 56,70 57,60
57,64 58,38 58,53 58,54 59,57 59,60 59,61 59,64 60,57 60,64 61,59 61,64 62,65 62,66
62,68 62,69 62,70 63,65 63,66 63,68 63,70 64,59 64,61 64,67 65,63 65,66 65,68 65,69
65,70 66,62 66,63 66,65 66,68 66,70 67,30 67,60 67,61 67,64 68,62 68,63 68,65 68,66
68,70 69,62 69,65 69,66 69,68 69,70 70,62 70,63 70,65 70,66 70,68 70,69
"""
# The list above: R, library(sna); data(coleman); g <- coleman[1,,];
#   el <- which(g == 1, arr.ind=TRUE); el <- el[order(el[,1], el[,2]),]; el - 1
COLEMAN_PAIRS = [tuple(int(x) for x in pair.split(",")) for pair in COLEMAN_FALL.split()]
COLEMAN_NODES = list(range(73))
COLEMAN_GROUPS = {i: "xyz"[i % 3] for i in COLEMAN_NODES}


@pytest.fixture(scope="module")
def coleman():
    return measure(COLEMAN_NODES, [Arc(a, b) for a, b in COLEMAN_PAIRS],
                   groups=COLEMAN_GROUPS, key_players=0)


def test_the_coleman_data_are_complete():
    assert len(COLEMAN_PAIRS) == len(set(COLEMAN_PAIRS)) == 243


def test_coleman_brokerage_matches_sna(coleman):
    # cl <- c("x","y","z")[(0:72) %% 3 + 1]; b <- brokerage(g, cl)
    # colSums(b$raw.nli): w_I 49, w_O 97, b_IO 96, b_OI 88, b_O 102, t 432
    totals = [sum(m.brokerage.raw[r] for m in coleman.nodes.values()) for r in ROLES]
    assert totals == [49, 97, 96, 88, 102]
    # The three top brokers, 0-based rows 53, 20, 67 of b$raw.nli and b$z.nli:
    r_raw = {53: (5, 4, 3, 14, 4), 20: (4, 3, 3, 11, 3), 67: (4, 4, 8, 6, 2)}
    r_z = {
        53: (2.35004585613, 0.633654295478, 0.233408415651, 3.88854833230,
             0.575921601544, 2.31115373359),
        20: (1.75786198912, 0.249962533195, 0.233408415651, 2.89169199139,
             0.205223003460, 1.60287659853),
        67: (1.75786198912, 0.633654295478, 1.894835650490, 1.23026475655,
             -0.165475594625, 1.60287659853),
    }
    for node, raw in r_raw.items():
        scores = coleman.nodes[node].brokerage
        assert tuple(scores.raw[r] for r in ROLES) == raw
        assert scores.total == sum(raw)
        got = (*(scores.z[r] for r in ROLES), scores.z_total)
        assert got == pytest.approx(r_z[node], abs=1e-9)


def test_coleman_betweenness_matches_sna_and_igraph(coleman):
    # bt <- sna::betweenness(g, gmode="digraph"); sum(bt) 3141; top three, 0-based:
    # 67 250.457142857, 53 143.152505828, 20 142.915895216 (igraph::betweenness(
    # graph_from_adjacency_matrix(g), directed=TRUE) gives the same).
    b = {n: m.betweenness for n, m in coleman.nodes.items()}
    assert sum(b.values()) == pytest.approx(3141)
    assert [b[67], b[53], b[20]] == pytest.approx(
        [250.457142857, 143.152505828, 142.915895216], abs=1e-8)


def test_coleman_closeness_matches_igraph_with_wasserman_faust_scaling(coleman):
    # ig <- graph_from_adjacency_matrix(g); cc <- closeness(ig, mode="out",
    #   normalized=TRUE); r <- ego_size(ig, order=73, mode="out", mindist=1)
    # wf <- cc * r / 72   (igraph averages over the reached only; WF scales by r/(n-1))
    r_wf = {0: 0.1315235690236, 1: 0.1, 2: 0.1009557945042, 3: 0.1435185185185,
            22: 0.1616161616162, 30: 0.0565336463224}
    for node, expected in r_wf.items():
        assert coleman.nodes[node].closeness == pytest.approx(expected, abs=1e-12)


def test_coleman_whole_network_measures_match_sna(coleman):
    # grecip(g, measure="edgewise") 0.510288065844; gden(g) 0.0462328767123;
    # ego_size(ig, order=2, mode="out", mindist=1)[c(1,2,3,4,23,31)] 13 7 7 10 18 4;
    assert coleman.reciprocity == pytest.approx(0.510288065844, abs=1e-12)
    assert coleman.density == pytest.approx(0.0462328767123, abs=1e-12)
    reach = [coleman.nodes[n].two_step_reach for n in (0, 1, 2, 3, 22, 30)]
    assert reach == [13, 7, 7, 10, 18, 4]


def test_coleman_eigenvector_per_strongly_connected_group_matches_igraph(coleman):
    # ig <- graph_from_adjacency_matrix(g); V(ig)$name <- 0:72
    # cl <- components(ig, mode="strong"): sizes 17 14 12 7 5 5 and 13 people alone.
    # Per group of 3 or more: eigen_centrality(reverse_edges(induced_subgraph(ig, m)),
    #   directed=TRUE, scale=TRUE)$vector (reversed: igraph scores by in-arcs, ours by
    #   the people one gives to); outside: page_rank(reverse_edges(ig), damping=0.85).
    assert coleman.eigenvector_method.startswith(
        "Eigenvector centrality within each of the 6 strongly connected groups")
    assert "for the 13 people outside them" in coleman.eigenvector_method
    eigen = {51: (0, 1.0), 47: (0, 0.881065026834), 57: (0, 0.009522327183),
             25: (1, 1.0), 26: (1, 0.180060020549), 19: (2, 1.0), 6: (2, 0.016302343016),
             70: (3, 1.0), 63: (3, 0.707405321203), 38: (4, 1.0), 27: (4, 0.406420654633),
             44: (5, 1.0), 48: (5, 0.543281816719)}
    for node, (group, expected) in eigen.items():
        m = coleman.nodes[node]
        assert (m.eigenvector_by, m.eigenvector_component) == ("eigenvector", group)
        assert m.eigenvector == pytest.approx(expected, abs=1e-9)
    page = {0: 0.010215598391, 1: 0.004039988540, 22: 0.015222735006,
            55: 0.005425819826, 72: 0.002756418921}
    for node, expected in page.items():
        m = coleman.nodes[node]
        assert (m.eigenvector_by, m.eigenvector_component) == ("pagerank", None)
        assert m.eigenvector == pytest.approx(expected, abs=1e-5)


def test_coleman_agrees_with_networkx_where_networkx_has_the_measure(coleman):
    G = nx.DiGraph()
    G.add_nodes_from(COLEMAN_NODES)
    G.add_edges_from(COLEMAN_PAIRS)
    between = nx.betweenness_centrality(G, normalized=False)
    close = nx.closeness_centrality(G.reverse(), wf_improved=True)
    page = nx.pagerank(G.reverse(), alpha=0.85)
    for n in COLEMAN_NODES:
        m = coleman.nodes[n]
        assert m.betweenness == pytest.approx(between[n])
        assert m.closeness == pytest.approx(close[n])
        if m.eigenvector_by == "pagerank":
            assert m.eigenvector == pytest.approx(page[n])
        assert (m.in_degree, m.out_degree) == (G.in_degree(n), G.out_degree(n))
    assert coleman.reciprocity == pytest.approx(nx.overall_reciprocity(G))
    assert coleman.density == pytest.approx(nx.density(G))


FLORENTINE = nx.florentine_families_graph()
FLORENTINE_NODES = sorted(FLORENTINE.nodes())
FLORENTINE_GROUPS = {f: "ABC"[i // 5] for i, f in enumerate(FLORENTINE_NODES)}


def test_undirected_ties_count_both_ways_as_in_sna():
    # library(sna); library(network); v <- the 15 families in alphabetical order;
    # net <- network.initialize(15, directed=FALSE); add.edges(net, ...the 20 ties);
    # b <- brokerage(net, rep(c("A","B","C"), each=5))
    r_raw = {"Guadagni": (0, 2, 3, 3, 4), "Medici": (0, 10, 0, 0, 18),
             "Ridolfi": (2, 0, 1, 1, 0), "Strozzi": (2, 2, 2, 2, 0)}
    r_z = {"Guadagni": (-0.489663973881, 0.580567693396, 1.071770334278,
                        1.071770334278, 1.488625861050, 1.445205908616),
           "Medici": (-0.489663973881, 6.209081075803, -0.689869327157,
                      -0.689869327157, 9.721278027431, 4.920003577127)}
    ties = list(FLORENTINE.edges())
    scores = brokerage(FLORENTINE_NODES, ties, FLORENTINE_GROUPS, directed=False)
    both_ways = brokerage(FLORENTINE_NODES, [*ties, *((b, a) for a, b in ties)],
                          FLORENTINE_GROUPS)
    assert scores == both_ways
    for family, raw in r_raw.items():
        assert tuple(scores[family].raw[r] for r in ROLES) == raw
    for family, z in r_z.items():
        s = scores[family]
        assert (*(s.z[r] for r in ROLES), s.z_total) == pytest.approx(z, abs=1e-9)


def test_florentine_betweenness_counts_each_direction():
    # sna::betweenness(net, gmode="graph") gives the Medici 47.5 and the Guadagni
    # 23.1666667 over unordered pairs; read as arcs both ways, every pair counts twice.
    ties = list(FLORENTINE.edges())
    arcs = [Arc(a, b) for a, b in ties] + [Arc(b, a) for a, b in ties]
    nodes = measure(FLORENTINE_NODES, arcs, key_players=0).nodes
    assert nodes["Medici"].betweenness == pytest.approx(2 * 47.5)
    assert nodes["Guadagni"].betweenness == pytest.approx(2 * 23.1666666667)
