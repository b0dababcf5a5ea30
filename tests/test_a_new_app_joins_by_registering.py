"""A new app joins the menu, the home page, the audit log and "what a deletion takes with it"
by registering in its AppConfig.ready() (uptake/registry.py): none of those low places is
edited, and the audit log needs no migration for the app's kinds."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from uptake import registry
from uptake.audit.actions import record
from uptake.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def badges() -> Iterator[None]:
    """What a badges app would register, taken away again after the test."""
    entries: list[tuple[registry.Registry[Any], Any]] = [
        (registry.menu, registry.MenuEntry(
            key="badges", label="Badges", url_name="home", current_url="-", order=55,
            shown_to=registry.any_of("teacher"))),
        (registry.home_panels, registry.HomePanel(
            key="badges.mine", template="accounts/_fields.html", order=50,
            context=lambda user: {"badge_count": 3} if user.has_role("teacher") else None)),
        (registry.audit_kinds, registry.AuditKind("badge_awarded", "Badge awarded")),
        (registry.deletion_impacts, registry.DeletionImpact(
            name="badge_claims", of="inquiry", label="badge claims citing it", goes=False,
            count=lambda inquiry: 2)),
    ]
    for place, entry in entries:
        place.add(entry)
    yield
    for place, entry in entries:
        place.remove(entry.key)


def test_it_shows_a_registered_menu_entry_to_the_roles_it_names(
        world: Any, login: Any, badges: None) -> None:
    teacher = login(world.people["teacher"]).get(reverse("home")).content.decode()
    assert ">Badges</a></li>" in teacher
    coordinator = login(world.people["coordinator"]).get(reverse("home")).content.decode()
    assert ">Badges</a></li>" not in coordinator


def test_it_adds_a_registered_home_panel_for_whom_it_has_something(
        world: Any, login: Any, badges: None) -> None:
    response = login(world.people["teacher"]).get(reverse("home"))
    assert "accounts/_fields.html" in response.context["home_panels"]
    assert response.context["badge_count"] == 3
    coordinator = login(world.people["coordinator"]).get(reverse("home"))
    assert "accounts/_fields.html" not in coordinator.context["home_panels"]


def test_it_accepts_and_labels_a_registered_audit_kind(world: Any, badges: None) -> None:
    event = record("badge_awarded", actor=world.people["teacher"], summary="Talk moves")
    assert AuditEvent.objects.get(pk=event.pk).action_label == "Badge awarded"


def test_it_lets_the_coordinator_filter_the_log_by_a_registered_kind(
        world: Any, login: Any, badges: None) -> None:
    record("badge_awarded", actor=world.people["teacher"], summary="Talk moves")
    response = login(world.people["coordinator"]).get(reverse("audit:log"),
                                                      {"action": "badge_awarded"})
    html = response.content.decode()
    assert '<option value="badge_awarded" selected>Badge awarded</option>' in html
    assert "Talk moves" in html


def test_it_refuses_an_audit_kind_nobody_registered(world: Any) -> None:
    with pytest.raises(ValueError, match="not a registered audit kind"):
        record("badge_awarded", actor=world.people["teacher"])


def test_it_needs_no_audit_migration_for_a_new_kind(badges: None) -> None:
    out = StringIO()
    call_command("makemigrations", "audit", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_it_lists_a_registered_deletion_impact_on_the_confirmation_page(
        world: Any, login: Any, badges: None) -> None:
    from uptake.inquiry.actions import do_create_inquiry

    inquiry = do_create_inquiry(world.people["teacher"], title="Talk moves")
    html = login(world.people["teacher"]).get(
        reverse("inquiry:delete", args=[inquiry.pk])).content.decode()
    kept = html.split('id="kept-h"', 1)[1]
    assert "2 badge claims citing it" in kept
