"""The API's reference page, ``/api/v1/docs``: Swagger UI from our own static files.

django-ninja ships the Swagger UI bundle (``ninja/static``, served because ``ninja`` is in
INSTALLED_APPS) and a page for it; ours differs in three ways:

- the settings go out through Django's ``json_script`` (a JSON data block, which the
  site's Content-Security-Policy allows, ``script-src 'self'`` + nonce, no inline code);
- the page has a language and a landmark, colours with enough contrast
  (``api/reference.css``) and no deep links nested in buttons (axe-core, WCAG 2.2 AA);
- a signed-in person's "Try it out" sends her CSRF token, so writes work from the page too
  (ninja offers it only when the API's own auth uses the cookie; ours is per area).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ReferenceDocs(Swagger):
    template = "api/reference.html"
    default_settings = {
        "layout": "BaseLayout",
        # A deep link is an <a> inside each operation's toggle button: nested controls,
        # and too small a target, for axe-core.
        "deepLinking": False,
        # Swagger UI would otherwise fetch a validator badge from swagger.io.
        "validatorUrl": None,
        "docExpansion": "list",
        "defaultModelsExpandDepth": 0,
        "displayRequestDuration": True,
        "persistAuthorization": False,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {
            "api": api, "swagger_settings": settings,
            "add_csrf": request.user.is_authenticated})
