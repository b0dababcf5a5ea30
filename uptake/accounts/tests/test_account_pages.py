"""allauth's pages render inside Uptake's layout, accessibly and within the CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["account_login", "account_reset_password", "account_reset_password_done",
                   "account_signup"]
SIGNED_IN_PAGES = ["account_settings", "account_change_password", "mfa_index",
                   "mfa_activate_totp", "mfa_generate_recovery_codes", "account_logout"]


def _check_layout(html: str) -> None:
    assert 'class="skip-link"' in html, "not in base.html"
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "style=" not in html, "inline styles break the CSP"
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script or "nonce=" in script, script
    for match in re.finditer(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html):
        assert f'for="{match.group(1)}"' in html, f"input {match.group(1)} has no label"


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_it_renders_sign_in_pages_in_the_uptake_layout(client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check_layout(response.content.decode())


def test_it_says_there_is_no_self_sign_up(client: Any) -> None:
    assert "No self sign-up" in client.get(reverse("account_signup")).content.decode()


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_it_renders_account_pages_in_the_uptake_layout(client: Any, world: Any,
                                                       name: str) -> None:
    client.post("/accounts/login/", {"login": "jamie@maple.test", "password": PASSWORD})
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    _check_layout(response.content.decode())


def test_it_announces_form_errors_and_ties_them_to_fields(client: Any, world: Any) -> None:
    client.post("/accounts/login/", {"login": "jamie@maple.test", "password": PASSWORD})
    html = client.post(reverse("account_change_password"), {
        "oldpassword": "wrong", "password1": "short", "password2": "short"}).content.decode()
    assert 'role="alert"' in html
    assert re.search(r'id="id_oldpassword"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                     r'id="id_oldpassword"', html)
    assert 'id="id_oldpassword_error"' in html
