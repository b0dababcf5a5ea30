"""The teacher's home page: inquiries in progress, measures that need data, what changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from uptake.inquiry.actions import do_share_inquiry
from uptake.inquiry.demo import load_demo_inquiries
from uptake.inquiry.tests.conftest import fill


def test_it_lists_inquiries_in_progress_and_their_latest_verdicts(world: Any, login: Any
                                                                   ) -> None:
    load_demo_inquiries(world.people["teacher"], world.section)
    page = login(world.people["teacher"]).get("/").content.decode()
    assert "Math talk moves: explaining thinking" in page
    what_changed = page.split("What changed", 1)[1]
    for words in ("Sustained improvement", "Got worse", "No signal", "Not enough data",
                  "Change, not (yet) sustained"):
        assert words in what_changed
    assert "Every measure has data from the last two weeks" in page


def test_it_flags_measures_without_recent_data(world: Any, login: Any, inquiry: Any,
                                               measure: Any) -> None:
    client = login(world.people["teacher"])
    page = client.get("/").content.decode()
    assert "Exit ticket, Grade 3 ELA - Room 12</a> (Math talk in Grade 3): no data yet" in page
    old = timezone.localdate() - timedelta(days=30)
    fill(world.people["teacher"], measure, world.section, [50], world.students, start=old)
    page = client.get("/").content.decode()
    assert f"last data {old:%Y-%m-%d}" in page


def test_it_lists_inquiries_shared_with_a_coach_on_her_home(world: Any, login: Any,
                                                            inquiry: Any) -> None:
    coach_home = login(world.people["coach"]).get("/").content.decode()
    assert inquiry.title not in coach_home
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    coach_home = login(world.people["coach"]).get("/").content.decode()
    assert "Inquiries shared with you" in coach_home and inquiry.title in coach_home


def test_a_coach_sees_the_verdicts_of_inquiries_shared_with_her_and_no_others(
        world: Any, login: Any) -> None:
    from uptake.inquiry.models import Inquiry

    load_demo_inquiries(world.people["teacher"], world.section)
    shared = Inquiry.objects.get(title="Independent reading blocks")  # got worse
    do_share_inquiry(world.people["teacher"], shared, world.people["coach"], share=True)
    page = login(world.people["coach"]).get("/").content.decode()
    section = page.split("Inquiries shared with you", 1)[1].split("</section>", 1)[0]
    assert "Independent reading blocks</a> · Jamie Nguyen" in section
    assert "Exit ticket</a>: " in section and "Got worse" in section
    for words in ("Sustained improvement", "No signal", "Not enough data"):
        assert words not in page  # the teacher's other inquiries stay hers
