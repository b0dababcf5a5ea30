"""The one story partial renders a snapshot in the reader's language, naming no student."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from uptake.stories.tests import fixtures


def _render(snapshot: dict[str, Any], **extra: Any) -> str:
    return render_to_string("stories/_story.html", {"snapshot": snapshot, **extra})


def test_the_partial_shows_the_words_verdict_chart_ladder_and_date(world: Any) -> None:
    html = _render(fixtures.story(world).snapshot)
    assert "Will talk moves help?" in html
    assert "Things got better and stayed better" in html
    assert "<svg" in html and "chart-narrow" in html
    assert "On average, students&#x27; scores went up 3.06 points" in html
    assert "Last updated" in html
    assert html.count("Nothing recorded yet") >= 1, "empty levels are shown"
    assert "What happened for students" in html


def test_the_partial_in_spanish(world: Any) -> None:
    with translation.override("es"):
        html = _render(fixtures.story(world).snapshot)
    assert "Las cosas mejoraron y siguieron mejor" in html
    assert "Última actualización" in html


def test_print_mode_draws_the_wide_chart_only(world: Any) -> None:
    html = _render(fixtures.story(world).snapshot, chart_mode="print")
    assert "chart-narrow" not in html and "<svg" in html


def test_the_partial_names_no_student(world: Any) -> None:
    html = _render(fixtures.story(world).snapshot)
    for s in world.students:
        assert s.given_name not in html and s.pseudonym not in html
        assert s.sourced_id not in html


def test_the_data_table_dates_are_in_the_reader_s_language(world: Any) -> None:
    snapshot = fixtures.story(world).snapshot
    with translation.override("es"):
        html = _render(snapshot)
    assert "7 de septiembre de 2026" in html
    assert "Sept. 7, 2026" in _render(snapshot)
