"""The main navigation is built from the entries the apps registered: each role sees the
same links it saw when they were written into base.html, the page she is on marked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a></li>", nav)


@pytest.mark.parametrize(("persona", "links"), [
    ("teacher", ["Home", "Learning plan", "Classes", "Inquiries", "Teams", "Student work",
                 "Observations", "Evidence", "Library", "Stories", "Credentials", "Programs"]),
    ("coach", ["Home", "Learning plan", "Classes", "Inquiries", "Shared evidence", "Library",
               "Credentials", "Programs"]),
    ("leader", ["Home", "Learning plans", "District", "Classes", "Inquiries",
                "Shared evidence", "Library", "Credentials", "Programs"]),
    ("coordinator", ["Home", "Learning plans", "District", "Classes", "Shared evidence",
                     "Library", "Credentials", "Programs", "People", "Roster import",
                     "Audit log"]),
    ("researcher", ["Home", "District", "Programs"]),
    ("assessor", ["Home", "Reviews", "Results"]),
])
def test_it_shows_each_role_the_links_of_its_pages(
        world: Any, login: Any, persona: str, links: list[str]) -> None:
    html = login(world.people[persona]).get(reverse("home")).content.decode()
    assert _menu(html) == links


def test_it_offers_someone_without_a_role_her_observations(client: Any, world: Any) -> None:
    from uptake.accounts.models import User

    sam = User.objects.create_user(email="sam@elsewhere.test", password="x-long-password-1")
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    assert _menu(client.get(reverse("home")).content.decode()) == ["Home", "Observations"]


@pytest.mark.parametrize(("persona", "links"), [
    ("leader", ["Surveys", "Network", "Make your case"]),
    ("coordinator", ["Surveys", "Network", "Spending", "Make your case"]),
    ("researcher", ["Surveys", "Network", "Spending", "Make your case"]),
])
def test_it_lists_the_district_view_s_pages_on_the_dashboard(
        world: Any, login: Any, persona: str, links: list[str]) -> None:
    html = login(world.people[persona]).get(reverse("district:dashboard")).content.decode()
    nav = html.split('<nav aria-label="The district view"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a></li>", nav) == links


@pytest.mark.parametrize("persona", ["teacher", "coach"])
def test_it_lists_her_network_on_her_learning_page(
        world: Any, login: Any, persona: str) -> None:
    html = login(world.people[persona]).get(reverse("learning:home")).content.decode()
    nav = html.split('<nav aria-label="More about your learning"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a></li>", nav) == ["Network"]


def test_it_marks_the_page_she_is_on(world: Any, login: Any) -> None:
    html = login(world.people["teacher"]).get(reverse("inquiry:list")).content.decode()
    assert re.findall(r'aria-current="page">([^<]+)<', html) == ["Inquiries"]


def test_it_marks_teams_not_inquiries_on_the_teams_page(world: Any, login: Any) -> None:
    html = login(world.people["teacher"]).get(reverse("inquiry:teams")).content.decode()
    assert re.findall(r'aria-current="page">([^<]+)<', html) == ["Teams"]


def test_it_marks_student_work_on_its_pages(world: Any, login: Any) -> None:
    html = login(world.people["teacher"]).get(reverse("studentwork:list")).content.decode()
    assert re.findall(r'aria-current="page">([^<]+)<', html) == ["Student work"]


def test_it_marks_roster_import_only_on_the_roster_s_import_page(
        world: Any, login: Any) -> None:
    html = login(world.people["coordinator"]).get(reverse("roster:import")).content.decode()
    assert re.findall(r'aria-current="page">([^<]+)<', html) == ["Roster import"]


def test_it_shows_no_menu_to_an_anonymous_visitor(client: Any) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert '<nav aria-label="Main">' not in html
