"""The family view: a published story read through a share link, without signing in.

Whoever holds a live link reads the story's snapshot (``stories/_story.html``) in a
family layout, in English or Spanish (``?lang=``, else the browser's Accept-Language). A
missing, expired or revoked link, or a story no longer published, answers the same 404
page (same status, same body). Every page view is counted and audited, and the secret,
which is the whole URL's worth, never lands in the audit log: the event's page is the
link's path with the secret left out. Pages are ``noindex``, send no referrer, set no
cookie, and are not cached by shared caches.

An artifact's file is served only while it is in the snapshot, still exists, is still
evidence of the story's inquiry and still may be shown (``artifact_allowed``: consent
withdrawn takes it out at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import content_disposition_header

from uptake.accounts.access import ANONYMOUS, allow
from uptake.operations.ratelimit import count_request
from uptake.stories.access import open_share_link
from uptake.stories.actions import note_share_view
from uptake.stories.models import ShareLink, Story
from uptake.stories.snapshot import shown_now

# Requests a minute one address may make to share pages and their files; a family's
# reading (a page, its images, a language switch) is a handful. A school behind one
# address stays far below it; a script walking secrets does not.
RATE_PER_MINUTE = 120
LANGS = ("en", "es")
SHARED_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-cache",
}


def _headers[R: HttpResponseBase](response: R, lang: str | None = None) -> R:
    for name, value in SHARED_HEADERS.items():
        response[name] = value
    if lang is not None:
        response["Content-Language"] = lang
        response["Vary"] = "Accept-Language"
    return response


def reader_language(request: HttpRequest, default: str = "en") -> str:
    """``?lang=en|es`` when given, else the first language of the browser's Accept-Language
    that we ship, else ``default`` (the story's own language on its page). No cookie, no
    session: the choice travels in the link."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    asked = request.GET.get("lang", "")
    if asked in LANGS:
        return asked
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:500]):
        if code == "*":
            break
        try:
            base = translation.get_supported_language_variant(code).split("-", 1)[0]
        except LookupError:
            continue
        if base in LANGS:
            return base
    return default if default in LANGS else "en"


class _AuditRequest:
    """The request as the audit log sees it: the reader's address, no one signed in (the
    link, not a session, reads the story), and the link's page without its secret."""

    def __init__(self, request: HttpRequest, what: str) -> None:
        self.META = {"REMOTE_ADDR": request.META.get("REMOTE_ADDR", "")}
        self.user = AnonymousUser()
        self._page = f"/s/…/{'story.pdf' if what == 'pdf' else ''}"

    def get_full_path(self) -> str:
        return self._page


def note_view(link: ShareLink, request: HttpRequest, what: str = "page") -> None:
    """Count and audit one reading through ``link``, keeping the secret out of the log
    (the PDF view calls this too). A HEAD request (a link checker, a mail scanner) reads
    nothing, so it counts for nothing."""
    if request.method == "HEAD":
        return
    note_share_view(link, request=_AuditRequest(request, what),  # type: ignore[arg-type]
                    what=what)


def too_many(request: HttpRequest) -> float | None:
    """Count one request from this address: None if it may go on, else the seconds until
    its window ends."""
    return count_request(f"share-rate:{request.META.get('REMOTE_ADDR', '')}",
                         RATE_PER_MINUTE)


def not_found(request: HttpRequest, lang: str) -> HttpResponse:
    """The one answer for every link that does not open a story."""
    with translation.override(lang):
        response = render(request, "stories/share_missing.html", {"lang": lang}, status=404)
    return _headers(response, lang)


def limited(request: HttpRequest, lang: str, wait: float) -> HttpResponse:
    """The one answer to an address that asked too often (the PDF view's too)."""
    with translation.override(lang):
        response = render(request, "stories/share_busy.html", {"lang": lang}, status=429)
    response["Retry-After"] = str(int(wait))
    return _headers(response, lang)


def live_artifacts(story: Story) -> list[dict[str, Any]]:
    """The snapshot's artifacts that may still be shown (``snapshot.shown_now``)."""
    return [piece for piece, _ in shown_now(story.snapshot or {}, inquiry_id=story.inquiry_id)]


def _pdf_url(secret: str) -> str | None:
    try:
        return reverse("share:pdf", kwargs={"secret": secret})
    except NoReverseMatch:
        return None


def _artifact_url_maker(secret: str) -> Callable[[int], str]:
    def artifact_url(artifact_id: int) -> str:
        return reverse("share:artifact", kwargs={"secret": secret, "artifact_id": artifact_id})

    return artifact_url


@allow(ANONYMOUS)
def story(request: HttpRequest, secret: str) -> HttpResponse:
    """The family page of a story, by its share link."""
    lang = reader_language(request)
    wait = too_many(request)
    if wait is not None:
        return limited(request, lang, wait)
    try:
        link = open_share_link(secret)
    except Http404:
        return not_found(request, lang)
    note_view(link, request)
    snapshot = link.story.snapshot or {}
    lang = reader_language(request, default=str(snapshot.get("language") or "en"))
    context = {
        "snapshot": snapshot,
        "artifacts": live_artifacts(link.story),
        "artifact_url": _artifact_url_maker(secret),
        "chart_mode": "screen",
        "lang": lang,
        "languages": [("en", "English"), ("es", "Español")],
        "pdf_url": _pdf_url(secret),
    }
    with translation.override(lang):
        response = render(request, "stories/share.html", context)
    return _headers(response, lang)


@allow(ANONYMOUS)
def artifact(request: HttpRequest, secret: str, artifact_id: int) -> HttpResponseBase:
    """An artifact's file, while it is in the story and may still be shown."""
    lang = reader_language(request)
    wait = too_many(request)
    if wait is not None:
        return limited(request, lang, wait)
    try:
        link = open_share_link(secret)
    except Http404:
        return not_found(request, lang)
    found = next((a for p, a in shown_now(link.story.snapshot or {},
                                          inquiry_id=link.story.inquiry_id)
                  if p["artifact_id"] == artifact_id), None)
    if found is None or not found.file:
        return not_found(request, lang)
    stored = str(found.file.name)
    name = found.original_name or f"artifact.{stored.rsplit('.', 1)[-1]}"
    try:
        handle = default_storage.open(stored, "rb")
    except FileNotFoundError:
        return not_found(request, lang)
    response = FileResponse(handle, content_type=found.content_type or
                            "application/octet-stream")
    response["Content-Disposition"] = str(content_disposition_header(False, name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if found.size:
        response["Content-Length"] = str(found.size)
    return _headers(response)
