"""What the map computes and draws: informal brokers, a stable drawing, large networks, a
leader's aggregate and its suppression, the survey's response rate."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from django.core.cache import cache

from uptake.networks import drawing, figures
from uptake.networks.queries import Network, Node, TieRow

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 1)


def node(key: str, *, school: str = "Cedar", school_id: int = 1, formal: bool = False,
         external: bool = False, unobserved: bool = False, roles: frozenset[str] = frozenset(
             {"teacher"})) -> Node:
    return Node(key, f"Person {key}", external, None if external else school_id,
                "" if external else school, frozenset() if external else roles, formal,
                unobserved)


def net(nodes: list[Node], pairs: list[tuple[str, str]], *, weight: int = 1,
        invited: int = 0, responded: int = 0) -> Network:
    return Network({n.key: n for n in nodes},
                   [TieRow(a, b, "advice", weight, "survey", DAY) for a, b in pairs],
                   invited, responded)


def hubs() -> Network:
    """A coach C passes on from a1..a3 to b1..b3 (betweenness 9); a teacher T from x1, x2
    to y1, y2 (betweenness 4); everyone else stands between nobody. Twelve nodes: the top
    decile is the top two places."""
    nodes = [node("C", formal=True, roles=frozenset({"coach"})), node("T")]
    pairs = []
    for i in (1, 2, 3):
        nodes += [node(f"a{i}"), node(f"b{i}")]
        pairs += [(f"a{i}", "C"), ("C", f"b{i}")]
    for i in (1, 2):
        nodes += [node(f"x{i}"), node(f"y{i}")]
        pairs += [(f"x{i}", "T"), ("T", f"y{i}")]
    return net(nodes, pairs)


def test_informal_brokers_are_the_top_decile_without_a_formal_role() -> None:
    f = figures.measured(hubs(), figures.Filters())
    assert [r.key for r in f.informal] == ["T"]
    assert [r.key for r in f.top][:2] == ["C", "T"]  # the coach is a broker, not informal
    by_key = {r.key: r for r in f.rows}
    assert by_key["C"].betweenness > by_key["T"].betweenness > 0


def test_someone_outside_the_district_is_never_an_informal_broker() -> None:
    network = hubs()
    nodes = dict(network.nodes)
    nodes["T"] = node("T", external=True)
    f = figures.measured(Network(nodes, network.ties, 0, 0), figures.Filters())
    assert f.informal == []


def test_key_player_removal_is_said_in_words() -> None:
    f = figures.measured(hubs(), figures.Filters())
    sentence = figures.key_player_sentence(f)
    # Removing the two hubs leaves nobody within two steps of anyone: all reach is lost.
    assert sentence.startswith("Without the top 2 brokers (Person C, Person T), two-step "
                               "reach falls by 100 %")


def test_the_drawing_is_the_same_for_the_same_network_in_any_order() -> None:
    network = hubs()
    first = drawing.draw(figures.measured(network, figures.Filters()))
    cache.clear()
    shuffled = Network(dict(reversed(list(network.nodes.items()))),
                       list(reversed(network.ties)), 0, 0)
    again = drawing.draw(figures.measured(shuffled, figures.Filters()))
    assert first == again
    assert 'role="img"' in first and "<title id=" in first and "<desc id=" in first
    assert first.count("<line ") == len(network.ties)
    assert 'marker-end="url(#' in first


def test_the_drawing_marks_outside_contacts_formal_roles_brokers_and_unobserved() -> None:
    network = net([node("a"), node("b", unobserved=True),
                   node("c", formal=True, roles=frozenset({"coach"})), node("e", external=True)],
                  [("e", "a"), ("a", "c"), ("c", "b")], invited=4, responded=3)
    svg = drawing.draw(figures.measured(network, figures.Filters()))
    assert "Person e (outside the district)" in svg and 'fill="#999999"' in svg
    assert "Person c (Cedar, formal role, broker)" in svg and 'stroke-width="3.0"' in svg
    assert "Person b (Cedar, unobserved)" in svg
    assert "White, dashed: did not answer" in svg


CAVEAT = ("1 of 4 people invited did not answer; their own answers are missing, so density "
          "and reciprocity here are lower bounds.")


def test_density_beside_non_respondents_is_said_to_be_a_lower_bound() -> None:
    people = [node("a"), node("b", unobserved=True), node("c")]
    pairs = [("a", "c"), ("c", "b")]
    missing = figures.measured(net(people, pairs, invited=4, responded=3), figures.Filters())
    assert CAVEAT in missing.summary()
    assert CAVEAT in drawing.draw(missing)  # the map's text alternative
    everyone = figures.measured(net([node("a"), node("b"), node("c")], pairs, invited=3,
                                    responded=3), figures.Filters())
    assert "lower bound" not in everyone.summary()


def test_a_schools_aggregate_with_non_respondents_says_it_is_a_lower_bound(
        settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 4
    base = cedar_scene()
    nodes = [node("c", formal=True, roles=frozenset({"coach"}), unobserved=True)
             if k == "c" else n for k, n in base.nodes.items()]
    got = figures.aggregate(Network({n.key: n for n in nodes}, base.ties, 4, 3), 1, "Cedar")
    assert got.caveat == CAVEAT
    assert got.density == pytest.approx(0.1666667, abs=1e-6)  # the number is kept
    assert figures.aggregate(base, 1, "Cedar").caveat == ""


def test_the_widest_arrow_is_the_most_frequent_tie() -> None:
    network = Network({k: node(k) for k in "abc"},
                      [TieRow("a", "b", "advice", 10, "survey", DAY),
                       TieRow("b", "c", "advice", 1, "survey", DAY)], 0, 0)
    svg = drawing.draw(figures.measured(network, figures.Filters()))
    assert 'stroke-width="3.60"' in svg and 'stroke-width="0.90"' in svg


def test_a_large_network_draws_its_largest_part_or_nothing() -> None:
    big = [f"n{i:03d}" for i in range(300)]
    small = [f"m{i:03d}" for i in range(150)]
    chain = list(pairwise(big)) + list(pairwise(small))
    drawn, too_large = figures.drawable(big + small, chain)
    assert drawn == frozenset(big) and not too_large
    one = big + small
    drawn, too_large = figures.drawable(one, list(pairwise(one)))
    assert drawn == frozenset() and too_large


def test_the_survey_response_rate_is_said_in_words() -> None:
    assert figures.response_rate(30, 23, 7) == (
        "23 of the 30 people asked answered the network survey (77 %). The 7 who did not "
        "answer are marked unobserved: the ties they would have named are missing, so what "
        "reaches them is undercounted.")
    assert figures.response_rate(0, 0, 0) == ""


def cedar_scene() -> Network:
    """Cedar: four people (teacher t, colleague a, coach c, leader l); a → t and c → a
    inside, t → o (another school) and x → t (outside the district) leaving it."""
    people = [node("t"), node("a"), node("c", formal=True, roles=frozenset({"coach"})),
              node("l", formal=True, roles=frozenset({"school_leader"})),
              node("o", school="Birch", school_id=2), node("x", external=True)]
    return net(people, [("a", "t"), ("c", "a"), ("t", "o"), ("x", "t")])


def test_a_schools_aggregate_counts_its_ties(settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 4
    got = figures.aggregate(cedar_scene(), 1, "Cedar")
    assert not got.withheld and (got.people, got.ties, got.ties_inside) == (4, 4, 2)
    # R 4.3, sna 2.7-1, the ties inside Cedar (t=1, a=2, c=3, l=4):
    #   m <- matrix(0, 4, 4); m[2, 1] <- 1; m[3, 2] <- 1
    #   gden(m)                       # 0.1666667
    #   grecip(m, measure = "edgewise")  # 0
    assert got.density == pytest.approx(0.1666667, abs=1e-6)
    assert got.reciprocity == 0
    # E-I (Krackhardt and Stern 1988): (2 leaving - 2 inside) / 4 = 0; half go outside.
    assert got.ei_index == 0 and got.outside_share == 0.5
    # By role every group is under four people: none is published.
    assert got.ei_by_role == {}
    assert got.roles_withheld == ("Coach", "School leader", "Teacher")
    settings.MIN_GROUP_SIZE = 1
    got = figures.aggregate(cedar_scene(), 1, "Cedar")
    # By role, ties inside: a → t is Teacher-Teacher, c → a Coach-Teacher:
    # Teacher (1 - 1) / 2 = 0; Coach (1 - 0) / 1 = 1; a leader without ties: none.
    assert got.ei_by_role == {"Coach": 1.0, "School leader": None, "Teacher": 0.0}


def test_a_role_with_fewer_than_the_minimum_people_is_withheld(settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 2
    got = figures.aggregate(cedar_scene(), 1, "Cedar")
    # One coach, one leader: their values would be one person's each.
    assert got.ei_by_role == {"Teacher": 0.0}
    assert got.roles_withheld == ("Coach", "School leader")


def test_one_withheld_role_takes_the_smallest_shown_role_with_it(settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 2
    base = cedar_scene()
    second = node("l2", formal=True, roles=frozenset({"school_leader"}))
    scene = net([*base.nodes.values(), second],
                [(t.source, t.target) for t in base.ties] + [("l", "t")])
    got = figures.aggregate(scene, 1, "Cedar")
    # Only the coach is under two people; with the leaders' and teachers' values and the
    # ties inside (density) shown, the coach's could be worked back: the leaders (two,
    # before Teacher by name) are withheld with her.
    assert "Coach" not in got.ei_by_role and "School leader" not in got.ei_by_role
    assert got.roles_withheld == ("Coach", "School leader")
    assert list(got.ei_by_role) == ["Teacher"]


def test_a_schools_aggregate_is_withheld_below_the_minimum_group_size(settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 5
    got = figures.aggregate(cedar_scene(), 1, "Cedar")
    assert got.withheld and got.people == 4
    assert (got.ties, got.density, got.reciprocity, got.ei_index, got.ei_by_role) == (
        None, None, None, None, {})


def test_the_ego_network_is_split_by_direction() -> None:
    mine = figures.ego_of(cedar_scene(), "t")
    assert [e.other for e in mine.learns_from] == ["Person a", "Person x"]
    assert [e.other for e in mine.learned_from_by] == ["Person o"]
    assert [e.external for e in mine.learns_from] == [False, True]
