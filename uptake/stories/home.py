"""What the stories app shows on other apps' pages (registered in StoriesConfig.ready()):
the "Story for families" section of an inquiry's page and the teacher's home panel."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.utils import timezone

from uptake.accounts.models import Role
from uptake.inquiry.access import may_edit
from uptake.stories.access import stories_editable_by
from uptake.stories.models import Story, StoryChart

HOME_LIMIT = 5


def story_section(inquiry: Any, reader: Any) -> dict[str, Any] | None:
    """The inquiry's story for this reader: its editors (teachers) see its state and may
    start one; its other readers see it only once it is published."""
    story = Story.objects.filter(inquiry=inquiry).first()
    editable = reader.has_role(Role.TEACHER) and may_edit(reader, inquiry)
    if story is None:
        return {"story": None} if editable else None
    if not editable and not story.is_published:
        return None
    live = story.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return {"story": story, "editable": editable, "live_links": live.count(),
            "views": story.links.aggregate(n=Sum("views"))["n"] or 0}


def stories_panel(user: Any) -> dict[str, Any] | None:
    """A teacher's stories on her home page (left out when she has none)."""
    if not user.has_role(Role.TEACHER):
        return None
    stories = list(stories_editable_by(user).order_by("-updated_at", "-pk")[:HOME_LIMIT])
    return {"stories": stories} if stories else None


def stories_of_inquiry(inquiry: Any) -> int:
    return Story.objects.filter(inquiry=inquiry).count()


def links_of_inquiry(inquiry: Any) -> int:
    from uptake.stories.models import ShareLink

    return ShareLink.objects.filter(story__inquiry=inquiry).count()


def charts_of_measure(measure: Any) -> int:
    return StoryChart.objects.filter(measure=measure).count()
