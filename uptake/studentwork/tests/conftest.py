"""A set of Jamie's (``teacher``) student work on her class, with a three-level rubric."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


def make_set(world: Any) -> Any:
    from uptake.inquiry.models import Inquiry
    from uptake.studentwork.actions import do_create_set

    teacher = world.people["teacher"]
    inquiry = Inquiry.objects.filter(owner=teacher, title="Fractions on a number line").first() \
        or Inquiry.objects.create(district=world.district, owner=teacher,
                                  title="Fractions on a number line")
    return do_create_set(teacher, inquiry, section=world.section, title="Exit task 3",
                         when=dt.date(2026, 10, 5),
                         rubric="Beginning: places whole numbers only\n"
                                "Developing: places unit fractions\nSecure: places any fraction")


@pytest.fixture
def work_set(world: Any) -> Any:
    return make_set(world)
