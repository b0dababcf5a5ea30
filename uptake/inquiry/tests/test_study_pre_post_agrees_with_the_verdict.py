"""The study page's before-and-after comes from phase means, so it agrees with the run
chart, and it is never given as a result when the verdict is "not enough data"
(issue 10, seen 2)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from uptake.inquiry.tests.conftest import fill

# Eight baseline weeks around 50, eight after the change around 56, the last a hard test.
# First baseline score against the last score gave every student -6 under a rising chart.
BASELINE = [50, 51, 49, 50, 52, 48, 50, 50]
AFTER = [55, 57, 56, 58, 57, 56, 58, 44]


def _page(client: Any, measure: Any) -> str:
    html = client.get(reverse("inquiry:study", args=[measure.pk])).content.decode()
    return re.sub(r"\s+", " ", html)


def test_it_compares_each_students_phase_means_not_her_last_score(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, BASELINE + AFTER, world.students)
    page = _page(login(world.people["teacher"]), measure)
    before_after = page.split("Before and after, same students", 1)[1]
    # Every student: mean(AFTER) - mean(BASELINE) = 55.125 - 50 (hand calculation).
    assert "mean change <strong>5.13</strong>" in before_after
    assert "12 students" in before_after
    assert "Of 12 students with at least 2 scores before the change and 2 after it" in page
    assert "12 improved, 0 stayed the same and 0 declined" in page
    assert "Mean before (scores)" in page and "(8)" in page


def test_it_gives_counts_not_a_change_when_the_verdict_is_not_enough_data(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, [*BASELINE, 60, 62, 61],
         world.students)
    page = _page(login(world.people["teacher"]), measure)
    assert "Not enough data" in page.split("Verdict: ", 1)[1][:300]
    before_after = page.split("Before and after, same students", 1)[1]
    assert ("The verdict is “not enough data” (8 points before the change, 3 after it), so "
            "no change is given as a result yet.") in before_after
    assert "12 students have at least 2 scores both before and after the change" in page
    assert "mean change <strong>" not in page and "d<sub>av</sub> =" not in page
    assert "improved," not in page  # no headline of who improved
    assert "Shown once the verdict has enough data." in page


def test_it_refuses_the_study_page_to_an_outsider(world: Any, login: Any,
                                                 measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, BASELINE + AFTER, world.students)
    r = login(world.people["outsider"]).get(reverse("inquiry:study", args=[measure.pk]))
    assert r.status_code == 404
