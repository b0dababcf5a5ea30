"""The JSON shapes of the stories API (uptake/stories/api.py): stories, what they show,
their published snapshot, and consent records.

No shape holds a share link's secret or digest: a story's links appear only as counts.
The snapshot is what readers of the story see, after suppression: no student's name,
pseudonym or row; its numbers are the text the story prints (rounded as on the page),
and its charts' drawings are left to the story page and its PDF.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from ninja import Schema
from pydantic import Field

from uptake.api import support
from uptake.api.support import MAX_ID
from uptake.evidence.models import Artifact
from uptake.stories.access import may_edit_story
from uptake.stories.actions import CAPTION_MAX, TITLE_MAX
from uptake.stories.models import Consent, Story
from uptake.stories.snapshot import artifact_allowed

if TYPE_CHECKING:
    from uptake.accounts.models import User

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Language = Literal["en", "es"]
ConsentScope = Literal["story_links", "district", "public"]
# The actions give their own message past TEXT_MAX (the story fits one page); the schema
# only keeps absurd bodies out.
Text = Annotated[str, Field(max_length=10_000)]

# A consent with one of these scopes lets colleagues in the district see the artifact.
DISTRICT_SCOPES = (Consent.Scope.DISTRICT, Consent.Scope.PUBLIC)
MAX_CHARTS = 20
MAX_ARTIFACTS = 30


# ------------------------------------------------------------------------- the story


class StoryChartRef(Schema):
    """A chart the story shows: a measure for one class, or (``section_id`` null) for its
    classes together."""

    measure_id: int
    measure_name: str
    section_id: int | None
    section_title: str | None


class StoryArtifactRef(Schema):
    """An artifact the story shows, with the caption its readers see; ``may_show`` is false
    while it could identify a student and no consent for it is in force."""

    artifact_id: int
    title: str
    caption: str
    identifies_students: bool
    may_show: bool


class StoryLinksOut(Schema):
    """How many share links the story has (never the links themselves) and how often
    they were read; null for readers who may not edit the story."""

    live: int
    ended: int = Field(description="Expired or revoked.")
    views: int


class StoryPointOut(Schema):
    when: date
    name: str
    value: str | None
    n: int | None
    phase: str = Field(description="\"before\" or \"after\" the change date, or \"\".")


class StoryChangeOut(Schema):
    n: int
    mean: str | None
    low: str | None
    high: str | None
    confidence: int


class StoryGrowthOut(Schema):
    n: int
    improved: int
    stayed: int
    declined: int


class StoryGroupOut(Schema):
    """A group's result; ``n`` and ``median_change`` null when hidden to protect a small
    group."""

    dimension: str
    group: str
    n: int | None
    median_change: str | None


class StorySnapshotChartOut(Schema):
    title: str
    measure: str
    direction: str | None = None
    verdict: str | None = Field(description="sustained_improvement, change_not_sustained, "
                                            "got_worse, no_signal, not_enough_data; null "
                                            "without a change date.")
    verdict_text: str
    reason: str
    description: str
    points: list[StoryPointOut]
    change: StoryChangeOut | None
    growth: StoryGrowthOut | None
    groups: list[StoryGroupOut]


class StorySnapshotArtifactOut(Schema):
    artifact_id: int
    title: str
    kind: str
    kind_label: str
    caption: str
    description: str
    is_image: bool
    has_file: bool
    link: str
    body: str
    identifies_students: bool


class StoryLadderItemOut(Schema):
    label: str
    count: int


class StoryLadderLevelOut(Schema):
    level: int
    label: str
    items: list[StoryLadderItemOut]


class StorySnapshotOut(Schema):
    """What the story's readers see, as published (or last refreshed) at ``taken_at``."""

    taken_at: datetime
    title: str
    language: str
    teacher: str
    school: str
    district: str
    question: str
    what_changed: str
    what_happened: str
    whats_next: str
    charts: list[StorySnapshotChartOut]
    artifacts: list[StorySnapshotArtifactOut]
    ladder: list[StoryLadderLevelOut]
    min_group_size: int


class StoryOut(Schema):
    id: int
    inquiry_id: int
    title: str
    language: Language
    question: str
    what_changed: str
    what_happened: str
    whats_next: str
    created_at: datetime
    updated_at: datetime
    may_edit: bool
    published: bool
    published_at: datetime | None = Field(description="When first published.")
    snapshot_at: datetime | None = Field(description="When what readers see was last "
                                                     "taken (published or refreshed).")
    charts: list[StoryChartRef]
    artifacts: list[StoryArtifactRef]
    share_links: StoryLinksOut | None
    snapshot: StorySnapshotOut | None = Field(description="What readers see; null while not "
                                                     "published.")

    @staticmethod
    def resolve_may_edit(obj: Story, context: dict[str, Any]) -> bool:
        return _may_edit(obj, context)

    @staticmethod
    def resolve_published(obj: Story) -> bool:
        return obj.is_published

    @staticmethod
    def resolve_charts(obj: Story) -> list[dict[str, Any]]:
        return [{"measure_id": c.measure_id, "measure_name": c.measure.name,
                 "section_id": c.section_id,
                 "section_title": c.section.title if c.section is not None else None}
                for c in obj.charts.all()]

    @staticmethod
    def resolve_artifacts(obj: Story) -> list[dict[str, Any]]:
        return [{"artifact_id": p.artifact_id, "title": p.artifact.title,
                 "caption": p.caption, "identifies_students": p.artifact.identifies_students,
                 "may_show": artifact_allowed(p.artifact)}
                for p in obj.pieces.all()]

    @staticmethod
    def resolve_share_links(obj: Story, context: dict[str, Any]) -> dict[str, int] | None:
        return _links(obj) if _may_edit(obj, context) else None

    @staticmethod
    def resolve_snapshot(obj: Story, context: dict[str, Any]) -> dict[str, Any] | None:
        return _snapshot(obj, support.me(context["request"]))


def _may_edit(story: Story, context: dict[str, Any]) -> bool:
    """Whether the caller may edit the story (asked once per story and answer)."""
    cached = getattr(story, "_api_may_edit", None)
    if cached is None:
        cached = may_edit_story(support.me(context["request"]), story)
        story._api_may_edit = cached  # type: ignore[attr-defined]
    return bool(cached)


def _links(story: Story) -> dict[str, int]:
    live = Q(revoked_at__isnull=True, expires_at__gt=timezone.now())
    counts = story.links.aggregate(live=Count("pk", filter=live), total=Count("pk"),
                                   views=Sum("views"))
    return {"live": counts["live"], "ended": counts["total"] - counts["live"],
            "views": counts["views"] or 0}


def _snapshot(story: Story, me: User) -> dict[str, Any] | None:
    """What readers see, without the drawings, and without an identifying artifact whose
    consent was withdrawn (or, for anyone but its owner, does not reach the district)."""
    snapshot = story.snapshot
    if snapshot is None:
        return None
    identifying = [a["artifact_id"] for a in snapshot.get("artifacts", [])
                   if a.get("identifies_students")]
    shown: set[int] = set()
    for artifact in Artifact.objects.filter(pk__in=identifying):
        if not artifact_allowed(artifact):
            continue
        if artifact.owner_id == me.pk or Consent.objects.filter(
                artifact=artifact, withdrawn_at__isnull=True,
                scope__in=DISTRICT_SCOPES).exists():
            shown.add(artifact.pk)
    out = dict(snapshot)
    out["charts"] = [{k: v for k, v in chart.items() if k not in ("svg", "svg_narrow")}
                     for chart in snapshot.get("charts", [])]
    out["artifacts"] = [a for a in snapshot.get("artifacts", [])
                        if not a.get("identifies_students") or a["artifact_id"] in shown]
    return out


class StoryIn(Schema):
    inquiry: Id = Field(description="An inquiry you may edit; it tells one story, so the "
                                    "one it has is answered if there is one.")


class StoryPatch(Schema):
    """Only the fields sent change."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    language: Language | None = None
    question: Text | None = None
    what_changed: Text | None = None
    what_happened: Text | None = None
    whats_next: Text | None = None


class StoryChartIn(Schema):
    measure: Id
    section: Id | None = Field(None, description="One of the measure's classes; null: its "
                                                 "classes together.")


class StoryChartsPut(Schema):
    charts: list[StoryChartIn] = Field(max_length=MAX_CHARTS)


class StoryArtifactIn(Schema):
    artifact: Id
    caption: str = Field("", max_length=CAPTION_MAX)


class StoryArtifactsPut(Schema):
    artifacts: list[StoryArtifactIn] = Field(max_length=MAX_ARTIFACTS)


# ------------------------------------------------------------------------- consent


class StoryConsentOut(Schema):
    id: int
    artifact_id: int
    artifact_title: str
    given_by: str
    given_on: date
    scope: ConsentScope
    note: str
    recorded_at: datetime
    in_force: bool
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_artifact_title(obj: Any) -> str:
        return str(obj.artifact.title)


class StoryConsentIn(Schema):
    artifact: Id = Field(description="One of your own artifacts.")
    given_by: str = Field(min_length=1, max_length=200,
                          description="Who gave consent, as the signed form names them.")
    given_on: date
    scope: ConsentScope
    note: str = Field("", max_length=500)

