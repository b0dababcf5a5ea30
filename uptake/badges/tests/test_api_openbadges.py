"""The Open Badges 3.0 REST API (``/ims/ob/v3p0/``): an application a coordinator
registered gets an educator's consent through the OAuth 2.0 authorization-code grant with
PKCE, then reads her credentials (and only hers) as the specification's
GetOpenBadgeCredentialsResponse, page by page; discovery describes it all; every refusal is
an Imsx_StatusInfo, checked against the official schemas."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from uptake.accounts.models import RoleAssignment
from uptake.badges import actions, obapi
from uptake.badges.tests.fixtures import issued
from uptake.openbadges import schema
from uptake.rules import Invalid, NotAllowed

pytestmark = pytest.mark.django_db

REDIRECT = "https://backpack.example/callback"
RESPONSE_SCHEMA = "ob_v3p0_getopenbadgecredentialsresponse_schema.json"
STATUS_SCHEMA = "ob_v3p0_imsx_statusinfo_schema.json"
PROFILE_SCHEMA = "ob_v3p0_profile_schema.json"
EVERY_SCOPE = [obapi.CREDENTIAL_READ, obapi.PROFILE_READ]


def _register(w: Any, coordinator: str = "coordinator") -> tuple[str, str]:
    return actions.do_register_api_client(w.people[coordinator], name="Backpack",
                                          redirect_uris=[REDIRECT])


def _token(client_id: str, user: Any, scopes: list[str], *,
           expires_in: timedelta = timedelta(hours=1)) -> str:
    """An access token as allauth's token endpoint stores one (hashed)."""
    from allauth.idp.oidc.adapter import get_adapter
    from allauth.idp.oidc.models import Token

    value = secrets.token_urlsafe(32)
    token = Token(client_id=client_id, user=user, type=Token.Type.ACCESS_TOKEN,
                  hash=get_adapter().hash_token(value),
                  expires_at=timezone.now() + expires_in)
    token.set_scopes(scopes)
    token.save()
    return value


def _get(path: str, token: str | None = None, **query: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(f"/ims/ob/v3p0/{path}", query, headers=headers)


def _refusal(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert schema.problems(body, STATUS_SCHEMA) == []
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    assert body["imsx_description"]
    return dict(body)


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


# --------------------------------------------------------------------- the real flow

def test_an_educator_authorizes_an_application_which_reads_her_credentials_only(
        world: Any) -> None:
    hers, theirs = issued(world), issued(world, "colleague")
    client_id, secret = _register(world)
    verifier, challenge = _pkce()

    # She signs in, the application sends her to the authorization endpoint, she consents.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.people["teacher"],
                        backend="django.contrib.auth.backends.ModelBackend")
    consent = browser.get("/oauth/identity/o/authorize", {
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "scope": obapi.CREDENTIAL_READ, "state": "st4te", "code_challenge": challenge,
        "code_challenge_method": "S256"})
    assert consent.status_code == 200
    page = consent.content.decode()
    assert "Backpack" in page and f'value="{obapi.CREDENTIAL_READ}"' in page
    assert "Read your Open Badges" in page  # in words, not the scope's URL
    granted = browser.post("/oauth/identity/o/authorize", {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                         page).group(1),  # type: ignore[union-attr]
        "request": re.search(r'name="request" value="([^"]+)"',
                             page).group(1),  # type: ignore[union-attr]
        "scopes": [obapi.CREDENTIAL_READ], "action": "grant"})
    assert granted.status_code == 302
    back = urlsplit(granted["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    answer = parse_qs(back.query)
    assert answer["state"] == ["st4te"]

    # The application exchanges the code, with its secret and the PKCE verifier.
    app = Client()
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    exchange = {"grant_type": "authorization_code", "code": answer["code"][0],
                "redirect_uri": REDIRECT}
    wrong = app.post("/oauth/identity/o/api/token",
                     {**exchange, "code_verifier": secrets.token_urlsafe(48)},
                     headers={"Authorization": f"Basic {basic}"})
    assert wrong.status_code == 400  # a stolen code without the verifier is worthless
    issued_token = app.post("/oauth/identity/o/api/token",
                            {**exchange, "code_verifier": verifier},
                            headers={"Authorization": f"Basic {basic}"})
    assert issued_token.status_code == 200, issued_token.content
    access = issued_token.json()["access_token"]
    assert issued_token.json()["scope"] == obapi.CREDENTIAL_READ

    got = _get("credentials", access)
    assert got.status_code == 200, got.content
    body = got.json()
    assert schema.problems(body, RESPONSE_SCHEMA) == []
    assert [c["id"] for c in body["credential"]] == [hers.credential_id]
    assert body["credential"] == [json.loads(hers.document)]
    assert body["compactJwsString"] == [hers.jwt]
    assert theirs.credential_id not in got.content.decode()
    assert got["X-Total-Count"] == "1" and got["Cache-Control"] == "no-store"
    # Consent was for credentials only: not her profile, and nothing of the JSON API.
    refused = _refusal(_get("profile", access), 403)
    assert obapi.PROFILE_READ in refused["imsx_description"]
    assert Client().get("/api/v1/badges", headers={
        "Authorization": f"Bearer {access}"}).status_code == 401


def test_with_both_scopes_it_reads_her_profile_and_a_code_works_once(world: Any) -> None:
    issued(world)
    client_id, secret = _register(world)
    verifier, challenge = _pkce()
    browser = Client()
    browser.force_login(world.people["teacher"],
                        backend="django.contrib.auth.backends.ModelBackend")
    page = browser.get("/oauth/identity/o/authorize", {
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "scope": " ".join(EVERY_SCOPE), "code_challenge": challenge,
        "code_challenge_method": "S256"}).content.decode()
    granted = browser.post("/oauth/identity/o/authorize", {
        "request": re.search(r'name="request" value="([^"]+)"',
                             page).group(1),  # type: ignore[union-attr]
        "scopes": EVERY_SCOPE, "action": "grant"})
    code = parse_qs(urlsplit(granted["Location"]).query)["code"][0]
    made = Client().post("/oauth/identity/o/api/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "code_verifier": verifier, "client_id": client_id, "client_secret": secret})
    assert made.status_code == 200, made.content
    access = made.json()["access_token"]
    got = _get("profile", access)
    assert got.status_code == 200
    assert schema.problems(got.json(), PROFILE_SCHEMA) == []
    assert got.json()["name"] == world.people["teacher"].display_name
    assert got.json()["type"] == ["Profile"]
    # The code is spent.
    again = Client().post("/oauth/identity/o/api/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "code_verifier": verifier, "client_id": client_id, "client_secret": secret})
    assert again.status_code == 400


# -------------------------------------------------------------------------- discovery

def test_discovery_describes_the_api_and_where_to_get_a_token(world: Any) -> None:
    from openapi_spec_validator import validate

    got = _get("discovery")
    assert got.status_code == 200 and got["Access-Control-Allow-Origin"] == "*"
    document = got.json()
    validate(document)
    info = document["info"]
    assert info["termsOfService"] and info["x-imssf-privacyPolicyUrl"]
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2" and scheme["x-imssf-registrationUrl"]
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"].endswith("/oauth/identity/o/authorize")
    assert flow["tokenUrl"].endswith("/oauth/identity/o/api/token")
    assert set(flow["scopes"]) == set(EVERY_SCOPE)
    assert document["servers"][0]["url"].endswith("/ims/ob/v3p0")
    assert set(document["paths"]) == {"/credentials", "/profile", "/discovery"}
    assert document["paths"]["/credentials"]["get"]["security"] == [
        {"OAuth2ACG": [obapi.CREDENTIAL_READ]}]


# ----------------------------------------------------------------------------- paging

def _many(w: Any, count: int) -> list[Any]:
    """``count`` badges of Jamie's, one per credential, issued a minute apart (oldest
    first)."""
    from uptake.badges.actions import do_issue
    from uptake.credentials.models import Award
    from uptake.credentials.tests.fixtures import credential

    found = []
    for n in range(count):
        version = credential(w, title=f"Credential number {n + 1}")
        made = Award.objects.create(district=w.district, educator=w.people["teacher"],
                                    credential=version.credential, version=version)
        badge = do_issue(made, actor=w.people["coordinator"])
        assert badge is not None
        badge.issued_at = timezone.now() - timedelta(minutes=count - n)
        badge.save(update_fields=["issued_at"])
        found.append(badge)
    return found


def _links(response: Any) -> dict[str, str]:
    found = {}
    for part in response["Link"].split(","):
        url, rel = re.match(r'\s*<([^>]+)>;\s*rel="(\w+)"', part).groups()  # type: ignore[union-attr]
        found[rel] = url
    return found


def test_credentials_come_page_by_page_with_a_total_and_links(world: Any) -> None:
    badges = _many(world, 5)
    client_id, _ = _register(world)
    token = _token(client_id, world.people["teacher"], [obapi.CREDENTIAL_READ])
    newest_first = [b.credential_id for b in reversed(badges)]

    first = _get("credentials", token, limit=2)
    assert first.status_code == 200
    assert schema.problems(first.json(), RESPONSE_SCHEMA) == []
    assert first["X-Total-Count"] == "5"
    assert [c["id"] for c in first.json()["credential"]] == newest_first[:2]
    links = _links(first)
    assert set(links) == {"first", "next", "last"}
    assert "offset=2" in links["next"] and "offset=4" in links["last"]

    collected = []
    url: str | None = links["first"]
    while url:
        page = Client().get(url, headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200
        collected += [c["id"] for c in page.json()["credential"]]
        url = _links(page).get("next")
    assert collected == newest_first

    last = _get("credentials", token, limit=2, offset=4)
    assert set(_links(last)) == {"first", "prev", "last"}
    past = _get("credentials", token, limit=2, offset=10)
    assert past.json()["credential"] == [] and past["X-Total-Count"] == "5"

    since = badges[3].issued_at.isoformat()
    recent = _get("credentials", token, since=since)
    assert [c["id"] for c in recent.json()["credential"]] == newest_first[:2]
    assert recent["X-Total-Count"] == "2" and "since=" in _links(recent)["first"]


@pytest.mark.parametrize(("query", "words"), [
    ({"limit": "0"}, "“limit” must be a whole number from 1 to 200"),
    ({"limit": "201"}, "“limit” must be a whole number from 1 to 200"),
    ({"limit": "ten"}, "“limit” must be a whole number"),
    ({"offset": "-1"}, "“offset” must be a whole number"),
    ({"offset": "9" * 30}, "“offset” must be a whole number"),
    ({"since": "yesterday"}, "“since” must be a date and time"),
    ({"since": "2026-13-45T00:00:00Z"}, "“since” must be a date and time"),
])
def test_a_bad_query_parameter_is_a_400_that_says_which(world: Any, query: dict[str, str],
                                                       words: str) -> None:
    client_id, _ = _register(world)
    token = _token(client_id, world.people["teacher"], [obapi.CREDENTIAL_READ])
    refused = _refusal(_get("credentials", token, **query), 400)
    assert words in refused["imsx_description"]
    assert refused["imsx_codeMinor"]["imsx_codeMinorField"][0][
        "imsx_codeMinorFieldValue"] == "invalid_query_parameter"


# ------------------------------------------------------------------------- refusals

def test_no_token_or_a_dead_one_is_a_401_with_a_bearer_challenge(world: Any) -> None:
    from uptake.api.actions import create_token

    issued(world)
    client_id, _ = _register(world)
    teacher = world.people["teacher"]
    for path in ("credentials", "profile"):
        refused = _get(path)
        _refusal(refused, 401)
        assert refused["WWW-Authenticate"].startswith("Bearer")
    assert _refusal(Client().get("/ims/ob/v3p0/credentials", headers={
        "Authorization": "Basic abc"}), 401)
    expired = _token(client_id, teacher, EVERY_SCOPE, expires_in=timedelta(seconds=-1))
    personal = create_token(teacher, name="mine", scopes=["badges:read"]).secret
    for dead in ("not-a-token", expired, personal):
        refused = _get("credentials", dead)
        _refusal(refused, 401)
        assert 'error="invalid_token"' in refused["WWW-Authenticate"]


def test_a_token_of_another_kind_of_client_opens_nothing_here(world: Any) -> None:
    from uptake.api.oauth import create_integration

    issued(world)
    integration = create_integration(world.people["coordinator"], name="SIS sync",
                                     role="coordinator", scopes=["badges:read"])
    token = _token(integration.client_id, integration.integration.service_account,
                   EVERY_SCOPE)
    _refusal(_get("credentials", token), 401)


def test_a_closed_account_or_a_withdrawn_client_ends_the_token(world: Any) -> None:
    from allauth.idp.oidc.models import Client as OAuthClient

    issued(world)
    client_id, _ = _register(world)
    teacher = world.people["teacher"]
    token = _token(client_id, teacher, EVERY_SCOPE)
    assert _get("credentials", token).status_code == 200
    # Her roles taken away: her credentials are still hers.
    RoleAssignment.objects.filter(user=teacher).delete()
    assert _get("credentials", token).status_code == 200
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    _refusal(_get("credentials", token), 401)
    _refusal(_get("profile", token), 401)
    teacher.is_active = True
    teacher.save(update_fields=["is_active"])
    client = OAuthClient.objects.get(pk=client_id)
    client.set_grant_types([])
    client.save(update_fields=["grant_types"])
    _refusal(_get("credentials", token), 401)


def test_a_token_without_the_scope_or_for_another_district_is_a_403(world: Any) -> None:
    issued(world)
    client_id, _ = _register(world)
    profile_only = _token(client_id, world.people["teacher"], [obapi.PROFILE_READ])
    refused = _get("credentials", profile_only)
    _refusal(refused, 403)
    assert 'error="insufficient_scope"' in refused["WWW-Authenticate"]
    assert obapi.CREDENTIAL_READ in refused["WWW-Authenticate"]
    elsewhere, _ = _register(world, "other_coordinator")
    stray = _token(elsewhere, world.people["teacher"], EVERY_SCOPE)
    assert "another district" in _refusal(_get("credentials", stray), 403)["imsx_description"]


def test_writing_is_not_offered(world: Any) -> None:
    client_id, _ = _register(world)
    token = _token(client_id, world.people["teacher"], EVERY_SCOPE)
    for method, path in (("post", "credentials"), ("put", "profile"),
                         ("delete", "discovery")):
        refused = getattr(Client(), method)(f"/ims/ob/v3p0/{path}", "{}",
                                            content_type="application/json",
                                            headers={"Authorization": f"Bearer {token}"})
        _refusal(refused, 405)
        assert refused["Allow"] == "GET, HEAD"


# ---------------------------------------------------------------- registering clients

def test_only_a_coordinator_registers_a_client_with_a_safe_redirect(world: Any) -> None:
    from allauth.idp.oidc.models import Client as OAuthClient

    with pytest.raises(NotAllowed):
        actions.do_register_api_client(world.people["teacher"], name="Mine",
                                       redirect_uris=[REDIRECT])
    coordinator = world.people["coordinator"]
    for uris, words in ((["http://backpack.example/cb"], "use https"),
                        (["backpack.example/cb"], "absolute https"),
                        (["https://backpack.example/cb#x"], "fragment"),
                        ([" "], "Give the redirect URI")):
        with pytest.raises(Invalid, match=words):
            actions.do_register_api_client(coordinator, name="B", redirect_uris=uris)
    with pytest.raises(Invalid, match="Name the application"):
        actions.do_register_api_client(coordinator, name="  ", redirect_uris=[REDIRECT])
    client_id, secret = actions.do_register_api_client(
        coordinator, name="Dev", redirect_uris=["http://localhost:8080/cb"])
    client = OAuthClient.objects.get(pk=client_id)
    assert client.get_grant_types() == ["authorization_code", "refresh_token"]
    assert set(client.get_scopes()) == set(EVERY_SCOPE) and not client.skip_consent
    assert client.check_secret(secret) and client.secret != secret


def test_the_command_registers_a_client_and_prints_its_secret_once(world: Any,
                                                                  capsys: Any) -> None:
    from django.core.management.base import CommandError

    call_command("openbadges_client", "--coordinator", world.people["coordinator"].email,
                 "--name", "Backpack", "--redirect-uri", REDIRECT)
    out = capsys.readouterr().out
    assert re.search(r"client_id: \w+", out) and "client_secret: " in out
    assert "/ims/ob/v3p0/discovery" in out
    with pytest.raises(CommandError, match="Only a district coordinator"):
        call_command("openbadges_client", "--coordinator", world.people["teacher"].email,
                     "--name", "Backpack", "--redirect-uri", REDIRECT)
    with pytest.raises(CommandError, match="No account"):
        call_command("openbadges_client", "--coordinator", "nobody@nowhere.test",
                     "--name", "Backpack", "--redirect-uri", REDIRECT)
