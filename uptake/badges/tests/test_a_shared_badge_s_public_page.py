"""A badge's public verification page exists only while she shares it: 404 before, 200
with OpenGraph tags while shared, 404 again once she stops, 410 once revoked (without the
reason). A JSON Accept header gets the exact signed text. Her e-mail appears nowhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.badges.tests.fixtures import issued

pytestmark = pytest.mark.django_db

EMAIL = "jamie@maple.test"


def _shared(w: Any) -> Any:
    from uptake.badges.actions import do_set_shared

    return do_set_shared(issued(w), actor=w.people["teacher"], shared=True)


def _urls(badge: Any) -> list[str]:
    return [reverse(f"badges:{name}", args=[badge.uuid])
            for name in ("public", "public_json", "public_image")]


def _meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert found, key
    return found.group(1)


def test_it_exists_only_while_shared(world: Any, client: Any) -> None:
    from uptake.badges.actions import do_set_shared

    badge = issued(world)
    for url in _urls(badge):
        assert client.get(url).status_code == 404, url
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    for url in _urls(badge):
        assert client.get(url).status_code == 200, url
    do_set_shared(badge, actor=world.people["teacher"], shared=False)
    for url in _urls(badge):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["teacher", "colleague", "coordinator",
                                     "other_coordinator"])
def test_anyone_reads_it_while_shared_signed_in_or_not(world: Any, login: Any,
                                                       persona: str) -> None:
    badge = _shared(world)
    assert login(world.people[persona]).get(_urls(badge)[0]).status_code == 200


def test_a_missing_badge_is_a_404(world: Any, client: Any) -> None:
    assert client.get("/badges/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_it_shows_the_achievement_the_issuer_and_a_live_check(world: Any,
                                                             client: Any) -> None:
    badge = _shared(world)
    response = client.get(_urls(badge)[0])
    html = response.content.decode()
    assert "Accept" in response["Vary"]
    assert "Academic conversations" in html and "Jamie Nguyen" in html
    assert "Maple Valley Unified" in html and badge.award.version.competency[:40] in html
    assert "Verified" in html and "did:web:" in html
    assert f"/verify/?credential={badge.uuid}" in html
    assert "each judged by a district assessor" in html and "**" not in html
    assert 'name="robots"' not in html  # LinkedIn must read it


def test_its_verify_link_opens_the_verifier_on_this_credential(world: Any,
                                                              client: Any) -> None:
    badge = _shared(world)
    html = client.get(_urls(badge)[0]).content.decode()
    link = f"{reverse('badges:verify')}?credential={badge.uuid}"
    assert f'href="{link}"' in html
    answer = client.get(link)
    assert answer.status_code == 200 and "Academic conversations" in answer.content.decode()


def test_it_carries_opengraph_tags_with_absolute_urls(world: Any, client: Any) -> None:
    from django.conf import settings

    badge = _shared(world)
    html = client.get(_urls(badge)[0]).content.decode()
    site = settings.SITE_URL.rstrip("/")
    assert _meta(html, "og:type") == "website"
    assert _meta(html, "og:title") == "Academic conversations: Jamie Nguyen"
    assert "Maple Valley Unified" in _meta(html, "og:description")
    assert _meta(html, "og:url") == f"{site}/badges/{badge.uuid}/"
    assert _meta(html, "og:image") == f"{site}/badges/{badge.uuid}/image.png"
    assert _meta(html, "twitter:card") == "summary_large_image"
    image = client.get(f"/badges/{badge.uuid}/image.png")
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_a_broken_signature_is_not_shown_as_verified(world: Any, client: Any) -> None:
    from uptake.badges.models import Badge

    badge = _shared(world)
    Badge.objects.filter(pk=badge.pk).update(
        document=badge.document.replace("Academic conversations", "Something else", 1))
    html = client.get(_urls(badge)[0]).content.decode()
    assert "Not verified" in html and "signature does not match" in html


@pytest.mark.parametrize("accept", ["application/json", "application/ld+json",
                                    "application/vc+ld+json",
                                    "application/ld+json, text/html;q=0.5"])
def test_asking_for_json_gets_the_exact_signed_bytes(world: Any, client: Any,
                                                    accept: str) -> None:
    badge = _shared(world)
    response = client.get(_urls(badge)[0], headers={"Accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"] == accept.split(",")[0]
    assert "Accept" in response["Vary"]
    assert response.content == badge.document.encode("utf-8")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", ""])
def test_browsers_get_the_page(world: Any, client: Any, accept: str) -> None:
    badge = _shared(world)
    headers = {"Accept": accept} if accept else {}
    response = client.get(_urls(badge)[0], headers=headers)
    assert response["Content-Type"].startswith("text/html")


def test_the_json_download_is_the_exact_credential(world: Any, client: Any) -> None:
    badge = _shared(world)
    response = client.get(_urls(badge)[1])
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == badge.document.encode("utf-8")


def test_a_revoked_badge_is_gone_without_its_reason(world: Any, client: Any) -> None:
    from uptake.badges.actions import do_revoke

    badge = do_revoke(_shared(world), actor=world.people["coordinator"],
                      reason="Plagiarised reflection")
    response = client.get(_urls(badge)[0])
    assert response.status_code == 410
    html = response.content.decode()
    assert "This credential was revoked by its issuer" in html
    assert "Plagiarised" not in html and "Jamie" not in html
    assert client.get(_urls(badge)[0], headers={"Accept": "application/json"}
                      ).status_code == 410
    assert client.get(_urls(badge)[1]).status_code == 404
    assert client.get(_urls(badge)[2]).status_code == 404


def test_her_email_appears_nowhere_public(world: Any, client: Any) -> None:
    badge = _shared(world)
    assert badge.award.educator.email == EMAIL
    bodies = [client.get(url).content for url in _urls(badge)]
    bodies.append(client.get(_urls(badge)[0], headers={"Accept": "application/json"}).content)
    bodies += [client.get(reverse(f"badges:{name}", args=[arg])).content for name, arg in (
        ("ob2_assertion", badge.uuid), ("ob2_issuer", badge.issuer.uuid),
        ("ob2_badgeclass", badge.award.version.pk))]
    for body in bodies:
        assert EMAIL.encode() not in body.lower()
        assert b"jamie@" not in body.lower()


def test_without_a_name_the_page_shows_no_address_either(world: Any, client: Any) -> None:
    from uptake.accounts.models import User

    badge = _shared(world)
    User.objects.filter(pk=badge.award.educator_id).update(first_name="", last_name="")
    html = client.get(_urls(badge)[0]).content.decode()
    assert EMAIL not in html and "An educator of Maple Valley Unified" in html
