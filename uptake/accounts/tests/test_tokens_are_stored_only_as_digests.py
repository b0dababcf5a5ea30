"""Secrets handed out in links are stored only as their SHA-256: looked up by digest,
refused when expired or revoked; invitations made before keep working after the move."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.utils import timezone

from uptake.accounts import tokens
from uptake.accounts.actions import do_invite, usable_invitation
from uptake.accounts.models import Invitation


def test_it_stores_only_the_digest_of_an_invitations_secret(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        invitation = do_invite(actor=world.people["teacher"], email="sam@elsewhere.test",
                               purpose=Invitation.Purpose.PEER_OBSERVER)
    secret = str(mail.outbox[0].body).split("/invitations/accept/")[1].split("/")[0]
    assert secret not in invitation.token
    assert invitation.token == hashlib.sha256(secret.encode()).hexdigest()
    assert usable_invitation(secret) == invitation
    assert usable_invitation(invitation.token) is None  # the stored digest opens nothing


def test_it_refuses_expired_revoked_and_overlong_secrets(world: Any) -> None:
    made = tokens.new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        district=world.district, invited_by=world.people["teacher"], email="x@y.test",
        purpose="peer_observer", expires_at=now + timedelta(days=1), token=made.digest)
    assert tokens.find(Invitation.objects.all(), made.secret) == invitation
    assert tokens.find(Invitation.objects.all(), "x" * 201) is None
    assert tokens.is_live(invitation)
    invitation.expires_at = now - timedelta(seconds=1)
    assert not tokens.is_live(invitation)
    invitation.expires_at, invitation.revoked_at = now + timedelta(days=1), now
    assert not tokens.is_live(invitation)


def test_a_row_made_without_the_action_holds_no_usable_secret(world: Any) -> None:
    invitation = Invitation.objects.create(
        district=world.district, invited_by=world.people["teacher"], email="x@y.test",
        purpose="peer_observer", expires_at=timezone.now() + timedelta(days=1))
    assert len(invitation.token) == 64 and usable_invitation(invitation.token) is None


def test_the_migration_hashes_plain_secrets_so_links_already_sent_keep_working(
        world: Any) -> None:
    migration = import_module("uptake.accounts.migrations.0003_hash_plain_invitation_tokens")
    plain = "an-old-secret-sent-by-e-mail-before-the-move"
    kept = tokens.new_token()
    for email, token in (("old@y.test", plain), ("new@y.test", kept.digest)):
        Invitation.objects.create(
            district=world.district, invited_by=world.people["teacher"], email=email,
            purpose="peer_observer", expires_at=timezone.now() + timedelta(days=1),
            token=token)
    migration.hash_plain_tokens(django_apps, None)
    assert usable_invitation(plain) == Invitation.objects.get(email="old@y.test")
    assert usable_invitation(kept.secret) == Invitation.objects.get(email="new@y.test")
