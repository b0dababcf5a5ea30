"""Network measures on a small network drawn by hand, every value derived by hand
(and checked in R, recipe below), so a reader can follow each number.

Knowledge flows along the arcs. Groups: A = {a1, a2, a3}, B = {b1, b2}, C = {c1}.

    a1 -> a2, a2 -> a1 (a mutual tie), a2 -> a3, a3 -> a1, a1 -> b1, a2 -> b1,
    b2 -> a2, b1 -> c1

Open two-paths a -> v -> b (a != b, no arc a -> b), by broker v:
- a1: in {a2, a3}, out {a2, b1}. (a2, a2) is no path; (a2, b1) is closed by a2 -> b1;
  (a3, a2) open, A A A: coordinator; (a3, b1) open, A A B: representative.
- a2: in {a1, b2}, out {a1, a3, b1}. (a1, a1) no path; (a1, b1) closed by a1 -> b1;
  (a1, a3) A A A: coordinator; (b2, a3) and (b2, a1) B A A: gatekeeper (2);
  (b2, b1) B A B: itinerant.
- a3: in {a2}, out {a1}; (a2, a1) closed by a2 -> a1.
- b1: in {a1, a2}, out {c1}; (a1, c1) and (a2, c1) A B C: liaison (2).
- b2 and c1: no one on one side, no two-paths.

R recipe (R 4.x, sna 2.7-1, igraph 1.3.5) for the values pinned below:

    library(sna); library(igraph)
    v <- c("a1","a2","a3","b1","b2","c1"); cl <- c("A","A","A","B","B","C")
    el <- rbind(c("a1","a2"),c("a2","a3"),c("a2","b1"),c("b2","a2"),c("a3","a1"),
                c("b1","c1"),c("a1","b1"),c("a2","a1"))
    g <- matrix(0,6,6,dimnames=list(v,v)); g[el] <- 1
    b <- brokerage(g, cl); b$raw.nli; b$z.nli           # roles and z-scores
    sna::betweenness(g, gmode="digraph")                 # 3 5 0 4 0 0
    ig <- permute(graph_from_edgelist(el), match(V(graph_from_edgelist(el))$name, v))
    igraph::betweenness(ig, v=v, directed=TRUE)          # 3 5 0 4 0 0
    igraph::closeness(ig, vids=v, mode="out", normalized=TRUE)
    grecip(g, measure="edgewise"); reciprocity(ig)       # 0.25 0.25
    gden(g)                                              # 0.2666667
    ego_size(ig, order=2, nodes=v, mode="out", mindist=1)  # 4 4 3 1 4 0
    page_rank(reverse_edges(ig), damping=0.85)$vector
"""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

from uptake.analysis.networks import (
    ROLES,
    Arc,
    brokerage,
    ei_index,
    key_player_removal,
    measure,
    reverse_nominations,
)

NODES = ["a1", "a2", "a3", "b1", "b2", "c1"]
GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
PAIRS = [("a1", "a2"), ("a2", "a3"), ("a2", "b1"), ("b2", "a2"), ("a3", "a1"),
         ("b1", "c1"), ("a1", "b1"), ("a2", "a1")]
ARCS = [Arc(a, b) for a, b in PAIRS]

# (coordinator, itinerant, representative, gatekeeper, liaison), derived above.
HAND_ROLES = {
    "a1": (1, 0, 1, 0, 0),
    "a2": (1, 1, 0, 2, 0),
    "a3": (0, 0, 0, 0, 0),
    "b1": (0, 0, 0, 0, 2),
    "b2": (0, 0, 0, 0, 0),
    "c1": (0, 0, 0, 0, 0),
}
# b$z.nli from the recipe; None where sna prints NaN (standard deviation 0).
R_Z = {
    "a1": (2.848785140767, -0.331714313447, 1.046394913242, -0.476495484426),
    "a2": (2.848785140767, 2.848785140767, -0.476495484426, 2.569285310909),
    "b1": (None, -0.503408111200, -0.389056933861, -0.389056933861),
    "c1": (None, -0.598937488098, None, None),
}


def roles_of(scores):
    return tuple(scores.raw[role] for role in ROLES)


def test_it_counts_each_brokerage_role_as_derived_by_hand():
    scores = brokerage(NODES, PAIRS, GROUPS)
    assert {node: roles_of(s) for node, s in scores.items()} == HAND_ROLES
    assert [scores[n].total for n in NODES] == [2, 4, 0, 2, 0, 0]  # sna's t column


def test_it_gives_the_z_scores_of_sna():
    scores = brokerage(NODES, PAIRS, GROUPS)
    for node, expected in R_Z.items():
        got = [scores[node].z[role] for role in ROLES[:4]]
        for g, e in zip(got, expected, strict=True):
            if e is None:
                assert g is None
            else:
                assert g == pytest.approx(e, abs=1e-9)


def test_reversing_every_arc_swaps_gatekeepers_and_representatives():
    forward = brokerage(NODES, PAIRS, GROUPS)
    backward = brokerage(NODES, [(b, a) for a, b in PAIRS], GROUPS)
    for node in NODES:
        f, b = forward[node].raw, backward[node].raw
        assert (b["gatekeeper"], b["representative"]) == (f["representative"],
                                                          f["gatekeeper"])
        assert (b["coordinator"], b["itinerant"], b["liaison"]) == (
            f["coordinator"], f["itinerant"], f["liaison"])


def test_reverse_nominations_turns_who_asks_whom_into_the_flow_of_advice():
    # "a1 goes to a2 for advice": the advice flows from a2 to a1.
    assert reverse_nominations([("a1", "a2"), ("b2", "a2")]) == [("a2", "a1"), ("a2", "b2")]


def test_repeated_arcs_and_self_ties_change_nothing():
    noisy = [*PAIRS, ("a1", "a2"), ("c1", "c1")]
    assert brokerage(NODES, noisy, GROUPS) == brokerage(NODES, PAIRS, GROUPS)


def test_it_refuses_a_person_without_a_group_or_a_tie_to_a_stranger():
    with pytest.raises(ValueError, match="'c1' has no group"):
        brokerage(NODES, PAIRS, {k: v for k, v in GROUPS.items() if k != "c1"})
    with pytest.raises(ValueError, match=r"'zed'.*not among the nodes"):
        brokerage(NODES, [("a1", "zed")], GROUPS)
    with pytest.raises(ValueError, match="only once"):
        measure(["a1", "a1"], [])


def test_betweenness_is_the_unnormalised_directed_value_of_sna_and_igraph():
    # By hand: a2 lies on the only paths a1->a3, b2->a3, b2->b1, b2->a1, b2->c1 (5);
    # a1 on a3->a2, a3->b1, a3->c1 (3); b1 on every path into c1 but its own (4).
    nodes = measure(NODES, ARCS, key_players=0).nodes
    assert [nodes[n].betweenness for n in NODES] == [3, 5, 0, 4, 0, 0]


def test_closeness_scales_by_the_share_reached_as_wasserman_and_faust_do():
    # a1 reaches a2, b1 in one step and a3, c1 in two: r = 4 of n - 1 = 5, sum 6,
    # C = (4/5) * (4/6) = 0.5333; igraph (mode="out", normalized) gives 4/6 = 0.6667,
    # times 4/5. b2 reaches all 5 at distances 1, 2, 2, 2, 3: C = 1 * 5/10. c1 none: 0.
    nodes = measure(NODES, ARCS, key_players=0).nodes
    assert nodes["a1"].closeness == pytest.approx(0.6666667 * 4 / 5, abs=1e-7)
    assert nodes["b2"].closeness == pytest.approx(0.5)
    assert nodes["c1"].closeness == 0
    G = nx.DiGraph(PAIRS)
    wf = nx.closeness_centrality(G.reverse(), wf_improved=True)
    for n in NODES:
        assert nodes[n].closeness == pytest.approx(wf[n])


def test_degree_strength_and_multiplexity_read_the_union_of_relations():
    arcs = [*ARCS, Arc("a1", "a2", 3.0, "information"), Arc("a1", "a2", 2.0, "advice"),
            Arc("b2", "a2", 2.0, "")]
    result = measure(NODES, arcs, key_players=0)
    a1, a2 = result.nodes["a1"], result.nodes["a2"]
    assert (a1.out_degree, a1.in_degree) == (2, 2)  # the pair counts once
    assert a1.out_strength == 1 + 3 + 2 + 1  # a1->a2 three times, a1->b1 once
    assert a2.in_strength == 6 + 1 + 2  # from a1 (6), a3 (none), b2 (1 + 2)
    assert result.multiplexity[("a1", "a2")] == 3  # "", information, advice
    assert result.multiplexity[("b2", "a2")] == 1  # the same relation twice
    assert result.density == pytest.approx(8 / 30)


def test_reciprocity_is_the_share_of_arcs_returned():
    # One mutual pair (a1 <-> a2): 2 of 8 arcs are returned, sna's "edgewise" 0.25.
    assert measure(NODES, ARCS, key_players=0).reciprocity == 0.25
    assert measure(["x"], []).reciprocity is None


def test_two_step_reach_counts_people_within_two_steps():
    nodes = measure(NODES, ARCS, key_players=0).nodes
    assert [nodes[n].two_step_reach for n in NODES] == [4, 4, 3, 1, 4, 0]


def test_ei_index_overall_and_by_group():
    # Inside: a1->a2, a2->a1, a2->a3, a3->a1 (4); across: a2->b1, b2->a2, a1->b1,
    # b1->c1 (4). A: 3 across, 4 inside: -1/7. B: 4 across, none inside: +1. C: +1.
    ei = ei_index(PAIRS, GROUPS)
    assert (ei.internal, ei.external, ei.index) == (4, 4, 0.0)
    assert ei.by_group == {"A": pytest.approx(-1 / 7), "B": 1.0, "C": 1.0}
    assert ei_index([], GROUPS).index is None
    assert measure(NODES, ARCS, groups=GROUPS, key_players=0).ei["group"] == ei


def test_key_players_are_removed_greedily_by_betweenness():
    # a2 first (betweenness 5). Among the 5 who stay, two-step reach before: a1 {a3,
    # b1, c1}, a3 {a1, b1}, b1 {c1}, b2 {a1, a3, b1}: 9 pairs; without a2: a1 {b1,
    # c1}, a3 {a1, b1}, b1 {c1}: 5. Then a1 and b1 both lie on 2 paths; a1 comes first.
    one = key_player_removal(NODES, PAIRS, 1)
    assert (one.removed, one.reach_before, one.reach_after) == (("a2",), 9, 5)
    assert one.lost == pytest.approx(4 / 9)
    two = key_player_removal(NODES, PAIRS, 2)
    assert two.removed == ("a2", "a1")
    assert (two.reach_before, two.reach_after) == (4, 1)
    assert measure(NODES, ARCS, key_players=2).key_players == two


def test_key_player_removal_stops_when_nobody_is_between_anyone():
    result = key_player_removal(["x", "y"], [("x", "y")], 3)
    assert result.removed == ()
    assert result.lost == 0.0


def test_people_outside_strongly_connected_groups_get_pagerank_and_are_told_so():
    # In the hand network a1, a2, a3 reach one another; b1, b2, c1 do not (nobody
    # reaches b2). They get PageRank over reversed arcs on the whole network,
    # igraph's page_rank(reverse_edges(ig), damping=0.85): b1, b2, c1 below.
    result = measure(NODES, ARCS, key_players=0)
    assert "PageRank" in result.eigenvector_method
    assert "for the 3 people outside them" in result.eigenvector_method
    igraph = {"b1": 0.0938214580304, "b2": 0.1815127174451, "c1": 0.0507143016381}
    for n, expected in igraph.items():
        assert result.nodes[n].eigenvector == pytest.approx(expected, abs=1e-5)
        assert result.nodes[n].eigenvector_by == "pagerank"
        assert result.nodes[n].eigenvector_component is None
    assert {result.nodes[n].eigenvector_component for n in ("a1", "a2", "a3")} == {0}


def test_eigenvector_on_a_strongly_connected_network_matches_igraph():
    # igraph 1.3.5: g <- graph_from_edgelist(rbind(c("a","b"),c("b","c"),c("c","d"),
    #   c("d","a"),c("a","c"),c("c","a"))); eigen_centrality(reverse_edges(g),
    #   directed=TRUE, scale=TRUE)$vector  -> a, c 1; b, d 0.618033988750
    arcs = [Arc(a, b) for a, b in ["ab", "bc", "cd", "da", "ac", "ca"]]
    result = measure(list("abcd"), arcs, key_players=0)
    assert result.eigenvector_method.startswith("eigenvector centrality")
    got = [result.nodes[n].eigenvector for n in "abcd"]
    assert got == pytest.approx([1.0, 0.618033988750] * 2, abs=1e-9)
    assert {result.nodes[n].eigenvector_by for n in "abcd"} == {"eigenvector"}


def test_sampled_betweenness_is_networkx_estimate_with_the_same_seed():
    G = nx.gnp_random_graph(60, 0.08, seed=4, directed=True)
    nodes = list(G.nodes())
    result = measure(nodes, [Arc(a, b) for a, b in G.edges()], betweenness_sample=15,
                     seed=7, key_players=0)
    expected = nx.betweenness_centrality(G, k=15, normalized=False, seed=7)
    assert result.betweenness_sample == 15
    assert "15 sampled" in result.closeness_method
    for n in nodes:
        assert result.nodes[n].betweenness == pytest.approx(expected[n])


def test_an_empty_network_has_measures_of_nothing():
    result = measure(["x", "y"], [], groups={"x": "A", "y": "A"})
    assert result.density == 0.0
    assert result.nodes["x"].brokerage is not None
    assert result.nodes["x"].brokerage.total == 0
    assert result.key_players.removed == ()


def test_eigenvector_on_a_large_strongly_connected_network_matches_networkx():
    G = nx.gnp_random_graph(300, 0.03, seed=2, directed=True)
    assert nx.is_strongly_connected(G)
    result = measure(list(G.nodes()), [Arc(a, b) for a, b in G.edges()], key_players=0)
    expected = nx.eigenvector_centrality_numpy(G.reverse())
    top = max(expected.values())  # scaled as igraph's scale=TRUE: the maximum is 1
    for n in G.nodes():
        assert result.nodes[n].eigenvector == pytest.approx(expected[n] / top, abs=1e-9)


def test_the_network_measures_never_import_django():
    code = ("import sys\n"
            "from uptake.analysis.networks import Arc, measure\n"
            "measure(['a', 'b'], [Arc('a', 'b')], groups={'a': 'x', 'b': 'y'})\n"
            "assert not [m for m in sys.modules if m.startswith('django')]\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
