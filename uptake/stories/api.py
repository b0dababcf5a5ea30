"""This app's part of the JSON API (uptake/api):
Stories told from inquiries, and the consent records that let an artifact be shown.

Every operation calls the same access helpers (``uptake.stories.access``) and actions
(``uptake.stories.actions``) as the story builder:

- reads: whoever may read the story's inquiry (its owner, its team, a coach or leader it
  is shared with); writes: whoever may edit the inquiry; everyone else gets the same 404
  as for a story that does not exist;
- consent records: the teacher whose artifact it is, only;
- a story's share links never leave through the API (their secrets are shown once, on the
  page that makes them): a story says only how many it has and how often they were read;
- the published snapshot is given as its readers see it, after suppression (no student's
  name, pseudonym or row), without the charts' drawings; an artifact that identifies
  students is left out as soon as its consent is withdrawn, and for anyone but its owner
  unless the consent covers colleagues in the district.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja import Status as Answer

from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.evidence.models import Artifact
from uptake.inquiry.access import access_inquiry
from uptake.rules import Conflict, Invalid, RowProblem
from uptake.stories import actions
from uptake.stories.access import (
    access_consent,
    access_story,
    consents_editable_by,
    stories_visible_to,
)
from uptake.stories.api_schemas import (
    StoryArtifactsPut,
    StoryChartsPut,
    StoryConsentIn,
    StoryConsentOut,
    StoryIn,
    StoryOut,
    StoryPatch,
)
from uptake.stories.models import Consent, Story, StoryArtifact, StoryChart

if TYPE_CHECKING:
    from uptake.roster.models import Section

router = Router(tags=["Stories and consent"])

# Who reads stories (the inquiry pages' audience); writes are for teachers.
READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not any(me.has_role(role) for role in READERS):
        raise Http404("No such story.")
    return me


def _teacher(request: HttpRequest) -> User:
    me = support.me(request)
    if not me.has_role(Role.TEACHER):
        raise Http404("No such story.")
    return me


# ------------------------------------------------------------------- story answers


def _with_parts(stories: QuerySet[Story]) -> QuerySet[Story]:
    return stories.select_related("inquiry").prefetch_related(
        Prefetch("charts", queryset=StoryChart.objects.select_related("measure", "section")),
        Prefetch("pieces", queryset=StoryArtifact.objects.select_related("artifact")))


def _one(me: User, story_id: int) -> Story:
    story = _with_parts(stories_visible_to(me)).filter(pk=story_id).first()
    if story is None:
        raise Http404("No such story.")
    return story


# --------------------------------------------------------------------------- consent
# Registered before the stories' ``/{story_id}`` paths, which would claim ``/consents``.


@router.get("/consents", response=list[StoryConsentOut], summary="Your consent records")
@support.paginate(ordering=("pk",))
def list_consents(request: HttpRequest,
                  artifact: int | None = Query(None, ge=1, le=support.MAX_ID),
                  in_force: bool | None = None) -> QuerySet[Consent]:
    """The consent records you made for your own artifacts. ``artifact``: that artifact's;
    ``in_force``: only those in force (true) or only those withdrawn (false)."""
    me = _teacher(request)
    found = consents_editable_by(me).select_related("artifact")
    found = support.where(found, artifact_id=artifact)
    if in_force is not None:
        found = found.filter(withdrawn_at__isnull=in_force)
    return found


@router.post("/consents", response={201: StoryConsentOut}, summary="Record a consent")
@support.idempotent
def create_consent(request: HttpRequest, payload: StoryConsentIn) -> Answer:
    """Record the consent a family gave (a signed form you hold) to show one of your
    artifacts that could identify their child: who gave it, on which day, and who may see
    the artifact (``story_links``: those who hold one of your story's links; ``district``:
    colleagues in the district too; ``public``: anyone). Audited."""
    me = _teacher(request)
    artifact = Artifact.objects.filter(owner=me, pk=payload.artifact).first()
    if artifact is None:
        raise Http404("No such artifact.")
    consent = actions.do_record_consent(
        artifact, actor=me, given_by=payload.given_by, given_on=payload.given_on,
        scope=payload.scope, note=payload.note, request=request)
    return Answer(201, access_consent(me, consent.pk))


@router.post("/consents/{consent_id}/withdraw", response=StoryConsentOut,
             summary="Withdraw a consent")
def withdraw_consent(request: HttpRequest, consent_id: int) -> Consent:
    """The artifact leaves every story's share view and PDF at once, and cannot be chosen
    again without a new consent. Withdrawing one already withdrawn changes nothing."""
    me = _teacher(request)
    consent = access_consent(me, consent_id)
    actions.do_withdraw_consent(consent, actor=me, request=request)
    return access_consent(me, consent.pk)


# --------------------------------------------------------------------------- stories


@router.get("", response=list[StoryOut], summary="Stories you may read")
@support.paginate(ordering=("pk",))
def list_stories(request: HttpRequest,
                 inquiry: int | None = Query(None, ge=1, le=support.MAX_ID),
                 published: bool | None = None) -> QuerySet[Story]:
    """The stories of the inquiries you may read (your own, your teams', and those shared
    with you), each as ``GET /stories/{story_id}`` gives it. ``inquiry``: the story of that
    inquiry; ``published``: only published (true) or only drafts (false)."""
    me = _reader(request)
    found = _with_parts(stories_visible_to(me))
    found = support.where(found, inquiry_id=inquiry)
    if published is not None:
        found = found.filter(snapshot__isnull=not published)
    return found


@router.get("/{story_id}", response=StoryOut, summary="One story")
def get_story(request: HttpRequest, story_id: int) -> Story:
    """The story's words, the charts and artifacts it shows, whether and when it was
    published, its share links as counts (for those who may edit it), and the published
    snapshot: verdicts, reasons, points and class-level numbers as its readers see them."""
    return _one(_reader(request), story_id)


@router.post("", response={200: StoryOut, 201: StoryOut}, summary="Start a story")
@support.idempotent
def create_story(request: HttpRequest, payload: StoryIn) -> Answer:
    """Start the story of an inquiry you may edit, from what the inquiry says (its
    question and change idea); ``201``. An inquiry tells one story: if it has one, that
    one is answered (``200``), unchanged."""
    me = _teacher(request)
    inquiry = access_inquiry(me, payload.inquiry, edit=True)
    existed = Story.objects.filter(inquiry=inquiry).exists()
    story = actions.do_start_story(inquiry, actor=me, request=request)
    return Answer(200 if existed else 201, _one(me, story.pk))


@router.patch("/{story_id}", response=StoryOut, summary="Change a story's words")
def update_story(request: HttpRequest, story_id: int, payload: StoryPatch) -> Story:
    """Change the fields sent (title, language, question, what changed, what happened,
    what's next), as the builder does. What readers see changes only when the story is
    published again (``POST /stories/{story_id}/publish``)."""
    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    sent = payload.dict(exclude_unset=True)
    if nulls := sorted(k for k, v in sent.items() if v is None):
        raise Invalid("A field sent cannot be null (leave it out to keep it).",
                      field=nulls[0])
    if sent:
        actions.do_update_story(story, actor=me, request=request, **sent)
    return _one(me, story.pk)


@router.put("/{story_id}/charts", response=StoryOut, summary="Choose a story's charts")
def put_charts(request: HttpRequest, story_id: int, payload: StoryChartsPut) -> Story:
    """The charts the story shows, in this order, replacing the ones it had: each a
    measure of the inquiry, for one of its classes (``section``) or for its classes
    together (``section`` null). Every item is checked; any at fault is listed in
    ``rows`` (its position from 1) and nothing changes."""
    from uptake.inquiry.models import Measure

    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    measures = {m.pk: m for m in Measure.objects.filter(inquiry=story.inquiry)
                .prefetch_related("sections")}
    problems: list[RowProblem] = []
    choices: list[actions.ChartChoice] = []
    for row, item in enumerate(payload.charts, start=1):
        measure = measures.get(item.measure)
        if measure is None:
            problems.append(RowProblem(row, "measure", "This measure is not one of the "
                                                       "inquiry's."))
            continue
        section: Section | None = None
        if item.section is not None:
            section = next((s for s in measure.sections.all() if s.pk == item.section), None)
            if section is None:
                problems.append(RowProblem(row, "section",
                                           "This class is not one of the measure's."))
                continue
        choices.append(actions.ChartChoice(measure, section))
    if problems:
        raise Invalid(_rows_message(problems, "charts"), field="charts", rows=problems)
    actions.do_choose_charts(story, choices, actor=me, request=request)
    return _one(me, story.pk)


@router.put("/{story_id}/artifacts", response=StoryOut, summary="Choose a story's artifacts")
def put_artifacts(request: HttpRequest, story_id: int, payload: StoryArtifactsPut
                  ) -> Story:
    """The artifacts the story shows, with the caption under each, in this order,
    replacing the ones it had: evidence of the inquiry that you may see; one that could
    identify a student only while a consent for it is in force (``POST
    /stories/consents``). Items at fault are listed in ``rows``; nothing changes."""
    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    ids = [item.artifact for item in payload.artifacts]
    found = {a.pk: a for a in Artifact.objects.visible_to(me).filter(
        inquiry_id=story.inquiry_id, pk__in=ids)}
    problems: list[RowProblem] = []
    choices: list[actions.ArtifactChoice] = []
    for row, item in enumerate(payload.artifacts, start=1):
        artifact = found.get(item.artifact)
        if artifact is None:
            problems.append(RowProblem(row, "artifact", "This artifact is not evidence of "
                                                        "this inquiry that you may see."))
            continue
        choices.append(actions.ArtifactChoice(artifact, item.caption))
    if problems:
        raise Invalid(_rows_message(problems, "artifacts"), field="artifacts", rows=problems)
    actions.do_choose_artifacts(story, choices, actor=me, request=request)
    return _one(me, story.pk)


def _rows_message(problems: list[RowProblem], what: str) -> str:
    if len(problems) == 1:
        return f"Item {problems[0].row} of {what}: {problems[0].message} Nothing was saved."
    return (f"{len(problems)} items of {what} cannot be used, so nothing was saved: "
            "correct them and send the whole list again.")


@router.post("/{story_id}/publish", response=StoryOut,
             summary="Publish a story, or refresh what it shows")
def publish_story(request: HttpRequest, story_id: int) -> Story:
    """Take a new snapshot of the story: what its readers (and its share links) see from
    now on. Refused with ``409 conflict`` when something may not be published yet; its
    ``rows`` name each chart or artifact at fault (``column``) and why (a chart resting
    on too few students, an artifact that could identify a student without consent)."""
    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    try:
        actions.do_publish(story, actor=me, request=request)
    except Invalid as refused:
        raise Conflict(refused.message, rows=refused.rows) from None
    return _one(me, story.pk)


@router.post("/{story_id}/unpublish", response=StoryOut, summary="Take a story down")
def unpublish_story(request: HttpRequest, story_id: int) -> Story:
    """Its share links stop opening it at once (they open again if it is published again
    before they expire). Its words and choices stay."""
    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    actions.do_unpublish(story, actor=me, request=request)
    return _one(me, story.pk)


@router.delete("/{story_id}", response={204: None}, summary="Delete a story")
def delete_story(request: HttpRequest, story_id: int) -> Answer:
    """The story, its choices and its share links are deleted (audited); the inquiry and
    its evidence stay."""
    me = _teacher(request)
    story = access_story(me, story_id, edit=True)
    actions.do_delete_story(story, actor=me, request=request)
    return Answer(204, None)
