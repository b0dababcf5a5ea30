"""Every form that creates something carries an idempotency key and creates once per key:
sent again (a double click, a resend) it goes to what the first sending created. A form
without a key, or with a forged one, works as before; a key is its sender's alone; a
sending that created nothing (a form error) leaves the key free for the corrected form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uptake.idempotency import FIELD

# (URL name, the page that shows its form, who fills it in)
CREATION_FORMS = [
    ("inquiry:create", "inquiry:create", "teacher"),
    ("inquiry:teams", "inquiry:teams", "teacher"),
    ("inquiry:measure_create", "inquiry:measure_create", "teacher"),
    ("inquiry:cycle_log", "inquiry:cycle", "teacher"),
    ("inquiry:cycle_next", "inquiry:cycle", "teacher"),
    ("inquiry:enter", "inquiry:enter", "teacher"),
    ("inquiry:import_apply", "inquiry:import", "teacher"),
    ("inquiry:annotations", "inquiry:annotations", "teacher"),
    ("learning:plan_new", "learning:plan_new", "teacher"),
    ("learning:goal_new", "learning:goal_new", "teacher"),
    ("learning:review_new", "learning:review_new", "teacher"),
    ("learning:source_new", "learning:source_new", "teacher"),
    ("learning:framework_new", "learning:framework_new", "coordinator"),
    ("learning:element_new", "learning:framework", "coordinator"),
    ("evidence:upload", "evidence:upload", "teacher"),
    ("observation:request_new", "observation:request_new", "teacher"),
    ("observation:prompt_add", "observation:protocols", "coordinator"),
    ("studentwork:new", "studentwork:new", "teacher"),
    ("studentwork:group_add", "studentwork:detail?step=group", "teacher"),
    ("studentwork:intervention_add", "studentwork:detail?step=interventions", "teacher"),
    ("person_add", "person_add", "coordinator"),
    ("invitations", "invitations", "teacher"),
    ("roster:import", "roster:import", "coordinator"),
    ("stories:start", "inquiry:detail", "teacher"),
    ("stories:link_new", "stories:detail", "teacher"),
    ("stories:consent_new", "stories:consent_new", "teacher"),
    ("library:new", "library:new", "teacher"),
    ("library:try", "library:try", "colleague"),
    ("credentials:start", "credentials:credential", "teacher"),
    ("credentials:add_item", "credentials:submission", "teacher"),
    ("credentials:credential_new", "credentials:authoring", "coordinator"),
    ("credentials:tier_new", "credentials:tier_new", "coordinator"),
    ("credentials:criterion_new", "credentials:tier_edit", "coordinator"),
    ("networks:tie_new", "networks:tie_new", "teacher"),
    ("networks:relations", "networks:relations", "coordinator"),
    ("networks:contacts", "networks:contacts", "coordinator"),
    ("networks:change_new", "networks:change_new", "teacher"),
    ("networks:community_new", "networks:community_new", "teacher"),
    ("networks:import_edges", "networks:import_edges", "coordinator"),
]


@dataclass
class Things:
    """One of everything a creation form hangs off, made through the actions."""

    args: dict[str, list[Any]]


@pytest.fixture
def things(world: Any) -> Things:
    from uptake.credentials.tests import fixtures as credentials
    from uptake.evidence.actions import do_add_artifact
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure, do_decide
    from uptake.learning.actions import do_create_framework, do_create_plan
    from uptake.library.tests import examples as library
    from uptake.observation.actions import do_seed_default_protocol
    from uptake.stories.tests import fixtures as stories
    from uptake.studentwork.actions import do_add_group, do_create_set

    teacher, coordinator = world.people["teacher"], world.people["coordinator"]
    story = stories.story(world)  # published, from an inquiry with data of its own
    photo = do_add_artifact(teacher, kind="text", title="At the board", guskey_level=4,
                            identifies_students=True, body="Kids at the board")
    practice = library.practice(world)
    library.colleagues_inquiry(world)
    inquiry = do_create_inquiry(teacher, title="Math talk", status="active")
    measure = do_create_measure(teacher, inquiry, sections=[world.section],
                                name="Explained", kind="proportion", direction="up")
    cycle = inquiry.cycles.get()
    do_decide(teacher, cycle, decision="adapt", reason="Add written stems")
    plan = do_create_plan(owner=teacher, title="My growth", start_year=2026, end_year=2027)
    framework = do_create_framework(actor=coordinator, name="Our practice", kind="practice")
    protocol = do_seed_default_protocol(world.district)
    work_set = do_create_set(teacher, inquiry, section=world.section, title="Exit task",
                             when=dt.date(2026, 10, 5), rubric="Low\nHigh")
    group = do_add_group(teacher, work_set, name="Needs stems", next_step="Model it")
    credential = credentials.credential(world, title="Once only", publish=False)
    offered = credentials.credential(world)
    draft = credentials.learning_draft(world, ready=False)
    tier = credential.tiers.first()
    return Things(args={
        "inquiry:measure_create": [inquiry.pk], "inquiry:cycle": [cycle.pk],
        "inquiry:cycle_log": [cycle.pk], "inquiry:cycle_next": [cycle.pk],
        "inquiry:enter": [measure.pk, world.section.pk],
        "inquiry:import": [measure.pk, world.section.pk],
        "inquiry:import_apply": [measure.pk, world.section.pk],
        "inquiry:annotations": [measure.pk],
        "learning:goal_new": [plan.pk], "learning:review_new": [plan.pk],
        "learning:framework": [framework.pk], "learning:element_new": [framework.pk],
        "observation:request_new": [inquiry.pk], "studentwork:new": [inquiry.pk],
        "studentwork:detail": [work_set.pk], "studentwork:group_add": [work_set.pk],
        "studentwork:intervention_add": [group.pk], "observation:prompt_add": [protocol.pk],
        "inquiry:detail": [inquiry.pk], "stories:start": [inquiry.pk],
        "stories:detail": [story.pk], "stories:link_new": [story.pk],
        "stories:consent_new": [photo.pk],
        "library:try": [practice.pk],
        "credentials:tier_new": [credential.pk], "credentials:tier_edit": [tier.pk],
        "credentials:criterion_new": [tier.pk],
        "credentials:start": [offered.pk], "credentials:credential": [offered.pk],
        "credentials:add_item": [draft.pk], "credentials:submission": [draft.pk],
    })


def _views_by_name() -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found[f"{namespace}{p.name}"] = p.callback

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.parametrize(("name", "page", "persona"), CREATION_FORMS)
def test_every_creation_form_carries_a_key_and_its_view_keeps_it(
        world: Any, login: Any, things: Things, name: str, page: str, persona: str) -> None:
    assert getattr(_views_by_name()[name], "uptake_creates_once", False), \
        f"{name} is not wrapped in uptake.idempotency.once"
    url = reverse(name, args=things.args.get(name, []))
    client = login(world.people[persona])
    page, _, query = page.partition("?")  # a page worked in steps names its step
    page_url = reverse(page, args=things.args.get(page, [])) + (f"?{query}" if query else "")
    if name == "inquiry:import_apply":  # its form is on the preview of an uploaded file
        csv = b"date,numerator,denominator\n2026-09-14,7,12\n"
        html = client.post(page_url, {"file": SimpleUploadedFile("t.csv", csv)}).content.decode()
    else:
        html = client.get(page_url).content.decode()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S)
    posting_here = [f for f in forms if f'action="{url}"' in f.split(">", 1)[0]
                    or (url == reverse(page, args=things.args.get(page, []))
                        and "action=" not in f.split(">", 1)[0])]
    assert posting_here, f"no form posts to {url} on {page}"
    assert all(f'name="{FIELD}"' in f for f in posting_here), posting_here


def _key(client: Any, url: str) -> str:
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', client.get(url).content.decode())
    assert found
    return found.group(1)


def _count(model: str) -> Callable[[], int]:
    from django.apps import apps

    return lambda: apps.get_model(model).objects.count()


# (URL name, what it posts, the model it adds to)
SENT_TWICE = [
    ("inquiry:create", {"title": "Math talk", "status": "active"}, "inquiry.Inquiry"),
    ("inquiry:teams", {"name": "Grade 3 PLC", "kind": "plc"}, "inquiry.Team"),
    ("inquiry:measure_create", {"name": "Exit ticket", "kind": "score", "scale_min": "0",
                                "scale_max": "10", "direction": "up", "chart": "run"},
     "inquiry.Measure"),
    ("inquiry:cycle_log", {"when": "2026-09-03", "text": "Introduced stems"},
     "inquiry.DoLogEntry"),
    ("inquiry:cycle_next", {}, "inquiry.Cycle"),
    ("learning:plan_new", {"title": "Questioning", "start_year": "2026", "end_year": "2027"},
     "learning.LearningPlan"),
    ("learning:source_new", {"kind": "book", "title": "Visible Learning",
                             "learned_on": "2026-09-01", "hours": "2"},
     "learning.LearningSource"),
    ("evidence:upload", {"kind": "text", "title": "Reflection", "guskey_level": "1",
                         "identifies_students": "no", "body": "It went well."},
     "evidence.Artifact"),
    ("studentwork:group_add", {"name": "Ready", "next_step": "Extend"},
     "studentwork.StudentGroup"),
]


@pytest.mark.parametrize(("name", "data", "model"), SENT_TWICE,
                         ids=[s[0] for s in SENT_TWICE])
def test_it_creates_once_and_sends_the_repeat_to_what_was_created(
        world: Any, login: Any, things: Things, name: str, data: dict[str, str],
        model: str) -> None:
    client = login(world.people["teacher"])
    url = reverse(name, args=things.args.get(name, []))
    page = {"inquiry:cycle_log": "inquiry:cycle", "inquiry:cycle_next": "inquiry:cycle",
            "studentwork:group_add": "studentwork:detail"}.get(name, name)
    key = _key(client, reverse(page, args=things.args.get(page, []))
               + ("?step=group" if name == "studentwork:group_add" else ""))
    count = _count(model)
    before = count()
    first = client.post(url, {**data, FIELD: key})
    assert first.status_code == 302, first.content.decode()[:3000]
    again = client.post(url, {**data, FIELD: key})
    assert count() == before + 1
    assert again.status_code == 302 and again["Location"] == first["Location"]
    shown = client.get(again["Location"]).content.decode()
    assert "That form had already been sent; this is what it saved." in shown


def test_it_creates_as_before_without_a_key_or_with_a_forged_one(world: Any,
                                                                 login: Any) -> None:
    from uptake.inquiry.models import Inquiry

    client = login(world.people["teacher"])
    data = {"title": "Math talk", "status": "active"}
    for key in (None, "", "short", "../../etc/passwd" + "x" * 40, "k" * 65, "é" * 40):
        sent = data if key is None else {**data, FIELD: key}
        assert client.post(reverse("inquiry:create"), sent).status_code == 302
    assert Inquiry.objects.count() == 6


def test_a_key_is_its_senders_alone(world: Any, login: Any) -> None:
    """The colleague cannot replay, or spoil, the teacher's key: hers creates her own."""
    from uptake.inquiry.models import Inquiry

    key = _key(login(world.people["teacher"]), reverse("inquiry:create"))
    data = {"title": "Math talk", "status": "active", FIELD: key}
    assert login(world.people["teacher"]).post(reverse("inquiry:create"), data).status_code \
        == 302
    colleague = login(world.people["colleague"]).post(reverse("inquiry:create"), data)
    assert colleague.status_code == 302
    assert sorted(Inquiry.objects.values_list("owner__email", flat=True)) == [
        "asha@maple.test", "jamie@maple.test"]


def test_a_sending_with_a_form_error_leaves_the_key_free(world: Any, login: Any) -> None:
    from uptake.inquiry.models import Inquiry

    client = login(world.people["teacher"])
    key = _key(client, reverse("inquiry:create"))
    refused = client.post(reverse("inquiry:create"), {"title": "", "status": "active",
                                                      FIELD: key})
    assert refused.status_code in (200, 400) and not Inquiry.objects.exists()
    assert f'value="{key}"' in refused.content.decode()  # the form shown again keeps it
    saved = client.post(reverse("inquiry:create"), {"title": "Math talk", "status": "active",
                                                    FIELD: key})
    assert saved.status_code == 302 and Inquiry.objects.count() == 1


def test_the_key_is_remembered_for_a_day(world: Any, login: Any, settings: Any) -> None:
    """On a cache whose clock is the test's (Redis keeps its own)."""
    import time_machine
    from django.utils import timezone

    from uptake.inquiry.models import Inquiry

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "a-day"}}
    client = login(world.people["teacher"])
    key = _key(client, reverse("inquiry:create"))
    data = {"title": "Math talk", "status": "active", FIELD: key}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(reverse("inquiry:create"), data)
        clock.shift(dt.timedelta(hours=23))
        client.post(reverse("inquiry:create"), data)
        assert Inquiry.objects.count() == 1
        clock.shift(dt.timedelta(hours=2))
        client.force_login(world.people["teacher"],
                           backend="django.contrib.auth.backends.ModelBackend")
        client.post(reverse("inquiry:create"), data)
        assert Inquiry.objects.count() == 2
