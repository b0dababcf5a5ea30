"""The coordinator's issuer pages: the issuer (profile, keys, status lists), every
credential issued in her district with revoking, and the awards not issued with "Try
again". Coordinators of the district only; a role taken away closes them at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.badges.tests.fixtures import award, issued

pytestmark = pytest.mark.django_db

PAGES = ["badges:issuer", "badges:issued", "badges:problems"]


def second_coordinator(w: Any) -> Any:
    from uptake.accounts.models import Role, RoleAssignment, User

    person = User.objects.create_user(email="sam@maple.test", password="x", first_name="Sam",
                                      last_name="Second", district=w.district)
    RoleAssignment.objects.create(user=person, district=w.district, role=Role.COORDINATOR)
    return person


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def broken_award(w: Any, monkeypatch: pytest.MonkeyPatch, person: str = "teacher") -> Any:
    """An award whose credential fails the checks: an IssueProblem, no badge."""
    from uptake.badges import actions, documents

    real = documents.achievement
    monkeypatch.setattr(documents, "achievement",
                        lambda version: {**real(version), "favouriteColour": "blue"})
    found = award(w, person)
    assert actions.do_issue(found, actor=w.people["coordinator"]) is None
    monkeypatch.setattr(documents, "achievement", real)
    return found


# ----------------------------------------------------------------------------- access

@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["teacher", "assessor", "leader", "researcher", "coach"])
def test_only_coordinators_see_the_pages(world: Any, login: Any, name: str,
                                         persona: str) -> None:
    assert login(world.people[persona]).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_people_are_sent_to_sign_in(world: Any, client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_lapsed_coordinator_is_refused(world: Any, login: Any) -> None:
    from uptake.accounts.actions import do_revoke_role
    from uptake.accounts.models import Role

    sam = second_coordinator(world)
    client = login(sam)
    badge = issued(world)
    assert client.get(reverse("badges:issuer")).status_code == 200
    do_revoke_role(actor=world.people["coordinator"],
                   assignment=sam.roles.get(role=Role.COORDINATOR))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404
    response = client.post(reverse("badges:revoke", args=[badge.pk]), {"reason": "Gone"})
    assert response.status_code == 404
    response = client.post(reverse("badges:issuer_rotate", args=["ed25519"]), {"confirm": "1"})
    assert response.status_code == 404
    badge.refresh_from_db()
    assert badge.revoked_at is None


def test_another_districts_coordinator_sees_only_her_own(world: Any, login: Any,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    badge = issued(world, "colleague")
    stuck = broken_award(world, monkeypatch)
    client = login(world.people["other_coordinator"])
    response = client.get(reverse("badges:issued"))
    assert response.status_code == 200
    assert badge.award.educator.display_name not in response.content.decode()
    assert world.district.name not in client.get(reverse("badges:issuer")).content.decode()
    assert stuck.educator.display_name not in client.get(
        reverse("badges:problems")).content.decode()
    assert client.post(reverse("badges:revoke", args=[badge.pk]),
                       {"reason": "Not ours"}).status_code == 404
    assert client.post(reverse("badges:retry", args=[stuck.pk])).status_code == 404
    badge.refresh_from_db()
    assert badge.revoked_at is None


# ------------------------------------------------------------------------- the issuer

def test_the_issuer_page_shows_its_did_keys_and_lists(world: Any, login: Any) -> None:
    from uptake.badges import keystore
    from uptake.badges.actions import issuer_for

    response = login(world.people["coordinator"]).get(reverse("badges:issuer"))
    assert response.status_code == 200
    issuer = issuer_for(world.district)
    page = response.content.decode()
    assert keystore.did(issuer) in page
    assert keystore.did_document_url(issuer) in page
    assert "#key-1" in page and "#key-2" in page
    assert reverse("badges:status_list", args=[issuer.uuid, 1]) in page
    assert reverse("badges:issuer_rotate", args=["ed25519"]) in page
    assert reverse("badges:issuer_rotate", args=["rsa"]) in page


def test_the_profile_is_saved_through_the_action(world: Any, login: Any) -> None:
    from uptake.audit.models import AuditEvent
    from uptake.badges.actions import issuer_for

    client = login(world.people["coordinator"])
    response = client.post(reverse("badges:issuer_profile"), {
        "url": "https://maple.example.org", "email": "badges@maple.example.org",
        "description": "Maple Valley's professional learning office."})
    assert response.status_code == 302
    issuer = issuer_for(world.district)
    assert (issuer.url, issuer.email) == ("https://maple.example.org",
                                          "badges@maple.example.org")
    assert AuditEvent.objects.filter(action="issuer_profile_changed").exists()


@pytest.mark.parametrize(("field", "value", "said"), [
    ("url", "maple dot org", "full address, starting with https://"),
    ("url", "javascript:alert(1)", "full address, starting with https://"),
    ("email", "not an address", "e-mail address like"),
])
def test_a_bad_profile_says_what_is_wrong(world: Any, login: Any, field: str, value: str,
                                          said: str) -> None:
    from uptake.badges.actions import issuer_for

    data = {"url": "", "email": "", "description": "", field: value}
    response = login(world.people["coordinator"]).post(reverse("badges:issuer_profile"), data)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert getattr(issuer_for(world.district), field) == ""


def test_the_profile_action_refuses_someone_else(world: Any) -> None:
    from uptake.badges.actions import do_set_issuer_profile, issuer_for
    from uptake.rules import NotAllowed

    issuer = issuer_for(world.district)
    for person in ("teacher", "other_coordinator"):
        with pytest.raises(NotAllowed):
            do_set_issuer_profile(issuer, actor=world.people[person], url="", email="",
                                  description="Taken over")


def test_adding_a_key_asks_first_then_retires_the_old_one(world: Any, login: Any) -> None:
    from uptake.badges.actions import issuer_for

    client = login(world.people["coordinator"])
    issuer = issuer_for(world.district)
    url = reverse("badges:issuer_rotate", args=["ed25519"])
    page = client.get(url)
    assert page.status_code == 200 and "#key-1" in page.content.decode()

    unconfirmed = client.post(url, {}, follow=True)
    assert "Confirm that a new key" in " ".join(messages_of(unconfirmed))
    assert issuer.keys.count() == 2

    done = client.post(url, {"confirm": "1"}, follow=True)
    assert "Added key-3" in " ".join(messages_of(done))
    assert issuer.keys.filter(kind="ed25519", retired_at__isnull=True).get().number == 3
    assert issuer.keys.get(number=1).retired_at is not None
    assert client.get(reverse("badges:issuer_rotate", args=["dsa"])).status_code == 404


# ------------------------------------------------------------------------- issued

def test_the_issued_list_shows_and_filters_the_districts_badges(world: Any, login: Any
                                                                ) -> None:
    from uptake.badges.actions import do_revoke, do_set_shared

    jamie = issued(world)
    asha = issued(world, "colleague")
    do_set_shared(jamie, actor=world.people["teacher"], shared=True)
    do_revoke(asha, actor=world.people["coordinator"], reason="Awarded in error")
    client = login(world.people["coordinator"])

    page = client.get(reverse("badges:issued")).content.decode()
    assert "Jamie Nguyen" in page and "Asha Patel" in page
    assert "Awarded in error" in page and "Shared publicly" in page

    revoked = client.get(reverse("badges:issued"), {"state": "revoked"}).content.decode()
    assert "Asha Patel" in revoked and "Jamie Nguyen" not in revoked
    shared = client.get(reverse("badges:issued"), {"state": "shared"}).content.decode()
    assert "Jamie Nguyen" in shared and "Asha Patel" not in shared
    found = client.get(reverse("badges:issued"), {"q": "asha"}).content.decode()
    assert "Asha Patel" in found and "Jamie Nguyen" not in found
    bad = client.get(reverse("badges:issued"), {"state": "lost"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_revoking_needs_a_reason_and_happens_once(world: Any, login: Any) -> None:
    badge = issued(world)
    client = login(world.people["coordinator"])
    url = reverse("badges:revoke", args=[badge.pk])

    empty = client.post(url, {"reason": "   "}, follow=True)
    assert "Say why the credential is revoked" in " ".join(messages_of(empty))
    badge.refresh_from_db()
    assert badge.revoked_at is None

    done = client.post(url, {"reason": "Awarded in error"}, follow=True)
    assert "Revoked" in " ".join(messages_of(done))
    badge.refresh_from_db()
    assert badge.revoked_reason == "Awarded in error"
    assert badge.revoked_by == world.people["coordinator"]

    again = client.post(url, {"reason": "Again"}, follow=True)
    assert "already revoked" in " ".join(messages_of(again))
    badge.refresh_from_db()
    assert badge.revoked_reason == "Awarded in error"
    assert client.get(url).status_code == 405


def test_revoking_returns_to_the_filtered_list_only_on_this_site(world: Any,
                                                                 login: Any) -> None:
    badge = issued(world)
    client = login(world.people["coordinator"])
    response = client.post(reverse("badges:revoke", args=[badge.pk]),
                           {"reason": "Error", "next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('badges:issued')}#badge-{badge.pk}"


# ------------------------------------------------------------------------- problems

def test_problems_are_listed_and_try_again_issues(world: Any, login: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from uptake.badges.models import Badge

    stuck = broken_award(world, monkeypatch)
    client = login(world.people["coordinator"])
    page = client.get(reverse("badges:problems")).content.decode()
    assert stuck.version.title in page and "favouriteColour" in page
    assert "could not be issued" in client.get(reverse("badges:issuer")).content.decode()

    done = client.post(reverse("badges:retry", args=[stuck.pk]), follow=True)
    assert "Issued" in " ".join(messages_of(done))
    assert Badge.objects.filter(award=stuck).exists()
    assert "Every award in your district is issued" in done.content.decode()

    again = client.post(reverse("badges:retry", args=[stuck.pk]), follow=True)
    assert "already issued" in " ".join(messages_of(again))


def test_try_again_that_still_fails_says_why(world: Any, login: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from uptake.badges import documents
    from uptake.badges.models import Badge

    stuck = broken_award(world, monkeypatch)
    real = documents.achievement
    monkeypatch.setattr(documents, "achievement",
                        lambda version: {**real(version), "favouriteColour": "blue"})
    response = login(world.people["coordinator"]).post(
        reverse("badges:retry", args=[stuck.pk]), follow=True)
    said = " ".join(messages_of(response))
    assert "Still not issued" in said and "favouriteColour" in said
    assert not Badge.objects.filter(award=stuck).exists()


def test_the_authoring_index_links_to_the_issuer(world: Any, login: Any) -> None:
    page = login(world.people["coordinator"]).get(reverse("credentials:authoring"))
    assert reverse("badges:issuer") in page.content.decode()
