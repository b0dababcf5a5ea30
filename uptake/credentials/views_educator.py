"""Pages: the educator side of micro-credentials (being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from uptake.accounts.access import ANY_ROLE, allow


@allow(ANY_ROLE)
def placeholder(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404("Not written yet.")
