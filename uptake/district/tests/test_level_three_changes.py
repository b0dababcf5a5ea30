"""Guskey's level 3 ("organisation support and change") on a program's page counts the
real and soft changes the knowledge-mobilisation log traces to the program, in the
viewer's scope: a school leader counts her schools' changes only."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.district.figures import program_figures
from uptake.networks.actions.changes import ChangeData, do_record_change
from uptake.programs.tests import fixtures as programs

pytestmark = pytest.mark.django_db

REAL = "real changes schools made (knowledge-mobilisation log)"
SOFT = ("soft changes: felt better connected or more confident "
        "(knowledge-mobilisation log)")


def _change(w: Any, program: Any, *, depth: str, school: Any) -> None:
    do_record_change(w.people["coordinator"], ChangeData(
        title=f"{depth} change at {school.name}", kind="meeting_protocol", depth=depth,
        happened_on=date(2026, 11, 3), counterfactual="probably_not", school_id=school.pk,
        source="program", source_id=program.pk))


def _level_three(html: str) -> str:
    found = re.search(r"<h3>Level 3:.*?</li>\s*(?=<li class=\"card\"><h3>Level 4)", html,
                      re.S)
    assert found is not None
    return found.group(0)


def test_level_three_counts_the_programs_real_and_soft_changes(world, login):
    math = programs.program(world)  # a coaching cycle at Cedar
    url = reverse("district:program", kwargs={"program_id": math.pk})
    before = _level_three(login(world.people["coordinator"]).get(url).content.decode())
    assert "No evidence yet at this level." in before

    _change(world, math, depth="real", school=world.cedar)
    _change(world, math, depth="real", school=world.birch)
    _change(world, math, depth="soft", school=world.cedar)
    # A change from another source is not the program's.
    do_record_change(world.people["coordinator"], ChangeData(
        title="Unrelated", kind="other", depth="real", happened_on=date(2026, 11, 3),
        counterfactual="yes", school_id=world.cedar.pk, source="note",
        source_note="A blog"))

    level = program_figures(math, world.people["coordinator"]).ladder[2]
    assert level.level == 3 and not level.empty
    assert {(i.label, i.count) for i in level.items} == {(REAL, 2), (SOFT, 1)}
    after = _level_three(login(world.people["coordinator"]).get(url).content.decode())
    assert "No evidence yet" not in after
    assert f"<strong>2</strong> {REAL}" in after and f"<strong>1</strong> {SOFT}" in after


def test_a_leader_counts_her_schools_changes_only(world):
    math = programs.program(world)
    _change(world, math, depth="real", school=world.cedar)
    _change(world, math, depth="real", school=world.birch)
    level = program_figures(math, world.people["leader"]).ladder[2]
    assert {(i.label, i.count) for i in level.items} == {(REAL, 1)}
