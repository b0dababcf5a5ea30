"""The dashboards' queries do not grow with the district: the same number of queries for
the scene's five classes and two programs as for three more programs with four classes each
(no query per program, per class, per inquiry or per kind of evidence). And the one-query
evidence counts equal the registered per-inquiry counts summed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake import registry
from uptake.district import reading
from uptake.district.figures import district_figures, program_figures
from uptake.district.tests import scene as scene_

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> scene_.Scene:
    return scene_.build(world)


def _more(w: Any, n_programs: int, n_classes: int) -> None:
    """More programs, each with classes measured, participants and evidence."""
    from uptake.inquiry.models import Inquiry, Measure, SeriesSummary
    from uptake.programs.models import Participant, Program, ProgramLink
    from uptake.roster.models import Section

    owner = w.people["teacher"]
    for p in range(n_programs):
        program = Program.objects.create(district=w.district, name=f"More {p}",
                                         kind=Program.Kind.COURSE, focus_area=f"Focus {p}",
                                         starts_on=date(2025, 9, 1))
        Participant.objects.create(program=program, person=owner)
        for c in range(n_classes):
            section = Section.objects.create(district=w.district, school=w.cedar,
                                             sourced_id=f"more-{p}-{c}", title=f"More {p}.{c}",
                                             grades="5")
            inquiry = Inquiry.objects.create(district=w.district, owner=owner,
                                             title=f"More {p}.{c}")
            measure = Measure.objects.create(inquiry=inquiry, name=f"More {p}.{c}")
            measure.sections.add(section)
            SeriesSummary.objects.create(measure=measure, section=None, district=w.district,
                                         kind="score", stale=False)
            SeriesSummary.objects.create(
                measure=measure, section=section, district=w.district, school=w.cedar,
                grade="5", kind="score", verdict="no_signal", n_students=25, n_points=12,
                mean_change=0.5, smc=0.1, smc_variance=0.05, stale=False,
                groups={"english_learner": {"Yes": {"n": 12, "mean_change": 1.0},
                                            "No": {"n": 13, "mean_change": 0.0}}})
            ProgramLink.objects.create(program=program, owner=owner, inquiry=inquiry)
            _evidence(w, inquiry)


def _evidence(w: Any, inquiry: Any) -> None:
    from uptake.evidence.models import Artifact
    from uptake.learning.models import LearningSource

    owner = inquiry.owner
    source = LearningSource.objects.create(owner=owner, district=w.district, kind="book",
                                           title=f"Book for {inquiry.title}",
                                           learned_on=date(2025, 10, 1))
    source.inquiries.add(inquiry)
    Artifact.objects.create(
        district=w.district, owner=owner, inquiry=inquiry, kind="lesson_plan",
        title=f"Plan for {inquiry.title}", guskey_level=4, identifies_students=False,
        content_type="text/plain", original_name="plan.txt",
        file=ContentFile(b"Warm-up, model, pairs, share.", name="plan.txt"))


def _counts(world: Any, scene: Any, client: Any, login: Any) -> list[int]:
    coordinator = world.people["coordinator"]
    out = []
    for read in (lambda: district_figures(coordinator),
                 lambda: program_figures(scene.math, coordinator)):
        with CaptureQueriesContext(connection) as captured:
            read()
        out.append(len(captured))
    login(coordinator)
    for url in (reverse("district:dashboard"), reverse("district:program",
                                                       args=[scene.math.pk])):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        out.append(len(captured))
    return out


def test_the_number_of_queries_does_not_grow_with_programs_and_classes(world, scene, client,
                                                                       login):
    for inquiry in scene.inquiries.values():
        _evidence(world, inquiry)
    small = _counts(world, scene, client, login)
    from uptake.inquiry.models import Inquiry
    from uptake.programs.models import ProgramLink

    _more(world, n_programs=3, n_classes=4)
    for inquiry in Inquiry.objects.filter(title__startswith="More 0."):  # Math talk's too
        ProgramLink.objects.create(program=scene.math, owner=inquiry.owner, inquiry=inquiry)
    large = _counts(world, scene, client, login)
    assert all(b <= a for a, b in zip(small, large, strict=True)), (small, large)


def test_the_one_query_evidence_counts_equal_the_registered_counts(world, scene):
    from uptake.inquiry.models import Inquiry

    for inquiry in list(scene.inquiries.values())[:3]:
        _evidence(world, inquiry)
    inquiries = list(Inquiry.objects.filter(pk__in=[i.pk for i in scene.inquiries.values()]))
    ids = {i.pk for i in inquiries}
    kinds = list(registry.evidence_kinds)
    assert {k.key for k in kinds} <= set(reading.BATCHED), "a kind with no one-query count"
    seen = 0
    for kind in kinds:
        expected = sum(kind.count(i) for i in inquiries)
        assert reading.BATCHED[kind.key](ids) == expected, kind.key
        seen += expected
    assert seen == 6  # three books and three lesson plans (level 4)
