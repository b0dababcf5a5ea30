from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from uptake.api.errors import body
from uptake.api.site import build

api = build()


def unknown(request: HttpRequest) -> JsonResponse:
    return JsonResponse(body(404, "not_found", "No such API path; see /api/v1/docs."),
                        status=404)


urlpatterns = [
    path("v1/", api.urls),
    # Unnamed: not a page; any path under /api/ that no operation claims answers 404 in
    # the envelope instead of the site's HTML page.
    re_path(r"^.*$", unknown),
]
