"""The educator's Open Badge page: her earned credential as issued, its downloads, sharing.

Only the award's educator herself reaches it (anyone else, coordinators included, gets the
same 404 as a missing page; a deactivated account is sent to sign in). The page says what
state the badge is in (issued; not issued yet because the coordinators are fixing a
problem; revoked, with the date and the reason), offers the signed credential as JSON, as
a VC-JWT when there is one, and baked into a PNG and an SVG image (the same credential,
byte for byte, inside the picture), turns the public verification page on and off, and,
while it is on, gives the links LinkedIn and older (Open Badges 2.0) backpacks need.
Sharing is written by ``actions.do_set_shared`` (audited); downloads are reads.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from uptake.accounts.access import ANY_ROLE, allow, signed_in_person
from uptake.accounts.models import User
from uptake.badges import actions, documents, images, ob2, views_share
from uptake.badges.models import Badge
from uptake.credentials.models import Award
from uptake.openbadges import baking
from uptake.views_support import showing_refusals

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def own_award(me: User, award_id: int) -> Award:
    """Her own award; anyone else's is the same 404 as a missing one."""
    found = (Award.objects.select_related("version__credential__district", "educator")
             .filter(pk=award_id, educator=me).first())
    if found is None:
        raise Http404("No such credential.")
    return found


def badge_of(award: Award) -> Badge | None:
    return Badge.objects.select_related("issuer__district").filter(award=award).first()


def _own_badge(request: HttpRequest, award_id: int) -> Badge:
    badge = badge_of(own_award(signed_in_person(request), award_id))
    if badge is None:
        raise Http404("This credential has not been issued as an Open Badge yet.")
    return badge


def public_url(badge: Badge) -> str:
    return documents.absolute(reverse("badges:public", args=[badge.uuid]))


def verify_url(badge: Badge) -> str:
    """The site's verifier (``/verify/``), asked about this credential."""
    return f"{reverse('badges:verify')}?{urlencode({'credential': str(badge.uuid)})}"


def linkedin_url(badge: Badge, awarded: datetime) -> str:
    """LinkedIn's "Add to profile" link for a certification, filled in."""
    version = badge.award.version
    return LINKEDIN_ADD + "?" + urlencode({
        "startTask": "CERTIFICATION_NAME", "name": version.title,
        "organizationName": badge.issuer.district.name,
        "issueYear": awarded.year, "issueMonth": awarded.month,
        "certUrl": public_url(badge), "certId": str(badge.uuid)})


def file_name(badge: Badge, extension: str) -> str:
    return f"{slugify(badge.award.version.title) or 'open-badge'}.{extension}"


def _download(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------- page

@allow(ANY_ROLE)
@require_safe
def award(request: HttpRequest, award_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = own_award(me, award_id)
    badge = badge_of(found)
    context: dict[str, Any] = {"award": found, "version": found.version, "badge": badge,
                               "problem": found.issue_problems.filter(resolved_at=None)
                               .exists()}
    if badge is not None:
        context |= {"has_jwt": bool(badge.jwt), "shared": badge.shared_at is not None,
                    "issuer_name": badge.issuer.district.name,
                    "public_name": views_share.public_name(badge)}
        if badge.shared_at is not None:
            context |= {"public_url": public_url(badge),
                        "linkedin_url": linkedin_url(badge, found.awarded_at),
                        "verify_url": verify_url(badge),
                        "ob2_url": ob2.assertion_url(badge)}
    return render(request, "badges/educator/award.html", context)


@allow(ANY_ROLE)
@require_POST
def share(request: HttpRequest, award_id: int) -> HttpResponse:
    """Turn her public page on (``shared=1``) or off (anything else)."""
    badge = _own_badge(request, award_id)
    shared = request.POST.get("shared") == "1"
    done = ("Your badge's public page is on." if shared
            else "Your badge's public page is off: its link now finds nothing.")
    with showing_refusals(request, done=done):
        actions.do_set_shared(badge, actor=signed_in_person(request), shared=shared,
                              request=request)
    return redirect("badges:award", award_id=award_id)


# -------------------------------------------------------------------------- downloads

@allow(ANY_ROLE)
@require_safe
def download_json(request: HttpRequest, award_id: int) -> HttpResponse:
    """The signed credential, exactly as signed."""
    badge = _own_badge(request, award_id)
    return _download(badge.document.encode("utf-8"), "application/ld+json",
                     file_name(badge, "json"))


@allow(ANY_ROLE)
@require_safe
def download_jwt(request: HttpRequest, award_id: int) -> HttpResponse:
    badge = _own_badge(request, award_id)
    if not badge.jwt:
        raise Http404("This credential has no VC-JWT.")
    return _download(badge.jwt, "text/plain; charset=utf-8", file_name(badge, "jwt"))


@allow(ANY_ROLE)
@require_safe
def download_png(request: HttpRequest, award_id: int) -> HttpResponse:
    """The badge's picture with the credential baked in (an ``openbadgecredential``
    iTXt chunk)."""
    badge = _own_badge(request, award_id)
    return _download(images.baked_png(badge), "image/png", file_name(badge, "png"))


@allow(ANY_ROLE)
@require_safe
def download_svg(request: HttpRequest, award_id: int) -> HttpResponse:
    badge = _own_badge(request, award_id)
    return _download(images.baked_svg(badge), "image/svg+xml", file_name(badge, "svg"))


@allow(ANY_ROLE)
@require_safe
def download_ob2_png(request: HttpRequest, award_id: int) -> HttpResponse:
    """The Open Badges 2.0 Assertion baked in (an ``openbadges`` iTXt chunk). Only while
    shared: a 2.0 backpack verifies it by fetching the hosted Assertion."""
    badge = _own_badge(request, award_id)
    if badge.shared_at is None or badge.is_revoked:
        raise Http404("Share your badge first: older backpacks check it at its hosted "
                      "address, which exists only while it is shared.")
    text = json.dumps(ob2.assertion(badge), indent=2, ensure_ascii=False)
    baked = baking.bake_png(images.badge_png(badge.award.version), text,
                            keyword=baking.OB2_KEYWORD)
    return _download(baked, "image/png", file_name(badge, "ob2.png"))
