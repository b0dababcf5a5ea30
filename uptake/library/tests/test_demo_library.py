"""The demo's library holds practices tried by colleagues, with what happened where."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from uptake.accounts.models import District
from uptake.demo.actions import DEMO_SLUG
from uptake.demo.library import PRACTICES, load_demo_library
from uptake.library.models import Practice, Trial
from uptake.library.queries import travel

pytestmark = pytest.mark.django_db


def test_the_demo_library_shows_practices_that_travelled() -> None:
    call_command("demo", stdout=StringIO())
    district = District.objects.get(slug=DEMO_SLUG)
    assert load_demo_library(district) == len(PRACTICES)
    assert load_demo_library(district) == len(PRACTICES)  # again: nothing twice
    assert Trial.objects.count() == sum(len(p.tried) for p in PRACTICES)
    math_talk = Practice.objects.get(title=PRACTICES[0].title)
    assert math_talk.is_published and math_talk.source_inquiry is not None
    assert math_talk.source_inquiry.title == "Math talk moves: explaining thinking"
    for practice in Practice.objects.all():
        seen = travel(practice)
        assert 1 <= seen.colleagues <= 3 and seen.schools >= 1, practice.title
        labels = {o.label for v in seen.trials for o in v.outcomes}
        assert labels and "" not in labels, (practice.title, labels)
