"""Online-community imports: upload, the background read, coding the sample
(docs/online-communities.md).

A teacher, coach, leader, coordinator or researcher uploads an export of an online
community (posts and comments as JSON, JSON lines or CSV). ``do_start_import`` checks what
can be checked at once (size, type, the first rows), stores the file under a name of our
own and queues ``tasks.read_community_import``; the worker streams the stored file through
``uptake.analysis.community`` (``run_import``), updates ``progress`` and ``rows_read`` every
``PROGRESS_EVERY`` rows, and saves the measures and the coding sample in one transaction
at the end. A file that turns out to be unreadable half way (``ContributionError``) fails
the import with the reader's sentence (file, row, column, what was wrong) and saves
nothing of it: no measures, no sample. Authors never leave the reader except as
pseudonyms salted per import.

Only the owner reads an import (``owned_import``: the same 404 for missing and
forbidden). Every change is in the district's audit log.
"""

from __future__ import annotations

import codecs
import io
import logging
import secrets
import uuid
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.analysis.community import (
    CODEBOOK,
    ContributionError,
    community_measures,
    read_contributions,
)
from uptake.audit.actions import record
from uptake.networks.access import may_import_community, not_found
from uptake.networks.models import CodingItem, CommunityImport
from uptake.rules import Conflict, Invalid, NotAllowed, RowProblem

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
PROGRESS_EVERY = 10_000
# A file this small is read whole at upload, so that a wrong one is refused at once.
WHOLE_CHECK_BYTES = 2 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
# Reading is most of the work; the measures and the save take the rest of the bar.
READING_SHARE = 0.95
CODES = {code.key: code for code in CODEBOOK}
# Periods split each calendar year (uptake.analysis.community), so they divide it.
PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)

NOT_QUEUED = ("Uptake could not hand this file to its background worker. Nothing was "
              "read. Try again; if this happens again, tell whoever runs Uptake.")
BROKE = ("Something went wrong inside Uptake while reading this file; nothing of it was "
         "saved. Try again; if this happens again, tell whoever runs Uptake.")
WORKER_LOST = ("Uptake's background worker stopped while reading this file (it was "
               "restarted, or ran out of memory). Nothing of it was saved. Try again; if "
               "this happens again, tell whoever runs Uptake.")


def max_bytes() -> int:
    """The largest export accepted (``COMMUNITY_IMPORT_MAX_BYTES``, 500 MiB unless set)."""
    return int(getattr(settings, "COMMUNITY_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# ------------------------------------------------------------------------ reading

def owned_import(user: User, import_id: int) -> CommunityImport:
    """Her import, or the same 404 as a missing one (another person's, or she may no
    longer import communities: a revoked role or a deactivated account)."""
    if not may_import_community(user):
        raise not_found("No such import.")
    found = CommunityImport.objects.filter(pk=import_id, owner=user,
                                           district_id=district_id_of(user)).first()
    if found is None:
        raise not_found("No such import.")
    return found


def imports_of(user: User) -> list[CommunityImport]:
    if not may_import_community(user):
        return []
    return list(CommunityImport.objects.filter(owner=user, district_id=district_id_of(user)))


# ------------------------------------------------------------------------ upload

def _check_name(name: str) -> None:
    if not name.lower().endswith(SUFFIXES):
        raise Invalid(f"{name}: Uptake reads an export as JSON (.json), JSON lines (.jsonl, "
                      ".ndjson) or CSV (.csv), not a "
                      f"{PurePath(name).suffix or 'file without a suffix'}.", field="file")


def _check_bytes(uploaded: Any, name: str) -> None:
    """Size, emptiness, binary content and UTF-8 of the first bytes; a small file whole."""
    size = int(getattr(uploaded, "size", 0) or 0)
    if size > max_bytes():
        raise Invalid(f"{name} is {size:,} bytes; the most Uptake accepts is {max_bytes():,} "
                      "(COMMUNITY_IMPORT_MAX_BYTES). Split the export by period and import "
                      "each part.", field="file")
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if not head.strip():
        raise Invalid(f"{name} is empty: there is nothing to import.", field="file")
    if b"\x00" in head:
        raise Invalid(f"{name} is not a text file (JSON or CSV); was it a spreadsheet or a "
                      "zip? Export as JSON or CSV.", field="file")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise Invalid(f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                      "save or export it as UTF-8.", field="file") from exc
    if size <= WHOLE_CHECK_BYTES:
        # A small file is read whole at once (a copy: the reader may close what it reads);
        # a larger one is read in the background, which fails it with the same sentence.
        _check_rows(io.BytesIO(uploaded.read()), name)
        uploaded.seek(0)


def _check_rows(copy: io.BytesIO, name: str) -> None:
    try:
        for _ in read_contributions(copy, file_name=name):
            pass
    except ContributionError as exc:
        raise Invalid(str(exc), field="file",
                      rows=[RowProblem(exc.row or None, exc.column, str(exc))]) from exc


def _period(period_months: int) -> int:
    if period_months not in PERIOD_MONTHS:
        raise Invalid("A period divides the year: 1, 2, 3, 4, 6 or 12 months.",
                      field="period_months")
    return period_months


def do_start_import(owner: User, uploaded: Any, *, name: str, period_months: int = 6,
                    file_name: str = "", request: Any = None) -> CommunityImport:
    """Store the export and queue its read; refuse at once what cannot be read.

    ``uploaded`` is a Django ``UploadedFile`` (or any binary file with ``size``). The
    import row and its file are saved together (a row that is rolled back takes its file
    with it); the task is queued once they commit.
    """
    if not may_import_community(owner):
        raise NotAllowed("You may not import an online community.")
    label = (file_name or PurePath(getattr(uploaded, "name", "") or "export").name)[:255]
    name = name.strip()
    if not name:
        raise Invalid("Name the community (for example r/Teachers).", field="name")
    _check_name(label)
    _check_bytes(uploaded, label)
    ci = CommunityImport(district_id=district_id_of(owner), owner=owner, name=name[:200],
                         file_name=label, period_months=_period(period_months),
                         salt=secrets.token_hex(16))
    # Our own name for the stored file: never the uploader's, which may name the community.
    ci.upload.save(f"{uuid.uuid4().hex}.export", File(uploaded), save=False)
    try:
        with transaction.atomic():
            ci.save()
            record("community_imported", actor=owner, request=request, obj=ci,
                   summary=f"Uploaded an export of {ci.name} to import ({label})",
                   details={"file": label, "bytes": int(getattr(uploaded, "size", 0) or 0),
                            "period_months": ci.period_months})
            import_id = ci.pk
            transaction.on_commit(lambda: _enqueue(import_id))
    except BaseException:
        ci.upload.delete(save=False)
        raise
    return ci


def _enqueue(import_id: int) -> None:
    from uptake.networks.tasks import read_community_import

    try:
        read_community_import.enqueue(import_id)
    except Exception:
        logger.exception("Could not queue community import %s", import_id)
        _mark_failed(import_id, NOT_QUEUED, keep_file=True)


@transaction.atomic
def do_retry_import(ci: CommunityImport, *, actor: User, request: Any = None
                    ) -> CommunityImport:
    """Read a failed import's file again from the start (a worker lost, a server error).

    A file the reader refused was deleted with its failure: that one is uploaded again."""
    ci = CommunityImport.objects.select_for_update().get(pk=ci.pk)
    if ci.status != CommunityImport.Status.FAILED:
        raise Conflict("Only a failed import can be read again.")
    if not ci.upload:
        raise Conflict("This file was refused and is no longer kept: upload a corrected "
                       "export.")
    ci.status, ci.progress, ci.rows_read, ci.error = CommunityImport.Status.QUEUED, 0.0, 0, ""
    ci.save(update_fields=["status", "progress", "rows_read", "error"])
    record("community_imported", actor=actor, request=request, obj=ci,
           summary=f"Asked to read the export of {ci.name} again ({ci.file_name})")
    transaction.on_commit(lambda: _enqueue(ci.pk))
    return ci


@transaction.atomic
def do_delete_import(ci: CommunityImport, *, actor: User, request: Any = None) -> None:
    """Delete the import, its measures, its sample and codes, and its stored file."""
    ci = CommunityImport.objects.select_for_update().get(pk=ci.pk)
    stored = ci.upload.name if ci.upload else ""
    record("community_deleted", actor=actor, request=request, obj=ci,
           summary=f"Deleted the import of {ci.name} ({ci.file_name})",
           details={"status": ci.status, "contributions": ci.contributions})
    ci.delete()
    if stored:
        storage = ci.upload.storage
        transaction.on_commit(lambda: storage.delete(stored))


# ------------------------------------------------------------------------ the read

class _Gone(Exception):
    """The import was deleted while it was being read."""


def _claim(import_id: int) -> bool:
    """Queued -> running, unless someone else (or a deletion) came first."""
    return CommunityImport.objects.filter(
        pk=import_id, status=CommunityImport.Status.QUEUED).update(
        status=CommunityImport.Status.RUNNING, progress=0.0, rows_read=0, error="") == 1


def _reporter(import_id: int, stream: Any, size: int) -> Callable[[int], None]:
    """What ``community_measures`` calls with the rows read: the bar moves every
    ``PROGRESS_EVERY`` rows, by how much of the file is behind us."""
    last = [0]

    def report(rows: int) -> None:
        if rows - last[0] < PROGRESS_EVERY:
            return
        last[0] = rows
        try:
            done = stream.tell() / size if size else 0.0
        except (OSError, ValueError, AttributeError):
            done = 0.0
        if not CommunityImport.objects.filter(pk=import_id).update(
                rows_read=rows, progress=round(min(done, 1.0) * READING_SHARE, 4)):
            raise _Gone

    return report


def run_import(import_id: int) -> CommunityImport | None:
    """The background read of a queued import (``tasks.read_community_import``).

    Returns the import afterwards, or None when it was not waiting (already taken, or
    deleted). A ``ContributionError`` fails it with the reader's sentence and drops its
    file; any other error fails it with a general sentence, keeps the file to try again,
    and is raised again for the worker's log.
    """
    if not _claim(import_id):
        return None
    ci = CommunityImport.objects.get(pk=import_id)
    try:
        with ci.upload.open("rb") as stored:
            stream: Any = getattr(stored, "file", stored)
            result = community_measures(
                read_contributions(stream, file_name=ci.file_name),
                period_months=ci.period_months, salt=ci.salt,
                progress=_reporter(ci.pk, stream, ci.upload.size))
        return _save_result(ci.pk, result)
    except _Gone:
        return None
    except ContributionError as exc:
        _mark_failed(ci.pk, str(exc), keep_file=False)
        return CommunityImport.objects.filter(pk=ci.pk).first()
    except BaseException:
        _mark_failed(ci.pk, BROKE, keep_file=True)
        raise


def _save_result(import_id: int, result: Any) -> CommunityImport | None:
    """The measures and the sample, all at once, and the stored export deleted once that
    is committed; nothing if the import was deleted."""
    with transaction.atomic():
        ci = CommunityImport.objects.select_for_update().filter(pk=import_id).first()
        if ci is None or ci.status != CommunityImport.Status.RUNNING:
            return None
        CodingItem.objects.filter(community_import=ci).delete()
        CodingItem.objects.bulk_create([
            CodingItem(community_import=ci, position=item.position, is_post=item.is_post,
                       pseudonym=item.pseudonym[:40], created=item.created, text=item.text)
            for item in result.sample])
        ci.result = result.as_json()
        ci.contributions, ci.dropped = result.contributions, result.dropped
        ci.status, ci.progress, ci.error = CommunityImport.Status.DONE, 1.0, ""
        ci.rows_read = max(ci.rows_read, result.contributions + result.dropped)
        ci.finished_at = timezone.now()
        # Read: the export (other people's usernames) goes once the measures are saved;
        # only a failed read keeps its file, to be read again.
        stored, storage = (ci.upload.name, ci.upload.storage) if ci.upload else ("", None)
        ci.upload = ""
        ci.save()
        if stored and storage is not None:
            transaction.on_commit(lambda: storage.delete(stored))
        record("community_imported", actor=ci.owner, district=ci.district, obj=ci,
               summary=f"Imported {ci.name}: {ci.contributions:,} contributions "
                       f"({ci.dropped:,} deleted or removed left out), "
                       f"{len(result.sample)} drawn to code",
               details={"contributions": ci.contributions, "dropped": ci.dropped,
                        "periods": len(result.periods), "sample": len(result.sample)})
    return ci


def _mark_failed(import_id: int, message: str, *, keep_file: bool) -> None:
    """Failed with a sentence for her; no measures and no sample survive it."""
    try:
        with transaction.atomic():
            ci = CommunityImport.objects.select_for_update().filter(pk=import_id).first()
            if ci is None:
                return
            CodingItem.objects.filter(community_import=ci).delete()
            if not keep_file and ci.upload:
                ci.upload.delete(save=False)  # other people's posts, never to be read
            ci.status, ci.error, ci.result = CommunityImport.Status.FAILED, message, {}
            ci.finished_at = timezone.now()
            ci.save(update_fields=["status", "error", "result", "upload", "finished_at"])
    except Exception:
        # The database may be what broke; the original error is what matters.
        logger.exception("Could not mark community import %s as failed", import_id)


def worker_lost(import_id: int) -> None:
    """Its worker died mid-read: failed, the file kept to read again."""
    _mark_failed(import_id, WORKER_LOST, keep_file=True)


# ------------------------------------------------------------------------ coding

@transaction.atomic
def do_code_item(item: CodingItem, *, actor: User, code: str, note: str = "",
                 request: Any = None) -> CodingItem:
    """Give a sample item a code of the codebook (or "" to take its code back) and a note.

    The codebook has codes for posts and codes for responses (comments); an item takes
    one of its own kind."""
    ci = item.community_import
    if ci.owner_id != actor.pk or not may_import_community(actor):
        raise not_found("No such item.")
    kind = "post" if item.is_post else "response"
    if code and (code not in CODES or CODES[code].applies_to != kind):
        fitting = ", ".join(key for key, c in CODES.items() if c.applies_to == kind)
        raise Invalid(f"“{code[:40]}” is not a code of the codebook for a {kind}; choose one "
                      f"of {fitting}.", field="code")
    if len(note) > 300:
        raise Invalid("A note is at most 300 characters.", field="note")
    item.code, item.note = code, note.strip()
    item.coded_at = timezone.now() if code else None
    item.save(update_fields=["code", "note", "coded_at"])
    record("community_coded", actor=actor, request=request, obj=ci,
           summary=f"Coded item {item.position} of {ci.name}: "
                   f"{CODES[code].label if code else 'code taken back'}",
           details={"position": item.position, "code": code})
    return item


def record_download(ci: CommunityImport, *, actor: User, what: str, request: Any = None
                    ) -> None:
    record("community_downloaded", actor=actor, request=request, obj=ci,
           summary=f"Downloaded the measures of {ci.name} ({what})",
           details={"format": what, "periods": len(ci.result.get("periods", []))})
