"""The networks app's community part of the JSON API (area ``communities``, prefix
/communities; docs/online-communities.md): her imports of online communities, starting one
(a multipart upload), its status and progress, its measures, its coding sample, coding an
item, deleting it.

Only the owner reaches an import: anyone else's, or one of an owner whose role lapsed, is
the same 404 as a missing one. Authors appear only as the import's pseudonyms.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.api import support
from uptake.networks import access
from uptake.networks.actions import community as actions
from uptake.networks.models import CodingItem, CommunityImport
from uptake.rules import Conflict

router = Router(tags=["Online communities"])

PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
Position = Annotated[int, Field(ge=1, le=1_000_000)]
ImportState = Literal["queued", "running", "done", "failed"]


class CommunityImportOut(Schema):
    id: int
    name: str = Field(description="The community, as its owner named it.")
    file_name: str
    period_months: int
    status: ImportState
    status_label: str
    progress: float = Field(description="How far the reading is, from 0 to 1.")
    rows_read: int
    contributions: int = Field(description="Contributions measured (once done).")
    dropped: int = Field(description="Deleted or removed contributions left out.")
    error: str = Field(description="Why the import failed (file, row, column), or ''.")
    can_retry: bool = Field(description="A failed import whose file is kept: "
                                        "POST …/retry reads it again.")
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: CommunityImport) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_can_retry(obj: CommunityImport) -> bool:
        return obj.status == CommunityImport.Status.FAILED and bool(obj.upload)


class CommunityResultOut(Schema):
    id: int
    name: str
    period_months: int
    result: dict[str, Any] = Field(description=(
        "The measures: contributions, dropped, periods (each with every measure and its "
        "reply network) and the sample, as docs/analysis-community.md defines them. Authors "
        "are pseudonyms."))


class CommunityItemOut(Schema):
    position: int
    is_post: bool
    pseudonym: str
    created: datetime
    text: str = Field(description="Title and body; usernames replaced by pseudonyms.")
    code: str = Field(description="Its code from the codebook, or '' when not coded.")
    note: str
    coded_at: datetime | None


class CommunityCodeIn(Schema):
    code: str = Field("", max_length=40,
                      description="A code's key from the codebook, or '' to take it back.")
    note: str = Field("", max_length=300)


def _mine(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_import_community(me):
        raise Http404("No such import.")
    return me


def _done(ci: CommunityImport) -> CommunityImport:
    if ci.status != CommunityImport.Status.DONE:
        raise Conflict(f"This import is {ci.get_status_display().lower()}: it has no "
                       "measures or sample yet." if ci.status != CommunityImport.Status.FAILED
                       else f"This import failed: {ci.error}")
    return ci


@router.get("", response=list[CommunityImportOut], summary="Your community imports",
            url_name="community_imports")
@support.paginate(ordering=("-pk",))
def list_community_imports(request: HttpRequest, status: ImportState | None = None
                           ) -> QuerySet[CommunityImport]:
    """Your imports of online communities, newest first, with their status and progress."""
    me = _mine(request)
    mine = CommunityImport.objects.filter(owner=me, district_id=district_id_of(me))
    return support.where(mine, status=status)


@router.post("", response={201: CommunityImportOut}, summary="Import a community",
             url_name="community_imports")
def start_community_import(request: HttpRequest, file: File[UploadedFile],
                           name: Form[str], period_months: Form[int] = 6
                           ) -> Status[CommunityImport]:
    """multipart/form-data: ``file`` (a JSON array, JSON lines or CSV export of posts and
    comments), ``name`` (the community) and ``period_months`` (1 to 24, 6 by default).
    The file is stored and read in the background: follow ``GET /communities/{id}`` until
    ``status`` is ``done`` or ``failed``. A file that cannot be read (wrong type, empty, not
    UTF-8, over the size limit, or, for a small file, a problem in a row) is refused at once
    (400, naming file, row and column) and nothing is stored."""
    me = _mine(request)
    ci = actions.do_start_import(me, file, name=name, period_months=period_months,
                                 file_name=file.name or "", request=request)
    return Status(201, ci)


@router.get("/{community_id}", response=CommunityImportOut, summary="One community import")
def get_community_import(request: HttpRequest, community_id: PathId) -> CommunityImport:
    """Its status and progress (``progress`` 0 to 1, ``rows_read``), or why it failed."""
    ci = actions.owned_import(_mine(request), community_id)
    if ci.status in (CommunityImport.Status.QUEUED, CommunityImport.Status.RUNNING):
        from uptake.operations.workers import reap_lost_tasks

        if reap_lost_tasks():
            ci.refresh_from_db()  # its worker had died; the import says so now
    return ci


@router.get("/{community_id}/result", response=CommunityResultOut,
            summary="A community import's measures")
def get_community_result(request: HttpRequest, community_id: PathId) -> CommunityImport:
    """Every measure per period and the reply network's figures; 409 until it is done."""
    return _done(actions.owned_import(_mine(request), community_id))


@router.get("/{community_id}/sample", response=list[CommunityItemOut],
            summary="A community import's sample to code")
def list_community_sample(request: HttpRequest, community_id: PathId) -> list[CodingItem]:
    """The contributions drawn to code, in order, with the codes given so far."""
    ci = _done(actions.owned_import(_mine(request), community_id))
    return list(ci.coding_items.all())


@router.put("/{community_id}/sample/{position}", response=CommunityItemOut,
            summary="Code a sample item")
@support.idempotent
def code_community_item(request: HttpRequest, community_id: PathId, position: Position,
                        payload: CommunityCodeIn) -> CodingItem:
    """Give the item a code of the codebook (its ``key``) and a note; ``code: ""`` takes
    the code back. An unknown code is refused (400)."""
    me = _mine(request)
    ci = _done(actions.owned_import(me, community_id))
    item = ci.coding_items.filter(position=position).first()
    if item is None:
        raise Http404("No such item.")
    return actions.do_code_item(item, actor=me, code=payload.code, note=payload.note,
                                request=request)


@router.post("/{community_id}/retry", response=CommunityImportOut,
             summary="Read a failed community import again")
def retry_community_import(request: HttpRequest, community_id: PathId) -> CommunityImport:
    """Queue a failed import whose file is kept to be read again from the start; 409 for
    any other import."""
    me = _mine(request)
    return actions.do_retry_import(actions.owned_import(me, community_id), actor=me,
                                   request=request)


@router.delete("/{community_id}", response={204: None}, summary="Delete a community import")
def delete_community_import(request: HttpRequest, community_id: PathId) -> Status[None]:
    """The import, its measures, its sample and codes, and its stored file."""
    me = _mine(request)
    actions.do_delete_import(actions.owned_import(me, community_id), actor=me,
                             request=request)
    return Status(204, None)
