"""No username survives into the results or the coding sample; pseudonyms are stable and
tell nothing of activity; the sample is seeded and stratified; results survive JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uptake.analysis.community import (
    CommunityResult,
    Contribution,
    community_measures,
    pseudonyms,
)

START = datetime(2022, 1, 3, tzinfo=UTC)
# Reddit-like usernames that cannot occur by chance in the output's own words, keys,
# labels or dates: two letters, two digits, then more.
NAME = st.from_regex(r"[a-z]{2}[0-9]{2}[a-z0-9_]{2,10}", fullmatch=True)
FILLER = st.sampled_from(["Thanks", "I agree", "Try rubrics.", "(see", ")", "!", "what?"])


def _mention(name: str, form: int) -> str:
    return [f"u/{name}", f"/u/{name}", f"@{name}", name, name.upper(), f"{name}'s",
            f"reddit.com/u/{name}", f"({name})"][form]


@st.composite
def communities(draw: st.DrawFn) -> tuple[list[str], list[Contribution]]:
    names = draw(st.lists(NAME, min_size=2, max_size=6, unique=True))
    count = draw(st.integers(min_value=1, max_value=25))
    writers = draw(st.lists(st.sampled_from(names[:-1]), min_size=count, max_size=count))
    # Those who wrote may be named bare (a word that is a username); anyone else can
    # only be recognised as a username by a mention mark (u/, /u/, @).
    others = sorted(set(names) - set(writers))
    rows: list[Contribution] = []
    for n, author in enumerate(writers):
        words = draw(st.lists(st.one_of(
            FILLER, st.builds(_mention, st.sampled_from(writers), st.integers(0, 7)),
            st.builds(_mention, st.sampled_from(others), st.sampled_from([0, 1, 2, 6]))),
            min_size=1, max_size=8))
        parent = draw(st.sampled_from(["", *[r.id for r in rows]])) if rows else ""
        rows.append(Contribution(
            id=f"x{n}", author=author, score=None,
            created=START + timedelta(days=draw(st.integers(0, 400)), seconds=n),
            title=" ".join(draw(st.lists(FILLER, max_size=2))), body=" ".join(words),
            parent=parent, is_post=not parent))
    return names, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(communities(), st.integers(0, 30))
def test_no_username_appears_in_the_results_or_the_sample(
        community: tuple[list[str], list[Contribution]], size: int) -> None:
    names, rows = community
    result = community_measures(rows, salt="s", sample_size=size)
    everything = json.dumps(result.as_json(), ensure_ascii=False).lower()
    assert not [n for n in names if n in everything]
    assert not [n for n in names for item in result.sample if n in item.text.lower()]


def _post(n: int, author: str, when: datetime, body: str = "x") -> Contribution:
    return Contribution(id=f"p{n}", author=author, created=when, score=None, title="",
                        body=body, parent="", is_post=True)


def test_the_same_author_keeps_one_pseudonym_numbered_by_salted_hash_not_by_activity() -> None:
    rows = [_post(n, "prolific", START + timedelta(hours=n)) for n in range(30)]
    rows += [_post(100 + n, f"once{n}", START + timedelta(days=1, hours=n)) for n in range(9)]
    sample = community_measures(rows, salt="pepper", sample_size=39).sample
    prolific = {item.pseudonym for item in sample if item.created < START + timedelta(days=1)}
    assert len(prolific) == 1
    assert prolific == {pseudonyms([r.author for r in rows], salt="pepper")["prolific"]}
    # Another salt numbers everyone afresh; the first writer is not "Contributor 1" by rule.
    numbering = {salt: pseudonyms([r.author for r in rows], salt=salt)["prolific"]
                 for salt in ("a", "b", "c", "d", "e", "f")}
    assert len(set(numbering.values())) > 1


def test_deleted_and_removed_content_never_reaches_the_sample() -> None:
    rows = [_post(1, "ann", START, "[removed]"), _post(2, "[deleted]", START, "gone"),
            _post(3, "bob", START, "  [deleted] "), _post(4, "cat", START, "kept")]
    result = community_measures(rows, salt="s")
    assert (result.dropped, result.contributions) == (3, 1)
    assert [item.text for item in result.sample] == ["kept"]


def _year(per_half: tuple[int, int]) -> list[Contribution]:
    first = [_post(n, f"a{n % 13}", datetime(2021, 2, 1, tzinfo=UTC) + timedelta(hours=n))
             for n in range(per_half[0])]
    second = [_post(10_000 + n, f"b{n % 11}",
                    datetime(2021, 8, 1, tzinfo=UTC) + timedelta(hours=n))
              for n in range(per_half[1])]
    return first + second


def test_the_sample_is_seeded_and_stratified_by_period() -> None:
    rows = _year((300, 100))
    one = community_measures(rows, salt="s", sample_size=40, seed=7).sample
    again = community_measures(rows, salt="s", sample_size=40, seed=7).sample
    other = community_measures(rows, salt="s", sample_size=40, seed=8).sample
    assert one == again and one != other
    # 300 : 100 of 40 is 30 : 10.
    assert [sum(1 for i in one if i.period.startswith(m)) for m in ("January", "July")] == \
        [30, 10]
    assert [i.position for i in one] == list(range(1, 41))
    assert community_measures(rows, salt="s", sample_size=0).sample == []


def test_it_reports_progress_every_ten_thousand_contributions() -> None:
    calls: list[int] = []
    community_measures(_year((15_000, 10_000)), salt="s", sample_size=5,
                       progress=calls.append)
    assert calls == [10_000, 20_000, 25_000]


def test_the_result_survives_a_trip_through_json() -> None:
    replies = [Contribution(id=f"c{n}", author=f"r{n % 3}", score=1, title="",
                            body="@a1 agreed", parent=f"p{n % 50}", is_post=False,
                            created=datetime(2021, 2, 1, tzinfo=UTC) + timedelta(hours=n + 1))
               for n in range(120)]
    result = community_measures(_year((50, 20)) + replies, salt="s", sample_size=12)
    stored = json.loads(json.dumps(result.as_json()))
    assert stored["version"] == 1
    assert CommunityResult.from_json(stored) == result
    assert result.periods[0].network.arcs > 0 and result.first is not None


def test_names_that_are_not_one_word_are_replaced_too() -> None:
    rows = [_post(1, "Jane Doe", START, "hi"),
            _post(2, "j.smith", START + timedelta(hours=1), "ask Jane Doe or J.Smith")]
    [_, item] = community_measures(rows, salt="s").sample
    names = pseudonyms(["Jane Doe", "j.smith"], salt="s")
    assert item.text == f"ask {names['Jane Doe']} or {names['j.smith']}"
