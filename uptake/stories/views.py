"""The teacher's story pages: her stories, the builder (words, charts, artifacts, the
evidence ladder), the preview, publishing, the story page with its share links, and the
consent records for artifacts that identify students.

Every change goes through ``uptake.stories.actions``; reads go through
``uptake.stories.access``. Families read a story through a share link
(``uptake.stories.share_views``), never through these pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow
from uptake.accounts.models import Role, User
from uptake.evidence.access import access_own_artifact
from uptake.evidence.forms import GUSKEY_GUIDANCE
from uptake.evidence.models import Artifact
from uptake.idempotency import once
from uptake.inquiry.access import access_inquiry
from uptake.inquiry.study import cached_study
from uptake.rules import RuleError
from uptake.stories import actions
from uptake.stories.access import (
    access_consent,
    access_share_link,
    access_story,
    consents_editable_by,
    may_edit_story,
    stories_editable_by,
    stories_visible_to,
)
from uptake.stories.forms import ConsentForm, ShareLinkForm, StoryForm
from uptake.stories.honesty import claims_by_field
from uptake.stories.models import ShareLink, Story, StoryChart
from uptake.stories.snapshot import artifact_allowed, build_snapshot, chart_problem, evidence_ladder
from uptake.views_support import showing_refusals

READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)  # as the inquiry pages
EDITORS = (Role.TEACHER,)
WORD_FIELDS = ("question", "what_changed", "what_happened", "whats_next")


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _keep_secret(request: HttpRequest, link: ShareLink, secret: str) -> None:
    request.session[f"story-link:{link.pk}"] = secret


def _take_secret(request: HttpRequest, link: ShareLink) -> str:
    return str(request.session.pop(f"story-link:{link.pk}", ""))


def family_url(request: HttpRequest, secret: str) -> str:
    """The address families open: the share view of ``secret`` (defined by share_urls)."""
    try:
        return request.build_absolute_uri(reverse("share:story", args=[secret]))
    except NoReverseMatch:  # the share view is not mounted (never in a full install)
        return request.build_absolute_uri(f"/s/{secret}/")


def evidence_file_url(artifact_id: int) -> str:
    """An artifact's file on the teacher's pages (the evidence app decides who opens it)."""
    return reverse("evidence:file", args=[artifact_id])


def link_status(link: ShareLink) -> str:
    if link.revoked_at is not None:
        return "Revoked"
    if link.expires_at <= timezone.now():
        return "Expired"
    return "Live"


def live_links(story: Story) -> Any:
    return story.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def without_time(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """A snapshot without the moment it was taken (to compare two of them)."""
    if snapshot is None:
        return None
    return {k: v for k, v in snapshot.items() if k != "taken_at"}


def draft_differs(story: Story, user: User) -> bool:
    """Whether publishing now would show families something other than they see."""
    if not story.is_published:
        return False
    fresh, _problems = build_snapshot(story, user)
    return without_time(fresh) != without_time(story.snapshot)


# ------------------------------------------------------------------------ my stories

@allow(*READERS)
def mine(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    stories = list(stories_visible_to(user).select_related("inquiry", "inquiry__owner")
                   .annotate(views=Sum("links__views")).order_by("-updated_at", "-pk"))
    editable = set(stories_editable_by(user).values_list("pk", flat=True))
    return render(request, "stories/mine.html", {
        "yours": [s for s in stories if s.pk in editable],
        "shared": [s for s in stories if s.pk not in editable and s.is_published],
        "is_teacher": user.has_role(Role.TEACHER)})


@allow(*EDITORS)
@require_POST
@once
def start(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Start the inquiry's story (or open the one it has: an inquiry tells one story)."""
    inquiry = access_inquiry(request.user, inquiry_id, edit=True)
    with showing_refusals(request) as attempt:
        story = actions.do_start_story(inquiry, actor=_me(request), request=request)
    if not attempt.ok:
        return redirect("inquiry:detail", inquiry_id=inquiry.pk)
    return redirect("stories:edit", story_id=story.pk)


# ------------------------------------------------------------------------ the builder

@dataclass
class ChartOption:
    """One chart the builder offers: a measure for its classes together or for one class."""

    key: str
    measure: Any
    section: Any
    label: str
    chosen: bool
    position: int | None
    problem: str


def chart_options(story: Story, user: User) -> list[tuple[Any, list[ChartOption]]]:
    """Every chart the inquiry's measures can give, grouped by measure, each with whether
    it can be published (and why not)."""
    chosen = {(c.measure_id, c.section_id): i for i, c in enumerate(story.charts.all(), 1)}
    out = []
    for measure in story.inquiry.measures.prefetch_related("sections").order_by("pk"):
        sections = list(measure.sections.all())
        targets: list[Any] = [None] + (sections if len(sections) > 1 else [])
        study = cached_study(user, measure, names=False)  # one study for all its charts
        options = []
        for section in targets:
            if section is not None:
                label = section.title
            elif len(sections) > 1:
                label = "Classes together"
            else:
                label = sections[0].title if sections else "No classes yet"
            probe = StoryChart(story=story, measure=measure, section=section)
            problem, _block, _title = chart_problem(probe, user, study)
            key = f"{measure.pk}-{section.pk if section is not None else 0}"
            position = chosen.get((measure.pk, section.pk if section is not None else None))
            options.append(ChartOption(key, measure, section, label, position is not None,
                                       position, problem.message if problem else ""))
        out.append((measure, options))
    return out


@dataclass
class ArtifactOption:
    artifact: Artifact
    chosen: bool
    position: int | None
    caption: str
    allowed: bool
    is_mine: bool


def artifact_options(story: Story, user: User) -> list[ArtifactOption]:
    """The inquiry's evidence this editor may see, and whatever the story shows already."""
    pieces = {p.artifact_id: (i, p) for i, p in enumerate(
        story.pieces.select_related("artifact"), 1)}
    visible = Artifact.objects.visible_to(user).filter(inquiry=story.inquiry)
    artifacts = Artifact.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=pieces)
                                        ).order_by("guskey_level", "title", "pk")
    out = []
    for a in artifacts:
        position, piece = pieces.get(a.pk, (None, None))
        out.append(ArtifactOption(a, piece is not None, position,
                                  piece.caption if piece is not None else "",
                                  artifact_allowed(a), a.owner_id == user.pk))
    return out


def ladder_with_hints(inquiry: Any) -> list[dict[str, Any]]:
    hints = {level: (name, hint) for level, name, hint in GUSKEY_GUIDANCE}
    return [{**level, "hint": hints[level["level"]][1]} for level in evidence_ladder(inquiry)]


def _builder(request: HttpRequest, story: Story, form: StoryForm, *, status: int = 200
             ) -> HttpResponse:
    user = _me(request)
    words = {name: getattr(story, name) for name in ("title", *WORD_FIELDS)}
    consents = consents_editable_by(user).filter(artifact__inquiry=story.inquiry
                                                 ).select_related("artifact")
    return render(request, "stories/builder.html", {
        "story": story, "form": form, "claims": claims_by_field(words),
        "chart_groups": chart_options(story, user),
        "artifacts": artifact_options(story, user),
        "ladder": ladder_with_hints(story.inquiry),
        "consents": consents,
        "live_links": live_links(story).count(),
        "caption_max": actions.CAPTION_MAX,
        "min_group_size": settings.MIN_GROUP_SIZE,
    }, status=status)


@allow(*EDITORS)
def edit(request: HttpRequest, story_id: int) -> HttpResponse:
    """The builder: her words (saved here), and the charts, artifacts and ladder."""
    story = access_story(request.user, story_id, edit=True)
    if request.method != "POST":
        return _builder(request, story, StoryForm(initial=StoryForm.initial_from(story)))
    form = StoryForm(request.POST)
    if form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_story(story, actor=_me(request), request=request,
                                    **form.cleaned_data)
        if attempt.ok:
            claims = claims_by_field({k: form.cleaned_data[k] for k in ("title", *WORD_FIELDS)})
            if claims:
                messages.warning(request, "Saved. Some of your words claim a cause the data "
                                          "cannot show; see the notes beside them.")
            else:
                messages.success(request, "Saved your words. Families see them when you "
                                          "publish or refresh the story.")
            return redirect("stories:edit", story_id=story.pk)
    story.refresh_from_db()
    return _builder(request, story, form, status=400)


def _position(request: HttpRequest, name: str, fallback: int) -> tuple[int, int]:
    raw = request.POST.get(name, "").strip()
    return (int(raw), fallback) if raw.isdigit() else (10_000, fallback)


@allow(*EDITORS)
@require_POST
def charts(request: HttpRequest, story_id: int) -> HttpResponse:
    """The charts she ticked, in the order of their position numbers."""
    story = access_story(request.user, story_id, edit=True)
    picked: list[tuple[tuple[int, int], actions.ChartChoice]] = []
    for _measure, options in chart_options(story, _me(request)):
        for i, option in enumerate(options):
            if request.POST.get(f"chart-{option.key}"):
                picked.append((_position(request, f"chart-pos-{option.key}", len(picked) + i),
                               actions.ChartChoice(option.measure, option.section)))
    picked.sort(key=lambda pair: pair[0])
    with showing_refusals(request, done="Saved the charts.") as attempt:
        actions.do_choose_charts(story, [choice for _, choice in picked],
                                 actor=_me(request), request=request)
    _show_rows(request, attempt.refusal)
    return redirect(reverse("stories:edit", args=[story.pk]) + "#charts-h")


@allow(*EDITORS)
@require_POST
def artifacts(request: HttpRequest, story_id: int) -> HttpResponse:
    """The artifacts she ticked, with their captions, in the order of their numbers."""
    story = access_story(request.user, story_id, edit=True)
    picked: list[tuple[tuple[int, int], actions.ArtifactChoice]] = []
    for i, option in enumerate(artifact_options(story, _me(request))):
        pk = option.artifact.pk
        if request.POST.get(f"artifact-{pk}"):
            caption = request.POST.get(f"caption-{pk}", "")
            picked.append((_position(request, f"artifact-pos-{pk}", i),
                           actions.ArtifactChoice(option.artifact, caption)))
    picked.sort(key=lambda pair: pair[0])
    with showing_refusals(request, done="Saved the evidence shown.") as attempt:
        actions.do_choose_artifacts(story, [choice for _, choice in picked],
                                    actor=_me(request), request=request)
    _show_rows(request, attempt.refusal)
    return redirect(reverse("stories:edit", args=[story.pk]) + "#artifacts-h")


def _show_rows(request: HttpRequest, refusal: RuleError | None) -> None:
    """Each further problem of a refusal, after its first (which is its message)."""
    if refusal is None:
        return
    for row in refusal.rows[1:]:
        messages.error(request, row.message)


# ------------------------------------------------------------------------ preview, publish

@allow(*EDITORS)
def preview(request: HttpRequest, story_id: int) -> HttpResponse:
    """The draft exactly as families would see it, built now and saved nowhere."""
    story = access_story(request.user, story_id, edit=True)
    snapshot, problems = build_snapshot(story, _me(request))
    response = render(request, "stories/preview.html", {
        "story": story, "snapshot": snapshot, "problems": problems,
        "artifact_url": evidence_file_url})
    response["Cache-Control"] = "no-store"
    return response


@allow(*EDITORS)
@require_POST
def publish(request: HttpRequest, story_id: int) -> HttpResponse:
    """Publish, or refresh what families see; a refusal names each problem."""
    story = access_story(request.user, story_id, edit=True)
    refreshing = story.is_published
    try:
        actions.do_publish(story, actor=_me(request), request=request)
    except RuleError as refusal:
        if refusal.rows:
            messages.error(request, "The story was not "
                           f"{'refreshed' if refreshing else 'published'}. Fix these first:")
            for row in refusal.rows:
                messages.error(request, f"{row.column}: {row.message}")
        else:
            messages.error(request, refusal.message)
        return redirect("stories:edit", story_id=story.pk)
    messages.success(request, "Refreshed: families now see what you see in the preview."
                     if refreshing else "Published. Make a share link to send it to families.")
    return redirect("stories:detail", story_id=story.pk)


@allow(*EDITORS)
def unpublish(request: HttpRequest, story_id: int) -> HttpResponse:
    story = access_story(request.user, story_id, edit=True)
    if request.method == "POST":
        with showing_refusals(request, done="Unpublished: its links open nothing until you "
                                            "publish it again.") as attempt:
            actions.do_unpublish(story, actor=_me(request), request=request)
        if attempt.ok:
            return redirect("stories:detail", story_id=story.pk)
    return render(request, "stories/unpublish.html", {
        "story": story, "live_links": live_links(story).count()})


@allow(*EDITORS)
def delete(request: HttpRequest, story_id: int) -> HttpResponse:
    story = access_story(request.user, story_id, edit=True)
    if request.method == "POST":
        title, inquiry_id = story.title, story.inquiry_id
        with showing_refusals(request, done=f"Deleted the story “{title}”.") as attempt:
            actions.do_delete_story(story, actor=_me(request), request=request)
        if attempt.ok:
            return redirect("inquiry:detail", inquiry_id=inquiry_id)
    return render(request, "stories/delete.html", {
        "story": story, "links": story.links.count()})


# ------------------------------------------------------------------------ the story page

@allow(*READERS)
def detail(request: HttpRequest, story_id: int) -> HttpResponse:
    """What families see (the published snapshot) and, for its editors, its state and links."""
    user = _me(request)
    story = access_story(user, story_id)
    editable = may_edit_story(user, story) and user.has_role(Role.TEACHER)
    context: dict[str, Any] = {"story": story, "editable": editable,
                               "snapshot": story.snapshot, "artifact_url": evidence_file_url}
    if editable:
        context.update({
            "differs": draft_differs(story, user),
            "links": [(link, link_status(link)) for link in story.links.all()],
            "link_form": ShareLinkForm(),
        })
    return render(request, "stories/detail.html", context)


@allow(*EDITORS)
@require_POST
@once
def link_new(request: HttpRequest, story_id: int) -> HttpResponse:
    story = access_story(request.user, story_id, edit=True)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        with showing_refusals(request) as attempt:  # its messages name what is wrong
            made = actions.do_create_share_link(story, actor=_me(request), request=request,
                                                label=form.cleaned_data["label"],
                                                days=form.cleaned_data["days"])
        if attempt.ok:
            _keep_secret(request, made.link, made.secret)
            return redirect("stories:link_made", story_id=story.pk, link_id=made.link.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(reverse("stories:detail", args=[story.pk]) + "#links-h")


@allow(*EDITORS)
def link_made(request: HttpRequest, story_id: int, link_id: int) -> HttpResponse:
    """The new link's address, this once; shown again, the page says it is gone."""
    story = access_story(request.user, story_id, edit=True)
    link = access_share_link(request.user, story, link_id)
    secret = _take_secret(request, link)
    response = render(request, "stories/link_made.html", {
        "story": story, "link": link, "status": link_status(link),
        "url": family_url(request, secret) if secret else ""})
    response["Cache-Control"] = "no-store"
    return response


@allow(*EDITORS)
@require_POST
def link_revoke(request: HttpRequest, story_id: int, link_id: int) -> HttpResponse:
    story = access_story(request.user, story_id, edit=True)
    link = access_share_link(request.user, story, link_id)
    with showing_refusals(request, done=f"Revoked “{link.label}”: it opens nothing from now "
                                        "on."):
        actions.do_revoke_share_link(link, actor=_me(request), request=request)
    return redirect(reverse("stories:detail", args=[story.pk]) + "#links-h")


# ------------------------------------------------------------------------ consent

@allow(*EDITORS)
def consents(request: HttpRequest) -> HttpResponse:
    """The consent records she keeps, in force and withdrawn."""
    records = consents_editable_by(request.user).select_related("artifact", "artifact__inquiry")
    return render(request, "stories/consents.html", {"consents": records})


def _back_to(request: HttpRequest, artifact: Artifact) -> str:
    """The builder of the story she came from (only one she may edit), else her consents."""
    story_id = request.POST.get("story") or request.GET.get("story") or ""
    if story_id.isdigit() and artifact.inquiry_id is not None:
        story = Story.objects.filter(pk=story_id, inquiry_id=artifact.inquiry_id).first()
        if story is not None and may_edit_story(request.user, story):
            return reverse("stories:edit", args=[story.pk]) + "#artifacts-h"
    return reverse("stories:consents")


@allow(*EDITORS)
@once
def consent_new(request: HttpRequest, artifact_id: int) -> HttpResponse:
    """Record the consent a family gave (from the signed form) to show an artifact."""
    artifact = access_own_artifact(request.user, artifact_id)
    form = ConsentForm(request.POST or None, initial={"scope": "story_links"})
    back = _back_to(request, artifact)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form, done=f"Recorded consent for "
                                                       f"“{artifact.title}”.") as attempt:
            actions.do_record_consent(artifact, actor=_me(request), request=request,
                                      given_by=data["given_by"], given_on=data["given_on"],
                                      scope=data["scope"], note=data["note"])
        if attempt.ok:
            return redirect(back)
    return render(request, "stories/consent_new.html", {
        "artifact": artifact, "form": form, "back": back,
        "story_id": request.POST.get("story") or request.GET.get("story") or "",
        "in_force": artifact.consents.filter(withdrawn_at__isnull=True).exists()},
        status=400 if form.errors else 200)


@allow(*EDITORS)
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = access_consent(request.user, consent_id)
    if request.method == "POST":
        with showing_refusals(request, done=f"Withdrew consent for “{consent.artifact.title}”: "
                                            "it leaves every story at once.") as attempt:
            actions.do_withdraw_consent(consent, actor=_me(request), request=request)
        if attempt.ok:
            return redirect("stories:consents")
    return render(request, "stories/consent_withdraw.html", {"consent": consent})
