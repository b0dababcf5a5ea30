"""Signing in with a district's SAML 2.0 IdP, against a real IdP implementation.

The IdP is pysaml2's (``saml2.server.Server``, signing with xmlsec1), run in the test's own
process: it reads the AuthnRequest Uptake redirects the browser to it with, and answers with
a signed Response that the "browser" posts to Uptake's Assertion Consumer Service, exactly as
the HTTP-Redirect and HTTP-POST bindings carry them (SAML 2.0 Bindings, §3.4 and §3.5). Only
the IdP's own sign-in screen is left out: it says who the user is, by the ``identity`` given.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from uptake.accounts import actions
from uptake.accounts.models import User
from uptake.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

IDP_ENTITY_ID = "https://idp.maple.test/saml/metadata"
IDP_SSO_URL = "https://idp.maple.test/saml/sso"
SP = "http://testserver/accounts/saml/maple-valley"


def _key_and_certificate(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.maple.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_file, cert_file = tmp / "idp.key", tmp / "idp.crt"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _idp_config(tmp: Path, sp_metadata: Path | None) -> Any:
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS

    key_file, cert_file = tmp / "idp.key", tmp / "idp.crt"
    config = IdPConfig()
    config.load({
        "entityid": IDP_ENTITY_ID,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": str(key_file), "cert_file": str(cert_file),
        "metadata": {"local": [str(sp_metadata)]} if sp_metadata else {},
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)]},
            "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
            "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI,
                                   "attribute_restrictions": None}},
        }},
    })
    return config


@pytest.fixture
def idp_files(tmp_path: Path) -> Iterator[Path]:
    _key_and_certificate(tmp_path)
    yield tmp_path


@pytest.fixture
def district_saml(world: Any, idp_files: Path, settings: Any) -> Any:
    from saml2.metadata import create_metadata_string

    settings.SSO_ALLOW_LOCAL_IDP = True  # Uptake answers as http://testserver in the tests
    metadata = create_metadata_string(None, config=_idp_config(idp_files, None), valid=24)
    return actions.do_set_sign_in_method(
        actor=world.people["coordinator"], given=actions.SignInSettings(
            kind="saml", domains="maple.test", label="Maple SAML",
            saml_metadata_xml=metadata.decode()))


def _sign_in(client: Any, idp_files: Path, email: str, *, sign: bool = True,
             sha1: bool = False, unsolicited: bool = False) -> Any:
    from saml2 import BINDING_HTTP_REDIRECT, xmldsig
    from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
    from saml2.server import Server

    client.defaults["HTTP_HOST"] = "testserver"  # as browsers send it; python3-saml reads it
    sp_metadata = idp_files / "sp.xml"
    sp_metadata.write_bytes(client.get("/accounts/saml/maple-valley/metadata/").content)
    idp = Server(config=_idp_config(idp_files, sp_metadata))
    response = client.post("/accounts/sso/maple-valley/")
    assert response.status_code == 302
    redirect = urlsplit(response["Location"])
    assert f"{redirect.scheme}://{redirect.netloc}{redirect.path}" == IDP_SSO_URL
    query = parse_qs(redirect.query)
    request = idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
    args = idp.response_args(request.message)
    if unsolicited:  # as if the IdP had started it: in response to no request of Uptake's
        args["in_response_to"] = None
    answer = idp.create_authn_response(
        identity={"mail": [email], "givenName": ["Jamie"], "sn": ["Nguyen"]},
        userid=email, name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_response=sign, sign_assertion=sign,
        sign_alg=xmldsig.SIG_RSA_SHA1 if sha1 else xmldsig.SIG_RSA_SHA256,
        digest_alg=xmldsig.DIGEST_SHA1 if sha1 else xmldsig.DIGEST_SHA256,
        **args)
    posted = client.post(f"{urlsplit(SP).path}/acs/", {
        "SAMLResponse": base64.b64encode(str(answer).encode()).decode(),
        "RelayState": query.get("RelayState", [""])[0]})
    # allauth's ACS hands over to its "finish" page (keeps the session cookie same-site).
    while posted.status_code == 302 and "/acs/finish/" in posted["Location"]:
        posted = client.get(posted["Location"])
    return posted


def test_a_rostered_teacher_signs_in_with_her_districts_saml_idp(
        client: Any, world: Any, idp_files: Path, district_saml: Any) -> None:
    response = _sign_in(client, idp_files, "jamie@maple.test")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get("/").context["user"] == world.people["teacher"]
    assert AuditEvent.objects.get(action=actions.SSO_SIGN_IN).details == {"kind": "saml"}


def test_an_address_not_in_the_roster_is_refused(client: Any, world: Any, idp_files: Path,
                                                 district_saml: Any) -> None:
    before = User.objects.count()
    response = _sign_in(client, idp_files, "stranger@maple.test")
    assert response.status_code == 403
    assert "in Maple Valley Unified&#x27;s roster; ask your coordinator" in \
        response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before


def test_an_address_outside_the_districts_domains_is_refused(
        client: Any, world: Any, idp_files: Path, district_saml: Any) -> None:
    response = _sign_in(client, idp_files, "jamie@elsewhere.test")
    assert response.status_code == 403
    assert "Addresses at elsewhere.test do not sign in to Maple Valley Unified" in \
        response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("answer", [{"sign": False}, {"sha1": True}, {"unsolicited": True}],
                         ids=["unsigned", "signed with SHA-1", "IdP-initiated"])
def test_an_unsigned_weakly_signed_or_unsolicited_answer_signs_nobody_in(
        client: Any, world: Any, idp_files: Path, district_saml: Any,
        answer: dict[str, bool]) -> None:
    response = _sign_in(client, idp_files, "jamie@maple.test", **answer)
    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=actions.SSO_SIGN_IN).exists()
