"""Search and filters: words, standard, grade, subject and focus, combinable, in a URL that
can be shared, paginated."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.library.actions import PracticeFields, do_create_practice

pytestmark = pytest.mark.django_db


def _share(w: Any, title: str, **fields: Any) -> Any:
    return do_create_practice(w.people["teacher"], PracticeFields(
        title=title, overview=fields.pop("overview", "An idea."), **fields), publish=True)


@pytest.fixture
def shelf(world: Any) -> Any:
    from uptake.learning.models import FrameworkElement

    element = FrameworkElement.objects.get(framework__district=world.district, code="3.2")
    _share(world, "Number talks", grades=["3", "4"], subject="Mathematics",
           focus="Discourse", standard_codes=["CCSS.MATH.CONTENT.4.NF.A.1"])
    _share(world, "Retrieval warm-ups", grades=["7"], subject="Science",
           focus="Retrieval practice", steps="Five low-stakes questions.",
           elements=[element])
    _share(world, "Reading conferences", grades=["K"], subject="English Language Arts",
           focus="Feedback", overview="Short one-to-one talks about a book.")
    return world


def _titles(client: Any, **query: Any) -> list[str]:
    page = client.get(reverse("library:list"), query)
    assert page.status_code == 200
    return sorted(p.title for p in page.context["page"].object_list)


@pytest.mark.parametrize(("query", "found"), [
    ({}, ["Number talks", "Reading conferences", "Retrieval warm-ups"]),
    ({"q": "low-stakes questions"}, ["Retrieval warm-ups"]),
    ({"q": "book talks"}, ["Reading conferences"]),
    ({"q": "nothing like this"}, []),
    ({"grade": "03"}, ["Number talks"]),
    ({"grade": "KG"}, ["Reading conferences"]),
    ({"subject": "science"}, ["Retrieval warm-ups"]),
    ({"focus": "discourse"}, ["Number talks"]),
    ({"standard": "4.NF.A"}, ["Number talks"]),
    ({"standard": "3.2"}, ["Retrieval warm-ups"]),
    ({"grade": "04", "subject": "Mathematics", "q": "talks"}, ["Number talks"]),
    ({"grade": "04", "subject": "Science"}, []),
])
def test_filters_combine(shelf: Any, login: Any, query: dict[str, str],
                         found: list[str]) -> None:
    assert _titles(login(shelf.people["coach"]), **query) == found


def test_the_search_is_in_the_url_and_pages_keep_it(world: Any, login: Any) -> None:
    for n in range(23):
        _share(world, f"Exit ticket idea {n:02d}", subject="Mathematics")
    _share(world, "A science idea", subject="Science")
    client = login(world.people["colleague"])
    first = client.get(reverse("library:list"), {"subject": "Mathematics"})
    assert len(first.context["page"].object_list) == 20
    assert "subject=Mathematics&amp;page=2" in first.content.decode()
    second = client.get(reverse("library:list"), {"subject": "Mathematics", "page": 2})
    assert len(second.context["page"].object_list) == 3
