from __future__ import annotations

from typing import Any

from django.urls import reverse

from uptake.inquiry.tests.conftest import fill


def test_it_renders_every_page_for_the_owner(world: Any, login: Any, inquiry: Any,
                                              measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section,
         [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64], world.students)
    client = login(world.people["teacher"])
    cycle = inquiry.cycles.get()
    occasion = measure.occasions.first()
    for url in [reverse("inquiry:list"), reverse("inquiry:create"), reverse("inquiry:teams"),
                reverse("inquiry:detail", args=[inquiry.pk]),
                reverse("inquiry:edit", args=[inquiry.pk]),
                reverse("inquiry:measure_create", args=[inquiry.pk]),
                reverse("inquiry:cycle", args=[cycle.pk]),
                reverse("inquiry:measure", args=[measure.pk]),
                reverse("inquiry:measure_edit", args=[measure.pk]),
                reverse("inquiry:study", args=[measure.pk]),
                reverse("inquiry:enter", args=[measure.pk, world.section.pk]),
                reverse("inquiry:import", args=[measure.pk, world.section.pk]),
                reverse("inquiry:occasion", args=[occasion.pk])]:
        r = client.get(url)
        assert r.status_code == 200, url
    r = client.get(reverse("inquiry:study", args=[measure.pk]))
    assert b"Sustained improvement" in r.content
