"""Eigenvector centrality per strongly connected group, PageRank for the rest (issue 16)."""

import pytest

from uptake.analysis.networks import Arc, measure

# Two strongly connected groups ({a, b, c, d} and {e, f, g}), a bridge h between
# them, a pair i <-> j (a group of two: too small) and k, who has no ties.
PAIRS = ["ab", "bc", "cd", "da", "ac", "ca", "ef", "fg", "ge", "eg",
         "bh", "he", "gi", "ij", "ji"]
NODES = list("abcdefghijk")

# R 4.x, igraph 1.3.5:
#   el <- rbind(c("a","b"),c("b","c"),c("c","d"),c("d","a"),c("a","c"),c("c","a"),
#               c("e","f"),c("f","g"),c("g","e"),c("e","g"),
#               c("b","h"),c("h","e"),c("g","i"),c("i","j"),c("j","i"))
#   g <- add_vertices(graph_from_edgelist(el), 1, name="k")
#   cl <- components(g, mode="strong")
#   for (m in split(V(g)$name, cl$membership)) if (length(m) >= 3)
#     eigen_centrality(reverse_edges(induced_subgraph(g, m)), directed=TRUE,
#                      scale=TRUE)$vector
#   page_rank(reverse_edges(g), damping=0.85)$vector
# igraph's directed eigen_centrality scores a person by the people pointing to her;
# our arcs point the way knowledge flows and a person is central when she gives to
# central people, so the recipe reverses the edges (without reverse_edges igraph
# gives g, not e, the top score in {e, f, g}).
EIGEN = {"a": 1.0, "b": 0.618033988750, "c": 1.0, "d": 0.618033988750,
         "e": 1.0, "f": 0.569840290998, "g": 0.754877666247}
PAGERANK = {"h": 0.048774801950, "i": 0.042802194094, "j": 0.032969257613,
            "k": 0.014778325123}


@pytest.fixture(scope="module")
def result():
    return measure(NODES, [Arc(a, b) for a, b in PAIRS], key_players=0)


def test_each_strongly_connected_group_gets_its_own_eigenvector_centrality(result):
    for n, expected in EIGEN.items():
        assert result.nodes[n].eigenvector == pytest.approx(expected, abs=1e-9)
        assert result.nodes[n].eigenvector_by == "eigenvector"
    # Groups are numbered by size, largest first.
    assert {n: result.nodes[n].eigenvector_component for n in EIGEN} == {
        "a": 0, "b": 0, "c": 0, "d": 0, "e": 1, "f": 1, "g": 1}


def test_people_outside_the_groups_get_the_whole_networks_pagerank(result):
    for n, expected in PAGERANK.items():
        assert result.nodes[n].eigenvector == pytest.approx(expected, abs=1e-5)
        assert result.nodes[n].eigenvector_by == "pagerank"
        assert result.nodes[n].eigenvector_component is None


def test_the_method_sentence_says_both_and_that_groups_do_not_compare(result):
    method = result.eigenvector_method
    assert method.startswith("Eigenvector centrality within each of the 2 strongly "
                             "connected groups of 3 or more people")
    assert "scores compare only within a group" in method
    assert "PageRank" in method
    assert "for the 4 people outside them" in method


def test_without_any_group_of_three_everyone_gets_pagerank():
    # a <-> b and c: igraph page_rank(reverse_edges(g), damping=0.85) on
    # graph_from_edgelist(rbind(c("a","b"),c("b","a"),c("b","c"))):
    # 0.463513513514 0.486486486486 0.050000000000
    result = measure(list("abc"), [Arc("a", "b"), Arc("b", "a"), Arc("b", "c")],
                     key_players=0)
    assert result.eigenvector_method.startswith("PageRank")
    assert {m.eigenvector_by for m in result.nodes.values()} == {"pagerank"}
    got = [result.nodes[n].eigenvector for n in "abc"]
    assert got == pytest.approx([0.463513513514, 0.486486486486, 0.05], abs=1e-5)
