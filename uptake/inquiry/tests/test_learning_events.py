"""The teacher's learning on the study chart: each learning source she said informed the
inquiry is marked at the first point on or after the day she learned, in the chart, its
description and the data table, and listed on the inquiry page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.inquiry.tests.conftest import START, fill
from uptake.learning.actions import SourceFields, do_add_source

SERIES = [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64, 63]


def _learn(owner: Any, title: str, when: date, *inquiries: Any) -> Any:
    return do_add_source(owner=owner, fields=SourceFields(
        kind="book", title=title, learned_on=when, inquiries=tuple(inquiries)))


@pytest.fixture
def learned(world: Any, inquiry: Any, measure: Any) -> Any:
    """Jamie read a book in week 10 (between the 9th and 10th occasions) for this inquiry."""
    fill(world.people["teacher"], measure, world.section, SERIES, world.students)
    return _learn(world.people["teacher"], "Making Number Talks Matter",
                  START + timedelta(days=7 * 9 - 3), inquiry)


def test_it_marks_the_learning_in_the_data_table_and_the_description(
        world: Any, login: Any, learned: Any, measure: Any) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    rows = page.split("Data table for", 1)[1].split("</tbody>", 1)[0].split("<tr>")
    tenth = next(r for r in rows if r.startswith('<th scope="row">10</th>'))
    assert "2026-11-09" in tenth and "learned: Making Number Talks Matter" in tenth
    assert "learned:" not in "".join(r for r in rows if r is not tenth)
    assert ("Marked with lines before the point (dotted: the change or a cycle starts; "
            "dashed: learning): Nov 2: change starts; Nov 9: learned: Making Number Talks "
            "Matter.") in page


def test_it_draws_learning_with_its_own_line_named_in_a_legend(
        world: Any, login: Any, learned: Any, measure: Any) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">Lines</text>" in svg and ">learning</text>" in svg
    assert ">change or cycle</text>" in svg
    assert 'stroke-dasharray="14,4"' in svg and 'stroke-dasharray="2,3"' in svg


def test_without_learning_the_legend_and_description_name_only_the_change(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, SERIES, world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">change or cycle</text>" in svg and ">learning</text>" not in svg
    assert 'stroke-dasharray="14,4"' not in svg
    assert ("Marked with lines before the point (dotted: the change or a cycle starts): "
            "Nov 2: change starts.") in page


def test_it_marks_learning_on_the_cycle_page_chart_too(world: Any, login: Any, inquiry: Any,
                                                       learned: Any) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:cycle", args=[inquiry.cycles.get().pk])).content.decode()
    assert "learned: Making Number Talks Matter" in page.split('id="study-h"', 1)[1]


def test_it_lists_the_learning_on_the_inquiry_page_for_everyone_who_reads_it(
        world: Any, login: Any, inquiry: Any, learned: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    for persona in ("teacher", "coach"):
        page = login(world.people[persona]).get(
            reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
        section = page.split('id="learning-h"', 1)[1].split("</section>", 1)[0]
        assert ("2026-11-06: <strong>Making Number Talks Matter</strong> (book, Jamie Nguyen)"
                in section)
    # Her reflection stays hers: only the title, kind, date and who learned are shown.


def test_it_leaves_out_learning_that_informed_another_inquiry(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry

    other = do_create_inquiry(world.people["teacher"], title="Reading fluency")
    fill(world.people["teacher"], measure, world.section, SERIES, world.students)
    _learn(world.people["teacher"], "The Fluent Reader", START + timedelta(days=20), other)
    _learn(world.people["teacher"], "Unlinked webinar", START + timedelta(days=20))
    client = login(world.people["teacher"])
    study = client.get(reverse("inquiry:study", args=[measure.pk])).content.decode()
    detail = client.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    for page in (study, detail):
        assert "The Fluent Reader" not in page and "Unlinked webinar" not in page
    assert "No learning source names this inquiry yet." in detail


def test_it_reads_learning_once_however_many_sources_and_points(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    client = login(world.people["teacher"])
    url = reverse("inquiry:study", args=[measure.pk])
    fill(world.people["teacher"], measure, world.section, SERIES[:9], world.students)
    _learn(world.people["teacher"], "One", START + timedelta(days=10), inquiry)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill(world.people["teacher"], measure, world.section, SERIES[9:], world.students,
         start=START + timedelta(days=63))
    for i in range(5):
        _learn(world.people["teacher"], f"Source {i}", START + timedelta(days=30 + 7 * i),
               inquiry)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
