"""A teacher records sources of new learning (kind, link, hours, research-based, reflection,
linked goals), filters them, and sees her hours totalled by school year and kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditAction, AuditEvent
from uptake.learning import actions
from uptake.learning.models import LearningSource

pytestmark = pytest.mark.django_db


def _source(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "webinar", "title": "Talk moves in math", "author": "State math council",
        "link": "https://example.org/talk-moves", "learned_on": "2026-10-01", "hours": "1.5",
        "reflection": "Wait time matters."}
    data.update(overrides)
    return data


def _add(owner: Any, **fields: Any) -> LearningSource:
    values: dict[str, Any] = {"kind": "book", "title": "A book", "learned_on": date(2026, 9, 1),
                              "hours": Decimal("2")}
    values.update(fields)
    return actions.do_add_source(owner=owner, fields=actions.SourceFields(**values))


def test_it_records_a_source_linked_to_a_goal(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    goal = plan.goals.get()
    page = client.get(reverse("learning:source_new") + f"?goal={goal.pk}").content.decode()
    assert "<legend>Linked goals</legend>" in page and "checked" in page
    response = client.post(reverse("learning:source_new"),
                           _source(research_based="on", citation="Smith (2020)",
                                   goals=[goal.pk]))
    assert response.status_code == 302
    source = LearningSource.objects.get()
    assert source.hours == Decimal("1.5") and source.research_based
    assert list(source.goals.all()) == [goal] and source.citation == "Smith (2020)"
    plan_page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "Talk moves in math" in plan_page and "Wait time matters." in plan_page


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(1)",
                                  "data:text/html,hi", "ftp://example.org/file",
                                  "vbscript:msgbox", "//example.org/no-scheme"])
def test_it_refuses_links_that_are_not_http_or_https(login: Any, world: Any,
                                                     link: str) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:source_new"), _source(link=link))
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_link"' in page
    assert "starting with http:// or https://" in page
    assert not LearningSource.objects.exists()
    with pytest.raises(actions.LearningRuleError):
        _add(world.people["teacher"], link=link)


def test_it_refuses_a_malformed_web_address(world: Any) -> None:
    with pytest.raises(actions.LearningRuleError, match="not a valid web address"):
        _add(world.people["teacher"], link="https://exa mple")


@pytest.mark.parametrize(("hours", "message"), [
    ("-1", "greater than or equal to 0"), ("200.25", "less than or equal to 200"),
    ("abc", "Enter a number")])
def test_it_refuses_hours_out_of_range(login: Any, world: Any, hours: str,
                                       message: str) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:source_new"), _source(hours=hours))
    assert response.status_code == 400 and message in response.content.decode()
    assert not LearningSource.objects.exists()


@pytest.mark.parametrize("hours", [Decimal("-0.5"), Decimal("200.01"), Decimal("NaN")])
def test_it_refuses_hours_out_of_range_in_the_action_too(world: Any, hours: Decimal) -> None:
    with pytest.raises(actions.LearningRuleError):
        _add(world.people["teacher"], hours=hours)


def test_it_accepts_zero_and_two_hundred_hours(world: Any) -> None:
    assert _add(world.people["teacher"], hours=Decimal("0")).hours == 0
    assert _add(world.people["teacher"], hours=Decimal("200")).hours == 200


def test_it_refuses_linking_a_source_to_someone_elses_goal(login: Any, world: Any,
                                                           plan: Any) -> None:
    client = login(world.people["colleague"])
    response = client.post(reverse("learning:source_new"),
                           _source(goals=[plan.goals.get().pk]))
    assert response.status_code == 400
    with pytest.raises(actions.LearningRuleError):
        _add(world.people["colleague"], goals=(plan.goals.get(),))
    assert not LearningSource.objects.exists()


def test_it_filters_sources_and_totals_hours_by_year_and_kind(login: Any, world: Any) -> None:
    jamie = world.people["teacher"]
    _add(jamie, kind="book", title="Book 2025", learned_on=date(2025, 11, 1),
         hours=Decimal("4"), research_based=True)
    _add(jamie, kind="webinar", title="Webinar 2026a", learned_on=date(2026, 9, 10),
         hours=Decimal("1.5"))
    _add(jamie, kind="webinar", title="Webinar 2026b", learned_on=date(2026, 11, 1),
         hours=Decimal("1"))
    _add(world.people["colleague"], title="Asha's book", hours=Decimal("9"))
    client = login(jamie)

    page = client.get(reverse("learning:sources")).content.decode()
    assert "Asha&#x27;s book" not in page and "3 sources, 1 research-based, 6.5 hours" in page
    assert "2025-26" in page and "2026-27" in page

    page = client.get(reverse("learning:sources"), {"year": 2026}).content.decode()
    assert "Webinar 2026a" in page and "Webinar 2026b" in page and "Book 2025" not in page
    assert "2 sources, 0 research-based, 2.5 hours" in page

    page = client.get(reverse("learning:sources"), {"kind": "book"}).content.decode()
    assert "Book 2025" in page and "Webinar 2026" not in page

    page = client.get(reverse("learning:sources"), {"research": "yes"}).content.decode()
    assert "1 source, 1 research-based, 4 hours" in page


def test_it_totals_hours_per_year_and_kind() -> None:
    from uptake.learning.views import hours_by_kind_and_year

    class Rows:
        def values_list(self, *fields: str) -> list[tuple[Any, ...]]:
            return [(date(2026, 9, 1), "book", Decimal("2")),
                    (date(2027, 6, 30), "book", Decimal("1.25")),
                    (date(2027, 7, 1), "webinar", Decimal("1"))]

    totals = hours_by_kind_and_year(Rows())  # type: ignore[arg-type]
    assert totals["kinds"] == ["Book", "Webinar"]
    assert [(r["year"], r["cells"], r["total"]) for r in totals["rows"]] == [
        ("2027-28", [Decimal("0"), Decimal("1")], Decimal("1")),
        ("2026-27", [Decimal("3.25"), Decimal("0")], Decimal("3.25"))]
    assert totals["column_totals"] == [Decimal("3.25"), Decimal("1")]
    assert totals["total"] == Decimal("4.25")


def test_it_edits_a_source(login: Any, world: Any) -> None:
    source = _add(world.people["teacher"])
    client = login(world.people["teacher"])
    assert client.get(reverse("learning:source_edit", args=[source.pk])).status_code == 200
    response = client.post(reverse("learning:source_edit", args=[source.pk]),
                           _source(title="Renamed", hours="3"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "Renamed" and source.hours == Decimal("3")


def test_it_deletes_a_source_and_audits_it(login: Any, world: Any) -> None:
    source = _add(world.people["teacher"])
    client = login(world.people["teacher"])
    assert client.post(reverse("learning:source_delete", args=[source.pk])).status_code == 302
    assert not LearningSource.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETION,
                                     object_id=str(source.pk)).exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider", "coach", "leader",
                                     "coordinator", "other_coordinator"])
def test_it_keeps_a_source_to_its_owner(login: Any, world: Any, persona: str) -> None:
    source = _add(world.people["teacher"])
    client = login(world.people[persona])
    assert client.get(reverse("learning:source_edit", args=[source.pk])).status_code == 404
    assert client.post(reverse("learning:source_edit", args=[source.pk]),
                       _source(title="Hijacked")).status_code == 404
    assert client.post(reverse("learning:source_delete", args=[source.pk])).status_code == 404
    source.refresh_from_db()
    assert source.title == "A book"


@pytest.mark.parametrize("persona", ["leader", "coordinator", "assessor", "researcher"])
def test_it_keeps_the_sources_pages_for_teachers_and_coaches(login: Any, world: Any,
                                                             persona: str) -> None:
    client = login(world.people[persona])
    assert client.get(reverse("learning:sources")).status_code == 404
    assert client.get(reverse("learning:source_new")).status_code == 404
