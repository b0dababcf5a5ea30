"""What anyone may read of a shared badge: its public verification page (and image), and
the Open Badges 2.0 hosted documents. No sign-in.

- ``/badges/<uuid>/`` exists only while the educator shares it: the achievement, its
  issuer, the date, her display name (never her e-mail) and the verification computed
  now (the proof against the issuer's key, the revocation bit of its status list).
  ``Accept: application/json`` (or ``ld+json``, ``vc+ld+json``) gets the credential's
  exact signed text instead. A revoked badge answers 410 Gone, without the reason (that
  stays between the issuer and the educator). The page carries OpenGraph tags so a link
  posted on LinkedIn shows the badge, and lets crawlers read it (no ``noindex``): she
  chose to make it public.
- ``/ob2/...``: the Issuer Profile, the BadgeClass and, only while shared, the
  Assertion (410 with ``revoked: true`` once revoked), for 2.0 backpacks (``ob2.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from uptake.accounts.access import ANONYMOUS, allow
from uptake.badges import documents, images, ob2, verifying
from uptake.badges.models import Badge, Issuer
from uptake.badges.views_public import cors
from uptake.credentials.models import Version

JSON_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json")
OFFERED = ("text/html", *JSON_TYPES)


def _badge(uuid: UUID) -> Badge:
    return get_object_or_404(
        Badge.objects.select_related("award__version__credential__district", "award__educator",
                                     "issuer__district", "key", "status_list"), uuid=uuid)


def _shown(uuid: UUID) -> Badge:
    """The badge while it is shared; 404 otherwise (410 for revoked ones is the caller's)."""
    badge = _badge(uuid)
    if badge.shared_at is None or badge.is_revoked:
        raise Http404("No such credential.")
    return badge


def public_name(badge: Badge) -> str:
    """Her name as the page shows it: first and last name, never the e-mail address that
    ``display_name`` falls back to."""
    person = badge.award.educator
    full = f"{person.first_name} {person.last_name}".strip()
    return full or f"An educator of {badge.issuer.district.name}"


CHECK_LABELS = {"parse": "Readable", "contexts": "Contexts", "type": "Type",
                "schema": "Official schema", "subject": "Recipient and achievement",
                "evidence": "Evidence", "issuer": "Issuer", "proof": "Signature",
                "status": "Not revoked", "expiry": "Not expired"}


@dataclass(frozen=True)
class Verification:
    ok: bool
    signed: bool  # the proof verifies with the issuer's key
    revoked: bool  # its bit in the status list is set (or the list could not be read)
    issuer_did: str
    checks: list[tuple[str, str, str]]  # (label, outcome, message)


VERIFIED_FOR_SECONDS = 300


def verification(request: HttpRequest, badge: Badge) -> Verification:
    """Checked as any verifier would: the issuer's key from its DID document and the
    status list, both read from our own database (``verifying.check``). The outcome is
    kept for five minutes, and forgotten at once when the status list is re-signed (a
    revocation) or the issuer gains a key: the signed text itself never changes."""
    signed_at = badge.status_list.signed_at
    key = (f"badge-verification:{badge.uuid}:{signed_at.timestamp() if signed_at else 0}:"
           f"{badge.issuer.keys.count()}")
    found = cache.get(key)
    if found is None:
        found = _verification(request, badge)
        cache.set(key, found, VERIFIED_FOR_SECONDS)
    return found


def _verification(request: HttpRequest, badge: Badge) -> Verification:
    report = verifying.check(badge.document.encode("utf-8"), request_host=request.get_host())
    outcome = {c.name: c.outcome for c in report.checks}
    return Verification(ok=report.verified, signed=outcome.get("proof") == "passed",
                        revoked=outcome.get("status") == "failed",
                        issuer_did=(report.issuer or {}).get("id", ""),
                        checks=[(CHECK_LABELS.get(c.name, c.name), c.outcome, c.message)
                                for c in report.checks])


def criteria(narrative: str) -> tuple[str, list[str]]:
    """The criteria narrative (Markdown: a sentence, then one ``- **Tier**: …`` line per
    tier) as its sentence and its items, the emphasis marks dropped."""
    lines = [line.strip() for line in narrative.splitlines() if line.strip()]
    intro = " ".join(line for line in lines if not line.startswith("- "))
    items = [re.sub(r"\*\*(.+?)\*\*", r"\1", line[2:]) for line in lines
             if line.startswith("- ")]
    return intro, items


def _date(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _gone(request: HttpRequest, badge: Badge) -> HttpResponse:
    response = render(request, "badges/public/revoked.html", {"badge": badge}, status=410)
    patch_vary_headers(response, ["Accept"])
    return response


# ------------------------------------------------------------------- the public page

@allow(ANONYMOUS)
@require_safe
def public(request: HttpRequest, badge: UUID) -> HttpResponse:
    found = _badge(badge)
    if found.is_revoked:
        return _gone(request, found)
    if found.shared_at is None:
        raise Http404("No such credential.")
    wanted = request.get_preferred_type(list(OFFERED))
    if wanted in JSON_TYPES:
        response = cors(HttpResponse(found.document.encode("utf-8"), content_type=wanted))
        patch_vary_headers(response, ["Accept"])
        return response
    signed = json.loads(found.document)
    subject = signed.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    intro, items = criteria(str(achievement.get("criteria", {}).get("narrative", "")))
    here = documents.absolute(reverse("badges:public", args=[found.uuid]))
    response = render(request, "badges/public/badge.html", {
        "badge": found, "name": achievement.get("name") or signed.get("name"),
        "description": achievement.get("description") or signed.get("description"),
        "criteria_intro": intro, "criteria_items": items,
        "recipient": public_name(found),
        "issuer_name": signed.get("issuer", {}).get("name", ""),
        "issuer_url": signed.get("issuer", {}).get("url", ""),
        "awarded": _date(signed.get("awardedDate")), "issued": _date(signed.get("validFrom")),
        "check": verification(request, found), "page_url": here,
        "image_url": documents.absolute(reverse("badges:public_image", args=[found.uuid])),
        "verify_url": f"{reverse('badges:verify')}?credential={found.uuid}",
    })
    patch_vary_headers(response, ["Accept"])
    return response


@allow(ANONYMOUS)
@require_safe
def public_json(request: HttpRequest, badge: UUID) -> HttpResponse:
    """The signed credential as a download, while shared."""
    found = _shown(badge)
    response = cors(HttpResponse(found.document.encode("utf-8"),
                                  content_type="application/ld+json"))
    response["Content-Disposition"] = f'attachment; filename="credential-{found.uuid}.json"'
    return response


@allow(ANONYMOUS)
@require_safe
def public_image(request: HttpRequest, badge: UUID) -> HttpResponse:
    """The badge's picture for link previews (og:image), while shared."""
    found = _shown(badge)
    response = HttpResponse(images.badge_png(found.award.version), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


# ------------------------------------------------------------ Open Badges 2.0 hosted

def _ld(document: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False),
                            content_type="application/ld+json", status=status)
    return cors(response)


@allow(ANONYMOUS)
@require_safe
def ob2_issuer(request: HttpRequest, issuer: UUID) -> HttpResponse:
    found = get_object_or_404(Issuer.objects.select_related("district"), uuid=issuer)
    return _ld(ob2.issuer_profile(found))


def _published(version: int) -> tuple[Version, Issuer]:
    found = get_object_or_404(Version.objects.select_related("credential__district"),
                              pk=version)
    issuer = Issuer.objects.filter(district_id=found.credential.district_id).first()
    if found.is_draft or issuer is None:
        raise Http404("No such badge.")
    return found, issuer


@allow(ANONYMOUS)
@require_safe
def ob2_badgeclass(request: HttpRequest, version: int) -> HttpResponse:
    found, issuer = _published(version)
    return _ld(ob2.badgeclass(found, issuer))


@allow(ANONYMOUS)
@require_safe
def ob2_badgeclass_image(request: HttpRequest, version: int) -> HttpResponse:
    found, _ = _published(version)
    response = HttpResponse(images.badge_png(found), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return cors(response)


@allow(ANONYMOUS)
@require_safe
def ob2_assertion(request: HttpRequest, badge: UUID) -> HttpResponse:
    found = _badge(badge)
    if found.is_revoked:
        return _ld(ob2.revoked(found), status=410)
    if found.shared_at is None:
        raise Http404("No such assertion.")
    return _ld(ob2.assertion(found))
