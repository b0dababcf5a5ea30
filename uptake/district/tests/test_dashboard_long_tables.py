"""Long tables are not drawn in full: the dashboard shows the classes with the most students
and "Show all N", which opens the drill-down with every effect size, a page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.district import views
from uptake.district.tests import scene as scene_

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> scene_.Scene:
    return scene_.build(world)


def test_the_dashboard_shows_the_largest_classes_and_a_way_to_all(world, scene, login, client,
                                                                  monkeypatch):
    monkeypatch.setattr(views, "EFFECTS_SHOWN", 2)
    login(world.people["coordinator"])
    page = client.get(reverse("district:dashboard")).content.decode()
    # Four classes have an effect size (c5 rests on six students); the two largest are
    # shown: c4 (30 students) and c3 (26).
    assert "The 2 classes with the most students are shown here, of 4." in page
    assert "Show all 4</a>" in page
    assert "Measure c4, Class c4 (Birch" in page and "Measure c3, Class c3 (Birch" in page
    assert "Measure c1, Class c1" not in page.split("Pooled estimates")[0].split(
        "effects-h")[1]


def test_show_all_lists_every_effect_a_page_at_a_time(world, scene, login, client,
                                                      monkeypatch):
    from uptake.inquiry import access
    from uptake.inquiry.models import Inquiry

    monkeypatch.setattr(access, "inquiries_visible_to", lambda me: Inquiry.objects.all())
    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 3)
    login(world.people["coordinator"])
    url = reverse("district:records") + "?effects=1"
    first = client.get(url).content.decode()
    assert "4 classes counted." in first
    assert "Page 1 of 2" in first
    # c1: 0.60 with variance 0.05, so 0.60 +- 1.96 * 0.2236 = 0.16 to 1.04.
    assert "<td class=\"num\">0.60</td><td class=\"num\">0.16 to 1.04</td>" in first
    second = client.get(url + "&page=2").content.decode()
    assert "Page 2 of 2" in second and "Inquiry c4" in second and "Inquiry c1" not in second
