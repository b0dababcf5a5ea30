"""Her Open Badge page: only she reaches it; it says whether the badge is issued, waiting
for the coordinators or revoked (with the reason); its downloads carry the exact signed
credential (baked into the PNG and SVG too); the share switch turns the public page on
and off and is audited; "Your credentials" links to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from uptake.badges.tests.fixtures import award, issued

pytestmark = pytest.mark.django_db

PAGES = ("award", "award_json", "award_jwt", "award_png", "award_svg")


def _url(name: str, badge_or_award: Any) -> str:
    pk = getattr(badge_or_award, "award_id", None) or badge_or_award.pk
    return reverse(f"badges:{name}", args=[pk])


def _share(badge: Any, w: Any) -> Any:
    from uptake.badges.actions import do_set_shared

    return do_set_shared(badge, actor=w.people["teacher"], shared=True)


# ------------------------------------------------------------------------- access

@pytest.mark.parametrize("persona", ["colleague", "outsider", "coach", "leader", "assessor",
                                     "coordinator", "researcher", "other_coordinator"])
def test_only_she_reaches_her_badge_page_and_its_files(world: Any, login: Any,
                                                       persona: str) -> None:
    badge = _share(issued(world), world)
    owner = login(world.people["teacher"])
    for name in (*PAGES, "award_ob2_png"):
        assert owner.get(_url(name, badge)).status_code == 200, name
    other = login(world.people[persona])
    for name in (*PAGES, "award_ob2_png"):
        assert other.get(_url(name, badge)).status_code == 404, (persona, name)
    assert other.post(_url("award_share", badge), {"shared": "0"}).status_code == 404
    badge.refresh_from_db()
    assert badge.shared_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(world: Any, client: Any) -> None:
    badge = issued(world)
    for name in (*PAGES, "award_share"):
        response = client.get(_url(name, badge))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_her_page_closes_once_her_account_is_deactivated(world: Any, login: Any) -> None:
    from uptake.accounts.actions import do_deactivate_person

    badge = issued(world)
    client = login(world.people["teacher"])
    assert client.get(_url("award", badge)).status_code == 200
    do_deactivate_person(actor=world.people["coordinator"], person=world.people["teacher"])
    for name in (*PAGES, "award_share"):
        response = client.get(_url(name, badge))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_award_is_the_same_404(world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    assert client.get(reverse("badges:award", args=[999_999])).status_code == 404


# -------------------------------------------------------------------------- states

def test_it_says_when_the_badge_is_not_issued_yet_because_of_a_problem(
        world: Any, login: Any) -> None:
    from uptake.badges.models import IssueProblem

    earned = award(world)
    IssueProblem.objects.create(award=earned, problems=["Schema: description is empty"])
    html = login(world.people["teacher"]).get(_url("award", earned)).content.decode()
    assert "Not issued yet" in html
    assert "coordinators have been told and are fixing it" in html
    assert "Schema:" not in html  # the technical detail is the coordinators'
    assert reverse("badges:award_json", args=[earned.pk]) not in html
    assert login(world.people["teacher"]).get(
        _url("award_json", earned)).status_code == 404


def test_it_shows_an_issued_badge_and_its_downloads(world: Any, login: Any) -> None:
    badge = issued(world)
    html = login(world.people["teacher"]).get(_url("award", badge)).content.decode()
    assert "Issued" in html and badge.credential_id in html
    for name in PAGES[1:]:
        assert _url(name, badge) in html
    assert "Turn the public page on" in html
    assert "Jamie Nguyen" in html and "never shows your e-mail address" in html
    assert reverse("badges:public", args=[badge.uuid]) not in html  # not shared yet


def test_a_revoked_badge_shows_the_date_and_reason_and_stays_downloadable(
        world: Any, login: Any) -> None:
    from uptake.badges.actions import do_revoke

    badge = do_revoke(_share(issued(world), world), actor=world.people["coordinator"],
                      reason="Awarded to the wrong person by mistake")
    client = login(world.people["teacher"])
    html = client.get(_url("award", badge)).content.decode()
    assert "Revoked" in html and "Awarded to the wrong person by mistake" in html
    assert f"{badge.revoked_at:%B %Y}" in html
    assert "Download your badge (revoked)" in html
    assert "Turn the public page on" not in html
    assert client.get(_url("award_json", badge)).content == badge.document.encode()
    assert client.get(_url("award_ob2_png", badge)).status_code == 404


def test_your_credentials_links_each_award_to_its_badge_page(world: Any, login: Any) -> None:
    earned = award(world)
    html = login(world.people["teacher"]).get(reverse("credentials:mine")).content.decode()
    assert reverse("badges:award", args=[earned.pk]) in html


# ----------------------------------------------------------------------- downloads

def test_the_downloads_are_the_exact_credential_with_their_types(world: Any,
                                                                 login: Any) -> None:
    badge = issued(world)
    client = login(world.people["teacher"])
    got = client.get(_url("award_json", badge))
    assert got["Content-Type"] == "application/ld+json"
    assert got["Content-Disposition"] == 'attachment; filename="academic-conversations.json"'
    assert got.content == badge.document.encode("utf-8")
    assert json.loads(got.content)["id"] == badge.credential_id
    jwt = client.get(_url("award_jwt", badge))
    assert jwt["Content-Type"] == "text/plain; charset=utf-8"
    assert jwt["Content-Disposition"].endswith('.jwt"')
    assert jwt.content.decode() == badge.jwt and badge.jwt.count(".") == 2


def test_there_is_no_jwt_when_the_issuer_signed_none(world: Any, login: Any) -> None:
    from uptake.badges.models import Badge

    badge = issued(world)
    Badge.objects.filter(pk=badge.pk).update(jwt="")
    client = login(world.people["teacher"])
    assert client.get(_url("award_jwt", badge)).status_code == 404
    assert _url("award_jwt", badge) not in client.get(_url("award", badge)).content.decode()


@pytest.mark.parametrize("with_image", [False, True], ids=["drawn", "uploaded"])
def test_the_baked_images_carry_the_exact_credential(world: Any, login: Any,
                                                     with_image: bool) -> None:
    from uptake.credentials.tests.examples_educator import with_image as give_image
    from uptake.openbadges import baking

    badge = issued(world)
    if with_image:
        give_image(badge.award.version)
    client = login(world.people["teacher"])
    png = client.get(_url("award_png", badge))
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"].endswith('.png"')
    assert baking.extract(png.content) == badge.document
    svg = client.get(_url("award_svg", badge))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert baking.extract(svg.content) == badge.document


def test_every_download_verifies_as_issued(world: Any, login: Any) -> None:
    from uptake.badges import verifying

    badge = issued(world)
    client = login(world.people["teacher"])
    for name, form in (("award_json", "json"), ("award_jwt", "jwt"), ("award_png", "png"),
                       ("award_svg", "svg")):
        report = verifying.check(client.get(_url(name, badge)).content)
        assert report.format == form
        assert report.verified, (name, [c for c in report.checks if c.outcome == "failed"])


def test_the_older_backpacks_image_carries_the_hosted_assertion(world: Any,
                                                               login: Any) -> None:
    from uptake.badges import ob2
    from uptake.openbadges import baking

    badge = issued(world)
    client = login(world.people["teacher"])
    assert client.get(_url("award_ob2_png", badge)).status_code == 404  # not shared
    _share(badge, world)
    got = client.get(_url("award_ob2_png", badge))
    baked = json.loads(baking.extract(got.content, ob2=True))
    assert baked == ob2.assertion(badge)
    assert baked["id"] == ob2.assertion_url(badge)
    with pytest.raises(ValueError):
        baking.extract(got.content)  # no 3.0 credential in the 2.0 image


# -------------------------------------------------------------------------- sharing

def test_the_switch_turns_the_public_page_on_and_off_and_is_audited(
        world: Any, login: Any) -> None:
    from uptake.audit.models import AuditEvent

    badge = issued(world)
    client = login(world.people["teacher"])
    response = client.post(_url("award_share", badge), {"shared": "1"}, follow=True)
    badge.refresh_from_db()
    assert badge.shared_at is not None
    html = response.content.decode()
    public = reverse("badges:public", args=[badge.uuid])
    assert public in html and "https://www.linkedin.com/profile/add?" in html
    assert "startTask=CERTIFICATION_NAME" in html and f"certId={badge.uuid}" in html
    assert "organizationName=Maple+Valley+Unified" in html
    assert f"/verify/?credential={badge.uuid}" in html
    assert reverse("badges:ob2_assertion", args=[badge.uuid]) in html
    assert client.get(public).status_code == 200
    client.post(_url("award_share", badge), {"shared": "0"})
    badge.refresh_from_db()
    assert badge.shared_at is None
    assert client.get(public).status_code == 404
    kinds = list(AuditEvent.objects.filter(action__in=["badge_shared", "badge_unshared"])
                 .order_by("pk").values_list("action", flat=True))
    assert kinds == ["badge_shared", "badge_unshared"]


def test_a_revoked_badge_cannot_be_shared(world: Any, login: Any) -> None:
    from uptake.badges.actions import do_revoke

    badge = do_revoke(issued(world), actor=world.people["coordinator"], reason="Error")
    client = login(world.people["teacher"])
    response = client.post(_url("award_share", badge), {"shared": "1"}, follow=True)
    assert "A revoked credential cannot be shared." in response.content.decode()
    badge.refresh_from_db()
    assert badge.shared_at is None
