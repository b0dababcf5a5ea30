"""Closing an inquiry (from Act, typically on abandoning the change, or from the inquiry
page) and reopening it: a closed inquiry starts no new cycle and leaves "in progress"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.actions import do_create_team, do_share_inquiry, do_update_inquiry
from uptake.inquiry.models import Cycle, Inquiry


def _status(inquiry: Any) -> str:
    return str(Inquiry.objects.get(pk=inquiry.pk).status)


def test_it_closes_the_inquiry_when_the_teacher_abandons_and_asks_to(
        world: Any, login: Any, inquiry: Any) -> None:
    client = login(world.people["teacher"])
    cycle = inquiry.cycles.get()
    assert inquiry.title in client.get("/").content.decode().split("Your inquiries", 1)[1]
    page = client.get(reverse("inquiry:cycle", args=[cycle.pk])).content.decode()
    assert "Also close this inquiry" in page
    r = client.post(reverse("inquiry:cycle_act", args=[cycle.pk]), {
        "decision": "abandon", "reason": "Talk moves took time from practice", "close": "on"},
        follow=True)
    assert "Decision saved; the inquiry is closed." in r.content.decode()
    assert _status(inquiry) == "closed"
    assert Cycle.objects.get(pk=cycle.pk).decision == "abandon"
    event = AuditEvent.objects.get(action="inquiry_changed")
    assert event.summary == "Inquiry 'Math talk in Grade 3' closed"
    assert "No inquiry in progress." in client.get("/").content.decode()
    page = client.get(reverse("inquiry:cycle", args=[cycle.pk])).content.decode()
    assert "The inquiry is closed, so no new cycle starts." in page
    assert "Start cycle 2" not in page and "Also close this inquiry" not in page
    r = client.post(reverse("inquiry:cycle_next", args=[cycle.pk]), follow=True)
    assert "This inquiry is closed: reopen it" in r.content.decode()
    assert inquiry.cycles.count() == 1


def test_it_keeps_the_inquiry_open_when_the_teacher_only_decides(
        world: Any, login: Any, inquiry: Any) -> None:
    cycle = inquiry.cycles.get()
    login(world.people["teacher"]).post(reverse("inquiry:cycle_act", args=[cycle.pk]), {
        "decision": "abandon", "reason": "Try another change idea"})
    assert _status(inquiry) == "active"
    assert not AuditEvent.objects.filter(action="inquiry_changed").exists()


def test_it_reopens_a_closed_inquiry_and_lets_the_next_cycle_start(
        world: Any, login: Any, inquiry: Any) -> None:
    client = login(world.people["teacher"])
    cycle = inquiry.cycles.get()
    client.post(reverse("inquiry:cycle_act", args=[cycle.pk]),
                {"decision": "adopt", "reason": "Done", "close": "on"})
    page = client.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert "This inquiry is closed" in page and "Reopen inquiry" in page
    r = client.post(reverse("inquiry:status", args=[inquiry.pk]), {"status": "active"},
                    follow=True)
    assert "Inquiry reopened." in r.content.decode() and _status(inquiry) == "active"
    assert "Close inquiry" in r.content.decode()
    r = client.post(reverse("inquiry:cycle_next", args=[cycle.pk]))
    assert r.status_code == 302 and inquiry.cycles.count() == 2
    summaries = list(AuditEvent.objects.filter(action="inquiry_changed").order_by("pk")
                     .values_list("summary", flat=True))
    assert summaries == ["Inquiry 'Math talk in Grade 3' closed",
                         "Inquiry 'Math talk in Grade 3' reopened"]


@pytest.mark.parametrize(("persona", "shared", "allowed"), [
    ("teacher", False, True), ("colleague", False, True),  # owner and team member edit
    ("coach", True, False), ("outsider", False, False), ("other_coordinator", False, False),
])
def test_it_lets_only_the_inquirys_editors_close_it(world: Any, login: Any, inquiry: Any,
                                                    persona: str, shared: bool,
                                                    allowed: bool) -> None:
    team = do_create_team(world.people["teacher"], name="PLC", kind="plc", school=world.cedar,
                          members=[world.people["colleague"]])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    if shared:
        do_share_inquiry(world.people["teacher"], inquiry, world.people[persona], share=True)
    r = login(world.people[persona]).post(reverse("inquiry:status", args=[inquiry.pk]),
                                          {"status": "closed"})
    assert r.status_code == (302 if allowed else 404)
    assert _status(inquiry) == ("closed" if allowed else "active")


def test_it_refuses_an_unknown_status_with_a_message(world: Any, login: Any,
                                                     inquiry: Any) -> None:
    r = login(world.people["teacher"]).post(reverse("inquiry:status", args=[inquiry.pk]),
                                            {"status": "deleted"}, follow=True)
    assert "Choose to close the inquiry or to reopen it." in r.content.decode()
    assert _status(inquiry) == "active"


def test_it_audits_closing_from_the_edit_form_too(world: Any, login: Any,
                                                  inquiry: Any) -> None:
    r = login(world.people["teacher"]).post(reverse("inquiry:edit", args=[inquiry.pk]), {
        "title": inquiry.title, "status": "closed"})
    assert r.status_code == 302 and _status(inquiry) == "closed"
    assert AuditEvent.objects.get(action="inquiry_changed").details == {
        "status": "closed", "was": "active"}
