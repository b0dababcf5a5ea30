"""This app's part of the JSON API (uptake/api): Open Badges.

- **Mine** (``GET /badges``, ``GET /badges/{uuid}``): the caller's own signed
  credentials, each the exact text that was signed (``Badge.document``), never rebuilt;
  ``links`` point to the educator's downloads (JSON, VC-JWT) on the pages. An earned
  credential stays its earner's whatever her roles become; a closed account reaches
  nothing (the API's own check).
- **District** (``GET /badges/district``, ``POST /badges/{uuid}/revoke``): the credentials
  issued in a coordinator's district, and revoking one with a reason
  (``actions.do_revoke``). A coordinator of another district, or one whose role was taken
  away, gets the same 404 as for a credential that does not exist.
- **Verify** (``POST /badges/verify``): any signed-in person checks a credential (a JSON
  object, or its text, or a VC-JWT) as a verifier would, with ``verifying.check``.

The Open Badges 3.0 REST API itself (``/ims/ob/v3p0/``, OAuth 2.0 authorization code) is
``uptake.badges.obapi``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Field, Router, Schema

from uptake.accounts.access import is_coordinator
from uptake.accounts.models import User
from uptake.api import support
from uptake.badges import actions
from uptake.badges.models import Badge
from uptake.rules import Invalid

router = Router(tags=["Open Badges"])

API_BASE = "/api/v1/badges"
# The most a credential sent to /verify may weigh: a signed credential is a few KB; a
# baked image is not accepted here (send its credential).
VERIFY_MAX_BYTES = 512 * 1024
REASON_MAX = 2000
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")


def _nothing() -> Http404:
    return Http404("No such credential.")


def _own(me: User) -> QuerySet[Badge]:
    return (Badge.objects.filter(award__educator=me)
            .select_related("award__version", "issuer__district"))


def _district(request: HttpRequest) -> tuple[User, QuerySet[Badge]]:
    """The coordinator and her district's credentials (404 for anyone else)."""
    me = support.me(request)
    if not is_coordinator(me) or me.district_id is None:
        raise _nothing()
    return me, (Badge.objects.filter(issuer__district_id=me.district_id)
                .select_related("award__version", "award__educator", "issuer__district",
                                "revoked_by"))


def _own_badge(request: HttpRequest, uuid: UUID) -> Badge:
    found = _own(support.me(request)).filter(uuid=uuid).first()
    if found is None:
        raise _nothing()
    return found


def _page(request: HttpRequest, name: str, *args: Any) -> str | None:
    """The full URL of one of the educator's pages (its downloads), or None."""
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:
        return None


def _links(request: HttpRequest, badge: Badge) -> dict[str, str | None]:
    return {"self": request.build_absolute_uri(f"{API_BASE}/{badge.uuid}"),
            "json": _page(request, "badges:award_json", badge.award_id),
            "jwt": _page(request, "badges:award_jwt", badge.award_id) if badge.jwt else None}


class BadgeOut(Schema):
    uuid: UUID
    credential_id: str = Field(description="The credential's id: urn:uuid:<uuid>.")
    achievement: str = Field(description="The achievement's name (the credential's title).")
    achievement_id: str = Field(description="The Achievement's URL.")
    issuer: str = Field(description="The issuing district's name.")
    issuer_id: str = Field(description="The issuer's did:web.")
    awarded: datetime
    issued: datetime
    status: Literal["active", "revoked"]
    shared: bool = Field(description="Whether the public verification page is on.")
    links: dict[str, str | None] = Field(
        description="self (this resource); json and jwt: the educator's downloads of the "
                    "signed credential and its VC-JWT (jwt null when there is none).")

    @staticmethod
    def resolve_achievement(obj: Badge) -> str:
        return obj.award.version.title

    @staticmethod
    def resolve_achievement_id(obj: Badge) -> str:
        return str(_document(obj)["credentialSubject"]["achievement"]["id"])

    @staticmethod
    def resolve_issuer(obj: Badge) -> str:
        return obj.issuer.district.name

    @staticmethod
    def resolve_issuer_id(obj: Badge) -> str:
        return str(_document(obj)["issuer"]["id"])

    @staticmethod
    def resolve_awarded(obj: Badge) -> datetime:
        return obj.award.awarded_at

    @staticmethod
    def resolve_issued(obj: Badge) -> datetime:
        return obj.issued_at

    @staticmethod
    def resolve_status(obj: Badge) -> str:
        return "revoked" if obj.is_revoked else "active"

    @staticmethod
    def resolve_shared(obj: Badge) -> bool:
        return obj.shared_at is not None

    @staticmethod
    def resolve_links(obj: Badge, context: dict[str, Any]) -> dict[str, str | None]:
        return _links(context["request"], obj)


class CredentialOut(BadgeOut):
    """One of my credentials with what was signed, exactly."""

    credential: dict[str, Any] = Field(description="The signed OpenBadgeCredential, as "
                                                   "issued (its proof included).")
    jwt: str | None = Field(description="The VC-JWT (compact JWS), or null.")

    @staticmethod
    def resolve_credential(obj: Badge) -> dict[str, Any]:
        return _document(obj)

    @staticmethod
    def resolve_jwt(obj: Badge) -> str | None:
        return obj.jwt or None


class DistrictBadgeOut(BadgeOut):
    educator_id: int
    educator_name: str
    revoked_at: datetime | None
    revoked_reason: str
    revoked_by: str = Field(description="Who revoked it (her name), or ''.")

    @staticmethod
    def resolve_educator_id(obj: Badge) -> int:
        return obj.award.educator_id

    @staticmethod
    def resolve_educator_name(obj: Badge) -> str:
        return obj.award.educator.display_name

    @staticmethod
    def resolve_revoked_by(obj: Badge) -> str:
        return obj.revoked_by.display_name if obj.revoked_by else ""


def _document(badge: Badge) -> dict[str, Any]:
    cached = getattr(badge, "_parsed_document", None)
    if cached is None:
        cached = json.loads(badge.document)
        badge._parsed_document = cached  # type: ignore[attr-defined]
    return dict(cached)


# ------------------------------------------------------------------------------ mine

@router.get("", response=list[BadgeOut], summary="My Open Badges")
@support.paginate(ordering=("-issued_at", "-pk"))
def list_mine(request: HttpRequest) -> QuerySet[Badge]:
    """The credentials issued to me, newest first, revoked ones included (``status``)."""
    return _own(support.me(request))


@router.get("/district", response=list[DistrictBadgeOut],
            summary="The district's Open Badges (coordinators)")
@support.paginate(ordering=("-issued_at", "-pk"))
def list_district(request: HttpRequest, status: Literal["active", "revoked"] | None = None
                  ) -> QuerySet[Badge]:
    """Every credential issued in my district, newest first; ``status`` filters."""
    _, found = _district(request)
    if status is not None:
        found = found.filter(revoked_at__isnull=status == "active")
    return found


# ---------------------------------------------------------------------------- verify

class VerifyIn(Schema):
    # Any, checked in the operation: a union's own messages name its branches' types.
    credential: Any = Field(
        description="The credential: its JSON object, or its text (JSON, or a VC-JWT's "
                    "compact JWS).", json_schema_extra={"oneOf": [{"type": "object"},
                                                                  {"type": "string"}]})


class VerificationCheckOut(Schema):
    check: str
    outcome: str
    message: str


class NamedOut(Schema):
    id: str
    name: str


class ReportOut(Schema):
    verified: bool = Field(description="Whether every check passed (none failed).")
    credential_id: str | None
    issuer: NamedOut | None = Field(description="Whom the credential names as its issuer.")
    achievement: NamedOut | None
    checks: list[VerificationCheckOut] = Field(description="Each check in order: outcome passed, "
                                               "failed, warning or skipped, with why.")


def _check_text(text: str) -> None:
    """Text is a credential's JSON (an object) or a VC-JWT's compact JWS; anything else is
    not a credential at all (a credential that is one but fails a check is a report)."""
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as error:
            raise Invalid(f"This text is not valid JSON ({error}); send the credential's "
                          "JSON exactly as it was issued.", field="credential") from None
        if isinstance(parsed, dict):
            return
    if not COMPACT_JWS.fullmatch(text):
        raise Invalid("This text is neither a credential's JSON nor a VC-JWT (a compact "
                      "JWS: three base64url parts joined by dots).", field="credential")


@router.post("/verify", response=ReportOut, summary="Verify an Open Badge")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Check a credential as any verifier would: its form, the official schema, the
    proof (eddsa-rdfc-2022 or the VC-JWT's RS256) against the issuer's DID document, and
    its status list. Nothing is stored. A credential that fails a check is a ``200`` with
    ``verified: false``; only a request that is not a credential at all is a ``400``."""
    from uptake.badges import verifying

    sent = payload.credential
    if not isinstance(sent, dict | str):
        raise Invalid("Send the credential as a JSON object, or as text (its JSON, or a "
                      "VC-JWT).", field="credential")
    data = (sent if isinstance(sent, str) else json.dumps(sent, ensure_ascii=False)).encode()
    if len(data) > VERIFY_MAX_BYTES:
        raise Invalid(f"A credential to verify is at most {VERIFY_MAX_BYTES // 1024} KB; "
                      "this one is larger.", field="credential")
    if not data.strip():
        raise Invalid("Send the credential to verify: its JSON, or its VC-JWT.",
                      field="credential")
    if isinstance(sent, str):
        _check_text(sent.strip())
    return dict(verifying.check(data, request_host=request.get_host()).as_dict())


@router.get("/{uuid}", response=CredentialOut, summary="One of my Open Badges")
def get_mine(request: HttpRequest, uuid: UUID) -> Badge:
    """The credential resource: the signed credential exactly as issued, and its VC-JWT."""
    return _own_badge(request, uuid)


# -------------------------------------------------------------------------- district

class RevokeIn(Schema):
    reason: str = Field(max_length=REASON_MAX,
                        description="Why it is revoked: kept with the credential and in the "
                                    "audit log (a status list cannot carry it).")


@router.post("/{uuid}/revoke", response=DistrictBadgeOut, summary="Revoke a credential")
def revoke(request: HttpRequest, uuid: UUID, payload: RevokeIn) -> Badge:
    """Set its bit in the issuer's status list at once: every verifier sees it revoked.
    ``409`` when it already is; ``400`` without a reason."""
    me, found = _district(request)
    badge = found.filter(uuid=uuid).first()
    if badge is None:
        raise _nothing()
    if not payload.reason.strip():
        raise Invalid("Say why the credential is revoked: the reason is kept with it.",
                      field="reason")
    actions.do_revoke(badge, actor=me, reason=payload.reason, request=request)
    return found.get(pk=badge.pk)
