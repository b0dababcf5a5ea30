"""A teacher adds, finds, shares, unshares and deletes evidence through the pages; every
change goes through the actions and is audited."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.grants import grantees_of
from uptake.audit.models import AuditAction, AuditEvent
from uptake.evidence import actions
from uptake.evidence.models import Artifact
from uptake.evidence.tests.files import jpeg, stored_files

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "evidence"


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_it_explains_each_guskey_level_on_the_form(login: Any, world: Any) -> None:
    text = page(login(world.people["teacher"]), reverse("evidence:upload"))
    for words in ["1 Reactions", "2 Participants' learning", "3 Organisation support and change",
                  "4 Use of new knowledge and skills", "5 Student learning outcomes",
                  "observation beats self-report"]:
        assert words in text


def test_it_assumes_a_photo_identifies_students_until_the_teacher_says_no(
        upload: Any, media: Path) -> None:
    assert upload("p.jpg", jpeg(), kind="photo", identifies_students="").status_code == 302
    assert Artifact.objects.get().identifies_students is True


def test_it_preselects_yes_for_photos_on_the_form(login: Any, world: Any) -> None:
    text = page(login(world.people["teacher"]), reverse("evidence:upload") + "?kind=photo")
    assert re.search(r'value="yes"[^>]*checked', text)


def test_it_asks_whether_a_document_identifies_students(upload: Any, media: Path) -> None:
    response = upload(None, None, kind="text", identifies_students="", body="Reflection")
    assert response.status_code == 400
    assert "Say whether this evidence could identify a student." in unescape(
        response.content.decode())
    assert Artifact.objects.count() == 0


@pytest.mark.parametrize(("link", "ok"), [
    ("https://example.org/lesson", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("data:text/html,<script>x</script>", False),
    ("ftp://example.org/x", False), ("//example.org/x", False),
])
def test_it_accepts_only_http_and_https_links(upload: Any, media: Path, link: str,
                                              ok: bool) -> None:
    response = upload(None, None, kind="link", identifies_students="no", link=link)
    assert (response.status_code == 302) is ok
    if not ok:
        assert "A link must start with http:// or https://" in unescape(
            response.content.decode())
    assert Artifact.objects.count() == (1 if ok else 0)


def test_it_keeps_text_evidence_and_audits_the_addition(upload: Any, world: Any,
                                                        client: Any) -> None:
    response = upload(None, None, kind="text", identifies_students="no", guskey_level=2,
                      title="What I learned", body="Number talks need wait time.")
    artifact = Artifact.objects.get()
    assert response["Location"] == reverse("evidence:detail", args=[artifact.pk])
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_ADDED)
    assert event.actor == world.people["teacher"] and event.object_id == str(artifact.pk)
    text = page(client, response["Location"])
    assert "Number talks need wait time." in text and "2 Participants' learning" in text


def test_it_refuses_a_file_for_a_link(upload: Any, media: Path) -> None:
    response = upload("p.jpg", jpeg(), kind="link", identifies_students="no",
                      link="https://example.org")
    assert "A link takes no file" in unescape(response.content.decode())
    assert Artifact.objects.count() == 0 and stored_files(media) == []


def test_it_filters_my_evidence_by_kind_level_and_inquiry(upload: Any, world: Any,
                                                          client: Any) -> None:
    from uptake.inquiry.models import Inquiry

    inquiry = Inquiry.objects.create(district=world.district, owner=world.people["teacher"],
                                     title="Math talk in Grade 3")
    upload(None, None, kind="text", identifies_students="no", guskey_level=2,
           title="Book notes", body="x")
    upload(None, None, kind="text", identifies_students="no", guskey_level=5,
           title="Exit ticket results", body="y", inquiry=inquiry.pk)
    upload(None, None, kind="link", identifies_students="no", guskey_level=5,
           title="Shared slides", link="https://example.org/slides")
    url = reverse("evidence:mine")
    everything = page(client, url)  # (also shows and clears the "Saved" messages)
    assert "Book notes" in everything
    # Every level is counted, empty ones included.
    for level, n in [("1 Reactions", 0), ("2 Participants' learning", 1),
                     ("5 Student learning outcomes", 2)]:
        assert re.search(rf"{re.escape(level)}</a>: {n}\b", everything)
    assert "Book notes" not in page(client, url + "?level=5")
    by_kind = page(client, url + "?kind=link")
    assert "Shared slides" in by_kind and "Exit ticket results" not in by_kind
    by_inquiry = page(client, f"{url}?inquiry={inquiry.pk}")
    assert "Exit ticket results" in by_inquiry and "Shared slides" not in by_inquiry
    assert Artifact.objects.get(title="Exit ticket results").inquiry == inquiry


def test_evidence_stays_findable_by_a_team_inquiry_she_has_since_left(
        upload: Any, world: Any, client: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry, do_create_team

    team = do_create_team(world.people["colleague"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["teacher"]])
    shared = do_create_inquiry(world.people["colleague"], team=team, title="Fractions PLC")
    upload(None, None, kind="text", identifies_students="no", guskey_level=4,
           title="Number-line warm-up notes", body="z", inquiry=shared.pk)
    team.members.remove(world.people["teacher"])
    url = reverse("evidence:mine")
    assert f'<option value="{shared.pk}">Fractions PLC</option>' in page(client, url)
    assert "Number-line warm-up notes" in page(client, f"{url}?inquiry={shared.pk}")


def test_it_attaches_evidence_only_to_the_teachers_own_inquiries(upload: Any, world: Any,
                                                                  media: Path) -> None:
    from uptake.inquiry.models import Cycle, Inquiry

    theirs = Inquiry.objects.create(district=world.district, owner=world.people["colleague"],
                                    title="Asha's inquiry")
    mine = Inquiry.objects.create(district=world.district, owner=world.people["teacher"],
                                  title="Mine")
    other_cycle = Cycle.objects.create(inquiry=theirs, number=1)
    response = upload(None, None, kind="text", identifies_students="no", body="x",
                      inquiry=theirs.pk)
    assert response.status_code == 400
    response = upload(None, None, kind="text", identifies_students="no", body="x",
                      inquiry=mine.pk, cycle=other_cycle.pk)
    assert response.status_code == 400
    assert Artifact.objects.count() == 0


def test_it_shares_and_unshares_with_audit(upload: Any, world: Any, client: Any,
                                           login: Any) -> None:
    upload(None, None, kind="text", identifies_students="yes", body="Kid0 said…",
           title="Kid0's explanation")
    artifact = Artifact.objects.get()
    coach = world.people["coach"]
    client.post(reverse("evidence:share", args=[artifact.pk]), {"coaches": [coach.pk]})
    artifact.refresh_from_db()
    assert artifact.shared and list(grantees_of(artifact, live=True)) == [coach]
    shared = AuditEvent.objects.get(action=AuditAction.EVIDENCE_SHARED)
    assert shared.details["coaches"] == [coach.display_name]
    login(coach)
    assert client.get(reverse("evidence:detail", args=[artifact.pk])).status_code == 200
    login(world.people["teacher"])
    client.post(reverse("evidence:unshare", args=[artifact.pk]))
    artifact.refresh_from_db()
    assert not artifact.shared and not grantees_of(artifact).exists()
    assert AuditEvent.objects.filter(action=AuditAction.EVIDENCE_UNSHARED).count() == 1
    login(coach)
    assert client.get(reverse("evidence:detail", args=[artifact.pk])).status_code == 404


def test_it_lets_a_teacher_name_only_coaches_of_her_school(world: Any, media: Path) -> None:
    from uptake.accounts.models import Role, RoleAssignment

    artifact = actions.do_add_artifact(world.people["teacher"], kind="text", title="t",
                                       guskey_level=1, identifies_students=False, body="b")
    RoleAssignment.objects.create(user=world.people["outsider"], district=world.district,
                                  school=world.birch, role=Role.COACH)
    with pytest.raises(actions.EvidenceRefused, match="only coaches at your school"):
        actions.do_share_artifact(artifact, actor=world.people["teacher"],
                                  coaches=[world.people["outsider"]])
    artifact.refresh_from_db()
    assert not artifact.shared


def test_it_deletes_the_row_and_the_file_with_audit(
        upload: Any, media: Path, client: Any, django_capture_on_commit_callbacks: Any) -> None:
    upload("p.jpg", jpeg())
    artifact = Artifact.objects.get()
    assert len(stored_files(media)) == 1
    assert "Delete “Anchor chart”?" in page(client, reverse("evidence:delete",
                                                            args=[artifact.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:delete", args=[artifact.pk]))
    assert response["Location"] == reverse("evidence:mine")
    assert Artifact.objects.count() == 0 and stored_files(media) == []
    event = AuditEvent.objects.get(action=AuditAction.DELETION)
    assert event.summary == "Deleted evidence: Anchor chart"
    assert event.details["sha256"] == artifact.sha256


def test_it_shows_shared_evidence_to_a_coach_in_her_list(upload: Any, world: Any,
                                                          client: Any, login: Any) -> None:
    upload(None, None, kind="text", identifies_students="no", body="x", title="Wait time")
    artifact = Artifact.objects.get()
    client.post(reverse("evidence:share", args=[artifact.pk]))
    login(world.people["coach"])
    text = page(client, reverse("evidence:shared"))
    assert "Wait time" in text and "Jamie Nguyen" in text


def test_its_templates_have_no_inline_script_or_style() -> None:
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        assert "style=" not in source and "<script" not in source and "<style" not in source, (
            template.name)


def test_its_scrolling_tables_are_focusable_named_regions() -> None:
    for template in TEMPLATES.glob("*.html"):
        for tag in re.findall(r'<div class="table-wrap"[^>]*>', template.read_text()):
            assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label=" in tag
