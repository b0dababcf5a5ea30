"""The coordinator's page for her district's school-account sign-in: who reaches it, what bad
input is told, what is never shown back, and what turning password sign-in off does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from conftest import PASSWORD
from uptake.accounts import actions
from uptake.accounts.models import Role, SignInMethod
from uptake.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "/district/sign-in/"
SECRET = "client-secret-that-must-never-show-1234"
SAML_XML = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://idp.maple.test/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:X509Data><ds:X509Certificate>MIIBfakecertificate</ds:X509Certificate></ds:X509Data>
    </ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.maple.test/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def _as(client: Any, person: Any) -> Any:
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _saml(coordinator: Any, **extra: Any) -> SignInMethod:
    return actions.do_set_sign_in_method(actor=coordinator, given=actions.SignInSettings(
        kind="saml", domains="maple.test", saml_metadata_xml=SAML_XML, **extra))


# ------------------------------------------------------------------------------ access

def test_anonymous_visitors_are_sent_to_sign_in(client: Any, world: Any) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "researcher", "assessor"])
def test_only_coordinators_reach_the_page(client: Any, world: Any, persona: str) -> None:
    assert _as(client, world.people[persona]).get(PAGE).status_code == 404
    assert client.post(PAGE, {"kind": "saml", "domains": "maple.test",
                              "saml_metadata_xml": SAML_XML}).status_code == 404
    assert client.post("/district/sign-in/remove/").status_code == 404
    assert not SignInMethod.objects.exists()


def test_another_districts_coordinator_neither_sees_nor_changes_it(client: Any,
                                                                   world: Any) -> None:
    _saml(world.people["coordinator"])
    other = _as(client, world.people["other_coordinator"])
    html = other.get(PAGE).content.decode()
    assert "idp.maple.test" not in html and "maple.test" not in html
    other.post("/district/sign-in/remove/")
    assert SignInMethod.objects.get().district == world.district
    # Her own district cannot claim Maple Valley's domain either.
    response = other.post(PAGE, {"kind": "saml", "domains": "maple.test",
                                 "saml_metadata_xml": SAML_XML})
    assert "maple.test is already used for sign-in by another district" in \
        response.content.decode()
    assert SignInMethod.objects.count() == 1


def test_a_coordinator_whose_role_was_revoked_no_longer_reaches_it(client: Any,
                                                                   world: Any) -> None:
    renata = world.people["coordinator"]
    second = actions.do_add_person(actor=renata, email="second@maple.test", first_name="Sec",
                                   last_name="Ond", roles=[actions.RoleGrant(Role.COORDINATOR)],
                                   send_email=False)
    assert _as(client, renata).get(PAGE).status_code == 200
    actions.do_revoke_role(actor=second, assignment=renata.roles.get(role=Role.COORDINATOR))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"kind": "saml", "domains": "maple.test",
                              "saml_metadata_xml": SAML_XML}).status_code == 404
    assert not SignInMethod.objects.exists()


# ------------------------------------------------------------------- saving, and secrets

def test_the_secret_is_stored_but_never_shown_back_in_full(client: Any, world: Any) -> None:
    renata = _as(client, world.people["coordinator"])
    response = renata.post(PAGE, {
        "kind": "google", "domains": "maple.test\n@Maple-Staff.test",
        "client_id": "123-abc.apps.googleusercontent.com", "client_secret": SECRET,
        "password_allowed": "on"})
    assert response.status_code == 302
    method = SignInMethod.objects.get()
    assert method.client_secret == SECRET
    assert method.domain_list == ["maple.test", "maple-staff.test"]
    html = renata.get(PAGE).content.decode()
    assert SECRET not in html
    assert "••••••••1234" in html
    assert "http://127.0.0.1:8000/accounts/google/login/callback/" in html
    # Saving again without retyping the secret keeps it.
    renata.post(PAGE, {"kind": "google", "domains": "maple.test",
                       "client_id": "123-abc.apps.googleusercontent.com"})
    assert SignInMethod.objects.get().client_secret == SECRET
    event = AuditEvent.objects.filter(action=actions.SSO_CONFIGURED).first()
    assert event is not None and SECRET not in json.dumps(event.details) + event.summary


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "saml", "domains": "maple.test", "saml_metadata_xml": "<md:EntityDescriptor"},
     "The IdP metadata is not well-formed XML"),
    ({"kind": "saml", "domains": "maple.test",
      "saml_metadata_xml": SAML_XML.replace("MIIBfakecertificate", "")},
     "gives no signing certificate"),
    ({"kind": "saml", "domains": "maple.test", "saml_metadata_xml": SAML_XML,
      "saml_entity_id": "https://another.idp/"},
     "describes no IdP with the entity ID https://another.idp/"),
    ({"kind": "saml", "domains": "maple.test"},
     "Give the IdP&#x27;s metadata URL, or paste its metadata XML."),
    ({"kind": "oidc", "domains": "maple.test", "issuer": "http://idp.maple.test",
      "client_id": "c", "client_secret": "s"},
     "http://idp.maple.test is not an https:// address"),
    ({"kind": "oidc", "domains": "maple.test", "issuer": "https://127.0.0.1:9",
      "client_id": "c", "client_secret": "s"},
     "127.0.0.1 is an address inside a private network"),
    ({"kind": "microsoft", "domains": "maple.test", "tenant": "common", "client_id": "c",
      "client_secret": "s"},
     "&#x27;common&#x27; lets any organisation&#x27;s accounts in"),
    ({"kind": "google", "domains": "maple.test", "client_id": "not-a-google-id",
      "client_secret": "s"}, "A Google client ID ends in .apps.googleusercontent.com"),
    ({"kind": "google", "domains": "maple dot test", "client_id": "x",
      "client_secret": "s"}, "&#x27;maple&#x27; is not an e-mail domain"),
    ({"kind": "google", "domains": "maple.test",
      "client_id": "1.apps.googleusercontent.com"},
     "Give the client secret the IdP issued with that client ID."),
])
def test_bad_input_gets_a_specific_message_and_saves_nothing(
        client: Any, world: Any, data: dict[str, str], message: str) -> None:
    response = _as(client, world.people["coordinator"]).post(PAGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SignInMethod.objects.exists()
    assert not AuditEvent.objects.filter(action=actions.SSO_CONFIGURED).exists()


class _Discovery(BaseHTTPRequestHandler):
    issuer = ""

    def do_GET(self) -> None:
        body = json.dumps({"issuer": self.issuer, "authorization_endpoint": "x",
                           "token_endpoint": "x", "jwks_uri": "x"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def wrong_issuer() -> Iterator[str]:
    """A discovery document on 127.0.0.1 that names another issuer than its own URL."""
    _Discovery.issuer = "https://login.someone-else.test"
    server = HTTPServer(("127.0.0.1", 0), _Discovery)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_issuer_url_whose_document_names_another_issuer_is_refused(
        client: Any, world: Any, wrong_issuer: str, settings: Any) -> None:
    settings.SSO_ALLOW_LOCAL_IDP = True
    response = _as(client, world.people["coordinator"]).post(PAGE, {
        "kind": "oidc", "domains": "maple.test", "issuer": wrong_issuer, "client_id": "c",
        "client_secret": "s"})
    assert response.status_code == 400
    assert "names its issuer &#x27;https://login.someone-else.test&#x27;" in \
        response.content.decode()
    assert not SignInMethod.objects.exists()


def test_an_issuer_nobody_answers_at_is_refused(client: Any, world: Any,
                                               settings: Any) -> None:
    settings.SSO_ALLOW_LOCAL_IDP = True
    response = _as(client, world.people["coordinator"]).post(PAGE, {
        "kind": "oidc", "domains": "maple.test", "issuer": "http://127.0.0.1:9",
        "client_id": "c", "client_secret": "s"})
    assert "Uptake could not reach http://127.0.0.1:9/.well-known/openid-configuration" in \
        response.content.decode()
    assert not SignInMethod.objects.exists()


def test_removing_it_is_audited(client: Any, world: Any) -> None:
    _saml(world.people["coordinator"])
    _as(client, world.people["coordinator"]).post("/district/sign-in/remove/")
    assert not SignInMethod.objects.exists()
    assert AuditEvent.objects.filter(action=actions.SSO_REMOVED,
                                     district=world.district).exists()


# ------------------------------------------------------------- the sign-in page's button

def test_the_sign_in_page_leads_from_an_address_to_the_districts_button(
        client: Any, world: Any) -> None:
    _saml(world.people["coordinator"], label="Maple Schools")
    assert "Or use your school account" in client.get("/accounts/login/").content.decode()
    response = client.get("/accounts/sso/", {"email": "someone@MAPLE.test"})
    assert response["Location"] == "/accounts/sso/maple-valley/"
    start = client.get("/accounts/sso/maple-valley/")
    assert "Sign in with Maple Schools" in start.content.decode()
    # The button's form ends at the IdP: its page lets the form go there, and only there.
    assert "form-action 'self' https://idp.maple.test" in start["Content-Security-Policy"]
    unknown = client.get("/accounts/sso/", {"email": "someone@elsewhere.test"})
    assert "No district signs in with a school account for addresses at elsewhere.test" in \
        unknown.content.decode()
    assert client.get("/accounts/sso/oak-ridge/").status_code == 404


def test_with_password_sign_in_off_a_teacher_is_sent_to_the_button(client: Any,
                                                                   world: Any) -> None:
    _saml(world.people["coordinator"], password_allowed=False)
    response = client.post("/accounts/login/", {"login": "jamie@maple.test",
                                                 "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maple Valley Unified signs in with SAML 2.0, not a password." in html
    assert 'href="/accounts/sso/maple-valley/"' in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action=actions.PASSWORD_SIGN_IN_REFUSED).actor_label == \
        "jamie@maple.test"
    # A wrong password is still just a wrong password (nothing said about the district).
    wrong = client.post("/accounts/login/", {"login": "jamie@maple.test",
                                             "password": "not-the-password"})
    assert "not a password" not in wrong.content.decode()


def test_with_password_sign_in_off_coordinators_keep_theirs(client: Any, world: Any) -> None:
    _saml(world.people["coordinator"], password_allowed=False)
    response = client.post("/accounts/login/", {"login": world.people["coordinator"].email,
                                                 "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == world.people["coordinator"]


def test_the_coordinators_home_leads_to_the_page_and_counts_refusals(client: Any,
                                                                     world: Any) -> None:
    html = _as(client, world.people["coordinator"]).get("/").content.decode()
    assert "Your people sign in with passwords." in html
    assert f'href="{PAGE}"' in html
    _saml(world.people["coordinator"], label="Maple Schools")
    actions.do_record_sso_refusal(district=world.district, email="x@maple.test", kind="saml",
                                  reason="not in roster")
    html = client.get("/").content.decode()
    assert "Your people sign in with Maple Schools (maple.test)" in html
    assert "1 sign-in refused in the last 7 days" in html
    teacher_home = _as(client, world.people["teacher"]).get("/").content.decode()
    assert "School-account sign-in" not in teacher_home


class _Metadata(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        found = self.path == "/saml/metadata"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/samlmetadata+xml")
        self.end_headers()
        self.wfile.write(SAML_XML.encode() if found else b"no")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def metadata_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_saml_metadata_is_read_from_its_url_when_given_one(
        client: Any, world: Any, metadata_server: str, settings: Any) -> None:
    settings.SSO_ALLOW_LOCAL_IDP = True
    renata = _as(client, world.people["coordinator"])
    response = renata.post(PAGE, {"kind": "saml", "domains": "maple.test",
                                  "saml_metadata_url": metadata_server + "/nothing-here"})
    assert f"{metadata_server}/nothing-here answered 404, not the SAML metadata." in \
        response.content.decode()
    assert not SignInMethod.objects.exists()
    response = renata.post(PAGE, {"kind": "saml", "domains": "maple.test",
                                  "saml_metadata_url": metadata_server + "/saml/metadata"})
    assert response.status_code == 302
    method = SignInMethod.objects.get()
    assert method.saml_entity_id == "https://idp.maple.test/saml"
    assert method.saml_sso_url == "https://idp.maple.test/saml/sso"
