"""This app's part of the JSON API (uptake/api):
Evidence metadata (files stay on the pages).

Who sees an artifact is who sees it on the pages (``uptake.evidence.access``): the owner
always; once shared, teachers, coaches and leaders of a school where she teaches (unless it
identifies students), coaches she named, and her district's coordinators. Opening one that
identifies students is recorded in the audit log exactly as the page does. Only metadata
leaves through the API: the file itself is downloaded from the page's address
(``download_url``), which checks the same access again; the text of a text artifact and a
link artifact's address stay on its page (``page_url``).

Only the owner (a teacher, as on the pages) changes the metadata, through the same action
as the edit page; ``shared`` shares with her school (keeping the coaches she named) or
makes it private again, through the share and unshare actions.
"""

import datetime as dt
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from uptake.accounts.grants import grantees_of
from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.evidence import actions
from uptake.evidence.access import access_artifact, access_own_artifact, coaches_for
from uptake.evidence.models import Artifact, GuskeyLevel
from uptake.inquiry.access import inquiries_editable_by
from uptake.inquiry.models import Cycle, Inquiry

router = Router(tags=["Evidence"])

VIEWERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)

KindName = Literal["photo", "document", "lesson_plan", "student_work", "video", "link",
                   "text"]
Level = Literal[1, 2, 3, 4, 5]


def _caller(request: HttpRequest, *roles: str) -> User:
    """The caller, if she holds one of the roles the pages admit; else the same 404."""
    me = support.me(request)
    if not me.has_role(*roles):
        raise Http404("No such evidence.")
    return me


class ArtifactOut(Schema):
    id: int
    title: str
    description: str
    kind: KindName
    guskey_level: Level
    guskey_label: str
    inquiry_id: int | None
    cycle_id: int | None
    owner_id: int
    owner_name: str
    is_mine: bool
    shared: bool
    shared_at: dt.datetime | None
    identifies_students: bool
    has_file: bool
    content_type: str | None
    size: int | None
    created_at: dt.datetime
    page_url: str
    download_url: str | None

    @staticmethod
    def resolve_guskey_label(obj: Artifact) -> str:
        return str(GuskeyLevel(obj.guskey_level).label)

    @staticmethod
    def resolve_owner_name(obj: Artifact) -> str:
        return obj.owner.display_name

    @staticmethod
    def resolve_is_mine(obj: Artifact, context: dict[str, Any]) -> bool:
        return bool(obj.owner_id == context["request"].user.pk)

    @staticmethod
    def resolve_has_file(obj: Artifact) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_content_type(obj: Artifact) -> str | None:
        return obj.content_type or None

    @staticmethod
    def resolve_page_url(obj: Artifact, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(
            reverse("evidence:detail", args=[obj.pk])))

    @staticmethod
    def resolve_download_url(obj: Artifact, context: dict[str, Any]) -> str | None:
        if not obj.file:
            return None
        return str(context["request"].build_absolute_uri(
            reverse("evidence:file", args=[obj.pk])))


@router.get("/artifacts", response=list[ArtifactOut], summary="Evidence I may see")
@support.paginate(ordering=("-created_at", "-pk"))
def list_artifacts(request: HttpRequest, mine: bool | None = None,
                   kind: KindName | None = None,
                   guskey_level: int | None = Query(None, ge=1, le=5),
                   inquiry: int | None = Query(None, ge=1, le=support.MAX_ID),
                   date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> QuerySet[Artifact]:
    """My evidence and the evidence shared with me, newest first: the pages' "My
    evidence" and "Shared with me" together. ``mine=true`` keeps my own, ``mine=false``
    only others'; ``date_from``/``date_to`` bound the day it was added."""
    me = _caller(request, *VIEWERS)
    artifacts = Artifact.objects.visible_to(me).select_related("owner")
    if mine is not None:
        artifacts = (artifacts.filter(owner=me) if mine
                     else artifacts.exclude(owner=me))
    artifacts = support.where(artifacts, kind=kind, guskey_level=guskey_level, inquiry_id=inquiry,
                                         created_at__date__gte=date_from,
                                         created_at__date__lte=date_to)
    return artifacts


@router.get("/artifacts/{artifact_id}", response=ArtifactOut, summary="One artifact's metadata")
def get_artifact(request: HttpRequest, artifact_id: int) -> Artifact:
    """Its title, kind, Guskey level, inquiry, sharing, whether it can identify students,
    the stored file's type and size, and where the page downloads it. Reading one that can
    identify students (someone else's) is recorded in the audit log, as on its page."""
    me = _caller(request, *VIEWERS)
    artifact = access_artifact(me, artifact_id)
    actions.note_artifact_viewed(artifact, request=request)
    return artifact


class ArtifactPatch(Schema):
    """Only the fields sent change; ``inquiry_id``/``cycle_id`` null detaches it."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    kind: KindName | None = None
    guskey_level: Level | None = None
    identifies_students: bool | None = None
    inquiry_id: int | None = Field(None, ge=1)
    cycle_id: int | None = Field(None, ge=1)
    shared: bool | None = None


def _inquiry(me: User, artifact: Artifact, inquiry_id: int | None) -> Inquiry | None:
    """One of her inquiries to edit, or the one it is attached to already."""
    if inquiry_id is None:
        return None
    editable = Q(pk__in=inquiries_editable_by(me).values("pk")) | Q(pk=artifact.inquiry_id)
    found = Inquiry.objects.filter(editable, pk=inquiry_id).first()
    if found is None:
        raise actions.EvidenceRefused("Choose one of your inquiries.", field="inquiry_id")
    return found


def _cycle(inquiry: Inquiry | None, cycle_id: int | None) -> Cycle | None:
    if cycle_id is None:
        return None
    found = Cycle.objects.filter(pk=cycle_id, inquiry=inquiry).first() if inquiry else None
    if found is None:
        raise actions.EvidenceRefused("That cycle belongs to another inquiry.",
                                      field="cycle_id")
    return found


@router.patch("/artifacts/{artifact_id}", response=ArtifactOut,
              summary="Change an artifact's metadata (its owner)")
def update_artifact(request: HttpRequest, artifact_id: int, payload: ArtifactPatch
                    ) -> Artifact:
    """Change the title, description, kind, Guskey level, whether it can identify
    students, the inquiry and cycle it belongs to, or whether it is shared with her
    school, through the edit page's checks: nothing changes when any is refused. The file
    is replaced only on the page."""
    me = _caller(request, Role.TEACHER)
    artifact = access_own_artifact(me, artifact_id)
    sent = payload.model_fields_set
    for name in ("title", "kind", "guskey_level", "identifies_students", "shared"):
        if name in sent and getattr(payload, name) is None:
            raise actions.EvidenceRefused(f"{name} cannot be null.", field=name)
    inquiry_id = payload.inquiry_id if "inquiry_id" in sent else artifact.inquiry_id
    cycle_id = payload.cycle_id if "cycle_id" in sent else artifact.cycle_id
    if "inquiry_id" in sent and "cycle_id" not in sent and inquiry_id != artifact.inquiry_id:
        cycle_id = None  # a new inquiry's cycles are not the old one's
    inquiry = _inquiry(me, artifact, inquiry_id)
    cycle = _cycle(inquiry, cycle_id)
    if sent - {"shared"}:
        artifact = actions.do_update_artifact(
            artifact, actor=me,
            kind=payload.kind if payload.kind is not None else artifact.kind,
            title=payload.title if payload.title is not None else artifact.title,
            description=(payload.description if payload.description is not None
                         else artifact.description),
            guskey_level=(payload.guskey_level if payload.guskey_level is not None
                          else artifact.guskey_level),
            identifies_students=(payload.identifies_students
                                 if payload.identifies_students is not None
                                 else artifact.identifies_students),
            link=artifact.link, body=artifact.body, inquiry=inquiry, cycle=cycle,
            request=request)
    if payload.shared is True and not artifact.shared:
        named = grantees_of(artifact, live=True).filter(
            pk__in=coaches_for(me).values("pk"))
        artifact = actions.do_share_artifact(artifact, actor=me, coaches=list(named),
                                             request=request)
    elif payload.shared is False and artifact.shared:
        artifact = actions.do_unshare_artifact(artifact, actor=me, request=request)
    artifact.refresh_from_db()
    return artifact
