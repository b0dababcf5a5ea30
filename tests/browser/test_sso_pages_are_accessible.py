"""The school-account sign-in in a browser: the coordinator's page that sets it up, and the
sign-in page leading a teacher from her address to her district's "Sign in with …" button.

axe-core reports no violation at desktop and phone size, nothing is wider than a phone, and
with the Content-Security-Policy enforced no page logs a violation.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAML_XML = """<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://idp.maple.test/saml"><md:IDPSSODescriptor
    protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor
    use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
    <ds:X509Certificate>MIIBcertificate</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor><md:SingleSignOnService
    Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    Location="https://idp.maple.test/saml/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"""


def _fits(page: Any) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _watch_csp(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused" in msg.text else None)
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_coordinator_sets_up_saml_on_an_accessible_page(
        world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int]) -> None:
    page = page_factory(viewport=viewport, bypass_csp=True)
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    page.goto(live_server.url + "/district/sign-in/")
    assert run_axe(page) == []
    # A mistake first: the error summary is announced and names the field.
    page.get_by_label("SAML 2.0").check()
    page.get_by_label("E-mail domains").fill("maple.test")
    page.get_by_label("IdP metadata XML").fill("<md:EntityDescriptor")
    page.get_by_role("button", name="Save sign-in").click()
    page.wait_for_load_state("networkidle")
    alert = page.get_by_role("alert")
    assert "not well-formed XML" in alert.inner_text()
    assert run_axe(page) == []
    page.get_by_label("IdP metadata XML").fill(SAML_XML)
    page.get_by_label("People may also sign in with a password").uncheck()
    page.get_by_role("button", name="Save sign-in").click()
    page.wait_for_load_state("networkidle")
    assert "Sign-in with the school account saved." in page.content()
    assert "https://idp.maple.test/saml/sso" in page.content()
    assert run_axe(page) == []
    assert _fits(page), f"the page is wider than {viewport['width']}px"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_sign_in_page_leads_to_the_districts_button(
        world: Any, live_server: Any, page_factory: Any, viewport: dict[str, int]) -> None:
    from uptake.accounts import actions

    actions.do_set_sign_in_method(actor=world.people["coordinator"], given=actions.SignInSettings(
        kind="saml", domains="maple.test", label="Maple Schools", saml_metadata_xml=SAML_XML))
    page = page_factory(viewport=viewport, bypass_csp=True)
    page.goto(live_server.url + "/accounts/login/")
    assert run_axe(page) == []
    page.get_by_label("Your school e-mail address").fill("jamie@maple.test")
    page.get_by_role("button", name="Continue with your school account").click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + "/accounts/sso/maple-valley/"
    button = page.get_by_role("button", name="Sign in with Maple Schools")
    assert button.is_visible()
    assert run_axe(page) == []
    assert _fits(page)
    # An address no district covers is told so, accessibly.
    page.goto(live_server.url + "/accounts/sso/?email=someone%40elsewhere.test")
    assert "No district signs in with a school account" in page.get_by_role("alert").first \
        .inner_text()
    assert run_axe(page) == []


def test_the_sso_pages_break_no_content_security_policy(world: Any, live_server: Any,
                                                        page_factory: Any) -> None:
    from uptake.accounts import actions

    actions.do_set_sign_in_method(actor=world.people["coordinator"], given=actions.SignInSettings(
        kind="saml", domains="maple.test", saml_metadata_xml=SAML_XML))
    page = page_factory()
    problems = _watch_csp(page)
    for path in ("/accounts/login/", "/accounts/sso/maple-valley/",
                 "/accounts/sso/?email=a%40elsewhere.test"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    sign_in(page, live_server.url, world.people["coordinator"].email, PASSWORD)
    page.goto(live_server.url + "/district/sign-in/")
    page.wait_for_load_state("networkidle")
    assert problems == []
