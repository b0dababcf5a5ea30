"""Every change to people, roles and invitations goes through these functions.

Each ``do_*`` function is atomic, checks the rule it enforces, and writes its audit event in
the same transaction, so a change and its record exist together or not at all. Views,
commands and imports call these; none of them writes the models directly.

Rules are raised as :class:`AccountRuleError` with a message a coordinator can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from uptake.accounts import tokens
from uptake.accounts.grants import GrantRule, content_type_of, is_eligible, last_day
from uptake.accounts.models import (
    DISTRICT_ROLES,
    SCHOOL_ROLES,
    District,
    Grant,
    Invitation,
    Role,
    RoleAssignment,
    School,
    User,
)
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.rules import RuleError

if TYPE_CHECKING:
    from django.http import HttpRequest


class AccountRuleError(RuleError):
    """A change refused by a rule; the message is shown to the person who asked."""


@dataclass(frozen=True)
class RoleGrant:
    """A role to hold, for one school or (``school`` None) the whole district."""

    role: str
    school: School | None = None

    def describe(self) -> str:
        where = self.school.name if self.school is not None else "district-wide"
        return f"{Role(self.role).label} ({where})"


# ---------------------------------------------------------------------------------- checks

def check_role_scope(role: str, school: School | None) -> None:
    """Raise unless ``role`` may be held at that scope (see DISTRICT_ROLES / SCHOOL_ROLES)."""
    if role not in Role.values:
        raise AccountRuleError(f"{role!r} is not a role Uptake knows.")
    label = Role(role).label
    if school is None and role not in DISTRICT_ROLES:
        raise AccountRuleError(f"{label} is held for a school; choose which school.")
    if school is not None and role not in SCHOOL_ROLES:
        raise AccountRuleError(f"{label} is held district-wide, not for one school.")


def _check_school_in_district(actor: User, school: School | None) -> None:
    if school is not None and school.district_id != actor.district_id:
        raise AccountRuleError("That school is not in your district.")


def _check_same_district(actor: User, person: User) -> None:
    # Access helpers already enforce this; repeated here so no caller can skip it.
    if actor.district_id is None or person.district_id != actor.district_id:
        raise AccountRuleError("That person is not in your district.")


def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountRuleError(f"{raw!r} is not a valid e-mail address.") from None
    return email


def _holders(email: str, *, except_user: User | None = None) -> QuerySet[User]:
    """Accounts using the address, as their sign-in or as another of their addresses."""
    from allauth.account.models import EmailAddress

    also = EmailAddress.objects.filter(email__iexact=email).values("user_id")
    holders = User.objects.filter(Q(email__iexact=email) | Q(pk__in=also))
    return holders.exclude(pk=except_user.pk) if except_user is not None else holders


def _check_not_in_district(actor: User, email: str, *, except_user: User | None = None
                           ) -> None:
    # Her district's people are listed for her under People, so naming the fact reveals
    # nothing; an address used anywhere else is never confirmed to her (issue 9, seen 12).
    holders = _holders(email, except_user=except_user)
    if actor.district_id is not None and holders.filter(district_id=actor.district_id).exists():
        raise AccountRuleError(f"{email} is already used by someone in your district; find "
                               "them under People.")


def _check_email_free(email: str, *, actor: User | None = None,
                      except_user: User | None = None) -> None:
    """Addresses are unique across Uptake. A coordinator (``actor``) is told when the address
    is in her own district; for an address used anywhere else she gets an answer that does
    not say so (an invitation to join, which gives the same answer for an unknown address,
    is the way to reach whoever holds it)."""
    if actor is not None:
        _check_not_in_district(actor, email, except_user=except_user)
    if _holders(email, except_user=except_user).exists():
        raise AccountRuleError(
            f"{email} cannot be given to an account here. To bring in whoever uses it, send "
            "an invitation to join your district instead.")


def active_coordinators(district_id: int | None) -> int:
    if district_id is None:
        return 0
    return (User.objects.people().filter(district_id=district_id, is_active=True,
                                         roles__role=Role.COORDINATOR,
                                         roles__school__isnull=True)
            .distinct().count())


def _is_active_coordinator(person: User) -> bool:
    """A person (not an integration's service account) who is an active coordinator."""
    return person.is_active and User.objects.people().filter(
        pk=person.pk, roles__role=Role.COORDINATOR).exists()


def _check_keeps_a_coordinator(person: User) -> None:
    # Lock the district row so that two coordinators removing each other at the same moment
    # cannot both see "one other coordinator remains".
    if person.district_id is not None:
        District.objects.select_for_update().filter(pk=person.district_id).first()
    if _is_active_coordinator(person) and active_coordinators(person.district_id) <= 1:
        raise AccountRuleError(
            f"{person.display_name} is the district's last coordinator. Make someone else a "
            "coordinator first, so the district is never left without one.")


# ----------------------------------------------------------------------------------- mail

def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def set_password_url(user: User) -> str:
    """A link to allauth's password-reset page; it stops working once a password is set."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return _absolute(path.replace("UID-KEY", key))


def _send_welcome(user: User, actor: User | None) -> None:
    context = {"person": user, "actor": actor, "url": set_password_url(user),
               "district": user.district}
    send_mail(
        subject="Your Uptake account: choose a password",
        message=render_to_string("accounts/email/welcome.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _send_invitation(invitation: Invitation, secret: str) -> None:
    url = _absolute(reverse("invitation_accept", kwargs={"token": secret}))
    send_mail(
        subject=f"{invitation.invited_by.display_name} invited you to Uptake",
        message=render_to_string("accounts/email/invitation.txt",
                                 {"invitation": invitation, "url": url}),
        from_email=None,
        recipient_list=[invitation.email],
    )


# ---------------------------------------------------------------------------------- people

@transaction.atomic
def do_add_person(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[RoleGrant],
    request: HttpRequest | None = None,
    send_email: bool = True,
) -> User:
    """Create an account in the actor's district with ``roles``; e-mail a set-password link."""
    email = normalise_email(email)
    _check_email_free(email, actor=actor)
    if not roles:
        raise AccountRuleError("Give the person at least one role.")
    for grant in roles:
        check_role_scope(grant.role, grant.school)
        _check_school_in_district(actor, grant.school)
    person = User.objects.create_user(email=email, password=None, first_name=first_name.strip(),
                                      last_name=last_name.strip(), district=actor.district)
    record(AuditAction.PERSON_CREATED, actor=actor, request=request, obj=person,
           summary=f"Added {person.display_name} <{email}>")
    for grant in dict.fromkeys(roles):  # the same grant twice counts once
        _grant(actor, person, grant, request)
    if send_email:
        transaction.on_commit(lambda: _send_welcome(person, actor))
    return person


def _forget_old_addresses(person: User) -> None:
    """allauth keeps its own table of addresses; the old one must stop signing in."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).delete()


@transaction.atomic
def do_update_person(
    *, actor: User, person: User, first_name: str, last_name: str, email: str,
    request: HttpRequest | None = None,
) -> User:
    _check_same_district(actor, person)
    email = normalise_email(email)
    _check_email_free(email, actor=actor, except_user=person)
    before = {"first_name": person.first_name, "last_name": person.last_name,
              "email": person.email}
    person.first_name, person.last_name, person.email = first_name.strip(), last_name.strip(), email
    after = {"first_name": person.first_name, "last_name": person.last_name, "email": email}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changed:
        return person
    person.save(update_fields=list(changed))
    if "email" in changed:
        _forget_old_addresses(person)
    record(AuditAction.PERSON_UPDATED, actor=actor, request=request, obj=person,
           summary=f"Updated {', '.join(changed)} of {person.display_name}",
           details={"changed": changed})
    return person


def _grant(actor: User, person: User, grant: RoleGrant, request: HttpRequest | None
           ) -> RoleAssignment:
    if person.district is None:
        raise AccountRuleError("Roles are held in a district; this account has none.")
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=person, district=person.district, school=grant.school,
                role=grant.role, granted_by=actor)
    except IntegrityError:
        raise AccountRuleError(
            f"{person.display_name} already holds {grant.describe()}.") from None
    record(AuditAction.ROLE_GRANTED, actor=actor, request=request, obj=person,
           summary=f"Granted {grant.describe()} to {person.display_name}",
           details={"role": grant.role, "school_id": grant.school.pk if grant.school else None,
                    "person_id": person.pk})
    return assignment


@transaction.atomic
def do_grant_role(
    *, actor: User, person: User, role: str, school: School | None = None,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    _check_same_district(actor, person)
    check_role_scope(role, school)
    _check_school_in_district(actor, school)
    return _grant(actor, person, RoleGrant(role, school), request)


@transaction.atomic
def do_revoke_role(
    *, actor: User, assignment: RoleAssignment, request: HttpRequest | None = None,
) -> None:
    person = User.objects.select_for_update().get(pk=assignment.user_id)
    _check_same_district(actor, person)
    if assignment.role == Role.COORDINATOR:
        if person.pk == actor.pk:
            raise AccountRuleError("You cannot remove your own coordinator role; ask another "
                                   "coordinator to do it.")
        _check_keeps_a_coordinator(person)
    grant = RoleGrant(assignment.role, assignment.school)
    details = {"role": assignment.role, "school_id": assignment.school_id,
               "person_id": person.pk}
    assignment.delete()
    record(AuditAction.ROLE_REVOKED, actor=actor, request=request, obj=person,
           summary=f"Revoked {grant.describe()} from {person.display_name}", details=details)


@transaction.atomic
def do_deactivate_person(*, actor: User, person: User, request: HttpRequest | None = None
                         ) -> User:
    """Stop a person signing in (their sessions end at the next request); keep their data."""
    _check_same_district(actor, person)
    if person.pk == actor.pk:
        raise AccountRuleError("You cannot deactivate your own account.")
    if not person.is_active:
        return person
    _check_keeps_a_coordinator(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    record(AuditAction.PERSON_DEACTIVATED, actor=actor, request=request, obj=person,
           summary=f"Deactivated {person.display_name}")
    # Someone who has left should not keep bringing people in.
    pending = Invitation.objects.filter(invited_by=person, accepted_at=None, revoked_at=None,
                                        expires_at__gt=timezone.now())
    for invitation in pending:
        do_revoke_invitation(actor=actor, invitation=invitation, request=request)
    return person


@transaction.atomic
def do_reactivate_person(*, actor: User, person: User, request: HttpRequest | None = None
                         ) -> User:
    _check_same_district(actor, person)
    if person.is_active:
        return person
    person.is_active = True
    person.save(update_fields=["is_active"])
    record(AuditAction.PERSON_REACTIVATED, actor=actor, request=request, obj=person,
           summary=f"Reactivated {person.display_name}")
    return person


COMMAND_LINE = "command line (uptake add-coordinator)"


@transaction.atomic
def do_add_coordinator_from_command_line(
    *, district: District, email: str, first_name: str = "", last_name: str = "",
    operator_label: str = COMMAND_LINE, send_email: bool = True, again_is_fine: bool = False,
) -> tuple[User, bool]:
    """Make someone a coordinator of ``district`` from the server's command line.

    This is how a new district gets its first coordinator (there is no self sign-up and
    no admin site). Returns the person and whether the account was created; a new account
    is e-mailed a set-password link after commit (unless ``send_email`` is false). With
    ``again_is_fine`` (the demo loader) a person who already coordinates is left as is.
    """
    email = normalise_email(email)
    person = User.objects.filter(email__iexact=email).first()
    created = person is None
    if person is None:
        _check_email_free(email)
        person = User.objects.create_user(email=email, password=None, district=district,
                                          first_name=first_name.strip(),
                                          last_name=last_name.strip())
        record(AuditAction.PERSON_CREATED, actor_label=operator_label, district=district,
               obj=person, summary=f"Added {person.display_name} <{email}>")
    elif person.district_id != district.pk:
        raise AccountRuleError(f"{email} belongs to another district.")
    if person.roles.filter(role=Role.COORDINATOR).exists():
        if again_is_fine:
            return person, created
        raise AccountRuleError(f"{email} is already a coordinator of {district.name}.")
    RoleAssignment.objects.create(user=person, district=district, role=Role.COORDINATOR)
    record(AuditAction.ROLE_GRANTED, actor_label=operator_label, district=district, obj=person,
           summary=f"Granted District coordinator (district-wide) to {person.display_name}",
           details={"role": Role.COORDINATOR, "school_id": None, "person_id": person.pk})
    if created and send_email:
        transaction.on_commit(lambda: _send_welcome(person, None))
    return person, created


# ----------------------------------------------------------------------------- invitations

@transaction.atomic
def do_invite(
    *,
    actor: User,
    email: str,
    purpose: str,
    role: str = "",
    school: School | None = None,
    message: str = "",
    request: HttpRequest | None = None,
    deliver: Callable[[Invitation, str], None] | None = None,
) -> Invitation:
    """Invite someone by e-mail; the link works for ``settings.INVITATION_DAYS`` days.

    A teacher invites a peer observer (anyone, inside the district or not); a coordinator
    invites a new person to join the district with one role. ``deliver`` receives the
    link's secret instead of an e-mail being sent (the demo accepts its own invitations).
    """
    email = normalise_email(email)
    if actor.district_id is None:
        raise AccountRuleError("Only people who belong to a district can send invitations.")
    if purpose == Invitation.Purpose.PEER_OBSERVER:
        if not actor.has_role(Role.TEACHER):
            raise AccountRuleError("Only teachers invite peer observers.")
        if email == actor.email:
            raise AccountRuleError("You cannot invite yourself.")
        role, school = "", None
    elif purpose == Invitation.Purpose.JOIN_DISTRICT:
        if not actor.has_role(Role.COORDINATOR):
            raise AccountRuleError("Only district coordinators invite people to join.")
        # An address of another district gets the invitation too, exactly as an unknown
        # one: its holder is told on accepting that her account cannot join.
        _check_not_in_district(actor, email)
        check_role_scope(role, school)
        _check_school_in_district(actor, school)
    else:
        raise AccountRuleError(f"{purpose!r} is not a kind of invitation.")
    now = timezone.now()
    token = tokens.new_token()
    invitation = Invitation.objects.create(
        district_id=actor.district_id, invited_by=actor, email=email, purpose=purpose,
        role=role, school=school, message=message.strip()[:2000], created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS), token=token.digest)
    record(AuditAction.INVITATION_SENT, actor=actor, request=request, obj=invitation,
           summary=f"Invited {email} ({invitation.get_purpose_display()})",
           details={"purpose": purpose, "role": role, "school_id": school.pk if school else None})
    if deliver is not None:
        deliver(invitation, token.secret)
    else:
        transaction.on_commit(lambda: _send_invitation(invitation, token.secret))
    return invitation


@transaction.atomic
def do_revoke_invitation(*, actor: User, invitation: Invitation,
                         request: HttpRequest | None = None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise AccountRuleError("This invitation has already been accepted.")
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(AuditAction.INVITATION_REVOKED, actor=actor, request=request, obj=invitation,
           district=invitation.district, summary=f"Revoked the invitation for {invitation.email}")
    return invitation


def usable_invitation(token: str) -> Invitation | None:
    """The invitation a link's secret names if it can still be accepted, else None."""
    invitation = tokens.find(
        Invitation.objects.select_related("district", "invited_by", "school"), token)
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def _claim(token: str) -> Invitation:
    # Locking the row makes two simultaneous acceptances of one link impossible.
    invitation = tokens.find(Invitation.objects.all(), token, lock=True)
    if invitation is None or not invitation.is_usable:
        raise AccountRuleError(INVITATION_UNUSABLE)
    return invitation


INVITATION_UNUSABLE = ("This invitation link cannot be used. It may have expired, been "
                       "withdrawn, or been used already. Ask the person who invited you to "
                       "send a new one.")


def _finish_acceptance(invitation: Invitation, person: User, request: HttpRequest | None
                       ) -> None:
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.purpose == Invitation.Purpose.JOIN_DISTRICT:
        _grant(invitation.invited_by, person,
               RoleGrant(invitation.role, invitation.school), request)
    record(AuditAction.INVITATION_ACCEPTED, actor=person, request=request, obj=invitation,
           district=invitation.district,
           summary=f"{person.email} accepted an invitation from "
                   f"{invitation.invited_by.email} ({invitation.get_purpose_display()})")


@transaction.atomic
def do_accept_invitation_new_account(
    *, token: str, first_name: str, last_name: str, password: str,
    request: HttpRequest | None = None,
) -> User:
    """Accept by creating an account for the invited e-mail.

    Someone joining the district gets the invited role there. A peer observer gets an
    account with no district and no roles: later features grant access to exactly what
    she was invited to observe, and nothing else.
    """
    invitation = _claim(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountRuleError("An account with this e-mail already exists; sign in to accept.")
    joins = invitation.purpose == Invitation.Purpose.JOIN_DISTRICT
    person = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name.strip(),
        last_name=last_name.strip(), district=invitation.district if joins else None)
    record(AuditAction.PERSON_CREATED, actor=person, request=request, obj=person,
           district=invitation.district,
           summary=f"{person.email} created an account from an invitation")
    _finish_acceptance(invitation, person, request)
    return person


@transaction.atomic
def do_accept_invitation_existing_account(
    *, token: str, person: User, request: HttpRequest | None = None,
) -> User:
    """Accept as the signed-in person, who must be the one the invitation was sent to."""
    invitation = _claim(token)
    if person.email.lower() != invitation.email.lower():
        raise AccountRuleError(
            "This invitation was sent to a different e-mail address. Sign out, then open "
            "the link again and sign in as the invited person.")
    if (invitation.purpose == Invitation.Purpose.JOIN_DISTRICT
            and person.district_id != invitation.district_id):
        raise AccountRuleError("Your account belongs to another district, so it cannot join "
                               "this one. Ask the coordinator who invited you.")
    _finish_acceptance(invitation, person, request)
    return person


# -------------------------------------------------------------------------------- districts

def do_ensure_district(slug: str, *, name: str = "") -> District:
    """The district with this slug, created (for seeding) when it does not exist yet.

    Not audited: ``uptake seed``, the demo and ``uptake add-coordinator`` create districts
    this way, and what they do next (an import, a coordinator) is audited in full.
    """
    district, _created = District.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").title()})
    return district


# ----------------------------------------------------------------------------- grants

@dataclass(frozen=True)
class GrantAudit:
    """How an app's grant is written in the audit log: its kinds and what it is called."""

    shared: str
    unshared: str
    what: str


@transaction.atomic
def do_grant(obj: Any, *, actor: User, grantee: User, rule: GrantRule, reason: str,
             audit: GrantAudit | None, expires_at: datetime | None = None,
             details: dict[str, Any] | None = None,
             request: HttpRequest | None = None) -> Grant:
    """Record the owner's consent that ``grantee`` may see ``obj`` (its ``owner``).

    Refused unless the grantee may hold it now (:func:`uptake.accounts.grants.is_eligible`).
    A live grant is kept (its end moved to ``expires_at`` if that differs); an expired one
    is closed and a new one made. ``audit``
    None: the caller writes one event for several grants.
    """
    if obj.owner_id != actor.pk:
        raise AccountRuleError("Only its owner shares it.")
    if not is_eligible(grantee, obj.owner, rule):
        raise AccountRuleError(f"{grantee.display_name} is not someone you can share this "
                               "with now.")
    now = timezone.now()
    ct = content_type_of(obj)
    open_grants = Grant.objects.select_for_update().filter(
        content_type=ct, object_id=obj.pk, grantee=grantee, withdrawn_at__isnull=True)
    for old in open_grants:
        if old.expires_at is None or old.expires_at > now:
            return _set_grant_end(old, expires_at, actor=actor, audit=audit, obj=obj,
                                  request=request)
        old.withdrawn_at, old.withdrawn_by = now, actor
        old.save(update_fields=["withdrawn_at", "withdrawn_by"])
    grant = Grant.objects.create(district_id=obj.district_id, content_type=ct, object_id=obj.pk,
                                 grantee=grantee, reason=reason, granted_by=actor,
                                 granted_at=now, expires_at=expires_at)
    if audit is not None:
        record(audit.shared, actor=actor, request=request, obj=obj,
               summary=f"{audit.what} shared with {grantee.display_name}",
               details={"person": grantee.pk, "grant": grant.pk, "reason": reason,
                        **(details or {})})
    return grant


def _set_grant_end(grant: Grant, expires_at: datetime | None, *, actor: User,
                   audit: GrantAudit | None, obj: Any,
                   request: HttpRequest | None) -> Grant:
    """Sharing again with another last day moves the live grant's end (audited)."""
    if grant.expires_at == expires_at:
        return grant
    grant.expires_at = expires_at
    grant.save(update_fields=["expires_at"])
    if audit is not None:
        until = last_day(expires_at)
        ends = f"after {until.isoformat()}" if until else "only when withdrawn"
        record(audit.shared, actor=actor, request=request, obj=obj,
               summary=f"{audit.what}: sharing with {grant.grantee.display_name} now ends "
                       f"{ends}",
               details={"person": grant.grantee_id, "grant": grant.pk,
                        "until": until.isoformat() if until else ""})
    return grant


@transaction.atomic
def do_withdraw_grants(obj: Any, *, actor: User, grantee: User | None = None,
                       audit: GrantAudit | None,
                       request: HttpRequest | None = None) -> list[Grant]:
    """Withdraw the grants on ``obj`` not yet withdrawn (to ``grantee``, or to everyone).

    The rows stay, stamped, as the history of who could see it; expired ones are closed
    too. Returns those withdrawn; with ``audit``, one event for each grantee."""
    grants = list(Grant.objects.select_for_update().select_related("grantee").filter(
        content_type=content_type_of(obj), object_id=obj.pk, withdrawn_at__isnull=True,
        **({"grantee": grantee} if grantee is not None else {})))
    now = timezone.now()
    for grant in grants:
        grant.withdrawn_at, grant.withdrawn_by = now, actor
        grant.save(update_fields=["withdrawn_at", "withdrawn_by"])
        if audit is not None:
            record(audit.unshared, actor=actor, request=request, obj=obj,
                   summary=f"{audit.what} no longer shared with {grant.grantee.display_name}",
                   details={"person": grant.grantee_id, "grant": grant.pk})
    return grants


# ------------------------------------------------------------ sign-in with the school account
# docs/sso.md; the matching rule itself is uptake.accounts.sso.match.

SSO_CONFIGURED = "sso_configured"
SSO_REMOVED = "sso_removed"
SSO_SIGN_IN = "sso_sign_in"
SSO_REFUSED = "sso_refused"
PASSWORD_SIGN_IN_REFUSED = "password_sign_in_refused"
SSO_AUDIT_KINDS = {
    SSO_CONFIGURED: "School-account sign-in set up",
    SSO_REMOVED: "School-account sign-in removed",
    SSO_SIGN_IN: "Signed in with the school account",
    SSO_REFUSED: "School-account sign-in refused",
    PASSWORD_SIGN_IN_REFUSED: "Password sign-in refused (school account required)",
}


@dataclass(frozen=True)
class SignInSettings:
    """What a coordinator gives for her district's sign-in (one IdP)."""

    kind: str
    domains: str
    password_allowed: bool = True
    label: str = ""
    client_id: str = ""
    client_secret: str = ""  # empty on an edit keeps the stored one
    issuer: str = ""
    tenant: str = ""
    saml_entity_id: str = ""
    saml_metadata_url: str = ""
    saml_metadata_xml: str = ""


def _clean_domains(raw: str, district_id: int) -> list[str]:
    import re

    from uptake.accounts.models import SignInMethod

    domains: list[str] = []
    for item in re.split(r"[\s,;]+", raw or ""):
        domain = item.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}",
                            domain):
            raise AccountRuleError(f"{item!r} is not an e-mail domain (like cedar.k12.us).",
                                   field="domains")
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise AccountRuleError("Give at least one e-mail domain your district's addresses "
                               "use (like cedar.k12.us).", field="domains")
    for other in SignInMethod.objects.exclude(district_id=district_id):
        taken = set(domains) & set(other.domain_list)
        if taken:
            raise AccountRuleError(
                f"{sorted(taken)[0]} is already used for sign-in by another district. An "
                "e-mail domain belongs to one district; contact Uptake's operators if it "
                "is yours.", field="domains")
    return domains


def _clean_sign_in_settings(given: SignInSettings, existing: Any) -> dict[str, Any]:
    """The SignInMethod fields for ``given``, or AccountRuleError naming the field at fault.
    Fetches the IdP's discovery document or metadata, so a wrong URL is caught now."""
    import re

    from uptake.accounts import sso
    from uptake.accounts.models import SignInMethod

    kind = given.kind
    if kind not in SignInMethod.Kind.values:
        raise AccountRuleError("Choose which kind of IdP your district uses.", field="kind")
    fields: dict[str, Any] = dict.fromkeys(
        ("client_id", "client_secret", "issuer", "tenant", "saml_entity_id",
         "saml_metadata_url", "saml_sso_url", "saml_x509cert"), "")
    fields.update(kind=kind, label=given.label.strip()[:80],
                  password_allowed=bool(given.password_allowed))
    if kind == SignInMethod.Kind.SAML:
        url, xml = given.saml_metadata_url.strip(), given.saml_metadata_xml.strip()
        entity_id = given.saml_entity_id.strip()
        if not url and not xml:
            raise AccountRuleError("Give the IdP's metadata URL, or paste its metadata XML.",
                                   field="saml_metadata_url")
        try:
            metadata = sso.fetch(url, what="SAML metadata") if url else xml.encode()
            idp = sso.parse_saml_metadata(metadata, entity_id)
        except sso.UnusableUrl as exc:
            raise AccountRuleError(str(exc), field="saml_metadata_url" if url else
                                   "saml_metadata_xml") from None
        fields.update(saml_entity_id=idp.entity_id, saml_metadata_url=url,
                      saml_sso_url=idp.sso_url, saml_x509cert=idp.x509cert)
        return fields
    client_id = given.client_id.strip()
    if not client_id:
        raise AccountRuleError("Give the client ID the IdP issued for Uptake.",
                               field="client_id")
    secret = given.client_secret.strip()
    if not secret and existing is not None and existing.kind == kind \
            and existing.client_id == client_id:
        secret = existing.client_secret
    if not secret:
        raise AccountRuleError("Give the client secret the IdP issued with that client ID.",
                               field="client_secret")
    fields.update(client_id=client_id[:255], client_secret=secret[:500])
    if kind == SignInMethod.Kind.GOOGLE and not client_id.endswith(
            ".apps.googleusercontent.com"):
        raise AccountRuleError("A Google client ID ends in .apps.googleusercontent.com; copy "
                               "it from the Google Cloud console's Credentials page.",
                               field="client_id")
    if kind == SignInMethod.Kind.MICROSOFT:
        tenant = given.tenant.strip().lower()
        if not tenant:
            raise AccountRuleError("Give your Microsoft Entra tenant ID (a GUID) or its "
                                   "primary domain.", field="tenant")
        if tenant in sso.SHARED_TENANTS:
            raise AccountRuleError(f"'{tenant}' lets any organisation's accounts in; give "
                                   "your district's own tenant ID.", field="tenant")
        if not re.fullmatch(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}|[a-z0-9.-]+\.[a-z]+",
                            tenant):
            raise AccountRuleError(f"{tenant!r} is neither a tenant ID (a GUID) nor a domain.",
                                   field="tenant")
        fields["tenant"] = tenant
    if kind == SignInMethod.Kind.OIDC:
        issuer = given.issuer.strip()
        if not issuer:
            raise AccountRuleError("Give the IdP's issuer URL.", field="issuer")
        try:
            sso.check_issuer(issuer)
        except sso.UnusableUrl as exc:
            raise AccountRuleError(str(exc), field="issuer") from None
        fields["issuer"] = issuer.rstrip("/")
    return fields


@transaction.atomic
def do_set_sign_in_method(*, actor: User, given: SignInSettings,
                          request: HttpRequest | None = None) -> Any:
    """Set (or change) how the coordinator's district signs in with its school accounts."""
    from uptake.accounts.models import SignInMethod

    if actor.district_id is None or not actor.has_role(Role.COORDINATOR):
        raise AccountRuleError("Only the district's coordinators set up its sign-in.")
    District.objects.select_for_update().filter(pk=actor.district_id).first()
    existing = SignInMethod.objects.filter(district_id=actor.district_id).first()
    domains = _clean_domains(given.domains, actor.district_id)
    fields = _clean_sign_in_settings(given, existing)
    fields.update(domains="\n".join(domains), updated_at=timezone.now(), updated_by=actor)
    method, created = SignInMethod.objects.update_or_create(
        district_id=actor.district_id, defaults=fields)
    record(SSO_CONFIGURED, actor=actor, request=request, obj=method,
           summary=f"{'Set up' if created else 'Changed'} sign-in with "
                   f"{method.get_kind_display()} for {', '.join(domains)}; password sign-in "
                   f"{'allowed' if method.password_allowed else 'off (coordinators keep it)'}",
           details={"kind": method.kind, "domains": domains,
                    "password_allowed": method.password_allowed})
    return method


@transaction.atomic
def do_remove_sign_in_method(*, actor: User, request: HttpRequest | None = None) -> None:
    """Stop signing in with the school account; everyone signs in with a password again."""
    from uptake.accounts.models import SignInMethod

    if actor.district_id is None or not actor.has_role(Role.COORDINATOR):
        raise AccountRuleError("Only the district's coordinators set up its sign-in.")
    method = SignInMethod.objects.select_for_update().filter(
        district_id=actor.district_id).first()
    if method is None:
        raise AccountRuleError("Your district has no school-account sign-in to remove.")
    record(SSO_REMOVED, actor=actor, request=request, obj=method,
           summary=f"Removed sign-in with {method.get_kind_display()}; everyone signs in "
                   "with a password again")
    method.delete()


@transaction.atomic
def do_accept_invitation_by_sso(*, invitation: Invitation, first_name: str, last_name: str,
                                request: HttpRequest | None = None) -> User:
    """Accept a pending invitation to join the district for the address the district's IdP
    vouched for: the account has no password (the school account is the way in)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable or invitation.purpose != Invitation.Purpose.JOIN_DISTRICT:
        raise AccountRuleError(INVITATION_UNUSABLE)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountRuleError("An account with this e-mail already exists; sign in to accept.")
    person = User.objects.create_user(
        email=invitation.email, password=None, first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150], district=invitation.district)
    record(AuditAction.PERSON_CREATED, actor=person, request=request, obj=person,
           district=invitation.district,
           summary=f"{person.email} created an account from an invitation, signing in with "
                   "the school account")
    _finish_acceptance(invitation, person, request)
    return person


def do_record_sso_sign_in(*, person: User, kind: str, request: HttpRequest | None = None
                          ) -> None:
    record(SSO_SIGN_IN, actor=person, request=request, obj=person,
           summary=f"Signed in with the school account ({kind})", details={"kind": kind})


def do_record_sso_refusal(*, district: District, email: str, kind: str, reason: str,
                          request: HttpRequest | None = None) -> None:
    record(SSO_REFUSED, actor=None, actor_label=email or "(no e-mail)", district=district,
           request=request, summary=f"Refused a school-account sign-in ({kind}): {reason}",
           details={"kind": kind, "reason": reason})


def do_record_password_refused(*, person: User, request: HttpRequest | None = None) -> None:
    record(PASSWORD_SIGN_IN_REFUSED, actor=None, actor_label=person.email,
           district=person.district, request=request, obj=person,
           summary="Refused a password sign-in: the district signs in with its school "
                   "accounts")
