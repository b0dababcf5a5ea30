"""Public documents: an issuer's DID document and status lists, an achievement. No
sign-in: verifiers anywhere fetch them. Nothing about an educator is here."""

from __future__ import annotations

import json
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from uptake.accounts.access import ANONYMOUS, allow
from uptake.badges import documents
from uptake.badges.models import Issuer, StatusList
from uptake.credentials.images import image_response
from uptake.credentials.models import Version
from uptake.openbadges import status


def cors(response: HttpResponse) -> HttpResponse:
    """Readable by pages on any site (wallets and verifiers fetch these documents)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@allow(ANONYMOUS)
@require_safe
def did_document(request: HttpRequest, issuer: UUID) -> HttpResponse:
    found = get_object_or_404(Issuer, uuid=issuer)
    response = JsonResponse(documents.did_document(found), content_type="application/did+json",
                            json_dumps_params={"indent": 2})
    response["Cache-Control"] = "public, max-age=300"
    return cors(response)


@allow(ANONYMOUS)
@require_safe
def status_list(request: HttpRequest, issuer: UUID, number: int) -> HttpResponse:
    found = get_object_or_404(StatusList, issuer__uuid=issuer, number=number)
    response = HttpResponse(found.signed, content_type=status.MEDIA_TYPE)
    response["Cache-Control"] = "public, max-age=60"
    return cors(response)


@allow(ANONYMOUS)
@require_safe
def achievement(request: HttpRequest, version: int) -> HttpResponse:
    found = get_object_or_404(Version.objects.select_related("credential__district"),
                              pk=version)
    if found.is_draft:
        raise Http404("No such achievement.")
    document = {"@context": [documents.jsonld.VC_V2, documents.jsonld.OB_V3],
                **documents.achievement(found)}
    return cors(HttpResponse(json.dumps(document, indent=2, ensure_ascii=False),
                              content_type="application/ld+json"))


@allow(ANONYMOUS)
@require_safe
def achievement_image(request: HttpRequest, version: int) -> FileResponse:
    """The image of a published version, as its Achievement's ``image`` names it. Public:
    wallets and verifiers show it wherever the credential goes."""
    found = get_object_or_404(Version, pk=version)
    if found.is_draft or not found.image:
        raise Http404("No such image.")
    response = image_response(found)
    response["Cache-Control"] = "public, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Access-Control-Allow-Origin"] = "*"
    return response
