"""The district's figures against the hand-computed scene (uptake/district/tests/scene.py):
counts, suppression, pooling (against uptake.analysis.pooling on the same effects), scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from uptake.analysis.pooling import pool
from uptake.district.figures import Filters, district_figures, program_figures
from uptake.district.tests import scene as scene_

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> scene_.Scene:
    return scene_.build(world)


def _row(figures: Any, dimension: str, value: str) -> Any:
    breakdown = next(b for b in figures.breakdowns if b.dimension == dimension)
    return next(r for r in breakdown.rows if r.value == value)


def test_the_coordinator_sees_every_class_but_the_small_one(world, scene):
    figures = district_figures(world.people["coordinator"])
    # c5 (6 students) is left out everywhere.
    assert figures.left_out == 1
    assert figures.classes_counted == 4
    assert figures.verdict_total == {"sustained_improvement": 2, "change_not_sustained": 0,
                                     "got_worse": 1, "no_signal": 1, "not_enough_data": 0,
                                     "no_verdict": 0}
    assert figures.improvements == 2
    math = _row(figures, "program", str(scene.math.pk))
    assert math.counts["sustained_improvement"] == 2 and math.counts["no_signal"] == 1
    assert math.students == 24 + 20 + 26
    writing = _row(figures, "program", str(scene.writing.pk))
    assert writing.counts == {"sustained_improvement": 0, "change_not_sustained": 0,
                              "got_worse": 1, "no_signal": 0, "not_enough_data": 0,
                              "no_verdict": 0}


def test_the_pooled_estimate_is_the_pooling_of_the_shown_classes(world, scene):
    figures = district_figures(world.people["coordinator"])
    (scores,) = figures.pooled_by_kind
    assert scores.k == 4
    expected = pool([(0.60, 0.05), (0.20, 0.06), (0.50, 0.04), (-0.10, 0.04)])
    assert expected is not None
    assert scores.pooled.estimate == pytest.approx(expected.estimate)
    assert scores.pooled.tau2 == pytest.approx(expected.tau2)
    assert scores.pooled.plainly


def test_fewer_than_three_classes_are_not_pooled(world, scene):
    figures = district_figures(world.people["coordinator"],
                               filters=Filters(program=scene.writing.pk))
    (scores,) = figures.pooled_by_kind
    assert scores.k == 1 and scores.pooled is None


def test_student_groups_leave_out_a_class_with_a_small_group(world, scene):
    figures = district_figures(world.people["coordinator"])
    rows = {r.group: r for r in figures.groups.of("english_learner")}
    # c3 has 3 English learners: the whole class is left out of the attribute.
    assert figures.groups.left_out["english_learner"] == 1
    assert rows["Yes"].n == 12 + 10 + 15
    assert rows["No"].n == 12 + 10 + 15


def test_a_school_leader_sees_her_school_only(world, scene):
    figures = district_figures(world.people["leader"])  # Cedar
    assert figures.scope.school_ids == frozenset({world.cedar.pk})
    assert figures.classes_counted == 2
    breakdown = next(b for b in figures.breakdowns if b.dimension == "school")
    assert [r.value for r in breakdown.rows] == [str(world.cedar.pk)]
    assert figures.spending_total is None and figures.costs == []
    with pytest.raises(Http404):
        district_figures(world.people["leader"], filters=Filters(school=world.birch.pk))


@pytest.mark.parametrize("persona", ["teacher", "coach", "assessor", "colleague"])
def test_nobody_else_reads_the_figures(world, scene, persona):
    with pytest.raises(Http404):
        district_figures(world.people[persona])


def test_a_revoked_leader_role_ends_it(world, scene):
    world.people["leader"].roles.all().delete()
    with pytest.raises(Http404):
        district_figures(world.people["leader"])


def test_a_program_ladder_shows_all_five_levels(world, scene):
    figures = program_figures(scene.math, world.people["coordinator"])
    assert [level.level for level in figures.ladder] == [1, 2, 3, 4, 5]
    assert figures.ladder[0].empty and figures.ladder[2].empty  # no surveys yet
    assert not figures.ladder[4].empty
    assert figures.participants == 3 and figures.completed == 1
    assert figures.inquiries_linked == 3
    assert figures.improvements == 2
    assert figures.pooled is not None and figures.pooled.k == 3


def test_costs_divide_spending_and_say_so(world, scene):
    from uptake.spending.models import SpendingEntry

    fields = {f.name for f in SpendingEntry._meta.get_fields()}
    assert {"amount", "program", "source", "use"} <= fields
    from uptake.district.figures import costs

    figures = costs(Decimal("3000"), 3, 0, 2)
    by_key = {c.key: c for c in figures}
    assert by_key["participant"].amount == Decimal("1000.00")
    assert by_key["credential"].amount is None
    assert by_key["improvement"].amount == Decimal("1500.00")
    assert "does not say the money caused" in by_key["improvement"].caveat
