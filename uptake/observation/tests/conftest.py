"""An inquiry of Jamie's (the ``teacher`` persona) with a proportion measure on her class,
and a request asking Asha (the ``colleague`` persona) to observe it, window open now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone


@dataclass
class Setup:
    inquiry: Any
    measure: Any
    obs: Any
    prompts: list[Any]


def make_observation(world: Any, *, opens: timedelta = timedelta(hours=-1),
                     closes: timedelta = timedelta(hours=2)) -> Any:
    from uptake.inquiry.models import Inquiry, Measure
    from uptake.observation.actions import do_seed_default_protocol
    from uptake.observation.models import ObservationRequest

    teacher = world.people["teacher"]
    inquiry = Inquiry.objects.filter(owner=teacher, title="Making thinking visible").first() \
        or Inquiry.objects.create(district=world.district, owner=teacher,
                                  title="Making thinking visible")
    measure = inquiry.measures.filter(kind=Measure.Kind.PROPORTION).first()
    if measure is None:
        measure = Measure.objects.create(inquiry=inquiry, name="% explaining their thinking",
                                         kind=Measure.Kind.PROPORTION)
        measure.sections.add(world.section)
    protocol = do_seed_default_protocol(world.district)
    now = timezone.now()
    return ObservationRequest.objects.create(
        inquiry=inquiry, measure=measure, section=world.section, protocol=protocol,
        prompt=protocol.prompts.get(position=1), requested_by=teacher,
        observer=world.people["colleague"], opens_at=now + opens, closes_at=now + closes)


@pytest.fixture
def setup(world: Any) -> Setup:
    obs = make_observation(world)
    return Setup(obs.inquiry, obs.measure, obs, list(obs.protocol.prompts.all()))
