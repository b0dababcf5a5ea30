"""A story as a PDF: the teacher's (``/stories/<id>/story.pdf``) and the family's, by
share link (``/s/<secret>/story.pdf``).

The teacher's: anyone who may read the story gets the published snapshot; its editors
may ask for the draft (``?version=draft``, the builder's preview, built now and saved
nowhere), which is also what they get while the story is not published. The family's:
the same rules as the family page (``share_views``): a missing, expired or revoked link
or an unpublished story is the same 404 page, every download is counted and audited
(without the secret), the same rate limit, ``noindex`` and no referrer.

Both draw with ``uptake.stories.pdf``: artifacts are checked again at every download
(consent withdrawn takes one out at once), and the file is an attachment named after the
story.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from uptake.accounts.access import ANONYMOUS, allow
from uptake.accounts.models import Role, User
from uptake.stories import share_views
from uptake.stories.access import access_story, may_edit_story, open_share_link
from uptake.stories.pdf import pdf_language, readable_snapshot, render_story_pdf
from uptake.stories.snapshot import build_snapshot

READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)  # as the story page
VERSIONS = ("", "published", "draft")
FILENAME_CHARS = 60


def filename(snapshot: dict[str, Any]) -> str:
    """A safe file name from the story's title ("math-talk.pdf"), "story.pdf" if none."""
    slug = slugify(str(snapshot.get("title") or ""))[:FILENAME_CHARS].strip("-")
    return f"{slug or 'story'}.pdf"


def _pdf_response(pdf: bytes, snapshot: dict[str, Any], language: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = str(content_disposition_header(True, filename(snapshot)))
    response["Content-Language"] = language
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def draw(snapshot: dict[str, Any], *, inquiry_id: int, language: str,
         draft: bool = False) -> bytes:
    """The PDF of ``snapshot`` as it may be shown now (artifacts checked again)."""
    shown, images = readable_snapshot(snapshot, inquiry_id=inquiry_id)
    return render_story_pdf(shown, language=language, artifact_images=images, draft=draft)


@allow(*READERS)
def story_pdf(request: HttpRequest, story_id: int) -> HttpResponse:
    """The story's PDF for the people who may read it in Uptake."""
    me: User = request.user  # type: ignore[assignment]
    story = access_story(me, story_id)
    version = request.GET.get("version", "")
    if version not in VERSIONS:
        return HttpResponse("Ask for version=published or version=draft.", status=400,
                            content_type="text/plain; charset=utf-8")
    draft = version == "draft" or (version == "" and not story.is_published)
    if draft:
        # The draft is the builder's preview: for the people who may change the story.
        if not (may_edit_story(me, story) and me.has_role(Role.TEACHER)):
            raise Http404("No such story.")
        snapshot, _problems = build_snapshot(story, me)
    elif story.snapshot is None:
        raise Http404("This story is not published.")
    else:
        snapshot = story.snapshot
    language = pdf_language(request.GET.get("lang"), snapshot)
    pdf = draw(snapshot, inquiry_id=story.inquiry_id, language=language, draft=draft)
    return _pdf_response(pdf, snapshot, language)


@allow(ANONYMOUS)
def shared_pdf(request: HttpRequest, secret: str) -> HttpResponse:
    """The published story's PDF through a share link, in the reader's language."""
    language = share_views.reader_language(request)
    wait = share_views.too_many(request)
    if wait is not None:
        return share_views.limited(request, language, wait)
    try:
        link = open_share_link(secret)
    except Http404:
        return share_views.not_found(request, language)
    snapshot = link.story.snapshot or {}
    pdf = draw(snapshot, inquiry_id=link.story.inquiry_id, language=language)
    share_views.note_view(link, request, what="pdf")
    response = _pdf_response(pdf, snapshot, language)
    for name, value in share_views.SHARED_HEADERS.items():
        response[name] = value
    response["Vary"] = "Accept-Language"
    return response
