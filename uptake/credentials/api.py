"""This app's part of the JSON API (uptake/api): micro-credentials.

Every operation calls the same access helpers (``uptake.credentials.access``) and actions
(``uptake.credentials.actions``) as the pages, so the same rules hold whichever asks:

- **catalog**: the district's published credentials, for its educators, assessors and
  coordinators (an earlier version only to whoever has work on it);
- **mine**: an educator's own submissions (start a tier, select records she already has,
  write the reflection, pre-check, submit, withdraw); nobody else's;
- **reviews**: an assessor's open reviews, read only while her assessment grant is live,
  and her decision; never her own or (by the district's policy) her coachee's work;
- **submissions**: coordinators' oversight of their district (states, readers and dates,
  never the records) and assigning readers;
- **stipends** and **transcripts**: the money, for coordinators (the district's) and
  educators (their own).

Whoever may not reach something gets the same 404 as for something that does not exist;
a move the workflow refuses is a 409 with the workflow's own words, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.api import support
from uptake.credentials import access, actions, workflow
from uptake.credentials.models import Item, Review, Round, StipendEntry, Submission, Tier, Version
from uptake.credentials.precheck import impact_rows, precheck, ready
from uptake.rules import Invalid

router = Router(tags=["Micro-credentials"])

Id = Annotated[int, Field(ge=1, le=support.MAX_ID)]
PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
ItemKind = Literal["inquiry", "cycle", "measure", "source", "artifact", "goal", "practice"]
State = Literal["draft", "submitted", "in_review", "returned", "awarded", "withdrawn"]


def _nothing(what: str = "No such credential.") -> Http404:
    return Http404(what)


def _catalog_reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not (me.is_active and me.has_role(*access.CATALOG_ROLES)):
        raise _nothing()
    return me


def _educator(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.is_educator(me):
        raise _nothing("No such submission.")
    return me


def _assessor(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.is_assessor(me):
        raise _nothing("No such review.")
    return me


def _coordinator(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.is_author(me):
        raise _nothing("No such submission.")
    return me


def _page(request: HttpRequest, name: str, *args: Any) -> str:
    return str(request.build_absolute_uri(reverse(name, args=args)))


# --------------------------------------------------------------------------- catalog

class CriterionOut(Schema):
    id: int
    order: int
    text: str
    descriptors: list[str] = Field(description="One per level of the tier, lowest first.")


class RequirementsOut(Schema):
    min_sources: int
    min_research_sources: int
    min_artifacts: int
    min_links: int
    needs_lesson_plan: bool
    needs_goal: bool
    impact_rule: str = Field(description="'' (no student data), data_and_reflection, "
                                         "sustained_improvement or min_paired_change")
    impact_rule_text: str
    impact_min_change: Decimal | None
    reflection_min_words: int | None
    reflection_max_words: int | None
    accepts_video: bool
    video_min_seconds: int | None
    video_max_seconds: int | None


class TierOut(Schema):
    id: int
    order: int
    name: str
    kind: str
    description: str
    requirements: RequirementsOut
    stipend: Decimal
    ceus: Decimal
    levels: list[str] = Field(description="The scoring guide's levels, lowest first.")
    passing_level: int = Field(description="Index in levels of the lowest level that "
                                           "meets a criterion.")
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_requirements(obj: Tier) -> dict[str, Any]:
        return {
            "min_sources": obj.min_sources, "min_research_sources": obj.min_research_sources,
            "min_artifacts": obj.min_artifacts, "min_links": obj.min_links,
            "needs_lesson_plan": obj.needs_lesson_plan, "needs_goal": obj.needs_goal,
            "impact_rule": obj.impact_rule or "",
            "impact_rule_text": Tier.Impact(obj.impact_rule or "").label,
            "impact_min_change": obj.impact_min_change,
            "reflection_min_words": obj.reflection_min_words,
            "reflection_max_words": obj.reflection_max_words,
            "accepts_video": obj.accepts_video, "video_min_seconds": obj.video_min_seconds,
            "video_max_seconds": obj.video_max_seconds}

    @staticmethod
    def resolve_criteria(obj: Tier) -> list[Any]:
        return list(obj.criteria.all())


class CatalogEntryOut(Schema):
    id: int = Field(description="The version's id.")
    credential_id: int
    number: int
    status: str
    title: str
    competency: str
    tiers: int
    stipend_total: Decimal
    ceus_total: Decimal
    published_at: dt.datetime | None
    page_url: str

    @staticmethod
    def resolve_tiers(obj: Version) -> int:
        return obj.tiers.count()

    @staticmethod
    def resolve_stipend_total(obj: Version) -> Decimal:
        return sum((t.stipend for t in obj.tiers.all()), Decimal("0"))

    @staticmethod
    def resolve_ceus_total(obj: Version) -> Decimal:
        return sum((t.ceus for t in obj.tiers.all()), Decimal("0"))

    @staticmethod
    def resolve_page_url(obj: Version, context: dict[str, Any]) -> str:
        return _page(context["request"], "credentials:credential", obj.pk)


class VersionOut(CatalogEntryOut):
    key_method: str
    research_basis: str
    image_alt: str
    tier_list: list[TierOut]
    requires: list[int] = Field(description="Ids of credentials to earn first (a stack).")
    exemplar_ids: list[int] = Field(description="Practices in the district's library that "
                                                "show what the work looks like.")
    elements: list[str] = Field(description="Standards it aligns to, as code: title.")

    @staticmethod
    def resolve_tier_list(obj: Version) -> list[Any]:
        return list(obj.tiers.prefetch_related("criteria"))

    @staticmethod
    def resolve_requires(obj: Version) -> list[int]:
        return sorted(obj.requires.values_list("pk", flat=True))

    @staticmethod
    def resolve_exemplar_ids(obj: Version) -> list[int]:
        return sorted(obj.exemplars.filter(status="published").values_list("pk", flat=True))

    @staticmethod
    def resolve_elements(obj: Version) -> list[str]:
        return [f"{e.code}: {e.title}" for e in obj.elements.order_by("code", "pk")]


@router.get("/catalog", response=list[CatalogEntryOut], summary="The district's credentials")
@support.paginate(ordering=("title", "pk"))
def list_catalog(request: HttpRequest,
                 q: str = Query("", max_length=200)) -> QuerySet[Version]:
    """The published credentials of my district still offered, by title; ``q`` keeps those
    whose title or competency holds it."""
    me = _catalog_reader(request)
    found = access.catalog(me).prefetch_related("tiers")
    if q.strip():
        found = found.filter(Q(title__icontains=q.strip()) | Q(competency__icontains=q.strip()))
    return found


@router.get("/catalog/{version_id}", response=VersionOut, summary="One credential")
def get_catalog_version(request: HttpRequest, version_id: PathId) -> Version:
    """Its competency, research basis, tiers with their requirements, stipends, CEUs
    and scoring guides, the credentials it stacks on and its exemplars' ids. An earlier
    version is readable by whoever has work on it."""
    return access.access_catalog_version(_catalog_reader(request), version_id)


# -------------------------------------------------------------- the educator's work

class ItemOut(Schema):
    id: int
    kind: str
    record_id: int | None = Field(description="Null once she deleted the record.")
    label: str
    note: str
    added_at: dt.datetime

    @staticmethod
    def resolve_record_id(obj: Item) -> int | None:
        return getattr(obj, f"{obj.kind}_id", None)


class ScoreOut(Schema):
    reader: str
    criterion_id: int
    criterion: str
    level: int
    level_text: str
    comment: str


class RoundOut(Schema):
    number: int
    submitted_at: dt.datetime
    outcome: str = Field(description="'' while open, awarded, returned or withdrawn")
    decided_at: dt.datetime | None
    feedback: str
    scores: list[ScoreOut] = Field(description="Once decided: each reader's level per "
                                               "criterion.")


def _scores(rnd: Round, tier: Tier) -> list[dict[str, Any]]:
    if not rnd.outcome or rnd.outcome == Round.Outcome.WITHDRAWN:
        return []
    out = []
    for review in rnd.reviews.filter(decided_at__isnull=False).prefetch_related(
            "scores", "scores__criterion"):
        for s in review.scores.all():
            out.append({"reader": review.reader, "criterion_id": s.criterion_id,
                        "criterion": s.criterion.text, "level": s.level,
                        "level_text": tier.levels[s.level] if s.level < len(tier.levels)
                        else "", "comment": s.comment})
    return out


class SubmissionOut(Schema):
    id: int
    credential_id: int
    version_id: int
    title: str
    tier_id: int
    tier_name: str
    state: State
    state_text: str
    can: list[str] = Field(description="What may happen next: edit, submit, withdraw.")
    reflection: str
    reflection_video_id: int | None
    items: list[ItemOut]
    rounds: list[RoundOut]
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    page_url: str

    @staticmethod
    def resolve_credential_id(obj: Submission) -> int:
        return obj.tier.version.credential_id

    @staticmethod
    def resolve_version_id(obj: Submission) -> int:
        return obj.tier.version_id

    @staticmethod
    def resolve_title(obj: Submission) -> str:
        return obj.tier.version.title

    @staticmethod
    def resolve_tier_name(obj: Submission) -> str:
        return obj.tier.name

    @staticmethod
    def resolve_state_text(obj: Submission) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_can(obj: Submission) -> list[str]:
        return [e for e in ("edit", "submit", "withdraw")
                if workflow.allowed(e, obj.state)]

    @staticmethod
    def resolve_items(obj: Submission) -> list[Any]:
        return list(obj.items.all())

    @staticmethod
    def resolve_rounds(obj: Submission) -> list[dict[str, Any]]:
        return [{"number": r.number, "submitted_at": r.submitted_at, "outcome": r.outcome,
                 "decided_at": r.decided_at, "feedback": r.feedback,
                 "scores": _scores(r, obj.tier)} for r in obj.rounds.all()]

    @staticmethod
    def resolve_page_url(obj: Submission, context: dict[str, Any]) -> str:
        return _page(context["request"], "credentials:submission", obj.pk)


def _mine(me: User) -> QuerySet[Submission]:
    return access.own_submissions(me).select_related("tier", "tier__version").prefetch_related(
        "items", "rounds")


@router.get("/mine", response=list[SubmissionOut], summary="My submissions")
@support.paginate(ordering=("-updated_at", "-pk"))
def list_mine(request: HttpRequest, state: State | None = None,
              credential: int | None = Query(None, ge=1, le=support.MAX_ID)
              ) -> QuerySet[Submission]:
    """My work toward credentials, the most recently changed first; filters ``state``
    and ``credential`` (a credential's id)."""
    return support.where(_mine(_educator(request)), state=state,
                         tier__version__credential_id=credential)


class StartIn(Schema):
    tier_id: Id = Field(description="A tier of a credential in my catalog.")


@router.post("/mine", response={200: SubmissionOut, 201: SubmissionOut},
             summary="Start a tier")
@support.idempotent
def start_submission(request: HttpRequest, payload: StartIn) -> Answer:
    """My draft for a tier: ``201`` with a new one, or ``200`` with the one I have (one
    live submission per tier)."""
    me = _educator(request)
    tier = Tier.objects.select_related("version", "version__credential").filter(
        pk=payload.tier_id).first()
    if tier is None:
        raise Http404("No such tier.")
    access.access_catalog_version(me, tier.version_id)
    had = access.own_submissions(me).filter(tier=tier).exclude(
        state=Submission.State.WITHDRAWN).exists()
    submission = actions.do_start_submission(tier, actor=me, request=request)
    return Answer(200 if had else 201, _mine(me).get(pk=submission.pk))


@router.get("/mine/{submission_id}", response=SubmissionOut, summary="One of my submissions")
def get_mine(request: HttpRequest, submission_id: PathId) -> Submission:
    """Its records, reflection and state, and every round: what happened, the feedback
    and, once decided, the levels given for each criterion."""
    return access.access_own_submission(_educator(request), submission_id)


class SubmissionPatch(Schema):
    """Only the fields sent change; ``reflection_video_id`` null clears the video."""

    reflection: str | None = Field(None, max_length=actions.REFLECTION_MAX)
    reflection_video_id: Id | None = None


@router.patch("/mine/{submission_id}", response=SubmissionOut,
              summary="Write my reflection")
def update_mine(request: HttpRequest, submission_id: PathId, payload: SubmissionPatch
                ) -> Submission:
    """Save the reflection, or choose one of my video artifacts instead (when the tier
    accepts one). Only a draft or returned work changes (409 otherwise)."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    sent = payload.dict(exclude_unset=True)
    if "reflection" in sent and sent["reflection"] is None:
        raise Invalid("A field sent cannot be null (leave it out to keep it).",
                      field="reflection")
    actions.do_update_submission(
        submission, actor=me, reflection=sent.get("reflection"),
        reflection_video=sent.get("reflection_video_id", "unchanged"), request=request)
    return _mine(me).get(pk=submission.pk)


class ItemIn(Schema):
    kind: ItemKind
    record_id: Id = Field(description="The id of one of my records of that kind.")
    note: str = Field("", max_length=actions.NOTE_MAX,
                      description="Why I chose it, for the assessor.")


@router.post("/mine/{submission_id}/items", response={201: ItemOut},
             summary="Select one of my records")
@support.idempotent
def add_item(request: HttpRequest, submission_id: PathId, payload: ItemIn) -> Answer:
    """Select a record I already have (an inquiry, cycle, measure, learning source,
    artifact, plan goal, or a practice I shared); selecting it again keeps one, with the
    new note."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    item = actions.do_add_item(submission, actor=me, kind=payload.kind,
                               record_id=payload.record_id, note=payload.note,
                               request=request)
    return Answer(201, item)


@router.delete("/mine/{submission_id}/items/{item_id}", response={204: None},
               summary="Take a record out")
def remove_item(request: HttpRequest, submission_id: PathId, item_id: PathId) -> Answer:
    """The record stays mine; only its selection goes."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    item = submission.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item.")
    actions.do_remove_item(item, actor=me, request=request)
    return Answer(204, None)


class CheckOut(Schema):
    key: str
    label: str
    ok: bool
    detail: str


class ImpactOut(Schema):
    measure_id: int
    measure: str
    inquiry: str
    group: str
    verdict: str = Field(description="sustained_improvement, change_not_sustained, "
                                     "got_worse, no_signal, not_enough_data, or empty")
    verdict_text: str
    reason: str
    improvement: float | None = Field(description="Mean paired change, > 0 is better.")
    paired_n: int | None
    paired_text: str
    has_data: bool


class PrecheckOut(Schema):
    ready: bool
    checks: list[CheckOut]
    impact: list[ImpactOut]


@router.get("/mine/{submission_id}/precheck", response=PrecheckOut,
            summary="What is still missing")
def precheck_mine(request: HttpRequest, submission_id: PathId) -> dict[str, Any]:
    """Each requirement of the tier, passed or saying exactly what is missing, and the
    verdict of each selected measure per class, computed now from my data."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    rows = impact_rows(submission, me)
    checks = precheck(submission, rows=rows)
    return {"ready": ready(checks), "checks": [c.as_dict() for c in checks],
            "impact": [r.as_dict() for r in rows]}


@router.post("/mine/{submission_id}/submit", response=SubmissionOut,
             summary="Send my work for review")
def submit_mine(request: HttpRequest, submission_id: PathId) -> Submission:
    """Sent only when every pre-check passes (400 saying what is missing); an assessor is
    assigned at once when one is eligible."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    actions.do_submit(submission, actor=me, request=request)
    return _mine(me).get(pk=submission.pk)


@router.post("/mine/{submission_id}/withdraw", response=SubmissionOut,
             summary="Withdraw my work")
def withdraw_mine(request: HttpRequest, submission_id: PathId) -> Submission:
    """Take it back before it is awarded; its readers lose access at once."""
    me = _educator(request)
    submission = access.access_own_submission(me, submission_id)
    actions.do_withdraw(submission, actor=me, request=request)
    return _mine(me).get(pk=submission.pk)


# ---------------------------------------------------------------------------- review

class ReviewOut(Schema):
    id: int
    reader: str = Field(description="first, second or deciding")
    reader_text: str
    assigned_at: dt.datetime
    submission_id: int
    educator_name: str
    title: str
    tier_name: str
    round: int
    submitted_at: dt.datetime
    page_url: str

    @staticmethod
    def resolve_reader_text(obj: Review) -> str:
        return obj.get_reader_display()

    @staticmethod
    def resolve_submission_id(obj: Review) -> int:
        return obj.round.submission_id

    @staticmethod
    def resolve_educator_name(obj: Review) -> str:
        return obj.round.submission.educator.display_name

    @staticmethod
    def resolve_title(obj: Review) -> str:
        return obj.round.submission.tier.version.title

    @staticmethod
    def resolve_tier_name(obj: Review) -> str:
        return obj.round.submission.tier.name

    @staticmethod
    def resolve_round(obj: Review) -> int:
        return obj.round.number

    @staticmethod
    def resolve_submitted_at(obj: Review) -> dt.datetime:
        return obj.round.submitted_at

    @staticmethod
    def resolve_page_url(obj: Review, context: dict[str, Any]) -> str:
        return _page(context["request"], "credentials:review", obj.pk)


class RecordOut(Schema):
    """The record as it is now, as the review page shows it (fields that do not apply to
    its kind are empty); never a student's name or row."""

    title: str
    kind: str = Field(description="The record's own kind: a source's (book, webinar, …) or "
                                   "an artifact's (text, link, file, …); '' for others.")
    author: str
    link: str
    text: str = Field(description="Its main words: an inquiry's question and change idea, "
                                  "an artifact's description and text, a goal's SMART "
                                  "parts, a practice's overview, a cycle's plan.")
    hours: Decimal | None
    research_based: bool | None
    date: dt.date | None
    inquiry: str
    download_url: str = Field(description="An artifact's file, read through the review "
                                          "(audited); '' when none.")


class SentItemOut(Schema):
    kind: str
    record_id: int | None
    label: str = Field(description="How it was named when sent (kept if she deletes it).")
    note: str
    available: bool = Field(description="False once she deleted the record.")
    record: RecordOut | None


def _record(kind: str, obj: Any, review: Review, request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {"title": str(getattr(obj, "title", "") or obj), "kind": "",
                           "author": "", "link": "", "text": "", "hours": None,
                           "research_based": None, "date": None, "inquiry": "",
                           "download_url": ""}
    if kind == Item.Kind.SOURCE:
        out.update(kind=obj.kind, author=obj.author, link=obj.link, hours=obj.hours,
                   research_based=obj.research_based, date=obj.learned_on,
                   text=obj.reflection)
    elif kind == Item.Kind.ARTIFACT:
        out.update(kind=obj.kind, link=obj.link,
                   text="\n\n".join(t for t in (obj.description, obj.body) if t),
                   date=obj.created_at.date(),
                   inquiry=obj.inquiry.title if obj.inquiry_id else "")
        if obj.file:
            out["download_url"] = _page(request, "credentials:review_artifact", review.pk,
                                        obj.pk)
    elif kind == Item.Kind.INQUIRY:
        out.update(text="\n\n".join(t for t in (obj.question, obj.change_idea,
                                                 obj.prediction) if t))
    elif kind == Item.Kind.CYCLE:
        out.update(title=f"Cycle {obj.number}", inquiry=obj.inquiry.title,
                   text="\n\n".join(t for t in (obj.plan, obj.study_notes,
                                                 obj.decision_reason) if t),
                   date=obj.start_date)
    elif kind == Item.Kind.MEASURE:
        out.update(title=obj.name, kind=obj.kind, inquiry=obj.inquiry.title)
    elif kind == Item.Kind.GOAL:
        out.update(title=obj.statement[:300],
                   text="\n\n".join(t for t in (obj.statement, obj.measure, obj.steps,
                                                 obj.relevance) if t),
                   date=obj.target_date)
    elif kind == Item.Kind.PRACTICE:
        out.update(text=obj.overview, date=obj.published_at.date() if obj.published_at
                   else None, link=_page(request, "library:detail", obj.pk))
    return out


class EarlierRoundOut(Schema):
    number: int
    outcome: str
    feedback: str


class ReviewDetailOut(ReviewOut):
    reflection: str
    reflection_video_id: int | None
    items: list[SentItemOut] = Field(description="What she sent in this round.")
    checks: list[CheckOut] = Field(description="The pre-check as it stood when she sent it.")
    impact: list[ImpactOut] = Field(description="Her measures' verdicts per class, from "
                                                "her data as it is now.")
    impact_as_sent: list[ImpactOut] = Field(description="The same, as they stood when she "
                                                        "sent it.")
    tier: TierOut
    earlier_rounds: list[EarlierRoundOut]
    others_reading: int = Field(description="Other assessors reading this round now.")

    @staticmethod
    def resolve_reflection(obj: Review) -> str:
        return obj.round.reflection

    @staticmethod
    def resolve_reflection_video_id(obj: Review) -> int | None:
        return obj.round.submission.reflection_video_id

    @staticmethod
    def resolve_items(obj: Review, context: dict[str, Any]) -> list[dict[str, Any]]:
        from uptake.credentials.reading import sent_records

        out = []
        for kind, entries in sent_records(obj.round).items():
            for entry in entries:
                record = entry["record"]
                out.append({"kind": kind, "record_id": getattr(record, "pk", None),
                            "label": entry["label"], "note": entry["note"],
                            "available": record is not None,
                            "record": None if record is None else
                            _record(kind, record, obj, context["request"])})
        return out

    @staticmethod
    def resolve_checks(obj: Review) -> list[dict[str, Any]]:
        return list(obj.round.checks)

    @staticmethod
    def resolve_impact(obj: Review, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [r.as_dict() for r in impact_rows(obj.round.submission,
                                                 reader=context["request"].user)]

    @staticmethod
    def resolve_impact_as_sent(obj: Review) -> list[dict[str, Any]]:
        return list(obj.round.impact)

    @staticmethod
    def resolve_tier(obj: Review) -> Tier:
        return obj.round.submission.tier

    @staticmethod
    def resolve_earlier_rounds(obj: Review) -> list[dict[str, Any]]:
        return [{"number": r.number, "outcome": r.outcome, "feedback": r.feedback}
                for r in obj.round.submission.rounds.filter(number__lt=obj.round.number)]

    @staticmethod
    def resolve_others_reading(obj: Review) -> int:
        return obj.round.reviews.filter(released_at__isnull=True,
                                        decided_at__isnull=True).exclude(pk=obj.pk).count()


@router.get("/reviews", response=list[ReviewOut], summary="My review queue")
@support.paginate(ordering=("submitted", "pk"))
def list_reviews(request: HttpRequest) -> QuerySet[Review]:
    """The reviews assigned to me and not yet decided, the oldest submission first."""
    me = _assessor(request)
    return access.open_reviews(me).annotate(submitted=F("round__submitted_at"))


@router.get("/reviews/{review_id}", response=ReviewDetailOut,
            summary="Read the work for assessment")
def get_review(request: HttpRequest, review_id: PathId) -> Review:
    """What she sent in this round as it was sent (records, notes, reflection), the
    pre-check and her measures' verdicts at that moment, the scoring guide, and the
    feedback of earlier rounds. Each read is audited."""
    me = _assessor(request)
    review = access.access_open_review(me, review_id)
    actions.note_submission_read(review.round.submission, actor=me, request=request)
    return review


class ScoreIn(Schema):
    criterion_id: Id
    level: int = Field(ge=0, le=10, description="Index in the tier's levels, lowest 0.")
    comment: str = Field("", max_length=actions.COMMENT_MAX)


class DecisionIn(Schema):
    decision: Literal["award", "return"]
    comment: str = Field("", max_length=actions.COMMENT_MAX,
                         description="Feedback for her (required to return).")
    scores: list[ScoreIn] = Field(max_length=100)


class DecisionOut(Schema):
    review_id: int
    decision: str
    decided_at: dt.datetime
    submission_id: int
    submission_state: State
    submission_state_text: str


def _decided(review: Review) -> dict[str, Any]:
    submission = Submission.objects.get(pk=review.round.submission_id)
    assert review.decided_at is not None
    return {"review_id": review.pk, "decision": review.decision,
            "decided_at": review.decided_at, "submission_id": submission.pk,
            "submission_state": submission.state,
            "submission_state_text": submission.get_state_display()}


@router.post("/reviews/{review_id}/decision", response=DecisionOut,
             summary="Decide: award or return")
def decide_review(request: HttpRequest, review_id: PathId, payload: DecisionIn
                  ) -> dict[str, Any]:
    """A level (and comment) for every criterion of the tier, and ``award`` (every
    criterion at least the passing level) or ``return`` (with feedback). With a second
    reader the two must agree; when they do not, a deciding reader is assigned."""
    me = _assessor(request)
    review = access.access_open_review(me, review_id)
    given: dict[int, tuple[int, str]] = {}
    for s in payload.scores:
        if s.criterion_id in given:
            raise Invalid("Give each criterion one level.", field="scores")
        given[s.criterion_id] = (s.level, s.comment)
    decided = actions.do_decide(review, actor=me, decision=payload.decision, scores=given,
                                comment=payload.comment, request=request)
    return _decided(decided)


class SecondReaderOut(Schema):
    assigned: bool
    message: str


@router.post("/reviews/{review_id}/second-reader", response=SecondReaderOut,
             summary="Ask for a second reader")
def second_reader(request: HttpRequest, review_id: PathId) -> dict[str, Any]:
    """As the first reader, before deciding: another assessor reads the round too, and
    the decision waits for both. ``assigned`` false when nobody eligible is free (the
    coordinators are told)."""
    me = _assessor(request)
    review = access.access_open_review(me, review_id)
    added = actions.do_request_second_reader(review, actor=me, request=request)
    if added is None:
        return {"assigned": False, "message": "No other assessor can read it now; the "
                                              "coordinators were told."}
    return {"assigned": True, "message": f"{added.assessor.display_name} reads it too."}


# ------------------------------------------------------------------------- oversight

class ReaderOut(Schema):
    review_id: int
    assessor_id: int
    assessor_name: str
    reader: str
    assigned_at: dt.datetime
    decision: str
    decided_at: dt.datetime | None
    released_at: dt.datetime | None
    released_reason: str


class OverseenOut(Schema):
    id: int
    educator_id: int
    educator_name: str
    credential_id: int
    title: str
    tier_name: str
    state: State
    state_text: str
    rounds: int
    readers: list[ReaderOut] = Field(description="The readers of the latest round.")
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_educator_name(obj: Submission) -> str:
        return obj.educator.display_name

    @staticmethod
    def resolve_credential_id(obj: Submission) -> int:
        return obj.tier.version.credential_id

    @staticmethod
    def resolve_title(obj: Submission) -> str:
        return obj.tier.version.title

    @staticmethod
    def resolve_tier_name(obj: Submission) -> str:
        return obj.tier.name

    @staticmethod
    def resolve_state_text(obj: Submission) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_rounds(obj: Submission) -> int:
        return getattr(obj, "round_count", None) or obj.rounds.count()

    @staticmethod
    def resolve_readers(obj: Submission) -> list[dict[str, Any]]:
        last = obj.rounds.order_by("-number").first()
        if last is None:
            return []
        return [{"review_id": r.pk, "assessor_id": r.assessor_id,
                 "assessor_name": r.assessor.display_name, "reader": r.reader,
                 "assigned_at": r.assigned_at, "decision": r.decision,
                 "decided_at": r.decided_at, "released_at": r.released_at,
                 "released_reason": r.released_reason}
                for r in last.reviews.select_related("assessor")]


def _overseen(me: User) -> QuerySet[Submission]:
    return access.overseen_submissions(me).select_related(
        "educator", "tier", "tier__version").annotate(round_count=Count("rounds"))


@router.get("/submissions", response=list[OverseenOut],
            summary="The district's submissions (coordinators)")
@support.paginate(ordering=("-updated_at", "-pk"))
def list_overseen(request: HttpRequest, state: State | None = None,
                  credential: int | None = Query(None, ge=1, le=support.MAX_ID),
                  unassigned: bool | None = None) -> QuerySet[Submission]:
    """Every sent submission of my district: its state, readers and dates (never the
    records selected); filters ``state``, ``credential`` and ``unassigned=true`` (waiting
    for an assessor)."""
    found = support.where(_overseen(_coordinator(request)), state=state,
                          tier__version__credential_id=credential)
    if unassigned:
        found = found.filter(state=Submission.State.SUBMITTED)
    return found


class AssignIn(Schema):
    assessor_id: Id
    replace_review_id: Id | None = Field(None, description="An open review of the round "
                                                           "to hand over.")


@router.post("/submissions/{submission_id}/assign", response=OverseenOut,
             summary="Assign or reassign a reader")
def assign(request: HttpRequest, submission_id: PathId, payload: AssignIn) -> Submission:
    """Give the open round to an assessor of the district: as a reader when it has none
    reading, or in place of ``replace_review_id``. The assessor must be eligible (not the
    educator, nor, by the district's policy, her coach)."""
    me = _coordinator(request)
    submission = access.access_overseen_submission(me, submission_id)
    assessor = User.objects.filter(pk=payload.assessor_id,
                                   district_id=district_id_of(me)).first()
    if assessor is None:
        raise Invalid("Choose an assessor of your district.", field="assessor_id")
    replace = None
    if payload.replace_review_id is not None:
        replace = Review.objects.filter(pk=payload.replace_review_id,
                                        round__submission=submission).first()
        if replace is None:
            raise Invalid("That reader is not on this submission.", field="replace_review_id")
    actions.do_assign(submission, assessor, actor=me, replace=replace, request=request)
    return _overseen(me).get(pk=submission.pk)


# ----------------------------------------------------------------------------- money

class StipendOut(Schema):
    id: int
    educator_id: int
    educator_name: str
    submission_id: int
    title: str
    tier_name: str
    school_id: int | None
    school_name: str
    amount: Decimal
    ceus: Decimal
    awarded_on: dt.date
    period: str = Field(description="The payroll month, YYYY-MM.")

    @staticmethod
    def resolve_educator_name(obj: StipendEntry) -> str:
        return obj.educator.display_name

    @staticmethod
    def resolve_title(obj: StipendEntry) -> str:
        return obj.submission.tier.version.title

    @staticmethod
    def resolve_tier_name(obj: StipendEntry) -> str:
        return obj.submission.tier.name

    @staticmethod
    def resolve_school_name(obj: StipendEntry) -> str:
        return obj.school.name if obj.school is not None else ""


Period = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)]


@router.get("/stipends", response=list[StipendOut], summary="The stipend ledger")
@support.paginate(ordering=("-awarded_on", "-pk"))
def list_stipends(request: HttpRequest, period: Period | None = None,
                  school: int | None = Query(None, ge=1, le=support.MAX_ID),
                  educator: int | None = Query(None, ge=1, le=support.MAX_ID)
                  ) -> QuerySet[StipendEntry]:
    """Coordinators: the district's ledger (one row per awarded tier), filters ``period``
    (the payroll month, ``2026-11``), ``school`` and ``educator``. Educators: their own."""
    me = support.me(request)
    if access.is_author(me):
        found = access.stipends_overseen(me)
    elif access.is_educator(me):
        found = access.own_stipends(me)
    else:
        raise _nothing("No such stipend.")
    return support.where(found.select_related("educator", "school", "submission__tier",
                                              "submission__tier__version"),
                         period=period, school_id=school, educator_id=educator)


class TierCreditOut(Schema):
    awarded_on: dt.date
    school_year: int
    credential: str
    tier: str
    kind: str
    ceus: Decimal
    submission_id: int


class LearningCreditOut(Schema):
    learned_on: dt.date
    school_year: int
    kind: str
    kind_label: str
    title: str
    hours: Decimal
    source_id: int


class LeftOutOut(Schema):
    reason: str
    sources: int
    hours: Decimal


class YearCreditOut(Schema):
    school_year: int
    label: str
    tier_ceus: Decimal
    learning_hours: Decimal
    learning_ceus: Decimal
    total_ceus: Decimal


class TranscriptOut(Schema):
    person_id: int
    name: str
    district: str
    period: str
    start_year: int | None
    end_year: int | None
    rule: str = Field(description="The district's conversion: 10 contact hours = 1 CEU.")
    count_learning_hours: bool
    accept_self_directed: bool
    accept_social_media: bool
    tiers: list[TierCreditOut]
    learning: list[LearningCreditOut]
    left_out: list[LeftOutOut]
    years: list[YearCreditOut]
    tier_ceus: Decimal
    learning_hours: Decimal
    learning_ceus: Decimal
    total_ceus: Decimal
    generated_on: dt.date


SchoolYear = Annotated[int, Field(ge=1990, le=2200)]


@router.get("/transcripts/{person_id}", response=TranscriptOut, summary="A CEU transcript")
def get_transcript(request: HttpRequest, person_id: PathId,
                   start_year: SchoolYear | None = None,
                   end_year: SchoolYear | None = None) -> Any:
    """The awarded tiers with their CEUs and (when the district counts them) the learning
    hours logged, converted at the district's rate, per school year; ``start_year`` and
    ``end_year`` (a school year by the year it starts, 2026 for 2026-27) bound it. Mine,
    or anyone's in my district for a coordinator."""
    from uptake.credentials.credit import transcript

    me = support.me(request)
    if not (access.is_author(me) or access.is_educator(me)):
        raise Http404("No such person.")
    person = access.access_transcript_person(me, person_id)
    if start_year is not None and end_year is not None and start_year > end_year:
        raise Invalid("The first school year comes after the last.", field="start_year")
    return transcript(person, start_year=start_year, end_year=end_year)
