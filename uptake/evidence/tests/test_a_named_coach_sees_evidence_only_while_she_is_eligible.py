"""A coach the teacher named on evidence that identifies students sees it (page and file)
only while she is still a coach at a school where the teacher works: naming her records
consent, and who she is now decides. The teacher sees a named coach who has moved as
lapsed, and sharing offers only coaches she may name now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from uptake.accounts.models import Grant, Role, RoleAssignment, User
from uptake.evidence import actions
from uptake.evidence.models import Artifact


def _shared_with_the_coach(world: Any, upload: Any, login: Any) -> Artifact:
    upload("kid0.jpg", None, kind="text", identifies_students="yes", body="Kid0 said…",
           title="Kid0 explaining")
    artifact = Artifact.objects.get()
    login(world.people["teacher"]).post(reverse("evidence:share", args=[artifact.pk]),
                                        {"coaches": [world.people["coach"].pk]})
    return artifact


def _move_coach(world: Any, school: Any) -> User:
    RoleAssignment.objects.filter(user=world.people["coach"], role=Role.COACH) \
        .update(school=school)
    return User.objects.get(pk=world.people["coach"].pk)


def test_a_coach_moved_to_another_school_no_longer_sees_identifying_evidence(
        world: Any, login: Any, upload: Any, media: Path) -> None:
    artifact = _shared_with_the_coach(world, upload, login)
    client = login(world.people["coach"])
    assert client.get(reverse("evidence:detail", args=[artifact.pk])).status_code == 200
    assert artifact.title in client.get(reverse("evidence:shared")).content.decode()

    client = login(_move_coach(world, world.birch))
    assert client.get(reverse("evidence:detail", args=[artifact.pk])).status_code == 404
    assert artifact.title not in client.get(reverse("evidence:shared")).content.decode()
    assert Grant.objects.get().withdrawn_at is None  # the consent stays on record


def test_a_moved_coach_cannot_download_the_file_either(world: Any, login: Any, upload: Any,
                                                       media: Path) -> None:
    from uptake.evidence.tests.files import jpeg

    upload("kid0.jpg", jpeg(), identifies_students="yes", title="Kid0's work")
    artifact = Artifact.objects.get()
    actions.do_share_artifact(artifact, actor=world.people["teacher"],
                              coaches=[world.people["coach"]])
    url = reverse("evidence:file", args=[artifact.pk])
    assert login(world.people["coach"]).get(url).status_code == 200
    assert login(_move_coach(world, world.birch)).get(url).status_code == 404
    # Back at the teacher's school, the consent she gave counts again.
    assert login(_move_coach(world, world.cedar)).get(url).status_code == 200


def test_the_teacher_sees_a_moved_coach_as_lapsed_and_cannot_name_her_again(
        world: Any, login: Any, upload: Any, media: Path) -> None:
    artifact = _shared_with_the_coach(world, upload, login)
    _move_coach(world, world.birch)
    client = login(world.people["teacher"])
    page = client.get(reverse("evidence:detail", args=[artifact.pk])).content.decode()
    assert "Named coaches: Cora Coach (lapsed: no longer sees it" in page
    assert 'name="coaches"' not in page  # nobody left to name at her school
    response = client.post(reverse("evidence:share", args=[artifact.pk]),
                           {"coaches": [world.people["coach"].pk]}, follow=True)
    assert "You can name only coaches at a school where you work now" in \
        response.content.decode()


def test_stopping_sharing_withdraws_the_grant_and_keeps_it_as_history(
        world: Any, login: Any, upload: Any, media: Path) -> None:
    artifact = _shared_with_the_coach(world, upload, login)
    login(world.people["teacher"]).post(reverse("evidence:unshare", args=[artifact.pk]))
    grant = Grant.objects.get()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == world.people["teacher"]
