"""The study page and the home keep their rendered parts in the pages cache, keyed by
everything they are drawn from: a value entered shows at once, a reader never gets a part
drawn for someone with other rights, and each series is analysed once per page."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.urls import reverse

from uptake.analysis import charts
from uptake.inquiry import study
from uptake.inquiry.demo import load_demo_inquiries
from uptake.inquiry.tests.conftest import fill, weekly


@pytest.fixture(autouse=True)
def empty_pages_cache() -> None:
    caches["pages"].clear()


def _study(client: Any, measure: Any) -> str:
    response = client.get(reverse("inquiry:study", args=[measure.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_value_entered_shows_at_once_on_the_study_page_and_the_home(
        world: Any, login: Any, measure: Any) -> None:
    teacher = world.people["teacher"]
    fill(teacher, measure, world.section, [50] * 8 + [60] * 7, world.students)
    client = login(teacher)
    before = _study(client, measure)
    assert "Not enough data" in before.split("Verdict: ", 1)[1][:300]
    assert "Not enough data" in client.get("/").content.decode()
    assert _main(_study(client, measure)) == _main(before)  # the same part, from the cache

    last = weekly(16)[15]
    data = {"when": last.isoformat(), "label": "Ticket 16"}
    data.update({f"v-{s.pk}": "60" for s in world.students})
    r = client.post(reverse("inquiry:enter", args=[measure.pk, world.section.pk]), data)
    assert r.status_code == 302

    after = _study(client, measure)
    assert last.isoformat() in after and last.isoformat() not in before
    assert "Sustained improvement" in after.split("Verdict: ", 1)[1][:300]
    home = client.get("/").content.decode()
    assert "Sustained improvement" in home and "Not enough data" not in home


def test_a_readers_rights_are_part_of_the_key(world: Any, login: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    inquiries = load_demo_inquiries(teacher, world.section, coach=coach)
    measure = inquiries[0].measures.get()  # the first demo inquiry is shared with the coach
    student = world.students[0]

    first = _study(login(coach), measure)  # the coach's part is drawn and kept first
    assert student.pseudonym in first and student.display_name not in first
    names = _study(login(teacher), measure)  # the class's teacher: names beside pseudonyms
    assert f"{student.pseudonym} ({student.display_name})" in names
    again = _study(login(coach), measure)
    assert student.pseudonym in again and student.display_name not in again


def test_each_series_is_analysed_once_per_page(world: Any, login: Any, measure: Any) -> None:
    teacher = world.people["teacher"]
    fill(teacher, measure, world.section, [50] * 8 + [60] * 8, world.students)
    client = login(teacher)
    client.get("/")  # the summaries are refreshed (analysed once, by the refresh)
    caches["pages"].clear()
    with mock.patch.object(study, "verdict", wraps=study.verdict) as page_verdict, \
            mock.patch.object(charts, "verdict", wraps=charts.verdict) as chart_verdict, \
            mock.patch.object(charts, "runs_analysis",
                              wraps=charts.runs_analysis) as chart_runs:
        _study(client, measure)  # one class: one series, drawn wide and narrow
        assert page_verdict.call_count + chart_verdict.call_count == 1
        assert chart_runs.call_count == 1  # both drawings from one analysis
        _study(client, measure)  # the same data: nothing analysed again
        client.get("/")  # the home reads the persisted summary
        assert page_verdict.call_count + chart_verdict.call_count == 1
        assert chart_runs.call_count == 1


def test_a_chart_analysis_given_to_the_spec_gives_the_same_chart() -> None:
    values = [5, 6, 4, 5, 7, 6, 5, 4, 9, 9, 8, 9, 9, 8, 9, 9]
    analysis = charts.analyse_chart(values, baseline_n=8)
    for layout in ("wide", "narrow"):
        assert charts.chart_spec(values, baseline_n=8, layout=layout, analysis=analysis) == \
            charts.chart_spec(values, baseline_n=8, layout=layout)
