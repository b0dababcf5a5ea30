"""Staudt Willet and Carpenter's measures on a small community whose every figure is
worked out by hand below (never copied from what the code printed)."""

from __future__ import annotations

import io
import json
import math
from datetime import UTC, date, datetime

import pytest

from uptake.analysis.community import (
    CommunityResult,
    Contribution,
    community_measures,
    read_contributions,
)

# March 2021, UTC. (id, author, day, hour, title, body, parent_id, link_id)
THREADS = [
    # P1: ann asks; bob, cat answer; ann answers bob; bob answers ann (C4 carries no
    # link_id: its thread is found by walking C2 -> C1 -> P1); bob answers cat.
    ("P1", "ann", 1, 9, "Grading essays?", "How do you grade essays?", "", ""),
    ("C1", "bob", 1, 10, "", "Rubrics.", "t3_P1", "t3_P1"),
    ("C2", "ann", 1, 11, "", "Which rubric?", "t1_C1", "t3_P1"),
    ("C3", "cat", 1, 12, "", "Single-point ones.", "t3_P1", "t3_P1"),
    ("C4", "bob", 2, 9, "", "The state's.", "t1_C2", ""),
    ("C14", "bob", 4, 13, "", "Agreed, cat.", "t1_C3", "t3_P1"),
    # P2: bob answers his own post (a self-response); ann answers that; a deleted
    # account's reply is dropped; dan answers the deleted reply (counts in the thread,
    # but whom he answered is unknown: no arc).
    ("P2", "bob", 2, 10, "Field trips", "Worth it?", "", ""),
    ("C5", "bob", 2, 12, "", "Edit: for grade 3.", "t3_P2", "t3_P2"),
    ("C6", "ann", 3, 10, "", "Yes.", "t1_C5", "t3_P2"),
    ("C7", "[deleted]", 3, 11, "", "[deleted]", "t3_P2", "t3_P2"),
    ("C8", "dan", 3, 12, "", "Why?", "t1_C7", "t3_P2"),
    # P3: nobody answers.
    ("P3", "cat", 3, 9, "Seating charts", "Alphabetical?", "", ""),
    # P4 was removed by a moderator: dropped; eve's reply to it is orphaned.
    ("P4", "dan", 3, 10, "Spam", "[removed]", "", ""),
    ("C9", "eve", 3, 11, "", "Off topic.", "t3_P4", "t3_P4"),
    # eve answers a post that is not in the export: orphaned.
    ("C10", "eve", 4, 8, "", "Old thread.", "t3_P99", "t3_P99"),
    # P5: cat answers, then answers herself (a self-response to her own comment); ann
    # answers cat.
    ("P5", "eve", 4, 9, "Thanks", "thanks u/ann and @zed", "", ""),
    ("C11", "cat", 4, 10, "", "Welcome.", "t3_P5", "t3_P5"),
    ("C12", "cat", 4, 11, "", "Also: see the wiki.", "t1_C11", "t3_P5"),
    ("C13", "ann", 4, 12, "", "Good point cat", "t1_C11", "t3_P5"),
]
NAMES = ("ann", "bob", "cat", "dan", "eve", "zed")


def _epoch(day: int, hour: int) -> int:
    return int(datetime(2021, 3, day, hour, tzinfo=UTC).timestamp())


def _csv() -> bytes:
    lines = ["id,author,created_utc,score,title,body,parent_id,link_id"]
    for ident, author, day, hour, title, body, parent, link in THREADS:
        lines.append(f"{ident},{author},{_epoch(day, hour)},1,{title},\"{body}\",{parent},{link}")
    return ("\r\n".join(lines) + "\r\n").encode()


def _json_lines() -> bytes:
    return "\n".join(json.dumps({
        "id": ident, "author": author, "created_utc": _epoch(day, hour), "score": 1,
        "title": title, ("selftext" if not parent else "body"): body, "parent_id": parent,
        "link_id": link}) for ident, author, day, hour, title, body, parent, link in THREADS
    ).encode()


@pytest.fixture(scope="module", params=["csv", "jsonl"])
def result(request: pytest.FixtureRequest) -> CommunityResult:
    data = _csv() if request.param == "csv" else _json_lines()
    return community_measures(read_contributions(io.BytesIO(data), file_name="t"),
                              salt="pepper")


def test_it_drops_deleted_and_removed_content_and_leaves_out_orphaned_replies(
        result: CommunityResult) -> None:
    # Dropped: C7 (author [deleted]) and P4 (text [removed]) = 2.
    # Orphaned: C9 (its post P4 was dropped) and C10 (post P99 not in the export) = 2.
    # Measured: posts P1, P2, P3, P5 = 4; comments C1-C6, C8, C11-C14 without C7 = 11.
    assert (result.dropped, result.orphaned) == (2, 2)
    assert (result.contributions, result.posts, result.comments) == (15, 4, 11)
    assert result.contributors == 5  # ann, bob, cat, dan, eve (eve for P5)


def test_it_counts_volume_and_its_trend(result: CommunityResult) -> None:
    [half] = result.periods
    assert (half.label, half.start, half.end) == ("January\u2013June 2021", date(2021, 1, 1),
                                                  date(2021, 6, 30))
    # Observed days: 1-4 March (the export's span inside the half-year) = 4.
    # Daily counts: 1 Mar P1 C1 C2 C3 = 4; 2 Mar C4 P2 C5 = 3; 3 Mar C6 C8 P3 = 3;
    # 4 Mar P5 C11 C12 C13 C14 = 5. Per day 15 / 4 = 3.75.
    assert (half.days_observed, half.contributions, half.posts, half.comments) == (4, 15, 4, 11)
    assert half.per_day == pytest.approx(3.75)
    # OLS of y = 4, 3, 3, 5 on x = 0..3: x-bar 1.5, Sxx 5, Sxy = -1.5*4 - 0.5*3 + 0.5*3
    # + 1.5*5 = 1.5, slope 0.3. Fitted 3.3, 3.6, 3.9, 4.2; SSE = .49+.36+.81+.64 = 2.3;
    # s^2 = 2.3/2; t^2 = 0.09 / (1.15/5) = 9/23. With 2 df, P(|T| > t) = 1 - t/sqrt(2+t^2)
    # = 1 - 3/sqrt(55) = 0.59548.
    assert half.trend.slope == pytest.approx(0.3)
    assert half.trend.p_value == pytest.approx(1 - 3 / math.sqrt(55), abs=1e-9)
    assert half.trend.direction == "no clear trend"


def test_it_counts_who_contributes_and_how_much(result: CommunityResult) -> None:
    [half] = result.periods
    # Contributions: ann P1 C2 C6 C13 = 4; bob C1 C4 C14 P2 C5 = 5; cat C3 P3 C11 C12 = 4;
    # dan C8 = 1; eve P5 = 1 (her comments C9 and C10 are orphaned).
    assert (half.contributors, half.posters, half.responders) == (5, 4, 4)
    assert half.per_contributor_mean == pytest.approx(15 / 5)
    assert half.per_contributor_median == 4  # 1 1 4 4 5
    # Top 10 %: ceil(5 / 10) = 1 contributor, bob's 5 of 15.
    assert half.top_decile_share == pytest.approx(5 / 15)


def test_it_measures_threads_by_their_post(result: CommunityResult) -> None:
    [half] = result.periods
    # P1 answered (bob, cat), P2 answered (ann, dan; bob's C5 is his own), P3 not, P5
    # answered (cat, ann): 3 of 4.
    assert (half.response_rate, half.posts_with_response) == (0.75, 3)
    # Comments per thread: P1 C1 C2 C3 C4 C14 = 5, P2 C5 C6 C8 = 3, P3 0, P5 C11-C13 = 3.
    assert half.thread_length_mean == pytest.approx(11 / 4)
    assert half.thread_length_median == 3  # 0 3 3 5
    # First reply by someone else: P1 9:00 -> C1 10:00 = 1 h; P2 2 Mar 10:00 -> C6
    # 3 Mar 10:00 = 24 h; P5 9:00 -> C11 10:00 = 1 h. Median 1 h.
    assert half.first_response_median_hours == pytest.approx(1.0)
    # C5 (bob to his own post) and C12 (cat to her own comment).
    assert half.self_responses == 2


def test_it_builds_the_reply_network(result: CommunityResult) -> None:
    network = result.periods[0].network
    # Replies with a known, different parent author: C1 bob>ann, C2 ann>bob, C3 cat>ann,
    # C4 bob>ann, C6 ann>bob, C11 cat>eve, C13 ann>cat, C14 bob>cat = 8 (C5, C12 are
    # self-replies; C8 answered a dropped comment).
    assert network.replies == 8
    # Distinct arcs: bob>ann, ann>bob, cat>ann, cat>eve, ann>cat, bob>cat = 6; nodes ann,
    # bob, cat, eve = 4 (dan has no arc). Mean degree 2 * 8 / 4.
    assert (network.arcs, network.nodes) == (6, 4)
    assert network.mean_degree == pytest.approx(4.0)
    # Reciprocated arcs: ann<>bob (2) and ann<>cat (2) of 6. (R igraph 1.3.5:
    # reciprocity(graph_from_literal(bob-+ann, ann-+bob, cat-+ann, cat-+eve, ann-+cat,
    # bob-+cat)) = 0.6666667.)
    assert network.reciprocity == pytest.approx(4 / 6)
    # Undirected: ann-bob, ann-cat, bob-cat, cat-eve. One triangle (ann, bob, cat);
    # connected triples centred on ann 1, bob 1, cat C(3,2) = 3, eve 0: 5. 3 * 1 / 5.
    # (R igraph 1.3.5: transitivity(graph_from_literal(ann-bob, ann-cat, bob-cat,
    # cat-eve)) = 0.6.)
    assert network.transitivity == pytest.approx(0.6)


def test_its_sample_keeps_every_contribution_not_dropped_without_names(
        result: CommunityResult) -> None:
    # 15 measured + 2 orphaned = 17 (under the default 100: all of them), by time.
    assert [item.position for item in result.sample] == list(range(1, 18))
    assert [item.created for item in result.sample] == sorted(i.created for i in result.sample)
    ann = next(i.pseudonym for i in result.sample if i.text.startswith("Grading essays?"))
    eve_post = next(i for i in result.sample if i.text.startswith("Thanks"))
    assert eve_post.text == f"Thanks\n\nthanks {ann} and a contributor"
    text = json.dumps(result.as_json()).lower()
    assert not [name for name in NAMES if name in text]


def test_it_splits_periods_by_date_and_lists_empty_ones() -> None:
    post = Contribution(id="a", author="ann", created=datetime(2020, 12, 31, 23, 30, tzinfo=UTC),
                        score=None, title="", body="Q", parent="", is_post=True)
    late = Contribution(id="b", author="bob", created=datetime(2021, 7, 1, 1, tzinfo=UTC),
                        score=None, title="", body="A", parent="a", is_post=False)
    july, empty, later = community_measures([post, late], salt="s").periods
    assert [p.label for p in (july, empty, later)] == [
        "July\u2013December 2020", "January\u2013June 2021", "July\u2013December 2021"]
    # The reply counts on its own date (July 2021), the thread with its post (2020):
    # 31 Dec 23:30 -> 1 Jul 01:00 is 0.5 h + 181 days (Jan-Jun 2021) + 1 h = 4345.5 h.
    assert (july.contributions, later.contributions, later.responders) == (1, 1, 1)
    assert (july.response_rate, july.thread_length_mean) == (1.0, 1.0)
    assert july.first_response_median_hours == pytest.approx(4345.5)
    assert later.response_rate is None
    # The empty half-year: 181 days, none with a contribution: flat, nothing to average.
    assert (empty.days_observed, empty.contributions, empty.per_day) == (181, 0, 0.0)
    assert (empty.trend.slope, empty.trend.direction) == (0.0, "no clear trend")
    assert (empty.per_contributor_mean, empty.network.nodes) == (None, 0)


def test_it_reads_a_steady_rise_as_rising() -> None:
    # 1, 2, 3, 4, 5 contributions on five days: slope exactly 1, no residual.
    posts = [Contribution(id=f"{d}-{k}", author=f"a{k}", score=None, title="", body="x",
                          created=datetime(2021, 9, d, 12, tzinfo=UTC), parent="",
                          is_post=True) for d in range(1, 6) for k in range(d)]
    trend = community_measures(posts, salt="s").periods[0].trend
    assert (trend.slope, trend.p_value, trend.direction) == (pytest.approx(1.0), 0.0, "rising")


def test_it_labels_quarters_and_refuses_periods_that_do_not_divide_the_year() -> None:
    post = Contribution(id="a", author="ann", created=datetime(2021, 5, 5, tzinfo=UTC),
                        score=None, title="", body="Q", parent="", is_post=True)
    [quarter] = community_measures([post], salt="s", period_months=3).periods
    assert (quarter.label, quarter.end) == ("April\u2013June 2021", date(2021, 6, 30))
    with pytest.raises(ValueError, match="divide the year"):
        community_measures([post], salt="s", period_months=5)


def test_contributions_built_by_hand_with_naive_or_other_zone_dates_count_in_utc() -> None:
    from datetime import timedelta, timezone

    # 30 June 23:30 in UTC-2 is 1 July 01:30 UTC: the second half-year. A naive date is UTC.
    late = Contribution(id="a", author="ann", score=None, title="", body="x", parent="",
                        is_post=True, created=datetime(2021, 6, 30, 23, 30,
                                                       tzinfo=timezone(timedelta(hours=-2))))
    naive = Contribution(id="b", author="bob", score=None, title="", body="x", parent="",
                         is_post=True, created=datetime(2021, 6, 30, 23, 30))
    first, second = community_measures([late, naive], salt="s").periods
    assert (first.label, first.contributions) == ("January\u2013June 2021", 1)
    assert (second.label, second.contributions) == ("July\u2013December 2021", 1)


def test_reciprocity_and_transitivity_agree_with_networkx_on_random_replies() -> None:
    import random

    import networkx as nx

    rng = random.Random(3)
    base = datetime(2021, 2, 1, tzinfo=UTC)
    rows = [Contribution(id="p", author="u0", created=base, score=None, title="", body="x",
                         parent="", is_post=True)]
    for n in range(1, 400):
        rows.append(Contribution(id=f"c{n}", author=f"u{rng.randrange(25)}", score=None,
                                 created=base, title="", body="x", is_post=False,
                                 parent=rows[rng.randrange(n)].id, thread="p"))
    by_id = {r.id: r.author for r in rows}
    graph = nx.DiGraph((r.author, by_id[r.parent]) for r in rows[1:]
                       if r.author != by_id[r.parent])
    network = community_measures(rows, salt="s").periods[0].network
    assert (network.nodes, network.arcs) == (graph.number_of_nodes(),
                                             graph.number_of_edges())
    assert network.reciprocity == pytest.approx(nx.reciprocity(graph))
    assert network.transitivity == pytest.approx(nx.transitivity(graph.to_undirected()))
