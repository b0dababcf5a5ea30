"""A teacher's home counts a class's students as the class pages do: an enrollment that
ended, or a student whose record is disabled, is not counted as current anywhere
(issue 10: the home said 23 where the class page said 22)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from uptake.roster.models import Enrollment


def _home_count(page: str, title: str) -> int:
    found = re.search(re.escape(title) + r"</a></h3><p>[^<]*· (\d+) student", page)
    assert found, page
    return int(found.group(1))


def _class_page_count(page: str) -> int:
    found = re.search(r"<dt>Students now enrolled</dt><dd>(\d+)</dd>", page)
    assert found, page
    return int(found.group(1))


def _class_list_count(page: str, title: str) -> int:
    row = page.split(title, 1)[1].split("</tr>", 1)[0]
    return int(re.findall(r'<td class="num">(\d+)</td>', row)[-1])


def test_it_counts_only_current_students_on_the_home_and_class_pages(world: Any, login: Any
                                                                       ) -> None:
    section = world.section
    left, disabled = world.students[0], world.students[1]
    Enrollment.objects.filter(section=section, student=left).update(
        end_date=timezone.localdate() - timedelta(days=3))
    disabled.enabled = False
    disabled.save(update_fields=["enabled"])
    client = login(world.people["teacher"])

    home = client.get("/").content.decode()
    detail = client.get(reverse("roster:class", args=[section.pk])).content.decode()
    listed = client.get(reverse("roster:classes")).content.decode()

    assert _home_count(home, section.title) == 10
    assert _class_page_count(detail) == 10
    assert _class_list_count(listed, section.title) == 10


def test_it_still_counts_a_student_whose_enrollment_ends_today(world: Any, login: Any
                                                               ) -> None:
    Enrollment.objects.filter(section=world.section, student=world.students[0]).update(
        end_date=timezone.localdate())
    home = login(world.people["teacher"]).get("/").content.decode()
    assert _home_count(home, world.section.title) == 12
