"""The teacher's home page: each inquiry in progress once, each of its measures once with
its verdict and the classes that need data."""

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
    panel = page.split('id="inquiries-h"', 1)[1].split("</section>", 1)[0]
    for words in ("Sustained improvement", "Got worse", "No signal", "Not enough data",
                  "Change, not (yet) sustained"):
        assert words in panel
    assert "Every measure has data from the last two weeks" in page


def test_it_names_each_measure_once_per_inquiry_with_its_classes_together(
        world: Any, login: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import do_create_measure
    from uptake.roster.models import Section, TeacherAssignment

    jamie = world.people["teacher"]
    second = Section.objects.create(district=world.district, school=world.cedar,
                                    sourced_id="cls-3b", title="Grade 3 ELA - Room 14",
                                    grades="03")
    TeacherAssignment.objects.create(section=second, teacher=jamie)
    do_create_measure(jamie, inquiry, sections=[world.section, second], name="Exit ticket",
                      kind="score", scale_min=0, scale_max=100, direction="up")
    page = login(jamie).get("/").content.decode()
    panel = page.split('id="inquiries-h"', 1)[1].split("</section>", 1)[0]
    assert panel.count(">Exit ticket</a>") == 1
    assert panel.count(">Math talk in Grade 3</a>") == 1
    assert "1 measure in your classes needs data" in panel
    needs = panel.split("Needs data: ", 1)[1]
    assert "Grade 3 ELA - Room 12</a> (no data yet)" in needs
    assert "Grade 3 ELA - Room 14</a> (no data yet)" in needs


def test_it_flags_measures_without_recent_data(world: Any, login: Any, inquiry: Any,
                                               measure: Any) -> None:
    client = login(world.people["teacher"])
    page = client.get("/").content.decode()
    assert "Needs data: " in page
    assert "Grade 3 ELA - Room 12</a> (no data yet)" in page
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
