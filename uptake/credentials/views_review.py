"""Pages: the review side of micro-credentials.

- An assessor's **queue** (her open reviews, the oldest work first, then her own past
  decisions without the candidates' records) and the **review** page: what the candidate
  sent in this round, read through the assessment grant, and the scoring form.
- A coordinator's **oversight** of the district's sent work: states, ages, readers (with a
  warning when a reader may no longer read it) and the assign / reassign form. It never
  shows the candidates' records.

Reads go through ``uptake.credentials.access``; every change through
``uptake.credentials.actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.models import Role, User
from uptake.credentials import actions
from uptake.credentials.access import (
    access_open_review,
    access_overseen_submission,
    open_reviews,
    overseen_submissions,
    past_reviews,
)
from uptake.credentials.assignment import eligible_assessors, policy_of, why_ineligible
from uptake.credentials.forms_review import AssignForm, DecisionForm
from uptake.credentials.home_review import age_days, queue_rows
from uptake.credentials.models import Item, Policy, Review, Round, Submission
from uptake.credentials.precheck import impact_rows, word_count
from uptake.credentials.reading import sent_records
from uptake.evidence.files import artifact_file_response
from uptake.evidence.models import Artifact
from uptake.inquiry.study import MeasureStudy, study_measure
from uptake.views_support import showing_refusals

PAST_LIMIT = 50
# The queue lists this many of her open reviews, the oldest first, and says how many wait.
QUEUE_LIMIT = 100
FINISHED_LIMIT = 100
# Images and videos are shown in the page; anything else is only downloaded (as evidence).


@allow(Role.ASSESSOR)
def queue(request: HttpRequest) -> HttpResponse:
    user = signed_in_person(request)
    past = list(past_reviews(user)[:PAST_LIMIT])
    rows = queue_rows(user, limit=QUEUE_LIMIT + 1)
    waiting = len(rows) if len(rows) <= QUEUE_LIMIT else open_reviews(user).count()
    return render(request, "credentials/review/queue.html", {
        "rows": rows[:QUEUE_LIMIT], "waiting": waiting, "past": past,
        "past_limited": len(past) == PAST_LIMIT})


# ---------------------------------------------------------------------------- review

def _inquiry_cycles(records: dict[str, list[dict[str, Any]]]) -> None:
    for entry in records[Item.Kind.INQUIRY]:
        inquiry = entry["record"]
        entry["cycles"] = list(inquiry.cycles.order_by("number")) if inquiry else []


def _studies(reader: User, records: dict[str, list[dict[str, Any]]]
             ) -> dict[int, MeasureStudy]:
    """Each measure sent, studied once with its charts drawn (the charts and the impact
    rows both read it)."""
    return {entry["record"].pk: study_measure(reader, entry["record"], names=False)
            for entry in records[Item.Kind.MEASURE] if entry["record"] is not None}


def _charts(records: dict[str, list[dict[str, Any]]], studies: dict[int, MeasureStudy]
            ) -> list[dict[str, Any]]:
    """Class-level charts of each measure sent: no student names, no per-student rows."""
    charts = []
    for entry in records[Item.Kind.MEASURE]:
        measure = entry["record"]
        if measure is None:
            continue
        study = studies[measure.pk]
        blocks = [(section.title, block) for section, block in study.blocks]
        if study.together is not None:
            blocks.append((study.together_heading or "All classes together", study.together))
        charts.append({"measure": measure, "blocks": [
            {"group": group, "series": block.series} for group, block in blocks]})
    return charts


def _earlier_rounds(submission: Submission, rnd: Round) -> list[dict[str, Any]]:
    rounds = submission.rounds.filter(number__lt=rnd.number).order_by("-number")
    out = []
    for earlier in rounds:
        levels = submission.tier.levels
        reviews = [{"review": r, "scores": [
            (s.criterion.text, levels[s.level] if s.level < len(levels) else s.level, s.comment)
            for s in r.scores.select_related("criterion")]}
            for r in earlier.reviews.filter(decided_at__isnull=False).select_related("assessor")]
        out.append({"round": earlier, "reviews": reviews})
    return out


def review_context(review: Review, reader: User) -> dict[str, Any]:
    rnd = review.round
    submission = rnd.submission
    records = sent_records(rnd)
    _inquiry_cycles(records)
    policy = policy_of(submission.district_id)
    studies = _studies(reader, records)
    return {
        "review": review, "round": rnd, "submission": submission, "tier": submission.tier,
        "version": submission.tier.version, "records": records,
        "impact": impact_rows(submission, reader=reader, studies=studies),
        "charts": _charts(records, studies),
        "words": word_count(rnd.reflection), "video": submission.reflection_video,
        "checks": rnd.checks, "earlier": _earlier_rounds(submission, rnd),
        "age": age_days(rnd.submitted_at),
        "may_ask_second": (policy.second_reader == Policy.SecondReader.ON_REQUEST
                           and review.reader == Review.Reader.FIRST
                           and not rnd.reviews.filter(reader=Review.Reader.SECOND,
                                                      released_at__isnull=True).exists()),
        "others": rnd.reviews.filter(released_at__isnull=True).exclude(pk=review.pk)
        .select_related("assessor"),
    }


@allow(Role.ASSESSOR)
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    user = signed_in_person(request)
    found = access_open_review(user, review_id)
    tier = found.round.submission.tier
    if request.method == "POST":
        form = DecisionForm(request.POST, tier=tier)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            done = ("Awarded." if decision == Review.Decision.AWARD
                    else "Returned with your feedback.")
            with showing_refusals(request, form=form) as attempt:
                actions.do_decide(found, actor=user, decision=decision,
                                  scores=form.scores(), comment=form.cleaned_data["comment"],
                                  request=request)
            if attempt.ok:
                found.refresh_from_db()
                messages.success(request, _decided_message(found, done))
                return redirect("credentials:queue")
        status = 400
    else:
        form = DecisionForm(tier=tier)
        actions.note_submission_read(found.round.submission, actor=user, request=request)
        status = 200
    context = review_context(found, user)
    context["form"] = form
    return render(request, "credentials/review/review.html", context, status=status)


def _decided_message(review: Review, done: str) -> str:
    rnd = Round.objects.get(pk=review.round_id)
    if rnd.outcome:
        return f"Your decision is recorded. {done} The educator has been told."
    return ("Your decision is recorded. The round is decided once every reader has; "
            "the educator is told then.")


@allow(Role.ASSESSOR)
@require_POST
def second_reader(request: HttpRequest, review_id: int) -> HttpResponse:
    user = signed_in_person(request)
    found = access_open_review(user, review_id)
    with showing_refusals(request) as attempt:
        added = actions.do_request_second_reader(found, actor=user, request=request)
    if attempt.ok:
        if added is None:
            messages.warning(request, "No other assessor can read it now; the district's "
                                      "coordinators have been asked to assign one.")
        else:
            messages.success(request, f"{added.assessor.display_name} will read it too; "
                                      "the decision waits for both of you.")
    return redirect("credentials:review", review_id=found.pk)


@allow(Role.ASSESSOR)
def artifact_file(request: HttpRequest, review_id: int, artifact_id: int) -> FileResponse:
    """An artifact's file, for the assessor reading the round it was sent in (only)."""
    user = signed_in_person(request)
    found = access_open_review(user, review_id)
    rnd, submission = found.round, found.round.submission
    sent = {int(e["id"]) for e in rnd.items
            if e.get("kind") == Item.Kind.ARTIFACT and e.get("id") is not None}
    if submission.reflection_video_id is not None:
        sent.add(submission.reflection_video_id)
    if artifact_id not in sent:
        raise Http404("No such file.")
    artifact = Artifact.objects.filter(pk=artifact_id, owner_id=submission.educator_id).first()
    if artifact is None or not artifact.file:
        raise Http404("No such file.")
    actions.note_submission_file_opened(submission, artifact, actor=user, request=request)
    return artifact_file_response(artifact)


# ------------------------------------------------------------------------- oversight

STATE_ORDER = [Submission.State.SUBMITTED, Submission.State.IN_REVIEW,
               Submission.State.RETURNED, Submission.State.AWARDED,
               Submission.State.WITHDRAWN]


def oversight_rows(user: User, submissions: list[Submission]) -> list[dict[str, Any]]:
    rows = []
    for s in submissions:
        rnd = s.rounds.filter(outcome="").first() or s.rounds.order_by("-number").first()
        readers: list[dict[str, Any]] = []
        if rnd is not None:
            for r in rnd.reviews.filter(released_at__isnull=True).select_related("assessor"):
                readers.append({"review": r, "open": r.open,
                                "warning": why_ineligible(s, r.assessor) if r.open else ""})
        row: dict[str, Any] = {"submission": s, "round": rnd, "readers": readers,
                               "age": age_days(s.submitted_at)}
        if s.state in (Submission.State.SUBMITTED, Submission.State.IN_REVIEW):
            taken = [r["review"].assessor_id for r in readers if r["open"]]
            row["assessors"] = list(eligible_assessors(s, exclude=taken))
        rows.append(row)
    return rows


@allow(Role.COORDINATOR)
def oversight(request: HttpRequest) -> HttpResponse:
    user = signed_in_person(request)
    base = overseen_submissions(user).select_related(
        "educator", "tier", "tier__version").order_by("submitted_at", "pk")
    groups = []
    for state in STATE_ORDER:
        qs = base.filter(state=state)
        if state in (Submission.State.AWARDED, Submission.State.WITHDRAWN):
            qs = qs.order_by("-decided_at", "-updated_at", "-pk")[:FINISHED_LIMIT]
        found = list(qs)
        groups.append({"state": state, "label": Submission.State(state).label,
                       "rows": oversight_rows(user, found)})
    return render(request, "credentials/review/oversight.html", {
        "groups": groups, "waiting": len(groups[0]["rows"]),
        "policy": policy_of(user.district_id or 0)})


@allow(Role.COORDINATOR)
@require_POST
def assign(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = signed_in_person(request)
    submission = access_overseen_submission(user, submission_id)
    rnd = submission.rounds.filter(outcome="").first()
    readers = (rnd.reviews.filter(decided_at__isnull=True, released_at__isnull=True)
               if rnd is not None else Review.objects.none())
    taken = list(readers.values_list("assessor_id", flat=True))
    form = AssignForm(request.POST, assessors=eligible_assessors(submission, exclude=taken),
                      readers=readers)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{submission.tier} by "
                                        f"{submission.educator.display_name}: {error}")
        return redirect("credentials:oversight")
    assessor, replace = form.cleaned_data["assessor"], form.cleaned_data["replace"]
    with showing_refusals(request, done=f"{assessor.display_name} now reads “"
                                        f"{submission.tier}” by "
                                        f"{submission.educator.display_name}."):
        actions.do_assign(submission, assessor, actor=user, replace=replace, request=request)
    return redirect("credentials:oversight")


@allow(Role.COORDINATOR)
@require_POST
def unassign(request: HttpRequest, submission_id: int, review_id: int) -> HttpResponse:
    """Take a reader off without naming another: the work waits for an assessor again."""
    user = signed_in_person(request)
    submission = access_overseen_submission(user, submission_id)
    review = Review.objects.filter(pk=review_id, round__submission=submission).select_related(
        "assessor").first()
    if review is None:
        raise Http404("No such reader.")
    with showing_refusals(request, done=f"{review.assessor.display_name} no longer reads "
                                        f"“{submission.tier}” by "
                                        f"{submission.educator.display_name}."):
        actions.do_unassign(review, actor=user, reason=request.POST.get("reason", ""),
                            request=request)
    return redirect("credentials:oversight")
