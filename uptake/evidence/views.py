"""Evidence pages: a teacher's own artifacts, what is shared with me, upload, detail,
editing, sharing, deletion, and the only way a stored file is ever served."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow
from uptake.accounts.grants import grantees_of, grants_on
from uptake.accounts.models import Role, User
from uptake.evidence import actions
from uptake.evidence.access import (
    EVIDENCE_GRANTS,
    access_artifact,
    access_own_artifact,
    coaches_for,
)
from uptake.evidence.files import artifact_file_response
from uptake.evidence.forms import ArtifactForm, FilterForm, ShareForm
from uptake.evidence.models import Artifact, GuskeyLevel, Kind
from uptake.idempotency import once
from uptake.inquiry.access import inquiries_editable_by
from uptake.views_support import showing_refusals

PER_PAGE = 50
VIEWERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _inquiries_for(user: User, *, also: Q | None = None) -> Any:
    """Inquiries she may attach evidence to: the ones she may edit (her own, her teams'),
    and ``also`` those matching it (one her evidence is attached to already, which stays
    even if she has since left its team)."""
    from uptake.inquiry.models import Inquiry

    editable = Q(pk__in=inquiries_editable_by(user).values("pk"))
    return Inquiry.objects.filter(editable | also if also is not None else editable
                                  ).order_by("title", "pk")


def _cycles_for(user: User) -> Any:
    from uptake.inquiry.models import Cycle

    return (Cycle.objects.filter(inquiry__in=inquiries_editable_by(user).values("pk"))
            .select_related("inquiry").order_by("inquiry__title", "number"))


def _page(request: HttpRequest, artifacts: Any) -> Any:
    return Paginator(artifacts, PER_PAGE).get_page(request.GET.get("page"))


@allow(Role.TEACHER)
def mine(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    # Every piece of her evidence can be found by its inquiry.
    inquiries = _inquiries_for(
        user, also=Q(pk__in=Artifact.objects.filter(owner=user).values("inquiry_id")))
    form = FilterForm(request.GET or None, inquiries=inquiries)
    artifacts = Artifact.objects.filter(owner=user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("kind"):
            artifacts = artifacts.filter(kind=data["kind"])
        if data.get("level"):
            artifacts = artifacts.filter(guskey_level=data["level"])
        if data.get("inquiry"):
            artifacts = artifacts.filter(inquiry=data["inquiry"])
    # Every level is listed, empty ones included (Guskey's five levels).
    counts = dict.fromkeys(GuskeyLevel.values, 0)
    counts.update(Artifact.objects.filter(owner=user).values_list("guskey_level")
                  .annotate(n=Count("pk")).order_by())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evidence/mine.html", {
        "form": form, "page": _page(request, artifacts.select_related("inquiry")),
        "query": query.urlencode(), "filtered": bool(request.GET and form.has_changed()),
        "levels": [(GuskeyLevel(level), n) for level, n in counts.items()]})


@allow(*VIEWERS)
def shared(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    artifacts = (Artifact.objects.visible_to(user).exclude(owner=user)
                 .select_related("owner").order_by("-shared_at", "-pk"))
    return render(request, "evidence/shared.html", {"page": _page(request, artifacts)})


@allow(Role.TEACHER)
@once
def upload(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in Kind.values else {}
    # From an inquiry's page: that inquiry chosen (only hers are offered, so a forged id
    # selects nothing).
    if request.GET.get("inquiry", "").isdigit():
        initial["inquiry"] = request.GET["inquiry"]
    form = ArtifactForm(request.POST or None, request.FILES or None, initial=initial,
                        inquiries=_inquiries_for(user), cycles=_cycles_for(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            artifact = actions.do_add_artifact(
                user, kind=data["kind"], title=data["title"], description=data["description"],
                guskey_level=data["guskey_level"], identifies_students=form.identifies(),
                upload=data.get("file"), link=data["link"], body=data["body"],
                inquiry=data.get("inquiry"), cycle=data.get("cycle"), request=request)
        if attempt.ok:
            messages.success(request, f"Saved “{artifact.title}”. Only you can see it until "
                                      "you share it.")
            return redirect("evidence:detail", artifact_id=artifact.pk)
    status = 400 if form.errors else 200
    return render(request, "evidence/upload.html", {"form": form}, status=status)


def _edit_choices(user: User, artifact: Artifact) -> tuple[Any, Any]:
    """Inquiries and cycles offered when editing: hers to edit, plus the one it is attached
    to already (which stays even if she has since left its team)."""
    from uptake.inquiry.models import Cycle

    inquiries = _inquiries_for(user, also=Q(pk=artifact.inquiry_id))
    cycles = (Cycle.objects.filter(inquiry__in=inquiries.values("pk"))
              .select_related("inquiry").order_by("inquiry__title", "number"))
    return inquiries, cycles


def _initial(artifact: Artifact) -> dict[str, Any]:
    return {"kind": artifact.kind, "title": artifact.title,
            "description": artifact.description, "guskey_level": artifact.guskey_level,
            "link": artifact.link, "body": artifact.body, "inquiry": artifact.inquiry_id,
            "cycle": artifact.cycle_id,
            "identifies_students": "yes" if artifact.identifies_students else "no"}


@allow(Role.TEACHER)
def edit(request: HttpRequest, artifact_id: int) -> HttpResponse:
    user = _me(request)
    artifact = access_own_artifact(user, artifact_id)
    inquiries, cycles = _edit_choices(user, artifact)
    form = ArtifactForm(request.POST or None, request.FILES or None,
                        initial=_initial(artifact), inquiries=inquiries, cycles=cycles,
                        editing=artifact)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form, done="Saved your changes.") as attempt:
            actions.do_update_artifact(
                artifact, actor=user, kind=data["kind"], title=data["title"],
                description=data["description"], guskey_level=data["guskey_level"],
                identifies_students=form.identifies(), upload=data.get("file"),
                link=data["link"], body=data["body"], inquiry=data.get("inquiry"),
                cycle=data.get("cycle"), request=request)
        if attempt.ok:
            return redirect("evidence:detail", artifact_id=artifact.pk)
    status = 400 if form.errors else 200
    return render(request, "evidence/edit.html", {"form": form, "artifact": artifact},
                  status=status)


@allow(*VIEWERS)
def detail(request: HttpRequest, artifact_id: int) -> HttpResponse:
    artifact = access_artifact(request.user, artifact_id)
    is_owner = artifact.owner_id == request.user.pk
    actions.note_artifact_viewed(artifact, request=request)
    context: dict[str, Any] = {"artifact": artifact, "is_owner": is_owner}
    if is_owner:
        context["named_coaches"] = grants_on(artifact, artifact.owner, EVIDENCE_GRANTS)
        context["share_form"] = ShareForm(coaches=coaches_for(_me(request)),
                                          initial={"coaches": grantees_of(artifact, live=True)})
    return render(request, "evidence/detail.html", context)


# Images and videos are shown in the page; anything else is only ever downloaded, so a
# browser never renders an uploaded document inside Uptake's origin.


@allow(*VIEWERS)
def file(request: HttpRequest, artifact_id: int) -> FileResponse:
    artifact = access_artifact(request.user, artifact_id)
    if not artifact.file:
        raise Http404("No such file.")
    actions.note_artifact_viewed(artifact, request=request)
    return artifact_file_response(artifact)


@allow(Role.TEACHER)
@require_POST
def share(request: HttpRequest, artifact_id: int) -> HttpResponse:
    artifact = access_own_artifact(request.user, artifact_id)
    form = ShareForm(request.POST, coaches=coaches_for(_me(request)))
    if not form.is_valid():
        messages.error(request, "You can name only coaches at a school where you work now; "
                                "choose them from the list.")
        return redirect("evidence:detail", artifact_id=artifact.pk)
    actions.do_share_artifact(artifact, actor=_me(request), coaches=form.cleaned_data["coaches"],
                              request=request)
    messages.success(request, "Shared." if not artifact.identifies_students else
                     "Shared with the coaches you named and your district's coordinators.")
    return redirect("evidence:detail", artifact_id=artifact.pk)


@allow(Role.TEACHER)
@require_POST
def unshare(request: HttpRequest, artifact_id: int) -> HttpResponse:
    artifact = access_own_artifact(request.user, artifact_id)
    actions.do_unshare_artifact(artifact, actor=_me(request), request=request)
    messages.success(request, "No longer shared: only you can see it.")
    return redirect("evidence:detail", artifact_id=artifact.pk)


@allow(Role.TEACHER)
def delete(request: HttpRequest, artifact_id: int) -> HttpResponse:
    artifact = access_own_artifact(request.user, artifact_id)
    if request.method == "POST":
        title = artifact.title
        actions.do_delete_artifact(artifact, actor=_me(request), request=request)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("evidence:mine")
    return render(request, "evidence/delete.html", {"artifact": artifact})
