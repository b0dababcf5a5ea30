"""District coordinators edit their frameworks in the product: add, rename, reorder,
retire (in use) or delete (unused) elements. Nobody else reaches these pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditAction, AuditEvent
from uptake.learning.models import Framework, FrameworkElement

from .conftest import element

pytestmark = pytest.mark.django_db


def _practice(world: Any) -> Framework:
    return Framework.objects.get(district=world.district, kind=Framework.Kind.PRACTICE)


def _framework_urls(world: Any) -> list[tuple[str, str]]:
    framework = _practice(world)
    e = element(world.district, "3.2")
    return [
        ("get", reverse("learning:frameworks")),
        ("get", reverse("learning:framework_new")),
        ("get", reverse("learning:framework", args=[framework.pk])),
        ("post", reverse("learning:framework", args=[framework.pk])),
        ("post", reverse("learning:element_new", args=[framework.pk])),
        ("get", reverse("learning:element_edit", args=[e.pk])),
        ("post", reverse("learning:element_edit", args=[e.pk])),
        ("post", reverse("learning:element_move", args=[e.pk])),
        ("post", reverse("learning:element_remove", args=[e.pk])),
        ("post", reverse("learning:element_restore", args=[e.pk])),
    ]


@pytest.mark.parametrize("persona", ["teacher", "colleague", "coach", "leader", "assessor",
                                     "researcher", "other_coordinator"])
def test_it_hides_framework_editing_from_everyone_but_the_districts_coordinators(
        login: Any, world: Any, persona: str) -> None:
    client = login(world.people[persona])
    urls = _framework_urls(world)
    if persona == "other_coordinator":  # her own district's lists, but none of our objects
        urls = [(m, u) for m, u in urls if not u.endswith(("/frameworks/", "/new/"))]
    for method, url in urls:
        response = getattr(client, method)(url, {"name": "Hacked", "code": "X", "title": "X",
                                                 "element-code": "X", "element-title": "X",
                                                 "direction": "up"})
        assert response.status_code == 404, (persona, method, url)
    assert not FrameworkElement.objects.filter(title="X").exists()
    assert not Framework.objects.filter(name="Hacked").exists()
    assert element(world.district, "3.2").retired_at is None


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    for method, url in _framework_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_and_shows_frameworks_to_a_coordinator(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    page = client.get(reverse("learning:frameworks")).content.decode()
    assert "Standards for Professional Learning" in page and "Teaching practice" in page
    detail = client.get(reverse("learning:framework", args=[_practice(world).pk]))
    assert detail.status_code == 200
    assert "Professional Responsibilities" in detail.content.decode()


def test_it_creates_a_framework_and_audits_it(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    response = client.post(reverse("learning:framework_new"), {
        "name": "Maple Valley literacy practices", "kind": "practice", "description": "Ours"})
    framework = Framework.objects.get(name="Maple Valley literacy practices")
    assert response.status_code == 302 and framework.district == world.district
    assert AuditEvent.objects.filter(action=AuditAction.FRAMEWORK_CHANGED,
                                     object_id=str(framework.pk)).exists()


def test_it_refuses_a_duplicate_framework_name(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    response = client.post(reverse("learning:framework_new"), {
        "name": "teaching practice", "kind": "practice"})
    assert response.status_code == 400
    assert "already has a framework called" in response.content.decode()


def test_it_adds_a_component_under_a_domain(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    framework = _practice(world)
    domain = element(world.district, "3")
    response = client.post(reverse("learning:element_new", args=[framework.pk]), {
        "element-code": "3.6", "element-title": "Using student talk to steer the lesson",
        "element-parent": domain.pk})
    assert response.status_code == 302
    added = FrameworkElement.objects.get(framework=framework, code="3.6")
    assert added.parent == domain and added.order == 6
    assert AuditEvent.objects.filter(action=AuditAction.FRAMEWORK_CHANGED,
                                     details__change="element_added").exists()


def test_it_refuses_a_code_already_used_in_the_framework(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    framework = _practice(world)
    response = client.post(reverse("learning:element_new", args=[framework.pk]), {
        "element-code": "3.2", "element-title": "Duplicate"})
    assert response.status_code == 400
    assert "Code 3.2 is already used" in response.content.decode()
    assert not FrameworkElement.objects.filter(title="Duplicate").exists()


def test_it_renames_an_element(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    e = element(world.district, "3.2")
    response = client.post(reverse("learning:element_edit", args=[e.pk]), {
        "code": "3.2", "title": "Discussion that deepens thinking", "description": ""})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.title == "Discussion that deepens thinking"


def test_it_reorders_elements_among_their_siblings(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    e = element(world.district, "3.2")
    client.post(reverse("learning:element_move", args=[e.pk]), {"direction": "up"})
    codes = list(FrameworkElement.objects.filter(parent=e.parent).order_by("order")
                 .values_list("code", flat=True))
    assert codes == ["3.2", "3.1", "3.3", "3.4", "3.5"]
    client.post(reverse("learning:element_move", args=[e.pk]), {"direction": "up"})  # top
    client.post(reverse("learning:element_move", args=[e.pk]), {"direction": "down"})
    codes = list(FrameworkElement.objects.filter(parent=e.parent).order_by("order")
                 .values_list("code", flat=True))
    assert codes == ["3.1", "3.2", "3.3", "3.4", "3.5"]


def test_it_deletes_an_element_no_goal_uses(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    e = element(world.district, "2.5")
    client.post(reverse("learning:element_remove", args=[e.pk]))
    assert not FrameworkElement.objects.filter(pk=e.pk).exists()


def test_it_retires_rather_than_deletes_an_element_a_goal_uses(login: Any, world: Any,
                                                                plan: Any) -> None:
    client = login(world.people["coordinator"])
    data = element(world.district, "DA")
    response = client.post(reverse("learning:element_remove", args=[data.pk]))
    assert response.status_code == 302
    data.refresh_from_db()
    assert data.retired_at is not None
    assert plan.goals.get().elements.filter(pk=data.pk).exists()  # the old goal keeps it
    event = AuditEvent.objects.get(action=AuditAction.FRAMEWORK_CHANGED,
                                   details__change="element_retired")
    assert event.actor == world.people["coordinator"]

    client.post(reverse("learning:element_restore", args=[data.pk]))
    data.refresh_from_db()
    assert data.retired_at is None


def test_it_retires_a_whole_domain_when_one_of_its_components_is_in_use(
        login: Any, world: Any, plan: Any) -> None:
    from uptake.learning import actions

    jamie = world.people["teacher"]
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=actions.GoalFields(
        statement=goal.statement, measure=goal.measure, steps=goal.steps,
        relevance=goal.relevance, target_date=goal.target_date,
        elements=(element(world.district, "3.2"),)))
    client = login(world.people["coordinator"])
    domain = element(world.district, "3")
    client.post(reverse("learning:element_remove", args=[domain.pk]))
    assert FrameworkElement.objects.filter(parent=domain, retired_at__isnull=True).count() == 0
    component = element(world.district, "3.3")
    response = client.post(reverse("learning:element_restore", args=[component.pk]),
                           follow=True)
    assert "Restore 3 Instruction first" in response.content.decode()
