"""Pages: the educator's side of micro-credentials.

- ``catalog``: the district's published credentials, each with its tiers, stipends, CEU
  hours, the credentials it stacks on, and her progress on every tier.
- ``credential``: one version's public rubric (what each tier asks for, what counts as
  impact, the scoring guide), its exemplars from the library, and "Start this tier".
- ``submission``: her work on one tier. While it is a draft or returned it is the builder
  (her records selected by kind, the reflection saved as she writes, the pre-check and the
  impact rows from her measures, Submit and Withdraw); once sent it is read only, with the
  history of its rounds.
- ``mine``: her work by state, the credentials she earned, stipends to date.

Every change goes through ``uptake.credentials.actions``; every read through
``uptake.credentials.access`` (her own work only: anyone else's is the same 404 as a
missing one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.models import User
from uptake.credentials import access, actions
from uptake.credentials.forms_educator import AddItemForm, ReflectionForm
from uptake.credentials.images import image_response
from uptake.credentials.models import (
    Award,
    Credential,
    Item,
    Round,
    Submission,
    Tier,
    Version,
)
from uptake.credentials.precheck import (
    Check,
    ImpactRow,
    impact_rows,
    precheck,
    ready,
    word_count,
)
from uptake.credentials.selection import label_of, selectable
from uptake.idempotency import once
from uptake.inquiry.study import cached_study
from uptake.library.access import published_practices
from uptake.rules import RuleError
from uptake.views_support import showing_refusals

EDUCATORS = access.EDUCATOR_ROLES
READERS = access.CATALOG_ROLES
PICK_LIMIT = 300  # records offered per kind (the newest first)
STATE_WORDS: dict[str, str] = {
    Submission.State.DRAFT: "Drafted",
    Submission.State.SUBMITTED: "Sent",
    Submission.State.IN_REVIEW: "Sent",
    Submission.State.RETURNED: "Returned",
    Submission.State.AWARDED: "Awarded",
}
STATE_BADGE: dict[str, str] = {Submission.State.AWARDED: "ok", Submission.State.RETURNED: "warn"}
STATE_EXPLAINED: dict[str, str] = {
    Submission.State.DRAFT: "Only you see it. It saves as you work; send it when every "
                            "check passes.",
    Submission.State.SUBMITTED: "It is read only until it comes back; you will be told "
                                "when it does.",
    Submission.State.IN_REVIEW: "An assessor is reading it. It is read only until it comes "
                                "back; you will be told when it does.",
    Submission.State.RETURNED: "Revise it here and send it again whenever you are ready: "
                               "there is no deadline.",
    Submission.State.AWARDED: "It is kept as it was sent.",
    Submission.State.WITHDRAWN: "Its history stays here; you may start the tier again from "
                                "the credential's page.",
}
# Which kinds of record serve which requirement, to offer those first.
KIND_ORDER: dict[str, list[str]] = {
    "sources": [Item.Kind.SOURCE], "research": [Item.Kind.SOURCE],
    "artifacts": [Item.Kind.ARTIFACT], "lesson_plan": [Item.Kind.ARTIFACT, Item.Kind.PRACTICE],
    "links": [Item.Kind.SOURCE, Item.Kind.ARTIFACT], "goal": [Item.Kind.GOAL],
    "impact": [Item.Kind.MEASURE],
}
KIND_HELP: dict[str, str] = {
    Item.Kind.INQUIRY: "An inquiry of yours or your team's.",
    Item.Kind.CYCLE: "One PDSA cycle of an inquiry: its plan, what happened, what you "
                     "learned.",
    Item.Kind.MEASURE: "Student data: the pre-check and the assessor read its verdict per "
                       "class straight from your data.",
    Item.Kind.SOURCE: "Books, articles, webinars, courses you logged.",
    Item.Kind.ARTIFACT: "Lesson plans, photos, student work, short videos, links you "
                        "already added to your evidence.",
    Item.Kind.GOAL: "A SMART goal of your learning plan.",
    Item.Kind.PRACTICE: "A practice you shared in the district's library.",
}
# Where she makes a record of a kind she has none of yet.
KIND_NEW: dict[str, tuple[str, str]] = {
    Item.Kind.INQUIRY: ("inquiry:create", "Start an inquiry"),
    Item.Kind.CYCLE: ("inquiry:list", "Open your inquiries"),
    Item.Kind.MEASURE: ("inquiry:list", "Add a measure to one of your inquiries"),
    Item.Kind.SOURCE: ("learning:source_new", "Log a learning source"),
    Item.Kind.ARTIFACT: ("evidence:upload", "Add evidence"),
    Item.Kind.GOAL: ("learning:home", "Open your learning plan"),
    Item.Kind.PRACTICE: ("library:new", "Share a practice in the library"),
}


def _title(credential: Credential) -> str:
    """A credential's name as the catalog shows it: its published (else latest sent out)
    version's title, never a draft's."""
    shown = (credential.versions.exclude(status=Version.Status.DRAFT).order_by("-number")
             .values_list("title", flat=True).first())
    return shown or f"Credential {credential.pk}"


def _live(me: User) -> Any:
    return access.own_submissions(me).exclude(state=Submission.State.WITHDRAWN)


# ------------------------------------------------------------------------ the catalog

@dataclass
class TierProgress:
    tier: Tier
    submission: Submission | None

    @property
    def words(self) -> str:
        return STATE_WORDS.get(self.submission.state, "") if self.submission else ""

    @property
    def badge(self) -> str:
        return STATE_BADGE.get(self.submission.state, "") if self.submission else ""


@dataclass
class Entry:
    """One credential in the catalog, as one educator sees it."""

    published: Version
    mine: Version  # the version her work is on (the published one when she has none)
    tiers: list[TierProgress]
    earned: Award | None
    prerequisites: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def on_older(self) -> bool:
        return self.mine.pk != self.published.pk

    @property
    def stipend(self) -> Decimal:
        return sum((p.tier.stipend for p in self.tiers), Decimal("0"))

    @property
    def ceus(self) -> Decimal:
        return sum((p.tier.ceus for p in self.tiers), Decimal("0"))

    @property
    def started(self) -> bool:
        return any(p.submission is not None for p in self.tiers)


def _prerequisites(version: Version, earned: set[int]) -> list[tuple[str, bool]]:
    return [(_title(c), c.pk in earned) for c in version.requires.all()]


def _entry(me: User, published: Version, live: dict[int, Submission], earned: set[int],
           awards: dict[int, Award]) -> Entry:
    mine = actions.version_for(me, published.credential) or published
    tiers = [TierProgress(t, live.get(t.pk)) for t in mine.tiers.all()]
    return Entry(published, mine, tiers, awards.get(published.credential_id),
                 _prerequisites(mine, earned))


@allow(*READERS)
def catalog(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    is_educator = access.is_educator(me)
    live = {s.tier_id: s for s in _live(me)} if is_educator else {}
    awards = {a.credential_id: a for a in Award.objects.filter(educator=me)}
    earned = set(awards)
    entries = [_entry(me, v, live, earned, awards) for v in
               access.catalog(me).prefetch_related("requires", "tiers")]
    return render(request, "credentials/educator/catalog.html", {
        "entries": entries, "is_educator": is_educator,
        "earned_count": len(awards)})


# ------------------------------------------------------------------------ a credential

def requirements(tier: Tier) -> list[str]:
    """What a tier asks for, in words, in the pre-check's order."""
    out = []
    if tier.min_sources:
        text = f"At least {tier.min_sources} learning source{'s' if tier.min_sources > 1 else ''}"
        if tier.min_research_sources:
            text += f", {tier.min_research_sources} of them research-based"
        out.append(text)
    if tier.min_artifacts:
        out.append(f"At least {tier.min_artifacts} artifact"
                   f"{'s' if tier.min_artifacts > 1 else ''} from your evidence")
    if tier.needs_lesson_plan:
        out.append("A lesson plan or overview a colleague could use (a lesson-plan artifact "
                   "or a practice you shared in the library)")
    if tier.min_links:
        out.append(f"At least {tier.min_links} link{'s' if tier.min_links > 1 else ''} to "
                   "resources")
    if tier.needs_goal:
        out.append("A SMART goal from your learning plan")
    reflection = reflection_words(tier)
    if reflection:
        out.append(reflection)
    if tier.impact_rule:
        text = "What counts as impact: " + Tier.Impact(tier.impact_rule).label
        if tier.impact_rule == Tier.Impact.MIN_PAIRED_CHANGE:
            text += (f" of at least {tier.impact_min_change} in the measure's own units, in "
                     "the direction it counts as better")
        out.append(text)
    return out


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def reflection_words(tier: Tier) -> str:
    lo, hi = tier.reflection_min_words, tier.reflection_max_words
    if lo is not None and hi is not None:
        text = f"A reflection of {lo} to {hi} words"
    elif lo is not None:
        text = f"A reflection of at least {lo} words"
    elif hi is not None:
        text = f"A reflection of at most {hi} words"
    elif tier.accepts_video:
        text = "A reflection"
    else:
        return ""
    if tier.accepts_video:
        vlo, vhi = tier.video_min_seconds, tier.video_max_seconds
        if vlo is not None and vhi is not None:
            text += f", or a video of {_minutes(vlo)} to {_minutes(vhi)} minutes"
        elif vlo is not None or vhi is not None:
            bound = vlo if vlo is not None else vhi
            text += (f", or a video of {'at least' if vlo is not None else 'at most'} "
                     f"{_minutes(bound or 0)} minutes")
        else:
            text += ", or a short video"
    return text


@dataclass
class TierPage:
    tier: Tier
    needs: list[str]
    criteria: list[Any]
    submission: Submission | None


@allow(*READERS)
def credential(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version's public rubric, exemplars and, for an educator, where her work stands."""
    me = signed_in_person(request)
    version = access.access_catalog_version(me, version_id)
    is_educator = access.is_educator(me)
    on = actions.version_for(me, version.credential) if is_educator else None
    live = {s.tier_id: s for s in _live(me).filter(tier__version=version)} \
        if is_educator else {}
    tiers = [TierPage(t, requirements(t), list(t.criteria.all()), live.get(t.pk))
             for t in version.tiers.prefetch_related("criteria")]
    earned = set(Award.objects.filter(educator=me).values_list("credential_id", flat=True))
    published = version.credential.versions.filter(status=Version.Status.PUBLISHED).first()
    return render(request, "credentials/educator/credential.html", {
        "version": version, "tiers": tiers, "is_educator": is_educator,
        "may_start": is_educator and on is not None and on.pk == version.pk,
        "on": on, "published": published,
        "earned": version.credential_id in earned,
        "prerequisites": _prerequisites(version, earned),
        "elements": version.elements.select_related("framework").order_by("code"),
        "exemplars": published_practices(me).filter(
            pk__in=version.exemplars.values("pk")).select_related("author")
        .order_by("title", "pk"),
        "stipend": sum((t.tier.stipend for t in tiers), Decimal("0")),
        "ceus": sum((t.tier.ceus for t in tiers), Decimal("0")),
    })


@allow(*READERS)
def credential_image(request: HttpRequest, version_id: int) -> FileResponse:
    """The credential's image, for whoever reads it in the catalog."""
    return image_response(access.access_catalog_version(signed_in_person(request), version_id))


@allow(*EDUCATORS)
@require_POST
@once
def start(request: HttpRequest, version_id: int) -> HttpResponse:
    """Start a tier (or open the work she has on it)."""
    me = signed_in_person(request)
    version = access.access_catalog_version(me, version_id)
    raw = request.POST.get("tier", "")
    tier = version.tiers.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 \
        else None
    if tier is None:
        messages.error(request, "Choose one of this credential's tiers.")
        return redirect("credentials:credential", version_id=version.pk)
    with showing_refusals(request) as attempt:
        made = actions.do_start_submission(tier, actor=me, request=request)
    if not attempt.ok:
        return redirect("credentials:credential", version_id=version.pk)
    return redirect("credentials:submission", submission_id=made.pk)


# ------------------------------------------------------------------------ her work

def record_url(kind: str, target: Any) -> str:
    """Where her record opens (empty when it was deleted)."""
    if target is None:
        return ""
    names: dict[str, tuple[str, Any]] = {Item.Kind.INQUIRY: ("inquiry:detail", target.pk),
             Item.Kind.CYCLE: ("inquiry:cycle", target.pk),
             Item.Kind.MEASURE: ("inquiry:measure", target.pk),
             Item.Kind.SOURCE: ("learning:source_edit", target.pk),
             Item.Kind.ARTIFACT: ("evidence:detail", target.pk),
             Item.Kind.GOAL: ("learning:plan", getattr(target, "plan_id", None)),
             Item.Kind.PRACTICE: ("library:detail", target.pk)}
    name, pk = names.get(kind, ("", None))
    try:
        return reverse(name, args=[pk]) if name and pk else ""
    except NoReverseMatch:
        return ""


@dataclass
class Picker:
    kind: str
    label: str
    help: str
    options: list[tuple[int, str]]
    selected: list[Any]
    wanted: bool  # the tier asks for this kind

    @property
    def new(self) -> tuple[str, str]:
        name, words = KIND_NEW[self.kind]
        try:
            return reverse(name), words
        except NoReverseMatch:
            return "", ""


@dataclass
class Scored:
    criterion: str
    level: str
    passed: bool
    comment: str


@dataclass
class ReadReview:
    reader: str
    decision: str
    comment: str
    scores: list[Scored]


@dataclass
class PastRound:
    round: Round
    items: list[dict[str, Any]]
    reviews: list[ReadReview]  # only once the round is decided

    @property
    def decided(self) -> bool:
        return self.round.outcome in (Round.Outcome.AWARDED, Round.Outcome.RETURNED)


def rounds_of(submission: Submission) -> list[PastRound]:
    """Every round, newest first; the readers' levels and comments only of decided
    rounds (an open round shows nothing an assessor has written yet)."""
    tier = submission.tier
    out = []
    for rnd in submission.rounds.order_by("-number").prefetch_related(
            "reviews__scores__criterion"):
        reviews: list[ReadReview] = []
        if rnd.outcome in (Round.Outcome.AWARDED, Round.Outcome.RETURNED):
            for review in rnd.reviews.all():
                if review.decided_at is None or review.released_at is not None:
                    continue
                reviews.append(ReadReview(
                    review.get_reader_display(), review.get_decision_display(),
                    review.comment,
                    [Scored(s.criterion.text, _level(tier, s.level),
                            s.level >= tier.passing_level, s.comment)
                     for s in review.scores.all()]))
        out.append(PastRound(rnd, [{**i, "kind_label": Item.Kind(i["kind"]).label}
                                   if i.get("kind") in Item.Kind.values else i
                                   for i in rnd.items], reviews))
    return out


def _level(tier: Tier, level: int) -> str:
    return tier.levels[level] if 0 <= level < len(tier.levels) else f"Level {level}"


def _wanted_kinds(checks: list[Check], tier: Tier) -> list[str]:
    kinds: list[str] = []
    for c in checks:
        for kind in KIND_ORDER.get(c.key, []):
            if kind not in kinds:
                kinds.append(kind)
    if tier.impact_rule and Item.Kind.MEASURE not in kinds:
        kinds.append(Item.Kind.MEASURE)
    return kinds


def pickers(me: User, submission: Submission, items: list[Item], wanted: list[str]
            ) -> list[Picker]:
    """Her records of every kind, those the tier asks for first, with what is selected."""
    order = wanted + [k for k in Item.Kind.values if k not in wanted]
    out = []
    for kind in order:
        chosen = [i for i in items if i.kind == kind]
        taken = {getattr(i, f"{kind}_id") for i in chosen}
        records = [r for r in selectable(me, kind)[:PICK_LIMIT] if r.pk not in taken]
        out.append(Picker(kind, Item.Kind(kind).label, KIND_HELP[kind],
                          [(r.pk, _option(kind, r)) for r in records],
                          [(i, record_url(kind, i.target)) for i in chosen], kind in wanted))
    return out


def _option(kind: str, record: Any) -> str:
    text = label_of(kind, record)
    if kind == Item.Kind.SOURCE and getattr(record, "research_based", False):
        text += " (research-based)"
    elif kind == Item.Kind.ARTIFACT:
        text += f" ({record.get_kind_display().lower()})"
    return text


def _panel_context(me: User, submission: Submission) -> dict[str, Any]:
    """The pre-check and the impact rows, computed now from her records."""
    # Each selected measure studied once between two changes of its data (the pages
    # cache), not at every view and every autosave of the reflection.
    studies = {i.measure.pk: cached_study(me, i.measure, names=False, render=False)
               for i in submission.items.all()
               if i.kind == Item.Kind.MEASURE and i.measure is not None}
    rows: list[ImpactRow] = impact_rows(submission, me, studies=studies)
    checks = precheck(submission, rows=rows)
    return {"submission": submission, "checks": checks, "rows": rows,
            "ready": ready(checks), "missing": sum(1 for c in checks if not c.ok),
            "words": word_count(submission.reflection)}


def _videos(me: User, tier: Tier) -> list[Any] | None:
    if not tier.accepts_video:
        return None
    return list(selectable(me, Item.Kind.ARTIFACT).filter(kind="video"))


def _reflection_form(me: User, submission: Submission, data: Any = None) -> ReflectionForm:
    return ReflectionForm(data, videos=_videos(me, submission.tier), initial={
        "reflection": submission.reflection,
        "reflection_video": str(submission.reflection_video_id or "")})


def _page(request: HttpRequest, submission: Submission, *, form: ReflectionForm | None = None,
          add_form: AddItemForm | None = None, status: int = 200) -> HttpResponse:
    me = signed_in_person(request)
    tier = submission.tier
    context: dict[str, Any] = {
        "submission": submission, "tier": tier, "version": tier.version,
        "explained": STATE_EXPLAINED.get(submission.state, ""),
        "needs": requirements(tier), "rounds": rounds_of(submission),
        "limits": {"min": tier.reflection_min_words, "max": tier.reflection_max_words},
    }
    if submission.state == Submission.State.RETURNED:
        context["feedback"] = next((r for r in context["rounds"]
                                    if r.round.outcome == Round.Outcome.RETURNED), None)
    if submission.editable:
        items = list(submission.items.all())
        panel = _panel_context(me, submission)
        context.update(panel)
        context.update({
            "pickers": pickers(me, submission, items, _wanted_kinds(panel["checks"], tier)),
            "form": form or _reflection_form(me, submission),
            "add_form": add_form, "items_count": len(items),
        })
    elif submission.state in (Submission.State.SUBMITTED, Submission.State.IN_REVIEW):
        context["sent"] = next(iter(context["rounds"]), None)
    return render(request, "credentials/educator/submission.html", context, status=status)


@allow(*EDUCATORS)
def submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    return _page(request, access.access_own_submission(signed_in_person(request), submission_id))


def _back(submission: Submission, anchor: str = "") -> HttpResponse:
    return redirect(reverse("credentials:submission", args=[submission.pk])
                    + (f"#{anchor}" if anchor else ""))


@allow(*EDUCATORS)
@require_POST
@once
def add_item(request: HttpRequest, submission_id: int) -> HttpResponse:
    me = signed_in_person(request)
    sub = access.access_own_submission(me, submission_id)
    form = AddItemForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(sub, "records-h")
    data = form.cleaned_data
    label = Item.Kind(data["kind"]).label.lower()
    with showing_refusals(request) as attempt:
        item = actions.do_add_item(sub, actor=me, kind=data["kind"],
                                   record_id=data["record_id"], note=data["note"],
                                   request=request)
    if attempt.ok:
        messages.success(request, f"Added the {label} “{item.label}”.")
    elif attempt.refusal is not None and attempt.refusal.field == "record_id":
        messages.error(request, f"Nothing was added: choose a {label} from your own "
                                "records in the list.")
    return _back(sub, f"pick-{data['kind']}")


@allow(*EDUCATORS)
@require_POST
def remove_item(request: HttpRequest, submission_id: int) -> HttpResponse:
    me = signed_in_person(request)
    sub = access.access_own_submission(me, submission_id)
    raw = request.POST.get("item", "")
    item = sub.items.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if item is None:
        messages.error(request, "That record is not in this submission.")
        return _back(sub, "records-h")
    kind, label = item.kind, item.label
    with showing_refusals(request, done=f"Removed “{label}” from this submission."):
        actions.do_remove_item(item, actor=me, request=request)
    return _back(sub, f"pick-{kind}")


@allow(*EDUCATORS)
@require_POST
def save(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Save the reflection (and the video chosen instead). From the page's autosave (htmx)
    it answers with the refreshed pre-check; from the Save button, with the page."""
    me = signed_in_person(request)
    sub = access.access_own_submission(me, submission_id)
    htmx = bool(getattr(request, "htmx", False))
    form = _reflection_form(me, sub, request.POST)
    refusal: RuleError | None = None
    if form.is_valid():
        data = form.cleaned_data
        video: Any = "unchanged"
        if "reflection_video" in form.fields:
            video = int(data["reflection_video"]) if data["reflection_video"] else None
        try:
            sub = actions.do_update_submission(sub, actor=me, reflection=data["reflection"],
                                               reflection_video=video, request=request)
        except RuleError as refused:
            refusal = refused
    if htmx:
        sub.refresh_from_db()
        problem = refusal.message if refusal is not None else " ".join(
            str(e) for errors in form.errors.values() for e in errors)
        return render(request, "credentials/educator/_autosave.html", {
            **_panel_context(me, sub), "problem": problem, "saved": not problem},
            status=200)
    if refusal is not None:
        messages.error(request, refusal.message)
        return _back(sub, "reflection-h")
    if form.errors:
        sub.refresh_from_db()
        return _page(request, sub, form=form, status=400)
    messages.success(request, "Saved your reflection.")
    return _back(sub, "reflection-h")


@allow(*EDUCATORS)
@require_POST
def submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    me = signed_in_person(request)
    sub = access.access_own_submission(me, submission_id)
    try:
        sub = actions.do_submit(sub, actor=me, request=request)
    except RuleError as refusal:
        if refusal.message.startswith("Not ready to submit."):
            messages.error(request, "Not sent: some checks do not pass yet. Each one below "
                                    "says exactly what is missing.")
        else:
            messages.error(request, refusal.message)
        return _back(sub, "precheck-h")
    messages.success(request, "Sent. " + ("An assessor is reading it now."
                                          if sub.state == Submission.State.IN_REVIEW else
                                          "It waits for an assessor; you will be told when "
                                          "it comes back."))
    return _back(sub)


@allow(*EDUCATORS)
def withdraw(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Confirm, then take the work back (its history stays)."""
    me = signed_in_person(request)
    sub = access.access_own_submission(me, submission_id)
    if request.method == "POST":
        with showing_refusals(request, done="Withdrawn. You may start this tier again "
                                            "whenever you like.") as attempt:
            actions.do_withdraw(sub, actor=me, request=request)
        if attempt.ok:
            return redirect("credentials:mine")
        return _back(sub)
    return render(request, "credentials/educator/withdraw.html", {
        "submission": sub, "tier": sub.tier, "version": sub.tier.version,
        "may": sub.state not in (Submission.State.AWARDED, Submission.State.WITHDRAWN),
        "rounds": sub.rounds.count()})


# ------------------------------------------------------------------------ my work

MINE_GROUPS = (
    ("needs-you", "Needs you", (Submission.State.RETURNED, Submission.State.DRAFT)),
    ("with-assessors", "With assessors", (Submission.State.SUBMITTED,
                                          Submission.State.IN_REVIEW)),
    ("awarded", "Awarded", (Submission.State.AWARDED,)),
    ("withdrawn", "Withdrawn", (Submission.State.WITHDRAWN,)),
)


@allow(*EDUCATORS)
def mine(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    work = list(access.own_submissions(me).select_related(
        "tier", "tier__version").order_by("-updated_at", "-pk"))
    # Returned work first: it is what most needs her.
    groups = [(key, label, sorted((s for s in work if s.state in states),
                                  key=lambda s: s.state != Submission.State.RETURNED))
              for key, label, states in MINE_GROUPS]
    stipends = access.own_stipends(me).select_related("submission__tier__version")
    totals = stipends.aggregate(amount=Sum("amount"), hours=Sum("ceus"))
    try:
        transcript = reverse("credentials:transcript", args=[me.pk])
    except NoReverseMatch:
        transcript = ""
    return render(request, "credentials/educator/mine.html", {
        "groups": groups, "any_work": bool(work),
        "awards": Award.objects.filter(educator=me)
        .select_related("version"),
        "stipends": stipends, "stipend_total": totals["amount"] or Decimal("0"),
        "ceu_total": totals["hours"] or Decimal("0"), "transcript": transcript,
    })
