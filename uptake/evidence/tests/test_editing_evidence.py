"""A teacher corrects her evidence: title, description, kind, level, inquiry and cycle, the
"can identify students" flag, the link, and (optionally) the file, which is checked and
cleaned like any upload. Only she may; every change is audited; a refused change changes
nothing."""

from __future__ import annotations

import io
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant
from uptake.audit.models import AuditAction, AuditEvent
from uptake.evidence.models import Artifact
from uptake.evidence.tests.files import docx, jpeg, jpeg_with_gps, stored_files
from uptake.inquiry.actions import do_create_inquiry, do_create_team


def _form(artifact: Artifact, **changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it in, with ``changes``."""
    data: dict[str, Any] = {
        "kind": artifact.kind, "title": artifact.title, "description": artifact.description,
        "guskey_level": artifact.guskey_level, "link": artifact.link, "body": artifact.body,
        "inquiry": artifact.inquiry_id or "", "cycle": artifact.cycle_id or "",
        "identifies_students": "yes" if artifact.identifies_students else "no"}
    data.update(changes)
    return data


def _edit(client: Any, artifact: Artifact, **changes: Any) -> Any:
    return client.post(reverse("evidence:edit", args=[artifact.pk]), _form(artifact, **changes))


@pytest.fixture
def photo(upload: Any) -> Artifact:
    assert upload("anchor.jpg", jpeg(), kind="photo", title="Anchor chart").status_code == 302
    return Artifact.objects.get()


@pytest.fixture
def link(upload: Any) -> Artifact:
    response = upload(None, None, kind="link", identifies_students="no", title="Talk moves",
                      link="https://example.org/talk", guskey_level=2)
    assert response.status_code == 302
    return Artifact.objects.get()


def test_it_shows_the_form_filled_in(login: Any, world: Any, photo: Artifact) -> None:
    page = unescape(login(world.people["teacher"]).get(
        reverse("evidence:edit", args=[photo.pk])).content.decode())
    assert 'value="Anchor chart"' in page and "Replace the file" in page
    assert "leave empty to keep anchor.jpg" in page


def test_it_saves_the_changes_and_audits_what_changed(login: Any, world: Any,
                                                      photo: Artifact) -> None:
    client = login(world.people["teacher"])
    response = _edit(client, photo, title="Anchor chart, week 3", guskey_level=5,
                     description="Students added their own strategies.", kind="student_work")
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", args=[photo.pk])
    photo.refresh_from_db()
    assert (photo.title, photo.guskey_level, photo.kind) == (
        "Anchor chart, week 3", 5, "student_work")
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_CHANGED)
    assert event.actor == world.people["teacher"] and event.object_id == str(photo.pk)
    assert set(event.details["changed"]) == {"title", "guskey_level", "description", "kind"}
    assert event.details["guskey_level"] == {"from": 4, "to": 5}
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Students added their own strategies." in page and "5 Student learning" in page


def test_saying_it_identifies_students_hides_shared_evidence_from_colleagues(
        login: Any, world: Any, client: Any, link: Artifact) -> None:
    Artifact.objects.filter(pk=link.pk).update(shared=True)
    url = reverse("evidence:detail", args=[link.pk])
    assert login(world.people["colleague"]).get(url).status_code == 200
    assert _edit(login(world.people["teacher"]), link,
                 identifies_students="yes").status_code == 302
    assert login(world.people["colleague"]).get(url).status_code == 404
    assert login(world.people["leader"]).get(url).status_code == 404
    assert login(world.people["coordinator"]).get(url).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_CHANGED)
    assert event.details["identifies_students"] == {"from": False, "to": True}


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://example.org/x",
                                     "//example.org"])
def test_it_refuses_a_link_that_is_not_http_or_https(login: Any, world: Any, link: Artifact,
                                                     address: str) -> None:
    response = _edit(login(world.people["teacher"]), link, link=address, title="Changed")
    assert response.status_code == 400
    assert "A link must start with http:// or https://" in unescape(response.content.decode())
    link.refresh_from_db()
    assert (link.link, link.title) == ("https://example.org/talk", "Talk moves")
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_CHANGED).exists()


def test_it_changes_a_links_address(login: Any, world: Any, link: Artifact) -> None:
    assert _edit(login(world.people["teacher"]), link,
                 link="https://example.org/talk-moves-2").status_code == 302
    link.refresh_from_db()
    assert link.link == "https://example.org/talk-moves-2"


def test_it_replaces_the_file_through_the_same_cleaning(
        login: Any, world: Any, media: Path, photo: Artifact,
        django_capture_on_commit_callbacks: Any) -> None:
    from PIL import ExifTags, Image

    old_name, old_sha = photo.file.name, photo.sha256
    client = login(world.people["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, photo, file=SimpleUploadedFile(
            "IMG_0043.jpg", jpeg_with_gps(), content_type="image/jpeg"))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.original_name == "IMG_0043.jpg" and photo.sha256 != old_sha
    stored = [p.relative_to(media).as_posix() for p in stored_files(media)]
    assert stored == [photo.file.name] and old_name not in stored
    data = b"".join(client.get(reverse("evidence:file", args=[photo.pk])).streaming_content)
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_CHANGED)
    assert event.details["file"]["from_sha256"] == old_sha
    assert event.details["file"]["to_sha256"] == photo.sha256


def test_it_refuses_a_replacement_whose_content_lies_and_keeps_the_old_file(
        login: Any, world: Any, media: Path, photo: Artifact) -> None:
    before = stored_files(media)
    fake = SimpleUploadedFile("chart.jpg", b"<html><script>alert(1)</script></html>",
                              content_type="image/jpeg")
    response = _edit(login(world.people["teacher"]), photo, file=fake, title="Changed")
    assert response.status_code == 400
    assert "whatever its name says" in unescape(response.content.decode())
    photo.refresh_from_db()
    assert photo.title == "Anchor chart" and stored_files(media) == before
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_CHANGED).exists()


@pytest.mark.parametrize(("kind", "message"), [
    ("link", "a link takes none"), ("text", "a text takes none"),
    ("document", "which a document cannot hold"), ("video", "which a short video cannot")])
def test_it_refuses_a_kind_the_kept_file_does_not_fit(login: Any, world: Any, photo: Artifact,
                                                      kind: str, message: str) -> None:
    response = _edit(login(world.people["teacher"]), photo, kind=kind,
                     link="https://example.org", body="Words")
    assert response.status_code == 400 and message in unescape(response.content.decode())
    photo.refresh_from_db()
    assert photo.kind == "photo"


def test_it_accepts_a_new_kind_with_a_file_that_fits_it(login: Any, world: Any,
                                                        photo: Artifact) -> None:
    response = _edit(login(world.people["teacher"]), photo, kind="document",
                     file=SimpleUploadedFile("plan.docx", docx()))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.kind == "document" and photo.original_name == "plan.docx"
    assert photo.content_type.endswith("wordprocessingml.document")


def test_it_attaches_evidence_to_her_inquiry_and_cycle_but_not_a_colleagues(
        login: Any, world: Any, link: Artifact) -> None:
    mine = do_create_inquiry(world.people["teacher"], title="Talk moves")
    ashas = do_create_inquiry(world.people["colleague"], title="Asha's inquiry")
    client = login(world.people["teacher"])
    response = _edit(client, link, inquiry=ashas.pk)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = _edit(client, link, inquiry=mine.pk, cycle=ashas.cycles.get().pk)
    assert response.status_code == 400
    assert _edit(client, link, inquiry=mine.pk, cycle=mine.cycles.get().pk).status_code == 302
    link.refresh_from_db()
    assert (link.inquiry, link.cycle) == (mine, mine.cycles.get())


def test_it_keeps_a_team_inquiry_after_she_leaves_the_team(login: Any, world: Any,
                                                           link: Artifact) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    team = do_create_team(asha, name="Grade 3", kind="grade_level", school=world.cedar,
                          members=[jamie])
    inquiry = do_create_inquiry(asha, team=team, title="Common exit tickets")
    client = login(jamie)
    assert _edit(client, link, inquiry=inquiry.pk).status_code == 302
    team.members.remove(jamie)
    link.refresh_from_db()
    assert _edit(client, link, title="Talk moves, revisited").status_code == 302
    link.refresh_from_db()
    assert link.inquiry == inquiry and link.title == "Talk moves, revisited"


@pytest.mark.parametrize("persona", ["colleague", "coach", "leader", "coordinator", "outsider",
                                     "other_coordinator"])
def test_only_the_owner_may_edit(login: Any, world: Any, link: Artifact, persona: str) -> None:
    Artifact.objects.filter(pk=link.pk).update(shared=True)
    Grant.objects.create(district=world.district, content_type=content_type_of(link),
                         object_id=link.pk, grantee=world.people["coach"], reason="coaching")
    client = login(world.people[persona])
    assert client.get(reverse("evidence:edit", args=[link.pk])).status_code == 404
    assert _edit(client, link, title="Defaced").status_code == 404
    link.refresh_from_db()
    assert link.title == "Talk moves"


def test_the_detail_page_offers_editing_only_to_the_owner(login: Any, world: Any,
                                                          link: Artifact) -> None:
    Artifact.objects.filter(pk=link.pk).update(shared=True)
    url, edit = reverse("evidence:detail", args=[link.pk]), reverse("evidence:edit",
                                                                    args=[link.pk])
    assert edit in login(world.people["teacher"]).get(url).content.decode()
    assert edit not in login(world.people["colleague"]).get(url).content.decode()
