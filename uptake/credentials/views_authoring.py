"""Pages: the authoring side of micro-credentials (a district's coordinators).

- **Authoring**: every credential of the district with the state of its versions, its
  tiers, the work in flight and the awards; the "New credential" form (from a preset or
  blank).
- **A version**: a draft's editor (its words, image, alignment, stack, exemplars, tiers,
  the publish check) or, once published, the frozen version read-only with "Start version
  N+1"; the history of its versions either way.
- **A tier**: its settings, its scoring levels and the scoring guide (criteria x levels).
- **Policy**: the district's rules for readers and CEUs.

Reads go through ``uptake.credentials.access``; every change through
``uptake.credentials.actions``, which refuses any change to a published version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role, User
from uptake.credentials import actions
from uptake.credentials.access import (
    access_authored_criterion,
    access_authored_tier,
    access_authored_version,
    access_credential,
    credentials_authored_by,
)
from uptake.credentials.assignment import policy_of
from uptake.credentials.forms_authoring import (
    CriterionForm,
    ImageForm,
    LevelsForm,
    LinksForm,
    NewCredentialForm,
    PolicyForm,
    TierForm,
    VersionForm,
    initial_criterion,
    initial_policy,
    initial_tier,
)
from uptake.credentials.images import image_response
from uptake.credentials.models import Credential, Submission, Tier, Version
from uptake.idempotency import once
from uptake.learning.access import alignable_elements
from uptake.library.access import published_practices
from uptake.views_support import showing_refusals

IN_FLIGHT = (Submission.State.SUBMITTED, Submission.State.IN_REVIEW,
             Submission.State.RETURNED)


def _status(refusal: Any) -> int:
    """A page shown again after a refusal: 409 when the version is frozen, else 400."""
    return getattr(refusal, "status", 400) if refusal is not None else 400


# ------------------------------------------------------------------ the credentials

def _current(credential: Credential) -> tuple[Version | None, Version | None]:
    """(the published version, the draft) among the prefetched versions."""
    published = next((v for v in credential.versions.all()
                      if v.status == Version.Status.PUBLISHED), None)
    draft = next((v for v in credential.versions.all() if v.is_draft), None)
    return published, draft


def _list_page(request: HttpRequest, form: NewCredentialForm, *, status: int = 200
               ) -> HttpResponse:
    credentials = (credentials_authored_by(signed_in_person(request))
                   .annotate(in_flight=Count("versions__tiers__submissions", distinct=True,
                                             filter=Q(versions__tiers__submissions__state__in=
                                                      IN_FLIGHT)),
                             earned=Count("awards", distinct=True))
                   .prefetch_related(Prefetch("versions", queryset=Version.objects.annotate(
                       tier_count=Count("tiers")).order_by("-number"))))
    rows: list[dict[str, Any]] = []
    for credential in credentials:
        published, draft = _current(credential)
        latest = credential.versions.all()[0]
        rows.append({"credential": credential, "published": published, "draft": draft,
                     "shown": published or draft or latest, "open": draft or published or latest})
    rows.sort(key=lambda r: (r["credential"].retired_at is not None,
                             r["shown"].title.casefold()))
    return render(request, "credentials/authoring/list.html", {"rows": rows, "form": form},
                  status=status)


@allow(Role.COORDINATOR)
def authoring(request: HttpRequest) -> HttpResponse:
    return _list_page(request, NewCredentialForm())


@allow(Role.COORDINATOR)
@once
def credential_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = NewCredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            version = actions.do_create_credential(
                actor=me, title=data["title"], competency=data["competency"],
                preset=data["preset"], request=request)
        if attempt.ok:
            messages.success(request, f"Created “{version.title}” as a draft: only "
                                      "coordinators see it until you publish it.")
            return redirect("credentials:version_edit", version_id=version.pk)
    if request.method != "POST":
        return redirect("credentials:authoring")
    return _list_page(request, form, status=400)


@allow(Role.COORDINATOR)
@require_POST
def credential_revise(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = access_credential(signed_in_person(request), credential_id)
    had = credential.versions.filter(status=Version.Status.DRAFT).first()
    with showing_refusals(request) as attempt:
        draft = actions.do_start_revision(credential, actor=signed_in_person(request),
                                          request=request)
    if not attempt.ok:
        return redirect("credentials:authoring")
    messages.success(request, f"Continue the draft of version {draft.number}." if had else
                     f"Started version {draft.number}, a copy of the published version. "
                     "Work already begun stays on the version it began on.")
    return redirect("credentials:version_edit", version_id=draft.pk)


@allow(Role.COORDINATOR)
@require_POST
def credential_retire(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = access_credential(signed_in_person(request), credential_id)
    retire = request.POST.get("retired") == "1"
    with showing_refusals(request, done=(
            "Retired: it is no longer offered for new work; awards and work in flight stay."
            if retire else "Offered again in the catalog.")):
        actions.do_set_retired(credential, actor=signed_in_person(request), retired=retire,
                               request=request)
    latest = (credential.versions.exclude(status=Version.Status.DRAFT).order_by("-number")
              .first() or credential.versions.order_by("-number").first())
    if latest is None:
        return redirect("credentials:authoring")
    return redirect("credentials:version_edit", version_id=latest.pk)


# ---------------------------------------------------------------------- a version

def needs(tier: Tier) -> list[str]:
    """What a tier asks of the educator, in words."""
    said = []
    if tier.min_sources:
        research = (f", at least {tier.min_research_sources} research-based"
                    if tier.min_research_sources else "")
        said.append(f"{tier.min_sources} learning source{'s' if tier.min_sources > 1 else ''}"
                    f"{research}")
    if tier.min_artifacts:
        said.append(f"{tier.min_artifacts} artifact{'s' if tier.min_artifacts > 1 else ''}")
    if tier.min_links:
        said.append(f"{tier.min_links} link{'s' if tier.min_links > 1 else ''} to resources")
    if tier.needs_lesson_plan:
        said.append("a lesson plan or overview others can use")
    if tier.needs_goal:
        said.append("a SMART goal from her learning plan")
    if tier.impact_rule:
        rule = tier.get_impact_rule_display()
        if tier.impact_rule == Tier.Impact.MIN_PAIRED_CHANGE and tier.impact_min_change:
            rule += f" (at least {tier.impact_min_change})"
        said.append(rule[0].lower() + rule[1:])
    words = _span(tier.reflection_min_words, tier.reflection_max_words, "words")
    if words:
        video = _span(tier.video_min_seconds, tier.video_max_seconds, "seconds")
        said.append(f"a reflection of {words}"
                    + (f", or a video of {video}" if tier.accepts_video and video else
                       ", or a short video" if tier.accepts_video else ""))
    return said


def _span(lo: int | None, hi: int | None, unit: str) -> str:
    if lo and hi:
        return f"{lo:,} to {hi:,} {unit}"
    if lo:
        return f"at least {lo:,} {unit}"
    if hi:
        return f"at most {hi:,} {unit}"
    return ""


def _tiers(version: Version) -> list[dict[str, Any]]:
    return [{"tier": t, "needs": needs(t), "criteria": list(t.criteria.all())}
            for t in version.tiers.prefetch_related("criteria")]


def _history(credential: Credential) -> list[Version]:
    return list(credential.versions.select_related("published_by").annotate(
        work=Count("tiers__submissions", distinct=True,
                   filter=~Q(tiers__submissions__state=Submission.State.WITHDRAWN)),
        earned=Count("awards", distinct=True)).order_by("-number"))


def _links_form(me: User, version: Version, data: Any = None) -> LinksForm:
    district_id = district_id_of(me)
    others = credentials_authored_by(me).exclude(pk=version.credential_id)
    return LinksForm(
        data, elements=alignable_elements(district_id),
        requires=others.prefetch_related("versions"),
        exemplars=published_practices(me).select_related("author").order_by("title", "pk"),
        initial={"elements": list(version.elements.values_list("pk", flat=True)),
                 "requires": list(version.requires.values_list("pk", flat=True)),
                 "exemplars": list(version.exemplars.values_list("pk", flat=True))})


def _version_page(request: HttpRequest, version: Version, *, status: int = 200,
                  **forms: Any) -> HttpResponse:
    me = signed_in_person(request)
    credential = version.credential
    context: dict[str, Any] = {
        "version": version, "credential": credential, "tiers": _tiers(version),
        "history": _history(credential),
        "draft": credential.versions.filter(status=Version.Status.DRAFT).first(),
        "published": credential.versions.filter(status=Version.Status.PUBLISHED).first(),
        "elements": version.elements.select_related("framework").order_by("code"),
        "requires": version.requires.all(),
        "exemplars": version.exemplars.select_related("author")}
    context["refused"] = next((form for form in forms.values() if form.errors), None)
    if version.is_draft:
        context.update(
            problems=actions.publish_problems(version),
            form=forms.get("form") or VersionForm(initial={
                name: getattr(version, name) for name in VersionForm.base_fields}),
            image_form=forms.get("image_form") or ImageForm(initial={
                "image_alt": version.image_alt}),
            links_form=forms.get("links_form") or _links_form(me, version))
    return render(request, "credentials/authoring/version.html", context, status=status)


@allow(Role.COORDINATOR)
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    if request.method != "POST":
        return _version_page(request, version)
    form = VersionForm(request.POST)
    refusal = None
    if form.is_valid():
        with showing_refusals(request, form=form, done="Saved the draft.") as attempt:
            actions.do_update_version(version, actor=me, request=request, **form.cleaned_data)
        if attempt.ok:
            return redirect("credentials:version_edit", version_id=version.pk)
        refusal = attempt.refusal
        version.refresh_from_db()
    return _version_page(request, version, status=_status(refusal), form=form)


@allow(Role.COORDINATOR)
@require_POST
def version_image_set(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    form = ImageForm(request.POST, request.FILES)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        remove = data["remove"] and data["image"] is None
        with showing_refusals(request, form=form, done="Removed the image." if remove else
                              "Saved the image.") as attempt:
            actions.do_set_image(version, actor=me, alt=data["image_alt"],
                                 upload=data["image"], remove=remove, request=request)
        if attempt.ok:
            return redirect("credentials:version_edit", version_id=version.pk)
        refusal = attempt.refusal
        version.refresh_from_db()
    return _version_page(request, version, status=_status(refusal), image_form=form)


@allow(Role.COORDINATOR)
def version_image(request: HttpRequest, version_id: int) -> FileResponse:
    """A version's image, drafts' included, for its authors (the catalog serves its own)."""
    return image_response(access_authored_version(signed_in_person(request), version_id))


@allow(Role.COORDINATOR)
@require_POST
def version_links(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    form = _links_form(me, version, request.POST)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form, done="Saved the alignment, stack and "
                                                       "exemplars.") as attempt:
            actions.do_set_links(version, actor=me, elements=data["elements"],
                                 requires=data["requires"], exemplars=data["exemplars"],
                                 request=request)
        if attempt.ok:
            return redirect("credentials:version_edit", version_id=version.pk)
        refusal = attempt.refusal
    return _version_page(request, version, status=_status(refusal), links_form=form)


@allow(Role.COORDINATOR)
@require_POST
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    with showing_refusals(request) as attempt:
        version = actions.do_publish(version, actor=me, request=request)
    if attempt.ok:
        messages.success(request, f"Published version {version.number}: educators find it "
                                  "in the catalog." + (
                                      " Work begun on the earlier version stays on it."
                                      if version.number > 1 else ""))
    return redirect("credentials:version_edit", version_id=version.pk)


@allow(Role.COORDINATOR)
def version_discard(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    credential = version.credential
    if request.method == "POST":
        version_pk = version.pk
        with showing_refusals(request) as attempt:
            actions.do_discard_draft(version, actor=me, request=request)
        if not attempt.ok:
            return redirect("credentials:version_edit", version_id=version_pk)
        messages.success(request, f"Discarded the draft of “{version.title}”.")
        left = Version.objects.filter(credential_id=version.credential_id).order_by(
            "-number").first()
        if left is None:
            return redirect("credentials:authoring")
        return redirect("credentials:version_edit", version_id=left.pk)
    if not version.is_draft:
        messages.error(request, "Only a draft can be discarded; a published version is kept.")
        return redirect("credentials:version_edit", version_id=version.pk)
    return render(request, "credentials/authoring/discard.html", {
        "version": version,
        "only": not credential.versions.exclude(pk=version.pk).exists()})


# ------------------------------------------------------------------------ tiers

def _tier_page(request: HttpRequest, tier: Tier, *, status: int = 200, **forms: Any
               ) -> HttpResponse:
    version = tier.version
    return render(request, "credentials/authoring/tier.html", {
        "tier": tier, "version": version, "needs": needs(tier),
        "refused": next((form for form in forms.values() if form.errors), None),
        "criteria": list(tier.criteria.all()),
        "form": forms.get("form") or TierForm(initial=initial_tier(tier)),
        "levels_form": forms.get("levels_form") or LevelsForm(tier=tier),
        "criterion_form": forms.get("criterion_form") or CriterionForm(tier=tier)},
        status=status)


@allow(Role.COORDINATOR)
@once
def tier_new(request: HttpRequest, version_id: int) -> HttpResponse:
    me = signed_in_person(request)
    version = access_authored_version(me, version_id)
    if not version.is_draft:
        messages.error(request, "A published version is frozen; start a new version to "
                                "change it.")
        return redirect("credentials:version_edit", version_id=version.pk)
    form = TierForm(request.POST or None, initial={"kind": Tier.Kind.TASK})
    refusal = None
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            tier = actions.do_save_tier(version, actor=me, request=request,
                                        **form.tier_fields())
        if attempt.ok:
            messages.success(request, f"Added the tier “{tier.name}”. Now write its scoring "
                                      "guide.")
            return redirect("credentials:tier_edit", tier_id=tier.pk)
        refusal = attempt.refusal
    return render(request, "credentials/authoring/tier_new.html", {
        "version": version, "form": form},
        status=_status(refusal) if form.errors else 200)


@allow(Role.COORDINATOR)
def tier_edit(request: HttpRequest, tier_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tier = access_authored_tier(me, tier_id)
    if request.method != "POST":
        return _tier_page(request, tier)
    form = TierForm(request.POST)
    refusal = None
    if form.is_valid():
        with showing_refusals(request, form=form, done="Saved the tier.") as attempt:
            actions.do_save_tier(tier.version, actor=me, tier=tier, request=request,
                                 **form.tier_fields())
        if attempt.ok:
            return redirect("credentials:tier_edit", tier_id=tier.pk)
        refusal = attempt.refusal
        tier.refresh_from_db()
    return _tier_page(request, tier, status=_status(refusal), form=form)


@allow(Role.COORDINATOR)
@require_POST
def tier_move(request: HttpRequest, tier_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tier = access_authored_tier(me, tier_id)
    with showing_refusals(request):
        actions.do_move_tier(tier, actor=me, up=request.POST.get("direction") == "up",
                             request=request)
    return redirect(f"{_version_url(tier.version_id)}#tiers-h")


def _version_url(version_id: int) -> str:
    return reverse("credentials:version_edit", kwargs={"version_id": version_id})


@allow(Role.COORDINATOR)
@require_POST
def tier_delete(request: HttpRequest, tier_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tier = access_authored_tier(me, tier_id)
    name = tier.name
    with showing_refusals(request, done=f"Removed the tier “{name}”."):
        actions.do_delete_tier(tier, actor=me, request=request)
    return redirect(f"{_version_url(tier.version_id)}#tiers-h")


@allow(Role.COORDINATOR)
@require_POST
def tier_levels(request: HttpRequest, tier_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tier = access_authored_tier(me, tier_id)
    form = LevelsForm(request.POST, tier=tier)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form, done="Saved the levels. Each criterion "
                              "keeps its descriptors in the same places; describe any new "
                              "level.") as attempt:
            actions.do_set_levels(tier, actor=me, levels=data["levels"],
                                  passing_level=data["passing_level"], request=request)
        if attempt.ok:
            return redirect("credentials:tier_edit", tier_id=tier.pk)
        refusal = attempt.refusal
        tier.refresh_from_db()
    return _tier_page(request, tier, status=_status(refusal), levels_form=form)


@allow(Role.COORDINATOR)
@once
@require_POST
def criterion_new(request: HttpRequest, tier_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tier = access_authored_tier(me, tier_id)
    form = CriterionForm(request.POST, tier=tier)
    refusal = None
    if form.is_valid():
        with showing_refusals(request, form=form, done="Added the criterion.") as attempt:
            actions.do_save_criterion(tier, actor=me, text=form.cleaned_data["text"],
                                      descriptors=form.descriptors(), request=request)
        if attempt.ok:
            return redirect(f"{_tier_url(tier.pk)}#guide-h")
        refusal = attempt.refusal
    return _tier_page(request, tier, status=_status(refusal), criterion_form=form)


def _tier_url(tier_id: int) -> str:
    return reverse("credentials:tier_edit", kwargs={"tier_id": tier_id})


@allow(Role.COORDINATOR)
def criterion_edit(request: HttpRequest, criterion_id: int) -> HttpResponse:
    me = signed_in_person(request)
    criterion = access_authored_criterion(me, criterion_id)
    tier = criterion.tier
    form = CriterionForm(request.POST or None, tier=tier,
                         initial=initial_criterion(criterion))
    refusal = None
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Saved the criterion.") as attempt:
            actions.do_save_criterion(tier, actor=me, criterion=criterion,
                                      text=form.cleaned_data["text"],
                                      descriptors=form.descriptors(), request=request)
        if attempt.ok:
            return redirect(f"{_tier_url(tier.pk)}#guide-h")
        refusal = attempt.refusal
    return render(request, "credentials/authoring/criterion.html", {
        "criterion": criterion, "tier": tier, "version": tier.version, "form": form,
        "pairs": list(zip(tier.levels, criterion.descriptors, strict=False))},
        status=_status(refusal) if form.errors else 200)


@allow(Role.COORDINATOR)
@require_POST
def criterion_delete(request: HttpRequest, criterion_id: int) -> HttpResponse:
    me = signed_in_person(request)
    criterion = access_authored_criterion(me, criterion_id)
    with showing_refusals(request, done="Removed the criterion."):
        actions.do_delete_criterion(criterion, actor=me, request=request)
    return redirect(f"{_tier_url(criterion.tier_id)}#guide-h")


# ------------------------------------------------------------------------ policy

@allow(Role.COORDINATOR)
def policy(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    current = policy_of(district_id_of(me) or 0)
    form = PolicyForm(request.POST or None, initial=initial_policy(current))
    refusal = None
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Saved the policy. It applies to "
                              "work assigned from now on.") as attempt:
            actions.do_update_policy(actor=me, request=request, **form.cleaned_data)
        if attempt.ok:
            return redirect("credentials:policy")
        refusal = attempt.refusal
    return render(request, "credentials/authoring/policy.html", {
        "form": form, "policy": current},
        status=_status(refusal) if form.errors else 200)
