"""Who reaches each evidence page and file (uptake/evidence/access.py):

private: the owner only; shared: her school's teachers, coach and leader, coaches she
named and the district's coordinators; shared *and* identifying students: only named
coaches and coordinators; nobody from another school's staff (except those) or another
district. Missing and forbidden look the same (404).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant
from uptake.audit.models import AuditAction, AuditEvent
from uptake.evidence.models import Artifact

PERSONAS = ["teacher", "colleague", "outsider", "coach", "assessor", "leader", "coordinator",
            "researcher", "other_coordinator"]


def make(world: Any, *, shared: bool, identifies: bool, coaches: tuple[str, ...] = (),
         owner: str = "teacher", title: str = "Kid0's number talk") -> Artifact:
    artifact = Artifact.objects.create(
        district=world.district, owner=world.people[owner], kind="student_work",
        title=title, guskey_level=5, identifies_students=identifies,
        shared=shared, content_type="text/plain", original_name="talk.txt",
        file=ContentFile(b"what Kid0 said", name="talk.txt"))
    for c in coaches:  # the owner's consent, as the share action records it
        Grant.objects.create(district=world.district, content_type=content_type_of(artifact),
                             object_id=artifact.pk, grantee=world.people[c],
                             reason="coaching")
    return artifact


def reach(client: Any, world: Any, persona: str, url: str) -> int:
    client.logout()
    client.force_login(world.people[persona], backend="django.contrib.auth.backends.ModelBackend")
    return int(client.get(url).status_code)


def who_reaches(client: Any, world: Any, artifact: Artifact, name: str) -> set[str]:
    url = reverse(name, args=[artifact.pk])
    return {p for p in PERSONAS if reach(client, world, p, url) == 200}


VIEWS = ["evidence:detail", "evidence:file"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(("shared", "identifies", "coaches", "expected"), [
    (False, False, (), {"teacher"}),
    (False, True, ("coach",), {"teacher"}),
    (True, False, (), {"teacher", "colleague", "coach", "leader", "coordinator"}),
    (True, True, (), {"teacher", "coordinator"}),
    (True, True, ("coach",), {"teacher", "coach", "coordinator"}),
], ids=["private", "private-even-with-a-named-coach", "shared", "shared-identifying",
        "shared-identifying-named-coach"])
def test_it_shows_evidence_only_to_those_the_rules_allow(
        client: Any, world: Any, media: Any, view: str, shared: bool, identifies: bool,
        coaches: tuple[str, ...], expected: set[str]) -> None:
    artifact = make(world, shared=shared, identifies=identifies, coaches=coaches)
    assert who_reaches(client, world, artifact, view) == expected


def test_it_shows_a_named_coach_from_another_school_nothing_unless_shared(
        client: Any, world: Any, media: Any) -> None:
    from uptake.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=world.people["outsider"], district=world.district,
                                  school=world.birch, role=Role.COACH)
    artifact = make(world, shared=True, identifies=False)
    assert "outsider" not in who_reaches(client, world, artifact, "evidence:detail")


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any, media: Any) -> None:
    artifact = make(world, shared=True, identifies=False)
    for name in [*VIEWS, "evidence:delete"]:
        response = client.get(reverse(name, args=[artifact.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ["evidence:mine", "evidence:shared", "evidence:upload"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_answers_a_missing_artifact_like_a_forbidden_one(
        client: Any, world: Any, login: Any, media: Any) -> None:
    hidden = make(world, shared=False, identifies=False)
    login(world.people["colleague"])
    forbidden = client.get(reverse("evidence:detail", args=[hidden.pk]))
    missing = client.get(reverse("evidence:detail", args=[hidden.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


@pytest.mark.parametrize("name", ["evidence:share", "evidence:unshare", "evidence:delete"])
@pytest.mark.parametrize("persona", ["colleague", "coach", "leader", "coordinator",
                                     "other_coordinator"])
def test_it_lets_only_the_owner_share_unshare_or_delete(
        client: Any, world: Any, login: Any, media: Any, name: str, persona: str) -> None:
    artifact = make(world, shared=True, identifies=False, coaches=("coach",))
    login(world.people[persona])
    assert client.post(reverse(name, args=[artifact.pk])).status_code == 404
    artifact.refresh_from_db()
    assert artifact.shared is True


def test_it_audits_when_someone_else_opens_evidence_that_identifies_students(
        client: Any, world: Any, login: Any, media: Any) -> None:
    artifact = make(world, shared=True, identifies=True, coaches=("coach",))
    login(world.people["teacher"])
    client.get(reverse("evidence:file", args=[artifact.pk]))
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()
    login(world.people["coach"])
    client.get(reverse("evidence:file", args=[artifact.pk]))
    event = AuditEvent.objects.get(action=AuditAction.STUDENT_DATA_READ)
    assert event.actor == world.people["coach"]
    assert event.object_id == str(artifact.pk)


def test_it_lists_only_what_each_person_may_see(client: Any, world: Any, login: Any,
                                               media: Any) -> None:
    make(world, shared=False, identifies=False, title="Private draft")
    make(world, shared=True, identifies=False, title="Shared anchor chart")
    login(world.people["colleague"])
    page = client.get(reverse("evidence:shared")).content.decode()
    assert "Shared anchor chart" in page and "Private draft" not in page
    assert "Kid0" not in client.get(reverse("evidence:mine")).content.decode()
    login(world.people["outsider"])
    assert "Shared anchor chart" not in client.get(reverse("evidence:shared")).content.decode()
    login(world.people["teacher"])
    mine = client.get(reverse("evidence:mine")).content.decode()
    assert "Shared anchor chart" in mine and "Private draft" in mine


def test_it_serves_files_safely(client: Any, world: Any, login: Any, media: Any) -> None:
    artifact = make(world, shared=False, identifies=False)
    login(world.people["teacher"])
    response = client.get(reverse("evidence:file", args=[artifact.pk]))
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="talk.txt"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"what Kid0 said"


def test_it_never_exposes_evidence_under_media_url(client: Any, world: Any, login: Any,
                                                  media: Any) -> None:
    artifact = make(world, shared=True, identifies=False)
    login(world.people["teacher"])
    assert client.get(f"/media/{artifact.file.name}").status_code == 404
