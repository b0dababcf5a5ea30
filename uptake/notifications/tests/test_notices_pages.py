"""Her notices: listed newest first with the unread ones marked, counted in the header,
read when opened or all at once; nobody opens another person's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _notices(w: Any) -> tuple[Any, Any]:
    from uptake.notifications.actions import notify

    jamie = w.people["teacher"]
    older = notify(jamie, kind="test", subject="Work to review", url="/credentials/review/",
                   email=False)
    newer = notify(jamie, kind="test", subject="Feedback on your work",
                   url="/notifications/?from=feedback", email=False)
    return older, newer


def test_it_lists_her_notices_newest_first_with_the_unread_count(world: Any,
                                                                  login: Any) -> None:
    older, newer = _notices(world)
    page = login(world.people["teacher"]).get(reverse("notifications:list"))
    assert list(page.context["page"].object_list) == [newer, older]
    html = page.content.decode()
    assert 'aria-label="Notifications, 2 unread"' in html
    assert html.count(">Unread</span>") == 2


def test_opening_one_marks_it_read_and_follows_its_link(world: Any, login: Any) -> None:
    older, _ = _notices(world)
    client = login(world.people["teacher"])
    response = client.get(reverse("notifications:open", args=[older.pk]))
    assert response.status_code == 302 and response["Location"] == "/credentials/review/"
    older.refresh_from_db()
    assert older.read_at is not None
    html = client.get(reverse("notifications:list")).content.decode()
    assert 'aria-label="Notifications, 1 unread"' in html


def test_a_link_off_site_is_never_followed(world: Any, login: Any) -> None:
    from uptake.notifications.actions import notify

    made = notify(world.people["teacher"], kind="test", subject="Odd",
                  url="//evil.example/", email=False)
    assert made is not None
    response = login(world.people["teacher"]).get(reverse("notifications:open", args=[made.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read(world: Any, login: Any) -> None:
    from uptake.notifications.models import Notice

    _notices(world)
    client = login(world.people["teacher"])
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "2 notices marked read." in response.content.decode()
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    assert 'aria-label="Notifications"' in response.content.decode()


def test_nobody_opens_another_person_s_notice(world: Any, login: Any) -> None:
    older, _ = _notices(world)
    response = login(world.people["colleague"]).get(
        reverse("notifications:open", args=[older.pk]))
    assert response.status_code == 404
    older.refresh_from_db()
    assert older.read_at is None
