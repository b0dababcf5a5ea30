"""Who reads and changes a story, and how a share link opens one.

A story belongs to its inquiry: whoever may read the inquiry (its owner, its team, the
people it was shared with) may read the story in Uptake; whoever may edit the inquiry may
change, publish and share it. A share link opens the published snapshot for anyone who
holds it, until it expires or is revoked; a missing, expired or revoked link, or a story no
longer published, is the same 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from uptake.accounts import tokens
from uptake.inquiry.access import inquiries_editable_by, inquiries_visible_to
from uptake.stories.models import Consent, ShareLink, Story

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from uptake.accounts.models import User

    Person = User | AnonymousUser

NOT_FOUND = "No such story."


def stories_visible_to(user: Person) -> QuerySet[Story]:
    return Story.objects.filter(inquiry__in=inquiries_visible_to(user))


def stories_editable_by(user: Person) -> QuerySet[Story]:
    return Story.objects.filter(inquiry__in=inquiries_editable_by(user))


def may_edit_story(user: Person, story: Story) -> bool:
    return stories_editable_by(user).filter(pk=story.pk).exists()


def access_story(user: Person, story_id: Any, *, edit: bool = False) -> Story:
    """The story, if the person may read it (``edit``: may change it), else 404."""
    qs = stories_editable_by(user) if edit else stories_visible_to(user)
    try:
        return qs.select_related("inquiry", "inquiry__owner", "district").get(pk=story_id)
    except (Story.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def access_story_of_inquiry(user: Person, inquiry_id: Any, *, edit: bool = False
                            ) -> Story | None:
    """The story told from an inquiry the person may read (edit), or None if none yet;
    404 if she may not read (edit) the inquiry."""
    from uptake.inquiry.access import access_inquiry

    inquiry = access_inquiry(user, inquiry_id, edit=edit)
    return Story.objects.filter(inquiry=inquiry).first()


def access_share_link(user: Person, story: Story, link_id: Any) -> ShareLink:
    """One of the story's links, for someone who may edit the story."""
    if not may_edit_story(user, story):
        raise Http404(NOT_FOUND)
    try:
        return story.links.get(pk=link_id)
    except (ShareLink.DoesNotExist, ValueError, TypeError):
        raise Http404("No such link.") from None


def consents_editable_by(user: Person) -> QuerySet[Consent]:
    """Consent records for artifacts the person owns (she recorded them from her forms)."""
    from uptake.accounts.access import district_id_of, in_a_district

    if not in_a_district(user):
        return Consent.objects.none()
    return Consent.objects.filter(artifact__owner=user, district_id=district_id_of(user))


def access_consent(user: Person, consent_id: Any) -> Consent:
    try:
        return consents_editable_by(user).select_related("artifact").get(pk=consent_id)
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise Http404("No such consent record.") from None


def open_share_link(secret: str) -> ShareLink:
    """The live link for ``secret`` whose story is published, else 404 (the same for a
    link that never existed, expired, was revoked, or whose story was unpublished)."""
    link = tokens.find(ShareLink.objects.select_related("story", "story__district"), secret)
    if link is None or not tokens.is_live(link) or not link.story.is_published:
        raise Http404(NOT_FOUND)
    return link
