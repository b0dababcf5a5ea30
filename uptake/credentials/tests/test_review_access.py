"""Who reaches the review pages: the assessor reading the round (while her grant and role
last), the district's coordinators for oversight; never the candidate's coach or the
candidate herself, and never after the round is decided, withdrawn or reassigned."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.test_access_matrix import EXAMPLES, PERSONAS, _probe, expected_from_audience, our_routes
from uptake.credentials.tests import examples_review as ex
from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db

OURS = ("credentials:queue", "credentials:review", "credentials:second_reader",
        "credentials:review_artifact", "credentials:oversight", "credentials:assign",
        "notifications:list", "notifications:open", "notifications:read_all")


@pytest.mark.parametrize("name", OURS)
def test_it_gives_each_persona_exactly_the_access_declared(world: Any, client: Any,
                                                           name: str) -> None:
    route = next(r for r in our_routes() if r.name == name)
    if route.has_params:
        make_kwargs, allowed = EXAMPLES[name]
        url = reverse(name, kwargs=make_kwargs(world))
    else:
        allowed, url = expected_from_audience(route), reverse(name)
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(world.people[persona],
                               backend="django.contrib.auth.backends.ModelBackend")
        got[persona] = _probe(client, url)
    want = {p: "reached" if p in allowed else "login" if p == "anonymous" else "hidden"
            for p in PERSONAS}
    assert got == want


def _coach_assessor(w: Any) -> Any:
    """Cora, Cedar's coach, also holds the assessor role."""
    from uptake.accounts.models import Role, RoleAssignment

    coach = w.people["coach"]
    RoleAssignment.objects.create(user=coach, district=w.district, role=Role.ASSESSOR)
    return coach


def test_her_coach_is_never_her_assessor(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_assign
    from uptake.rules import Invalid

    coach = _coach_assessor(world)
    review = f.open_review(world)
    assert review.assessor == world.people["assessor"]  # the coach was passed over
    with pytest.raises(Invalid, match="coaches at a school where the educator works"):
        do_assign(review.round.submission, coach, actor=world.people["coordinator"],
                  replace=review)
    review.refresh_from_db()
    assert review.open
    assert login(coach).get(reverse("credentials:review", args=[review.pk])).status_code == 404


def test_nobody_assesses_her_own_work(world: Any) -> None:
    from uptake.accounts.models import Role, RoleAssignment
    from uptake.credentials.models import Review

    jamie = world.people["teacher"]
    RoleAssignment.objects.create(user=jamie, district=world.district, role=Role.ASSESSOR)
    f.submitted(world)
    assert not Review.objects.filter(assessor=jamie).exists()


def test_the_review_closes_once_the_round_is_decided(world: Any, login: Any) -> None:
    review = f.open_review(world)
    url = reverse("credentials:review", args=[review.pk])
    client = login(world.people["assessor"])
    assert client.get(url).status_code == 200
    f.returned(world)
    assert client.get(url).status_code == 404


def test_the_review_closes_when_she_withdraws_the_work(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_withdraw

    review = f.open_review(world)
    client = login(world.people["assessor"])
    do_withdraw(review.round.submission, actor=world.people["teacher"])
    assert client.get(reverse("credentials:review", args=[review.pk])).status_code == 404


def test_the_review_closes_when_she_is_reassigned(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_assign

    review = f.open_review(world)
    blair = f.second_assessor(world)
    do_assign(review.round.submission, blair, actor=world.people["coordinator"],
              replace=review)
    client = login(world.people["assessor"])
    assert client.get(reverse("credentials:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("credentials:queue")).context["rows"] == []


def test_a_file_opens_only_when_it_was_sent_in_the_round(world: Any, login: Any) -> None:
    from django.core.files.base import ContentFile

    from uptake.audit.models import AuditEvent
    from uptake.evidence.models import Artifact

    review = ex.open_review(world)
    client = login(world.people["assessor"])
    sent = client.get(reverse("credentials:review_artifact",
                              args=[review.pk, ex.file_artifact(world).pk]))
    assert sent.status_code == 200
    assert b"".join(sent.streaming_content) == b"Warm-up, model, pairs, share."
    assert AuditEvent.objects.filter(action="submission_read",
                                     details__artifact=ex.file_artifact(world).pk).exists()
    other = Artifact.objects.create(
        district=world.district, owner=world.people["teacher"], kind="document",
        title="Not sent", guskey_level=2, identifies_students=True,
        content_type="text/plain", original_name="x.txt",
        file=ContentFile(b"private", name="x.txt"))
    refused = client.get(reverse("credentials:review_artifact", args=[review.pk, other.pk]))
    assert refused.status_code == 404
