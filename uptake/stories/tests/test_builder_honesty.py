"""The wording check: it flags words that claim the change caused what happened, and
leaves honest descriptions alone. It warns; the builder never blocks on it."""

from __future__ import annotations

import pytest

from uptake.stories.honesty import causal_claims, claims_by_field


@pytest.mark.parametrize(("words", "flagged"), [
    ("The PD caused higher scores.", "caused"),
    ("Talk moves cause more talk.", "cause"),
    ("Because of the PD, my students read more.", "Because of the PD"),
    ("Because of the training they explain more.", "Because of the training"),
    ("Thanks to the workshop, scores went up.", "Thanks to the workshop"),
    ("Due to the coaching we saw growth.", "Due to the coaching"),
    ("This proves that talk moves help.", "proves"),
    ("We have proof that it helps.", "proof"),
    ("The change led to better exit tickets.", "led to"),
    ("Talk moves resulted in more explaining.", "resulted in"),
    ("The new strategy works.", "strategy works"),
])
def test_it_flags_a_causal_claim(words: str, flagged: str) -> None:
    claims = causal_claims(words)
    assert [c.phrase for c in claims] == [flagged]
    assert claims[0].suggestion, "each claim comes with what to say instead"


@pytest.mark.parametrize("words", [
    "After we started talk moves, more students explained their thinking.",
    "Scores rose from 4 to 7 after the change; the chart says sustained improvement.",
    "Because of the snow we missed a week of data.",
    "We saw more talk; it suggests the routine helps, and we will keep watching.",
    "",
])
def test_it_leaves_honest_wording_alone(words: str) -> None:
    assert causal_claims(words) == []


def test_it_names_each_claim_once_in_reading_order() -> None:
    claims = causal_claims("It proves the PD caused it. The PD caused more. Proves it.")
    assert [c.phrase for c in claims] == ["proves", "caused"]


def test_it_groups_claims_by_the_field_they_are_in() -> None:
    found = claims_by_field({"what_happened": "The PD caused it.", "whats_next": "Keep on.",
                             "question": "Will it help?"})
    assert list(found) == ["what_happened"]
