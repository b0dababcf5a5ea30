"""Idempotency keys: a form that creates something creates it once, however often it is sent.

A double click, a browser's "resend", a phone on a flaky connection: the same POST arrives
twice, or eight times at once. Every form that makes a new row carries a hidden key made
when the form was drawn (``{% idempotency_key %}``, a template builtin), and its view is
wrapped in :func:`once`:

- the first POST with a key claims it with the cache's atomic ``add`` (scoped to the person
  and the URL, so nobody can use or spoil another's key) and runs the view; if the view
  redirects (it created something), the key remembers where to, for a day;
- a repeat with the same key does not run the view again: it waits for the first to finish,
  then goes where the first went (to the object created the first time);
- if the first attempt did not create anything (the form had an error) or failed, the key
  is released, so the corrected form can be sent again;
- a POST without a key, or with one that is not of our making (wrong length or letters), is
  served as before: scripts and old pages keep working, only without the protection.

The cache is Django's default cache: the database cache, or Redis when configured
(docs/configuration.md); both make ``add`` atomic across processes.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import template
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.safestring import SafeString

FIELD = "idempotency_key"
REMEMBER_SECONDS = 24 * 60 * 60
# A claim outlives any real request; if its process dies, the key frees itself after this.
CLAIM_SECONDS = 120
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05
PENDING = "pending"
_KEY = re.compile(r"[A-Za-z0-9_-]{32,64}")

register = template.Library()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def posted_key(request: HttpRequest) -> str:
    """The request's key if it is one of ours in shape, else ''."""
    key = str(request.POST.get(FIELD, "")) if request.method == "POST" else ""
    return key if _KEY.fullmatch(key) else ""


@register.simple_tag(takes_context=True)
def idempotency_key(context: Any) -> SafeString:
    """The hidden field. A form shown again with errors keeps the key it was sent with."""
    request = context.get("request")
    key = (posted_key(request) if request is not None else "") or new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key)


def once[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Wrap a view whose POST creates something: one creation per key (module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = posted_key(request)
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        slot = f"idempotency:{request.user.pk}:{request.path}:{key}"
        while not cache.add(slot, PENDING, CLAIM_SECONDS):
            outcome = _wait_for(slot)
            if outcome is not None:
                return _repeat(request, outcome)
            # The first attempt released the key without creating anything: try ourselves.
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(slot)
            raise
        location = _created_at(response)
        if location:
            cache.set(slot, location, REMEMBER_SECONDS)
        else:
            cache.delete(slot)
        return response

    wrapper.uptake_creates_once = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _created_at(response: HttpResponseBase) -> str:
    if response.status_code in (301, 302, 303):
        return str(response["Location"])
    return ""


def _wait_for(slot: str) -> str | None:
    """Where the first request went; None if it released the key; PENDING if it is still
    working after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(slot)
        if value != PENDING or time.monotonic() > deadline:
            return None if value is None else str(value)
        time.sleep(POLL_SECONDS)


def _repeat(request: HttpRequest, outcome: str) -> HttpResponse:
    if outcome == PENDING:
        response = HttpResponse(
            "This form was already sent and is still being saved. Wait a moment, then "
            "reload the page to see it.", status=409, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        return response
    messages.info(request, "That form had already been sent; this is what it saved.",
                  fail_silently=True)
    return redirect(outcome)
