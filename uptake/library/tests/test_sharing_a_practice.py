"""A teacher shares her practice: a draft or published at once, from a blank form or from
one of her inquiries; bad input is named by its field (and a link by its line) and nothing
is half-saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.library.models import Practice

pytestmark = pytest.mark.django_db


def _form(**fields: Any) -> dict[str, Any]:
    return {"title": "Number talks", "overview": "Ten minutes of mental math talk.",
            "steps": "1. Show a dot image.\n2. Ask how many, and how they saw it.",
            "materials": "", "lessons_learned": "", "suggested_revisions": "",
            "links": "", "subject": "Mathematics", "focus": "discourse",
            "standard_codes": "", **fields}


def test_she_publishes_a_practice_with_its_links_grades_and_standards(world: Any,
                                                                      login: Any) -> None:
    from uptake.learning.models import FrameworkElement

    element = FrameworkElement.objects.get(framework__district=world.district, code="3.2")
    client = login(world.people["teacher"])
    response = client.post(reverse("library:new"), _form(
        publish="1", grades=["KG", "03"], elements=[element.pk],
        standard_codes="ccss.math.content.3.oa.a.1, CCSS.MATH.CONTENT.3.OA.A.2",
        links="Dot images https://example.org/dots.pdf\nhttp://example.org/video"))
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[practice.pk])
    assert practice.is_published and practice.grade_labels == ["K", "3"]
    assert practice.code_list == ["CCSS.MATH.CONTENT.3.OA.A.1", "CCSS.MATH.CONTENT.3.OA.A.2"]
    assert [(link.title, link.url) for link in practice.links.all()] == [
        ("Dot images", "https://example.org/dots.pdf"),
        ("http://example.org/video", "http://example.org/video")]
    page = client.get(response["Location"]).content.decode()
    assert "Dot images" in page and "CCSS.MATH.CONTENT.3.OA.A.2" in page
    assert AuditEvent.objects.filter(action="practice_published").count() == 1


def test_a_draft_is_saved_when_she_does_not_publish(world: Any, login: Any) -> None:
    login(world.people["teacher"]).post(reverse("library:new"), _form())
    assert Practice.objects.get().status == Practice.Status.DRAFT


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"title": ""}, "title", "This field is required"),
    ({"links": "Poster https://example.org/p\nPoster javascript:alert(1)"}, "links",
     "Line 2: end the line with the address"),
    ({"links": "Notes ftp://example.org/notes"}, "links", "Line 1"),
    ({"standard_codes": "CCSS<script>"}, "standard_codes", "is not a standard code"),
    ({"overview": "x" * 20_001}, "overview", "at most 20000 characters"),
    ({"grades": ["13"]}, "grades", "Select a valid choice"),
])
def test_bad_input_is_named_by_its_field_and_nothing_is_saved(
        world: Any, login: Any, fields: dict[str, Any], field: str, words: str) -> None:
    response = login(world.people["teacher"]).post(reverse("library:new"), _form(**fields))
    assert response.status_code == 400
    assert words in str(response.context["form"].errors[field])
    assert not Practice.objects.exists()


def test_evidence_that_identifies_students_cannot_be_attached(world: Any, login: Any) -> None:
    from uptake.evidence.actions import do_add_artifact

    jamie = world.people["teacher"]
    safe = do_add_artifact(jamie, kind="text", title="Stem card", guskey_level=4,
                           identifies_students=False, body="I think … because …")
    faces = do_add_artifact(jamie, kind="text", title="Class photo notes", guskey_level=4,
                            identifies_students=True, body="Kid0 explained.")
    client = login(jamie)
    form = client.get(reverse("library:new")).content.decode()
    assert "Stem card" in form and "Class photo notes" not in form
    response = client.post(reverse("library:new"), _form(artifacts=[faces.pk]))
    assert response.status_code == 400 and not Practice.objects.exists()
    client.post(reverse("library:new"), _form(artifacts=[safe.pk], publish="1"))
    practice = Practice.objects.get()
    page = login(world.people["outsider"]).get(
        reverse("library:detail", args=[practice.pk])).content.decode()
    assert "Stem card" in page and "Class photo notes" not in page


def test_a_practice_starts_from_one_of_her_inquiries(world: Any, login: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry

    jamie = world.people["teacher"]
    inquiry = do_create_inquiry(jamie, title="Math talk moves",
                                change_idea="Daily turn-and-talk with sentence stems.")
    others = do_create_inquiry(world.people["colleague"], title="Asha's secret inquiry")
    client = login(jamie)
    form = client.get(reverse("library:new"), {"from_inquiry": inquiry.pk})
    assert form.context["form"].initial["title"] == "Math talk moves"
    assert "Daily turn-and-talk" in form.context["form"].initial["overview"]
    assert "Cycle 1: Daily turn-and-talk" in form.context["form"].initial["steps"]
    forged = client.get(reverse("library:new"), {"from_inquiry": others.pk})
    assert "Asha" not in forged.content.decode()
    section = client.get(reverse("inquiry:detail", args=[inquiry.pk])).content.decode()
    assert f"{reverse('library:new')}?from_inquiry={inquiry.pk}" in section


def test_she_edits_unpublishes_and_deletes_her_practice(world: Any, login: Any) -> None:
    from uptake.library.tests.examples import practice

    made = practice(world)
    client = login(world.people["teacher"])
    response = client.post(reverse("library:edit", args=[made.pk]),
                           _form(title="Number talks, revised", grades=["04"]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.title == "Number talks, revised" and made.grade_list == ["04"]
    client.post(reverse("library:unpublish", args=[made.pk]))
    made.refresh_from_db()
    assert not made.is_published
    client.post(reverse("library:delete", args=[made.pk]))
    assert not Practice.objects.exists()
    assert AuditEvent.objects.filter(action="deletion", summary__contains="revised").exists()


def test_publishing_needs_enough_to_try_it(world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    client.post(reverse("library:new"), _form(overview="", steps=""))
    practice = Practice.objects.get()
    response = client.post(reverse("library:publish", args=[practice.pk]), follow=True)
    assert "before publishing it" in response.content.decode()
    practice.refresh_from_db()
    assert not practice.is_published


def test_coaches_read_the_library_but_do_not_share_in_it(world: Any, login: Any) -> None:
    client = login(world.people["coach"])
    assert client.get(reverse("library:list")).status_code == 200
    assert client.get(reverse("library:new")).status_code == 404


def test_the_form_sent_twice_shares_one_practice(world: Any, login: Any) -> None:
    from uptake.idempotency import FIELD

    client = login(world.people["teacher"])
    html = client.get(reverse("library:new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', html)
    assert key is not None
    first = client.post(reverse("library:new"), _form(**{FIELD: key[1]}))
    again = client.post(reverse("library:new"), _form(**{FIELD: key[1]}))
    assert Practice.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]
