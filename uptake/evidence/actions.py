"""Evidence writes: add, change, share, unshare and delete artifacts (the one write path).

A file is checked and cleaned in a temporary directory first (``uploads.prepare``); only
then is it stored, and the row and its audit event are written in one transaction. If
that transaction fails, the stored file is deleted again, so a refusal or an error never
leaves a row without a file or a file without a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from uptake.accounts.actions import do_grant, do_withdraw_grants
from uptake.accounts.grants import grantees_of
from uptake.accounts.models import GrantReason
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.evidence import uploads
from uptake.evidence.access import EVIDENCE_GRANTS, coaches_for
from uptake.evidence.models import Artifact, GuskeyLevel, Kind
from uptake.inquiry.access import inquiries_editable_by
from uptake.rules import Invalid

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User
    from uptake.inquiry.models import Cycle, Inquiry

FILE_KINDS = frozenset({Kind.PHOTO, Kind.DOCUMENT, Kind.LESSON_PLAN, Kind.STUDENT_WORK,
                        Kind.VIDEO})
# A photo, a student's work or a classroom video shows or names a student unless the
# teacher says otherwise.
IDENTIFYING_BY_DEFAULT = frozenset({Kind.PHOTO, Kind.STUDENT_WORK, Kind.VIDEO})


class EvidenceRefused(Invalid):
    """Input that cannot become an artifact; ``field`` names the form field at fault."""


def is_web_address(link: str) -> bool:
    """An http(s) address that names a site (the library's resource links use it too)."""
    parts = urlsplit(link)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def check_link(link: str) -> str:
    link = link.strip()
    if not is_web_address(link):
        raise EvidenceRefused("A link must start with http:// or https:// and name a site, "
                              "for example https://example.org/lesson.", field="link")
    return link


def check_artifact(*, kind: str, title: str, guskey_level: int, upload: Any, link: str,
                   body: str, inquiry: Inquiry | None, cycle: Cycle | None, owner: User,
                   identifies_students: bool | None, kept_inquiry_id: int | None = None
                   ) -> bool:
    """Validate everything but the file's content; return whether it identifies students.

    ``upload`` is the file the artifact will have (None for none). ``kept_inquiry_id`` is
    the inquiry an edited artifact is already attached to: it may stay attached even if
    its owner can no longer edit that inquiry (she left the team)."""
    if kind not in Kind.values:
        raise EvidenceRefused("Choose what kind of evidence this is.", field="kind")
    if not title.strip():
        raise EvidenceRefused("Give the evidence a title.", field="title")
    if guskey_level not in GuskeyLevel.values:
        raise EvidenceRefused("Choose the level of evidence (1 to 5).", field="guskey_level")
    if kind == Kind.LINK and not link:
        raise EvidenceRefused("A link needs its web address.", field="link")
    if kind == Kind.TEXT and not body.strip():
        raise EvidenceRefused("Write the text of this evidence.", field="body")
    if kind in (Kind.PHOTO, Kind.VIDEO) and upload is None:
        raise EvidenceRefused(f"A {Kind(kind).label.lower()} needs a file.", field="file")
    if kind in FILE_KINDS - {Kind.PHOTO, Kind.VIDEO} and upload is None and not body.strip():
        raise EvidenceRefused("Attach a file or write the text.", field="file")
    if kind in (Kind.LINK, Kind.TEXT) and upload is not None:
        raise EvidenceRefused(f"A {Kind(kind).label.lower()} takes no file; choose another "
                              "kind to upload one.", field="file")
    if inquiry is not None and inquiry.pk != kept_inquiry_id \
            and not inquiries_editable_by(owner).filter(pk=inquiry.pk).exists():
        raise EvidenceRefused("Choose one of your inquiries.", field="inquiry")
    if cycle is not None and (inquiry is None or cycle.inquiry_id != inquiry.pk):
        raise EvidenceRefused("That cycle belongs to another inquiry.", field="cycle")
    if identifies_students is None:
        if kind not in IDENTIFYING_BY_DEFAULT:
            raise EvidenceRefused("Say whether this evidence could identify a student.",
                                  field="identifies_students")
        return True
    return identifies_students


def do_add_artifact(owner: User, *, kind: str, title: str, guskey_level: int,
                    identifies_students: bool | None, description: str = "",
                    upload: Any = None, link: str = "", body: str = "",
                    inquiry: Inquiry | None = None, cycle: Cycle | None = None,
                    request: HttpRequest | None = None) -> Artifact:
    """Check, clean, store and record one artifact; raise EvidenceRefused or
    uploads.Refused (nothing stored) when it cannot be kept."""
    link = check_link(link) if link.strip() else ""
    identifying = check_artifact(kind=kind, title=title, guskey_level=guskey_level,
                                 upload=upload, link=link, body=body, inquiry=inquiry,
                                 cycle=cycle, owner=owner,
                                 identifies_students=identifies_students)
    fields: dict[str, Any] = {
        "district_id": owner.district_id, "owner": owner, "kind": kind, "title": title.strip(),
        "description": description.strip(), "guskey_level": guskey_level, "link": link,
        "body": body, "inquiry": inquiry, "cycle": cycle, "identifies_students": identifying}
    if upload is None:
        return _create(fields, request=request, actor=owner)
    with uploads.prepare(upload, kind) as prepared:
        name = f"evidence/{owner.district_id}/{uuid.uuid4().hex}.{prepared.extension}"
        with prepared.path.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
    fields.update(file=stored, original_name=prepared.original_name,
                  content_type=prepared.content_type, size=prepared.size,
                  sha256=prepared.sha256, scan_verdict=prepared.scan_label)
    try:
        return _create(fields, request=request, actor=owner)
    except BaseException:
        default_storage.delete(stored)
        raise


def _create(fields: dict[str, Any], *, request: HttpRequest | None, actor: User) -> Artifact:
    with transaction.atomic():
        artifact = Artifact.objects.create(**fields)
        record(AuditAction.EVIDENCE_ADDED, actor=actor, request=request, obj=artifact,
               summary=f"Added evidence: {artifact.title}",
               details={"kind": artifact.kind, "guskey_level": artifact.guskey_level,
                        "identifies_students": artifact.identifies_students,
                        "sha256": artifact.sha256, "size": artifact.size,
                        "content_type": artifact.content_type,
                        "scan": artifact.scan_verdict})
    return artifact


def _check_kept_file(artifact: Artifact, kind: str) -> None:
    """The stored file must suit the new kind when no new file replaces it."""
    if kind in (Kind.LINK, Kind.TEXT):
        raise EvidenceRefused(f"This evidence has a file, and a {Kind(kind).label.lower()} "
                              "takes none. Keep its kind, or add the "
                              f"{Kind(kind).label.lower()} as new evidence.", field="kind")
    stored = uploads.ALLOWED.get(artifact.content_type)
    allowed = uploads.CATEGORIES_FOR_KIND.get(kind, ())
    if stored is not None and stored.category not in allowed:
        raise EvidenceRefused(f"The file is a {stored.label}, which a "
                              f"{Kind(kind).label.lower()} cannot hold. Keep its kind, or "
                              "replace the file too.", field="kind")


_TRACKED = ("kind", "title", "description", "guskey_level", "link", "body",
            "identifies_students", "inquiry_id", "cycle_id")
_FILE_FIELDS = ("file", "original_name", "content_type", "size", "sha256", "scan_verdict")


def do_update_artifact(artifact: Artifact, *, actor: User, kind: str, title: str,
                       guskey_level: int, identifies_students: bool | None,
                       description: str = "", upload: Any = None, link: str = "",
                       body: str = "", inquiry: Inquiry | None = None,
                       cycle: Cycle | None = None,
                       request: HttpRequest | None = None) -> Artifact:
    """Change what the teacher said about an artifact and, optionally, replace its file
    (checked and cleaned exactly like a new upload). Raise EvidenceRefused or
    uploads.Refused with nothing changed; the old file is deleted once the change is
    committed."""
    if artifact.owner_id != actor.pk or artifact.district_id != actor.district_id:
        raise EvidenceRefused("Only the teacher who added this evidence changes it.")
    link = check_link(link) if link.strip() else ""
    if upload is None and artifact.file:
        _check_kept_file(artifact, kind)
    identifying = check_artifact(
        kind=kind, title=title, guskey_level=guskey_level, link=link, body=body,
        upload=upload if upload is not None else (artifact.file or None), inquiry=inquiry,
        cycle=cycle, owner=actor, identifies_students=identifies_students,
        kept_inquiry_id=artifact.inquiry_id)
    fields: dict[str, Any] = {
        "kind": kind, "title": title.strip(), "description": description.strip(),
        "guskey_level": guskey_level, "link": link, "body": body,
        "inquiry_id": inquiry.pk if inquiry else None, "cycle_id": cycle.pk if cycle else None,
        "identifies_students": identifying}
    if upload is None:
        return _update(artifact, fields, actor=actor, request=request)
    with uploads.prepare(upload, kind) as prepared:
        name = f"evidence/{artifact.district_id}/{uuid.uuid4().hex}.{prepared.extension}"
        with prepared.path.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
    fields.update(file=stored, original_name=prepared.original_name,
                  content_type=prepared.content_type, size=prepared.size,
                  sha256=prepared.sha256, scan_verdict=prepared.scan_label)
    try:
        return _update(artifact, fields, actor=actor, request=request)
    except BaseException:
        default_storage.delete(stored)
        raise


def _update(artifact: Artifact, fields: dict[str, Any], *, actor: User,
            request: HttpRequest | None) -> Artifact:
    old = {name: getattr(artifact, name) for name in _TRACKED}
    old_file = artifact.file.name if artifact.file else ""
    old_sha = artifact.sha256
    with transaction.atomic():
        for name, value in fields.items():
            setattr(artifact, name, value)
        artifact.save(update_fields=list(fields))
        changed = [n.removesuffix("_id") for n in _TRACKED if getattr(artifact, n) != old[n]]
        details: dict[str, Any] = {"changed": changed}
        for name in ("kind", "guskey_level", "identifies_students", "inquiry_id",
                     "cycle_id"):
            if getattr(artifact, name) != old[name]:
                details[name.removesuffix("_id")] = {"from": old[name],
                                                     "to": getattr(artifact, name)}
        if "file" in fields:
            details["changed"].append("file")
            details["file"] = {"from_sha256": old_sha, "to_sha256": artifact.sha256,
                               "size": artifact.size, "content_type": artifact.content_type,
                               "scan": artifact.scan_verdict}
            if old_file:
                transaction.on_commit(lambda: default_storage.delete(old_file))
        record(AuditAction.EVIDENCE_CHANGED, actor=actor, request=request, obj=artifact,
               summary=f"Changed evidence: {artifact.title}", details=details)
    return artifact


@transaction.atomic
def do_share_artifact(artifact: Artifact, *, actor: User, coaches: Iterable[User] = (),
                      request: HttpRequest | None = None) -> Artifact:
    """Share with the owner's school (unless it identifies students) and named coaches.

    Each named coach gets a grant (reason coaching); coaches no longer named lose theirs.
    A named coach sees it while it is shared and she is a coach where the owner works."""
    chosen = list(coaches)
    allowed = set(coaches_for(actor).values_list("pk", flat=True))
    if any(c.pk not in allowed for c in chosen):
        raise EvidenceRefused("You can name only coaches at your school.", field="coaches")
    artifact.shared = True
    artifact.shared_at = timezone.now()
    artifact.save(update_fields=["shared", "shared_at"])
    for gone in grantees_of(artifact).exclude(pk__in=[c.pk for c in chosen]):
        do_withdraw_grants(artifact, actor=actor, grantee=gone, audit=None)
    for coach in chosen:
        do_grant(artifact, actor=actor, grantee=coach, rule=EVIDENCE_GRANTS,
                 reason=GrantReason.COACHING, audit=None)
    names = sorted(c.display_name for c in chosen)
    record(AuditAction.EVIDENCE_SHARED, actor=actor, request=request, obj=artifact,
           summary=f"Shared evidence: {artifact.title}",
           details={"coaches": names, "identifies_students": artifact.identifies_students})
    return artifact


@transaction.atomic
def do_unshare_artifact(artifact: Artifact, *, actor: User,
                        request: HttpRequest | None = None) -> Artifact:
    """Make the artifact private again (named coaches lose it too)."""
    artifact.shared = False
    artifact.shared_at = None
    artifact.save(update_fields=["shared", "shared_at"])
    do_withdraw_grants(artifact, actor=actor, audit=None)
    record(AuditAction.EVIDENCE_UNSHARED, actor=actor, request=request, obj=artifact,
           summary=f"Stopped sharing evidence: {artifact.title}")
    return artifact


def do_delete_artifact(artifact: Artifact, *, actor: User,
                       request: HttpRequest | None = None) -> None:
    """Delete the row (audited) and, once that is committed, its stored file."""
    stored = artifact.file.name if artifact.file else ""
    with transaction.atomic():
        record(AuditAction.DELETION, actor=actor, request=request, obj=artifact,
               summary=f"Deleted evidence: {artifact.title}",
               details={"kind": artifact.kind, "sha256": artifact.sha256,
                        "original_name": artifact.original_name})
        do_withdraw_grants(artifact, actor=actor, audit=None)
        artifact.delete()
        if stored:
            transaction.on_commit(lambda: default_storage.delete(stored))


def note_artifact_viewed(artifact: Artifact, *, request: HttpRequest) -> None:
    """Log that someone other than the owner opened evidence that can identify students."""
    if not artifact.identifies_students or artifact.owner_id == request.user.pk:
        return
    record(AuditAction.STUDENT_DATA_READ, request=request, obj=artifact,
           summary=f"Viewed evidence that can identify students: {artifact.title}",
           details={"owner": artifact.owner.email})
