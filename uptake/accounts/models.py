"""Organisations and people: districts, schools, users and the roles they hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from uptake.accounts.tokens import is_live, new_token

if TYPE_CHECKING:
    from collections.abc import Iterable


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    sourced_id = models.CharField(max_length=255, blank=True, help_text="OneRoster org sourcedId")
    identifier = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(max_length=255, blank=True)
    identifier = models.CharField(max_length=64, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="school_unique_sourced_id_per_district",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    COACH = "coach", "Instructional coach"
    ASSESSOR = "assessor", "Assessor"
    SCHOOL_LEADER = "school_leader", "School leader"
    COORDINATOR = "coordinator", "District coordinator"
    RESEARCHER = "researcher", "Researcher"


# Roles held for a whole district rather than one school.
DISTRICT_ROLES = frozenset({Role.COORDINATOR, Role.RESEARCHER, Role.ASSESSOR})
SCHOOL_ROLES = frozenset({Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.ASSESSOR})


class UptakeUserManager(UserManager["User"]):
    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, username, email, password, **extra_fields):
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)

    def people(self) -> QuerySet[User]:
        """People, not machines: everyone but the service accounts that district
        integrations call the API as (``api.Integration.service_account``). They hold roles
        so that the same access rules bound them, but they are nobody's colleague: they are
        not listed among the district's people nor counted as its coordinators."""
        return self.filter(api_integration__isnull=True)


class User(AbstractUser):
    """A person who signs in. Students never sign in; they live in the roster."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="people", null=True, blank=True,
        help_text="Home district; nobody reaches another district's data.",
    )
    sourced_id = models.CharField(max_length=255, blank=True, help_text="OneRoster user sourcedId")
    staff_identifier = models.CharField(max_length=64, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects: ClassVar[UptakeUserManager] = UptakeUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="user_unique_sourced_id_per_district",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email

    def role_set(self) -> frozenset[str]:
        """The roles this person holds anywhere in her district (cached per instance)."""
        cached = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_set = cached
        return cached

    def has_role(self, *roles: str | Iterable[str]) -> bool:
        return bool(self.role_set().intersection(roles))


class RoleAssignment(models.Model):
    """One role held by one person, for one school or (school empty) the whole district."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="role_assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["role", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "school"],
                                    name="role_unique_per_school"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(school=None),
                                    name="role_unique_district_wide"),
        ]

    def __str__(self) -> str:
        where = self.school.name if self.school_id else "district-wide"  # type: ignore[union-attr]
        return f"{self.get_role_display()} ({where})"


def _new_token() -> str:
    # The digest of a secret nobody keeps: a row made without the invite action (which
    # stores the digest of the secret it e-mails) opens nothing, and no secret is stored.
    return new_token().digest


class Invitation(models.Model):
    """A time-limited invitation, e.g. a teacher asking a colleague to observe as a peer."""

    class Purpose(models.TextChoices):
        PEER_OBSERVER = "peer_observer", "Peer observer"
        JOIN_DISTRICT = "join_district", "Join the district"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations_sent")
    email = models.EmailField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    message = models.TextField(blank=True)
    # SHA-256 (hex) of the secret in the e-mailed link; the secret itself is never stored,
    # so a copy of the database cannot be used to accept invitations.
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="invitations_accepted")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and is_live(self)


class GrantReason(models.TextChoices):
    COACHING = "coaching", "Coaching"
    REVIEW = "review", "Review of a plan"
    ASSESSMENT = "assessment", "Assessment"
    TEAM = "team", "Team work"


class Grant(models.Model):
    """The owner's consent that one named person may see one object (an inquiry, a plan,
    evidence). Consent alone never opens anything: ``uptake.accounts.grants`` re-checks at
    every read that the grantee still holds a role that may see the object. Withdrawing a
    grant stamps it; rows are kept as the history of who could see what, and when."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="grants")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField()
    grantee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants_received")
    reason = models.CharField(max_length=20, choices=GrantReason.choices)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="grants_given")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["granted_at", "pk"]
        indexes = [models.Index(fields=["grantee", "content_type", "object_id"]),
                   models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "grantee"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="grant_one_live_per_object_and_grantee"),
        ]

    def __str__(self) -> str:
        return (f"{self.get_reason_display()} grant to person {self.grantee_id} on "
                f"{self.content_type_id}:{self.object_id}")


class SignInMethod(models.Model):
    """How a district's people sign in with their school account (docs/sso.md).

    One per district, set by its coordinator through ``actions.do_set_sign_in_method``.
    ``uptake.accounts.sso`` turns it into the django-allauth app of its provider; accounts
    are matched to the district's people by verified e-mail only.
    """

    class Kind(models.TextChoices):
        GOOGLE = "google", "Google Workspace"
        MICROSOFT = "microsoft", "Microsoft Entra ID"
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="sign_in_method")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=80, blank=True,
                             help_text="The name on the button: 'Sign in with …'.")
    # Lower-case domains, one a line: the addresses this IdP answers for.
    domains = models.TextField()
    password_allowed = models.BooleanField(default=True)
    # OpenID Connect, Google and Microsoft: the client registered at the IdP.
    client_id = models.CharField(max_length=255, blank=True)
    client_secret = models.CharField(max_length=500, blank=True)
    issuer = models.URLField(max_length=500, blank=True)
    tenant = models.CharField(max_length=100, blank=True)
    # SAML 2.0: the IdP as its metadata describes it (from a URL or pasted XML).
    saml_entity_id = models.CharField(max_length=500, blank=True)
    saml_metadata_url = models.URLField(max_length=500, blank=True)
    saml_sso_url = models.URLField(max_length=500, blank=True)
    saml_x509cert = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sign-in for district {self.district_id}"

    @property
    def domain_list(self) -> list[str]:
        return [d for d in self.domains.split() if d]

    @property
    def button_label(self) -> str:
        return self.label or self.get_kind_display()
