"""Signing in and out through allauth: audited, locked after repeated failures, with MFA."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client: Any, email: str, password: str) -> Any:
    return client.post(LOGIN, {"login": email, "password": password})


def test_it_shows_an_accessible_sign_in_page_in_uptakes_layout(client: Any) -> None:
    html = client.get(LOGIN).content.decode()
    assert 'class="skip-link"' in html  # base.html
    assert "Sign in to Uptake" in html
    assert re.search(r'<label for="id_login"', html)
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "sign up" not in html.lower()


def test_it_signs_in_by_email_and_records_it(client: Any, world: Any) -> None:
    teacher = world.people["teacher"]
    response = _sign_in(client, "Jamie@Maple.test", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").context["user"] == teacher
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == teacher
    assert event.district == world.district


def test_it_refuses_a_wrong_password_and_records_the_attempted_email(client: Any,
                                                                     world: Any) -> None:
    response = _sign_in(client, "jamie@maple.test", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_label == "jamie@maple.test"
    assert event.district == world.district  # the coordinator of Jamie's district sees it
    stored = " ".join(str(v) for v in AuditEvent.objects.values_list(
        "summary", "details", "actor_label", "page"))
    assert "not-the-password" not in stored


def test_it_records_failures_on_unknown_emails_without_a_district(client: Any,
                                                                  world: Any) -> None:
    _sign_in(client, "nobody@nowhere.test", "whatever-it-is")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor_label == "nobody@nowhere.test"
    assert event.district is None


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_an_account_after_repeated_failures_and_records_it(client: Any,
                                                                     world: Any) -> None:
    for _ in range(3):
        _sign_in(client, "jamie@maple.test", "wrong-password-here")
    response = _sign_in(client, "jamie@maple.test", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    locked = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert locked.exists()
    assert locked.first().actor_label == "jamie@maple.test"  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 0


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_per_account_so_colleagues_on_the_same_network_still_sign_in(
        client: Any, world: Any) -> None:
    for _ in range(3):
        _sign_in(client, "JAMIE@maple.test", "wrong-password-here")
    assert _sign_in(client, "asha@maple.test", PASSWORD).status_code == 302


def test_it_records_signing_out(client: Any, world: Any) -> None:
    _sign_in(client, "jamie@maple.test", PASSWORD)
    client.post("/accounts/logout/")
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.actor == world.people["teacher"]


def test_it_emails_a_password_reset_link_that_works(client: Any, world: Any) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "jamie@maple.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jamie@maple.test"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[0].body))
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    post_to = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(post_to, {"password1": "a-new-long-passphrase-42",
                                 "password2": "a-new-long-passphrase-42"})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET,
                                     actor=world.people["teacher"]).count() == 1
    client.logout()
    assert _sign_in(client, "jamie@maple.test", "a-new-long-passphrase-42").status_code == 302


def test_it_links_account_settings_to_password_change_and_mfa(login: Any, world: Any) -> None:
    client = login(world.people["researcher"])
    html = client.get(reverse("account_settings")).content.decode()
    assert reverse("account_change_password") in html
    assert reverse("mfa_index") in html
    assert client.get(reverse("account_change_password")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_it_sends_anonymous_visitors_from_account_settings_to_sign_in(client: Any) -> None:
    response = client.get(reverse("account_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def _totp_code(secret: str) -> str:
    """A valid code for now, computed with allauth's own TOTP helpers."""
    from allauth.mfa.totp.internal import auth as totp

    counter = next(iter(totp.yield_hotp_counters_from_time()))  # oldest counter still valid
    counter += totp.app_settings.TOTP_TOLERANCE  # the current one
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def test_it_asks_for_an_authenticator_code_once_mfa_is_active(
        client: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    assert _sign_in(client, "jamie@maple.test", PASSWORD).status_code == 302
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    if page.redirect_chain:  # allauth asks for the password again before changing MFA
        assert 'autocomplete="current-password"' in page.content.decode()
        client.post(page.redirect_chain[-1][0], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="skip-link"' in html and "qr-code" in html
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        activated = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert activated.status_code == 302
    client.post("/accounts/logout/")

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        step_one = _sign_in(client, "jamie@maple.test", PASSWORD)
        assert step_one.status_code == 302
        assert step_one["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session  # not signed in on a password alone
        challenge = client.get(reverse("mfa_authenticate"))
        assert 'autocomplete="one-time-code"' in challenge.content.decode()
        step_two = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
        assert step_two.status_code == 302
        assert client.session["_auth_user_id"] == str(world.people["teacher"].pk)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 2
    changes = AuditEvent.objects.filter(action=AuditAction.MFA_CHANGED)
    assert {tuple(sorted(e.details.items())) for e in changes} >= {
        (("change", "added"), ("kind", "totp"))}


def test_it_records_a_password_change(client: Any, world: Any) -> None:
    _sign_in(client, "jamie@maple.test", PASSWORD)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "another-long-passphrase-7",
        "password2": "another-long-passphrase-7"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == world.people["teacher"]
    assert "another-long-passphrase-7" not in str(event.details) + event.summary
