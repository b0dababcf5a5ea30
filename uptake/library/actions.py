"""Library writes (the one write path): share, change, publish, unpublish and delete a
practice; link and unlink an inquiry that tried it. Each checks who may, refuses bad input
with a message for its field (a ``LibraryRefused``) and nothing half-saved, and records an
audit event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from uptake.accounts.access import district_id_of
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.evidence.actions import is_web_address
from uptake.library import access
from uptake.library.models import (
    CODE_MAX,
    CODES_MAX,
    GRADE_LABELS,
    LINKS_MAX,
    NOTE_MAX,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    Practice,
    PracticeLink,
    Trial,
    joined,
)
from uptake.rules import Conflict, Invalid, NotAllowed, RowProblem

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User
    from uptake.evidence.models import Artifact
    from uptake.inquiry.models import Inquiry
    from uptake.learning.models import FrameworkElement

# Audit kinds (registered in apps.py).
SHARED = "practice_shared"
CHANGED = "practice_changed"
PUBLISHED = "practice_published"
UNPUBLISHED = "practice_unpublished"
TRIED = "practice_tried"
UNTRIED = "practice_trial_removed"
AUDIT_KINDS = ((SHARED, "Practice shared (draft)"), (CHANGED, "Practice changed"),
               (PUBLISHED, "Practice published to the district"),
               (UNPUBLISHED, "Practice unpublished"),
               (TRIED, "Inquiry linked to a practice it tried"),
               (UNTRIED, "Inquiry unlinked from a practice"))

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
# "K", "3", "03", "KG", "Grade 3" all name a roster grade code.
_GRADE_WORDS = {"K": "KG", "KINDERGARTEN": "KG", "PRE-K": "PK", "PREK": "PK"}


class LibraryRefused(Invalid):
    """Input that cannot become (part of) a practice; ``field`` names the field at fault."""


@dataclass
class PracticeFields:
    title: str
    overview: str = ""
    steps: str = ""
    materials: str = ""
    lessons_learned: str = ""
    suggested_revisions: str = ""
    grades: list[str] = field(default_factory=list)
    subject: str = ""
    focus: str = ""
    elements: list[FrameworkElement] = field(default_factory=list)
    standard_codes: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    source_inquiry: Inquiry | None = None
    artifacts: list[Artifact] = field(default_factory=list)


# ------------------------------------------------------------------------ parsing input

def grade_code(value: str) -> str | None:
    """The roster's code for a grade as people write it, or None."""
    text = value.strip().upper().removeprefix("GRADE").strip()
    text = _GRADE_WORDS.get(text, text)
    if text.isdigit() and len(text) <= 2:
        text = f"{int(text):02d}"
    return text if text in GRADE_LABELS else None


def check_grades(values: list[str]) -> list[str]:
    codes = []
    for value in values:
        code = grade_code(value)
        if code is None:
            raise LibraryRefused(f"“{value[:20]}” is not a grade: use K, 1 to 12 or Pre-K.",
                                 field="grades")
        codes.append(code)
    order = list(GRADE_LABELS)
    return sorted(set(codes), key=order.index)


def split_codes(text: str) -> list[str]:
    """Standard codes typed one per line or separated by commas or spaces."""
    return [c for c in re.split(r"[\s,;]+", text) if c]


def check_codes(values: list[str]) -> list[str]:
    codes: list[str] = []
    for value in values:
        code = value.strip().upper()
        if not code:
            continue
        if len(code) > CODE_MAX or not CODE.match(code):
            raise LibraryRefused(
                f"“{value[:CODE_MAX]}” is not a standard code: use letters, digits, dots and "
                f"dashes, at most {CODE_MAX} characters (for example "
                "CCSS.MATH.CONTENT.4.NF.A.1).", field="standard_codes")
        if code not in codes:
            codes.append(code)
    if len(codes) > CODES_MAX:
        raise LibraryRefused(f"Give at most {CODES_MAX} standard codes.",
                             field="standard_codes")
    return codes


def check_url(url: str) -> str | None:
    """The address, or None when it is not an http(s) address of a site."""
    url = url.strip()
    if len(url) > URL_MAX or not is_web_address(url) or any(c.isspace() for c in url):
        return None
    return url


def parse_link_lines(text: str) -> list[tuple[str, str]]:
    """The form's links, one a line: a title, then the address (the last word). Every
    line at fault is named (``rows``), and none is kept when any is."""
    links, problems = [], []
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    for number, line in lines:
        if not line:
            continue
        title, _, url = line.rpartition(" ")
        title = title.strip(" -:|\u2013\u2014") or url
        if check_url(url) is None:
            problems.append(RowProblem(number, "address", (
                f"Line {number}: end the line with the address, starting with http:// or "
                "https:// (for example Talk moves poster https://example.org/poster.pdf).")))
        else:
            links.append((title, url))
    if problems:
        raise LibraryRefused(" ".join(p.message for p in problems), field="links",
                             rows=problems)
    return links


def check_links(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(links) > LINKS_MAX:
        raise LibraryRefused(f"Give at most {LINKS_MAX} links.", field="links")
    problems, kept = [], []
    for number, (title, url) in enumerate(links, start=1):
        checked = check_url(url)
        if checked is None:
            problems.append(RowProblem(number, "url", (
                f"Link {number}: the address must start with http:// or https:// and name a "
                f"site, at most {URL_MAX} characters.")))
            continue
        title = title.strip()
        if not title or len(title) > TITLE_MAX:
            problems.append(RowProblem(number, "title", (
                f"Link {number}: give it a title of at most {TITLE_MAX} characters.")))
            continue
        kept.append((title, checked))
    if problems:
        raise LibraryRefused(" ".join(p.message for p in problems), field="links",
                             rows=problems)
    return kept


# ------------------------------------------------------------------------ practices

_TEXTS = ("overview", "steps", "materials", "lessons_learned", "suggested_revisions")
_LABELS = {"overview": "The overview", "steps": "The lesson plan or steps",
           "materials": "The materials", "lessons_learned": "Lessons learned",
           "suggested_revisions": "Suggested revisions"}


def _check(author: User, fields: PracticeFields, *, kept: Practice | None = None
           ) -> dict[str, Any]:
    """Everything the practice will hold, checked; raise LibraryRefused naming the field."""
    title = fields.title.strip()
    if not title:
        raise LibraryRefused("Give the practice a title.", field="title")
    if len(title) > TITLE_MAX:
        raise LibraryRefused(f"Keep the title to {TITLE_MAX} characters.", field="title")
    values: dict[str, Any] = {"title": title}
    for name in _TEXTS:
        text = getattr(fields, name).strip()
        if len(text) > TEXT_MAX:
            raise LibraryRefused(f"{_LABELS[name]} is too long: keep it to {TEXT_MAX:,} "
                                 "characters.", field=name)
        values[name] = text
    for name in ("subject", "focus"):
        text = " ".join(getattr(fields, name).split())
        if len(text) > SHORT_MAX:
            raise LibraryRefused(f"Keep the {name} to {SHORT_MAX} characters.", field=name)
        values[name] = text
    values["grades"] = joined(check_grades(fields.grades))
    values["standard_codes"] = joined(check_codes(fields.standard_codes))
    district_id = author.district_id
    if any(e.framework.district_id != district_id for e in fields.elements):
        raise LibraryRefused("Choose standards of your district's frameworks.",
                             field="elements")
    inquiry = fields.source_inquiry
    if inquiry is not None and inquiry.pk != (kept.source_inquiry_id if kept else None) \
            and not access.inquiries_to_try_with(author).filter(pk=inquiry.pk).exists():
        raise LibraryRefused("Choose one of your inquiries.", field="source_inquiry")
    values["source_inquiry"] = inquiry
    allowed = set(access.attachable_artifacts(author).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in fields.artifacts):
        raise LibraryRefused("Attach only your own evidence that does not identify students: "
                             "the whole district reads a practice.", field="artifacts")
    return values


def _write_related(practice: Practice, fields: PracticeFields,
                   links: list[tuple[str, str]]) -> None:
    practice.elements.set(fields.elements)
    practice.artifacts.set(fields.artifacts)
    practice.links.all().delete()
    PracticeLink.objects.bulk_create(
        PracticeLink(practice=practice, position=n, title=t, url=u)
        for n, (t, u) in enumerate(links, start=1))


def _summary(practice: Practice) -> dict[str, Any]:
    return {"grades": practice.grade_list, "subject": practice.subject,
            "focus": practice.focus, "standards": practice.code_list,
            "elements": sorted(practice.elements.values_list("code", flat=True)),
            "links": practice.links.count(), "artifacts": practice.artifacts.count(),
            "source_inquiry": practice.source_inquiry_id}


def _require_author(actor: User) -> None:
    if not access.may_use_library(actor) or not actor.has_role(*access.AUTHORS):
        raise NotAllowed("Only teachers share practices in the library.")


def do_create_practice(author: User, fields: PracticeFields, *, publish: bool = False,
                       request: HttpRequest | None = None) -> Practice:
    """Save a new practice as her draft (published at once when ``publish``)."""
    _require_author(author)
    values = _check(author, fields)
    links = check_links(fields.links)
    with transaction.atomic():
        practice = Practice.objects.create(district_id=district_id_of(author),
                                           author=author, **values)
        _write_related(practice, fields, links)
        record(SHARED, actor=author, request=request, obj=practice,
               summary=f"Shared a practice (draft): {practice.title}",
               details=_summary(practice))
        if publish:
            do_publish_practice(practice, actor=author, request=request)
    return practice


def do_update_practice(practice: Practice, *, actor: User, fields: PracticeFields,
                       request: HttpRequest | None = None) -> Practice:
    if practice.author_id != actor.pk or not access.may_edit_practice(actor, practice):
        raise NotAllowed("Only the teacher who shared this practice changes it.")
    values = _check(actor, fields, kept=practice)
    links = check_links(fields.links)
    with transaction.atomic():
        old = {name: getattr(practice, name) for name in values}
        for name, value in values.items():
            setattr(practice, name, value)
        practice.updated_at = timezone.now()
        practice.save()
        _write_related(practice, fields, links)
        changed = [n for n in values if getattr(practice, n) != old[n]]
        record(CHANGED, actor=actor, request=request, obj=practice,
               summary=f"Changed a practice: {practice.title}",
               details={"changed": changed, **_summary(practice)})
    return practice


@transaction.atomic
def do_publish_practice(practice: Practice, *, actor: User,
                        request: HttpRequest | None = None) -> Practice:
    """Show the practice to everyone in the district."""
    if practice.author_id != actor.pk or not access.may_edit_practice(actor, practice):
        raise NotAllowed("Only the teacher who shared this practice publishes it.")
    if practice.is_published:
        return practice
    if not (practice.overview.strip() or practice.steps.strip()):
        raise Conflict("Say what the practice is (the overview) or how to do it (the steps) "
                       "before publishing it: a colleague needs enough to try it.",
                       field="overview")
    practice.status = Practice.Status.PUBLISHED
    practice.published_at = practice.updated_at = timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    record(PUBLISHED, actor=actor, request=request, obj=practice,
           summary=f"Published a practice to the district: {practice.title}")
    return practice


@transaction.atomic
def do_unpublish_practice(practice: Practice, *, actor: User,
                          request: HttpRequest | None = None) -> Practice:
    """Back to a draft only she sees (the trials stay linked, hidden with it)."""
    if practice.author_id != actor.pk or not access.may_edit_practice(actor, practice):
        raise NotAllowed("Only the teacher who shared this practice unpublishes it.")
    if not practice.is_published:
        return practice
    practice.status = Practice.Status.DRAFT
    practice.updated_at = timezone.now()
    practice.save(update_fields=["status", "updated_at"])
    record(UNPUBLISHED, actor=actor, request=request, obj=practice,
           summary=f"Unpublished a practice: {practice.title}")
    return practice


@transaction.atomic
def do_delete_practice(practice: Practice, *, actor: User,
                       request: HttpRequest | None = None) -> None:
    if practice.author_id != actor.pk or not access.may_edit_practice(actor, practice):
        raise NotAllowed("Only the teacher who shared this practice deletes it.")
    record(AuditAction.DELETION, actor=actor, request=request, obj=practice,
           summary=f"Deleted a practice: {practice.title}",
           details={"trials": practice.trials.count(), "status": practice.status})
    practice.delete()


# ------------------------------------------------------------------------ trials

def do_add_trial(practice: Practice, *, actor: User, inquiry: Inquiry, note: str = "",
                 request: HttpRequest | None = None) -> Trial:
    """"I tried this": link one of her own inquiries to a practice she may see."""
    if not access.practices_visible_to(actor).filter(pk=practice.pk).exists():
        raise NotAllowed("You cannot see this practice.")
    if not practice.is_published:
        raise Conflict("Only a published practice can be tried: publish it first.")
    if not access.inquiries_to_try_with(actor).filter(pk=inquiry.pk).exists():
        raise LibraryRefused("Choose one of your own inquiries.", field="inquiry")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise LibraryRefused(f"Keep the note to {NOTE_MAX:,} characters.", field="note")
    if Trial.objects.filter(practice=practice, inquiry=inquiry).exists():
        raise Conflict(f"“{inquiry.title}” is already linked to this practice.",
                       field="inquiry")
    try:
        with transaction.atomic():
            trial = Trial.objects.create(practice=practice, inquiry=inquiry, added_by=actor,
                                         note=note)
            record(TRIED, actor=actor, request=request, obj=practice,
                   summary=f"Linked “{inquiry.title}” to the practice “{practice.title}”",
                   details={"inquiry": inquiry.pk, "trial": trial.pk})
    except IntegrityError:  # the same link, made at the same moment
        raise Conflict(f"“{inquiry.title}” is already linked to this practice.",
                       field="inquiry") from None
    return trial


@transaction.atomic
def do_remove_trial(trial: Trial, *, actor: User, request: HttpRequest | None = None) -> None:
    if not access.inquiries_to_try_with(actor).filter(pk=trial.inquiry_id).exists():
        raise NotAllowed("Only a teacher who may edit the inquiry unlinks it.")
    record(UNTRIED, actor=actor, request=request, obj=trial.practice,
           summary=f"Unlinked “{trial.inquiry.title}” from the practice "
                   f"“{trial.practice.title}”",
           details={"inquiry": trial.inquiry_id})
    trial.delete()
