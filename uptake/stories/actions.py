"""Story writes (the one write path): start, write, choose charts and artifacts, record and
withdraw consent, publish, refresh and unpublish, and share links.

Every write checks who may make it (``uptake.stories.access``), runs in one transaction
and leaves an audit event. Share-link views are counted and audited too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from uptake.accounts import tokens
from uptake.audit.actions import record
from uptake.inquiry.access import may_edit
from uptake.rules import Invalid, NotAllowed, RowProblem
from uptake.stories.access import may_edit_story
from uptake.stories.models import Consent, ShareLink, Story, StoryArtifact, StoryChart
from uptake.stories.snapshot import artifact_allowed, build_snapshot

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User
    from uptake.evidence.models import Artifact
    from uptake.inquiry.models import Inquiry, Measure
    from uptake.roster.models import Section

AUDIT_KINDS = {
    "story_changed": "Story changed",
    "story_published": "Story published",
    "story_refreshed": "Story refreshed",
    "story_unpublished": "Story unpublished",
    "story_deleted": "Story deleted",
    "consent_recorded": "Consent recorded",
    "consent_withdrawn": "Consent withdrawn",
    "share_link_created": "Share link created",
    "share_link_revoked": "Share link revoked",
    "story_viewed_by_link": "Story read through a share link",
}

TEXT_FIELDS = ("title", "question", "what_changed", "what_happened", "whats_next")
TITLE_MAX = 200
TEXT_MAX = 4000  # a one-page story: about 600 words per part is already long
LABEL_MAX = 100
LINK_DAYS_DEFAULT = 90
LINK_DAYS_MAX = 365
CAPTION_MAX = 300


def _must_edit(story: Story, actor: User) -> None:
    if not may_edit_story(actor, story):
        raise NotAllowed("Only the people who may edit this inquiry may change its story.")


def _touch(story: Story) -> None:
    story.updated_at = timezone.now()
    story.save(update_fields=["updated_at"])


# ------------------------------------------------------------------------ the story

def do_start_story(inquiry: Inquiry, *, actor: User, request: HttpRequest | None = None
                   ) -> Story:
    """The inquiry's story, started from what the inquiry already says (or the one that
    exists: an inquiry tells one story)."""
    if not may_edit(actor, inquiry):
        raise NotAllowed("Only the people who may edit this inquiry may tell its story.")
    with transaction.atomic():
        existing = Story.objects.select_for_update().filter(inquiry=inquiry).first()
        if existing is not None:
            return existing
        last = inquiry.cycles.exclude(decision="").order_by("-number").first()
        story = Story.objects.create(
            district_id=inquiry.district_id, inquiry=inquiry, title=inquiry.title[:TITLE_MAX],
            question=inquiry.question, what_changed=inquiry.change_idea,
            whats_next=last.decision_reason if last is not None else "",
            created_by=actor)
        record("story_changed", actor=actor, request=request, obj=story,
               summary=f"Started the story of “{inquiry.title}”")
    return story


def do_update_story(story: Story, *, actor: User, request: HttpRequest | None = None,
                    **fields: str) -> Story:
    """Change the story's words (``TEXT_FIELDS``) and ``language``. What families read
    changes only when she publishes or refreshes."""
    _must_edit(story, actor)
    unknown = set(fields) - {*TEXT_FIELDS, "language"}
    if unknown:
        raise Invalid(f"Unknown field: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    for name, value in fields.items():
        value = (value or "").strip()
        if name == "title":
            if not value:
                raise Invalid("Give the story a title.", field="title")
            if len(value) > TITLE_MAX:
                raise Invalid(f"A title has at most {TITLE_MAX} characters.", field="title")
        elif name == "language":
            if value not in Story.Language.values:
                raise Invalid("Choose English or Spanish.", field="language")
        elif len(value) > TEXT_MAX:
            raise Invalid(f"This part has {len(value):,} characters; keep it under "
                          f"{TEXT_MAX:,} so the story fits one page.", field=name)
        setattr(story, name, value)
    with transaction.atomic():
        story.updated_at = timezone.now()
        story.save()
        record("story_changed", actor=actor, request=request, obj=story,
               summary=f"Changed the story “{story.title}”",
               details={"fields": sorted(fields)})
    return story


@dataclass(frozen=True)
class ChartChoice:
    measure: Measure
    section: Section | None = None  # None: the measure's classes together


def do_choose_charts(story: Story, choices: Sequence[ChartChoice], *, actor: User,
                     request: HttpRequest | None = None) -> list[StoryChart]:
    """The charts the story shows, in this order (replacing the ones it had)."""
    _must_edit(story, actor)
    problems = []
    seen = set()
    for i, choice in enumerate(choices, start=1):
        if choice.measure.inquiry_id != story.inquiry_id:
            problems.append(RowProblem(i, "measure", "This measure belongs to another inquiry."))
        elif choice.section is not None and not choice.measure.sections.filter(
                pk=choice.section.pk).exists():
            problems.append(RowProblem(i, "section", "This class is not one of the measure's."))
        key = (choice.measure.pk, choice.section.pk if choice.section else None)
        if key in seen:
            problems.append(RowProblem(i, "measure", "This chart is chosen twice."))
        seen.add(key)
    if problems:
        raise Invalid(problems[0].message, field="charts", rows=problems)
    with transaction.atomic():
        story.charts.all().delete()
        made = StoryChart.objects.bulk_create(
            StoryChart(story=story, measure=c.measure, section=c.section, position=i)
            for i, c in enumerate(choices))
        _touch(story)
        record("story_changed", actor=actor, request=request, obj=story,
               summary=f"Chose {len(made)} chart(s) for the story “{story.title}”")
    return made


@dataclass(frozen=True)
class ArtifactChoice:
    artifact: Artifact
    caption: str = ""


def do_choose_artifacts(story: Story, choices: Sequence[ArtifactChoice], *, actor: User,
                        request: HttpRequest | None = None) -> list[StoryArtifact]:
    """The artifacts the story shows, with their captions, in this order. Only the
    inquiry's own evidence; one that could identify a student only with consent."""
    _must_edit(story, actor)
    problems = []
    for i, choice in enumerate(choices, start=1):
        a = choice.artifact
        if a.inquiry_id != story.inquiry_id:
            problems.append(RowProblem(i, "artifact",
                                       f"“{a.title}” is not evidence of this inquiry."))
        elif not artifact_allowed(a):
            problems.append(RowProblem(i, "artifact", (
                f"“{a.title}” could identify a student: record the family's consent "
                "before adding it to a story.")))
        if len(choice.caption) > CAPTION_MAX:
            problems.append(RowProblem(i, "caption",
                                       f"A caption has at most {CAPTION_MAX} characters."))
    if len({c.artifact.pk for c in choices}) != len(choices):
        problems.append(RowProblem(0, "artifact", "An artifact is chosen twice."))
    if problems:
        raise Invalid(problems[0].message, field="artifacts", rows=problems)
    with transaction.atomic():
        story.pieces.all().delete()
        made = StoryArtifact.objects.bulk_create(
            StoryArtifact(story=story, artifact=c.artifact, caption=c.caption.strip(),
                          position=i) for i, c in enumerate(choices))
        _touch(story)
        record("story_changed", actor=actor, request=request, obj=story,
               summary=f"Chose {len(made)} artifact(s) for the story “{story.title}”")
    return made


def do_publish(story: Story, *, actor: User, request: HttpRequest | None = None) -> Story:
    """Publish the story, or refresh what it shows: take a new snapshot. Refused, naming
    each problem, when a chart or an artifact may not be published."""
    _must_edit(story, actor)
    snapshot, problems = build_snapshot(story, actor)
    if problems:
        rows = [RowProblem(i, p.chart, p.message) for i, p in enumerate(problems, start=1)]
        raise Invalid(f"{problems[0].chart}: {problems[0].message}", field="publish",
                      rows=rows)
    if not snapshot["charts"] and not snapshot["artifacts"] and not story.what_happened:
        raise Invalid("Say what happened for your students, or choose a chart or an "
                      "artifact that shows it, before publishing.", field="what_happened")
    refreshing = story.is_published
    with transaction.atomic():
        now = timezone.now()
        story.snapshot = snapshot
        story.snapshot_at = now
        story.published_at = story.published_at or now
        story.save(update_fields=["snapshot", "snapshot_at", "published_at"])
        record("story_refreshed" if refreshing else "story_published", actor=actor,
               request=request, obj=story,
               summary=f"{'Refreshed' if refreshing else 'Published'} the story "
                       f"“{story.title}”")
    return story


def do_unpublish(story: Story, *, actor: User, request: HttpRequest | None = None) -> Story:
    """Take the story down: every share link stops opening it (they open again if she
    publishes again before they expire)."""
    _must_edit(story, actor)
    with transaction.atomic():
        story.snapshot = None
        story.save(update_fields=["snapshot"])
        record("story_unpublished", actor=actor, request=request, obj=story,
               summary=f"Unpublished the story “{story.title}”")
    return story


def do_delete_story(story: Story, *, actor: User, request: HttpRequest | None = None) -> None:
    _must_edit(story, actor)
    with transaction.atomic():
        record("story_deleted", actor=actor, request=request, obj=story,
               summary=f"Deleted the story “{story.title}”")
        story.delete()


# ------------------------------------------------------------------------ consent

def do_record_consent(artifact: Artifact, *, actor: User, given_by: str, given_on: date,
                      scope: str, note: str = "", request: HttpRequest | None = None
                      ) -> Consent:
    """Record the consent a family gave to show an artifact that identifies their child:
    who gave it, when, and for whom it may be shown."""
    if artifact.owner_id != actor.pk or artifact.district_id != actor.district_id:
        raise NotAllowed("Only the teacher whose evidence it is records consent for it.")
    given_by = given_by.strip()
    if not given_by:
        raise Invalid("Say who gave consent, as the signed form names them (for example "
                      "“the student's parent or guardian”).", field="given_by")
    if len(given_by) > 200:
        raise Invalid("At most 200 characters.", field="given_by")
    if given_on > timezone.localdate():
        raise Invalid("Consent cannot be dated in the future.", field="given_on")
    if scope not in Consent.Scope.values:
        raise Invalid("Choose who may see the artifact.", field="scope")
    if len(note) > 500:
        raise Invalid("A note has at most 500 characters.", field="note")
    with transaction.atomic():
        consent = Consent.objects.create(
            district_id=artifact.district_id, artifact=artifact, given_by=given_by,
            given_on=given_on, scope=scope, note=note.strip(), recorded_by=actor)
        record("consent_recorded", actor=actor, request=request, obj=artifact,
               summary=f"Recorded consent to show “{artifact.title}” "
                       f"({consent.get_scope_display()})")
    return consent


def do_withdraw_consent(consent: Consent, *, actor: User, request: HttpRequest | None = None
                        ) -> Consent:
    """Consent withdrawn: the artifact leaves every story's share view and PDF at once
    (they check consent on every request) and cannot be chosen again without new consent."""
    if consent.artifact.owner_id != actor.pk:
        raise NotAllowed("Only the teacher whose evidence it is withdraws consent for it.")
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record("consent_withdrawn", actor=actor, request=request, obj=consent.artifact,
               summary=f"Withdrew consent to show “{consent.artifact.title}”")
    return consent


# ------------------------------------------------------------------------ share links

@dataclass(frozen=True)
class NewShareLink:
    link: ShareLink
    secret: str  # shown once; only its digest is stored


def do_create_share_link(story: Story, *, actor: User, label: str,
                         days: int = LINK_DAYS_DEFAULT, request: HttpRequest | None = None
                         ) -> NewShareLink:
    _must_edit(story, actor)
    label = label.strip()
    if not story.is_published:
        raise Invalid("Publish the story before sharing it.", field="label")
    if not label:
        raise Invalid("Say who the link is for, for example “Families, room 12”.",
                      field="label")
    if len(label) > LABEL_MAX:
        raise Invalid(f"At most {LABEL_MAX} characters.", field="label")
    if not 1 <= days <= LINK_DAYS_MAX:
        raise Invalid(f"A link lasts from 1 to {LINK_DAYS_MAX} days.", field="days")
    token = tokens.new_token()
    with transaction.atomic():
        link = ShareLink.objects.create(story=story, token=token.digest, label=label,
                                        created_by=actor,
                                        expires_at=timezone.now() + timedelta(days=days))
        record("share_link_created", actor=actor, request=request, obj=story,
               summary=f"Shared the story “{story.title}” by link ({label}, {days} days)")
    return NewShareLink(link, token.secret)


def do_revoke_share_link(link: ShareLink, *, actor: User, request: HttpRequest | None = None
                         ) -> ShareLink:
    _must_edit(link.story, actor)
    if link.revoked_at is not None:
        return link
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        record("share_link_revoked", actor=actor, request=request, obj=link.story,
               summary=f"Revoked the link “{link.label}” to “{link.story.title}”")
    return link


def note_share_view(link: ShareLink, *, request: HttpRequest | None, what: str = "page"
                    ) -> None:
    """Count and audit one reading through a link (``what``: "page" or "pdf")."""
    with transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(views=F("views") + 1,
                                                    last_viewed_at=timezone.now())
        record("story_viewed_by_link", actor=None, district=link.story.district,
               request=request, obj=link.story, actor_label=f"share link “{link.label}”",
               summary=f"Read “{link.story.title}” through the link “{link.label}” ({what})",
               details={"link": link.pk, "what": what})

