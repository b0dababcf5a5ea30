"""The knowledge-mobilisation log: record, edit and delete a change.

Who records: a teacher or coach for her own school(s), a school leader for hers, a
coordinator for any school of the district or the whole district. Who edits or deletes:
the recorder, or a coordinator of the district. Every change is in the audit log
(``change_recorded``, ``change_edited``, ``change_deleted``).

The source is exactly one of: one of the recorder's own learning sources, a published
practice of the district's library, a program of the district she may see, an external
contact of the district, a colleague (then the chain's first step names her), or only a
note. ``source_kind`` defaults from the source and may be chosen. The chain is an ordered
list of steps, each a person of the district or an external contact and what they did.
The counterfactual question is answered every time. Nothing is half-saved: a refusal
leaves the log as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from uptake.accounts.models import School, User
from uptake.audit.actions import record
from uptake.learning.models import LearningSource
from uptake.library.models import Practice
from uptake.networks import queries_changes as q
from uptake.networks.access import may_record_changes
from uptake.networks.models import Change, ChangeStep, Contact
from uptake.networks.queries import NODE_ROLES, contacts_for
from uptake.programs.access import visible_programs
from uptake.programs.models import Program
from uptake.rules import Invalid, NotAllowed, RowProblem

if TYPE_CHECKING:
    from django.http import HttpRequest

SOURCES = ("learning_source", "practice", "program", "contact", "colleague", "note")
SOURCE_LABELS = {
    "learning_source": "One of my learning sources",
    "practice": "A practice of the library",
    "program": "A program of the district",
    "contact": "Someone outside the district (a contact)",
    "colleague": "A colleague (the chain's first step names her)",
    "note": "Something else (say what in the note)",
}
MAX_STEPS = 12
MAX_TEXT = 5000
EARLIEST = datetime.date(1990, 1, 1)
# A learning source's kind -> the report's kind of source.
LEARNING_SOURCE_KINDS = {
    "network_thread": "social_media", "course": "course", "conference": "course",
    "webinar": "course", "colleague_visit": "colleagues", "book": "other",
    "article": "other",
}
PROGRAM_KINDS = {"coaching": "coaching", "mentoring": "coaching", "plc": "colleagues",
                 "book_study": "colleagues"}


@dataclass(frozen=True)
class StepData:
    """One link of the chain: a person of the district or an external contact, and what
    they did."""

    person_id: int | None = None
    contact_id: int | None = None
    did: str = ""


@dataclass(frozen=True)
class ChangeData:
    """What a change says (the form's and the API's fields). ``source`` names which of
    the sources it is (``SOURCES``) and ``source_id`` which one; ``source_kind`` blank
    takes the source's default."""

    title: str
    kind: str
    depth: str
    happened_on: datetime.date
    counterfactual: str
    school_id: int | None = None
    description: str = ""
    source: str = "note"
    source_id: int | None = None
    source_kind: str = ""
    source_note: str = ""
    evidence: str = ""
    evidence_link: str = ""
    steps: Sequence[StepData] = field(default_factory=tuple)


@dataclass
class _Clean:
    school: School | None
    source_kind: str
    learning_source: LearningSource | None = None
    practice: Practice | None = None
    program: Program | None = None
    contact: Contact | None = None
    steps: list[tuple[int, User | None, Contact | None, str]] = field(default_factory=list)


def source_of(change: Change) -> tuple[str, int | None]:
    """Which source a saved change names (``SOURCES``) and its id."""
    for name in ("learning_source", "practice", "program", "contact"):
        value = getattr(change, f"{name}_id")
        if value is not None:
            return name, value
    if change.source_kind == Change.SourceKind.COLLEAGUES:
        return "colleague", None
    return "note", None


def _recorder(actor: User) -> None:
    if not may_record_changes(actor):
        raise NotAllowed("Teachers, coaches, school leaders and coordinators of the district "
                         "record changes.")


def _editor(actor: User, change: Change) -> None:
    if not q.may_edit_change(actor, change):
        raise NotAllowed("Only the person who recorded this change, or a coordinator, "
                         "changes or deletes it.")


def _text(value: str, limit: int, field_name: str, what: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise Invalid(f"{what} is at most {limit} characters (it has {len(text)}).",
                      field=field_name)
    return text


def _school(actor: User, data: ChangeData, before: Change | None) -> School | None:
    if data.school_id is None:
        if q.may_record_district_wide(actor) or (before is not None
                                                 and before.school_id is None):
            return None
        raise Invalid("Choose the school that made the change.", field="school_id")
    if before is not None and before.school_id == data.school_id:
        return before.school
    allowed = {s.pk: s for s in q.recordable_schools(actor)}
    if data.school_id not in allowed:
        raise NotAllowed("You record changes only for your own schools: those you work in "
                         "or lead (a coordinator: any school of the district).")
    return allowed[data.school_id]


def _source(actor: User, data: ChangeData, before: Change | None, owner: User,
            clean: _Clean) -> str:
    """Fill the source into ``clean``; return its default kind of source."""
    district_id = actor.district_id or 0
    kept = before is not None and source_of(before) == (data.source, data.source_id)
    if data.source not in SOURCES:
        raise Invalid("Choose where the knowledge came from.", field="source")
    if data.source in ("colleague", "note"):
        if data.source_id is not None:
            raise Invalid("A colleague or a note names no source record: leave its id "
                          "empty.", field="source_id")
        return "colleagues" if data.source == "colleague" else "other"
    if data.source_id is None:
        raise Invalid(f"Choose which one: {SOURCE_LABELS[data.source].lower()}.",
                      field="source_id")
    if data.source == "learning_source":
        source = LearningSource.objects.filter(pk=data.source_id, owner=owner,
                                               district_id=district_id).first()
        if source is None:
            raise Invalid("Choose one of your own learning sources.", field="source_id")
        clean.learning_source = source
        return LEARNING_SOURCE_KINDS.get(source.kind, "other")
    if data.source == "practice":
        practice = Practice.objects.filter(pk=data.source_id, district_id=district_id,
                                           status=Practice.Status.PUBLISHED).first()
        if practice is None:
            raise Invalid("Choose a published practice of your district's library.",
                          field="source_id")
        clean.practice = practice
        return "library"
    if data.source == "program":
        programs = Program.objects.filter(district_id=district_id) if kept \
            else visible_programs(actor)
        program = programs.filter(pk=data.source_id).first()
        if program is None:
            raise Invalid("Choose a program of your district that you can see.",
                          field="source_id")
        clean.program = program
        return PROGRAM_KINDS.get(program.kind, "course")
    contact = _offered_contacts(actor, before).filter(pk=data.source_id).first()
    if contact is None:
        raise Invalid("Choose a contact of your district's network.", field="source_id")
    clean.contact = contact
    return "other" if contact.kind == Contact.Kind.ORGANISATION else "social_media"


def _offered_contacts(actor: User, before: Change | None) -> QuerySet[Contact]:
    """The contacts she may name (``queries.contacts_for``), and those the change being
    edited already names."""
    offered = Q(pk__in=contacts_for(actor).values("pk"))
    if before is not None:
        offered |= Q(pk__in=before.steps.filter(contact__isnull=False).values("contact_id"))
        if before.contact_id is not None:
            offered |= Q(pk=before.contact_id)
    return Contact.objects.filter(offered, district_id=actor.district_id or 0)


def _steps(actor: User, data: ChangeData, before: Change | None = None
           ) -> list[tuple[int, User | None, Contact | None, str]]:
    district_id = actor.district_id or 0
    steps = list(data.steps)
    if len(steps) > MAX_STEPS:
        raise Invalid(f"A chain has at most {MAX_STEPS} steps (this one has {len(steps)}).",
                      field="steps")
    person_ids = {s.person_id for s in steps if s.person_id is not None}
    contact_ids = {s.contact_id for s in steps if s.contact_id is not None}
    # Only an active holder of a node role of her district: anyone else (another
    # district's, a researcher, a deactivated person, an id that does not exist) gets
    # the same answer, so the chain cannot probe the directory.
    people = {p.pk: p for p in User.objects.people().filter(
        pk__in=person_ids, district_id=district_id, is_active=True,
        roles__role__in=NODE_ROLES).distinct()}
    contacts = {c.pk: c for c in _offered_contacts(actor, before).filter(
        pk__in=contact_ids)}
    problems: list[RowProblem] = []
    out = []
    for n, step in enumerate(steps, start=1):
        did = (step.did or "").strip()
        if (step.person_id is None) == (step.contact_id is None):
            problems.append(RowProblem(n, "person", "Name one carrier: a person of the "
                                                    "district or an outside contact, not "
                                                    "both, not neither."))
            continue
        if step.person_id is not None and step.person_id not in people:
            problems.append(RowProblem(n, "person", "Choose a person of your district."))
            continue
        if step.contact_id is not None and step.contact_id not in contacts:
            problems.append(RowProblem(n, "contact", "Choose a contact of your district's "
                                                     "network."))
            continue
        if not did:
            problems.append(RowProblem(n, "did", "Say what they did (\u201cshared it at the "
                                                 "PLC\u201d)."))
            continue
        if len(did) > 200:
            problems.append(RowProblem(n, "did", f"What they did is at most 200 characters "
                                                 f"(it has {len(did)})."))
            continue
        out.append((n, people.get(step.person_id or 0), contacts.get(step.contact_id or 0),
                    did))
    if problems:
        first = problems[0]
        raise Invalid(f"Step {first.row} of the chain: {first.message}"
                      + (f" ({len(problems) - 1} more step"
                         f"{'s' if len(problems) > 2 else ''} to correct.)"
                         if len(problems) > 1 else ""),
                      field="steps", rows=problems)
    return out


def _checked(actor: User, data: ChangeData, before: Change | None = None) -> tuple[
        ChangeData, _Clean]:
    title = _text(data.title, 200, "title", "The title")
    if not title:
        raise Invalid("Give the change a title: what changed, in a few words.", field="title")
    if data.kind not in Change.Kind.values:
        raise Invalid("Choose the kind of change.", field="kind")
    if data.depth not in Change.Depth.values:
        raise Invalid("Say whether the change is soft (felt better connected, more "
                      "confident) or real (policy, practice or how the school runs).",
                      field="depth")
    if data.counterfactual not in Change.Counterfactual.values:
        raise Invalid("Answer the question \u201cWould this have happened without it?\u201d "
                      "(yes, probably, unsure, probably not or no).", field="counterfactual")
    today = timezone.localdate()
    if not isinstance(data.happened_on, datetime.date) or not (
            EARLIEST <= data.happened_on <= today):
        raise Invalid("Give the date the change happened (no later than today).",
                      field="happened_on")
    if data.source_kind and data.source_kind not in Change.SourceKind.values:
        raise Invalid("Choose the kind of source.", field="source_kind")
    description = _text(data.description, MAX_TEXT, "description", "The description")
    note = _text(data.source_note, 300, "source_note", "The note on the source")
    evidence = _text(data.evidence, MAX_TEXT, "evidence", "The evidence")
    link = _text(data.evidence_link, 500, "evidence_link", "The evidence link")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise Invalid("The evidence link is a web address starting with http:// or "
                          "https://.", field="evidence_link") from None
    school = _school(actor, data, before)
    owner = before.recorded_by if before is not None and before.recorded_by else actor
    clean = _Clean(school=school, source_kind="")
    default = _source(actor, data, before, owner, clean)
    if data.source == "note" and not note:
        raise Invalid("Say in the note where the knowledge came from.", field="source_note")
    clean.steps = _steps(actor, data, before)
    if data.source == "colleague" and (not clean.steps or clean.steps[0][1] is None):
        raise Invalid("When the source is a colleague, the chain's first step names her (a "
                      "person of the district) and what she shared.", field="steps")
    clean.source_kind = data.source_kind or default
    return ChangeData(title=title, kind=data.kind, depth=data.depth,
                      happened_on=data.happened_on, counterfactual=data.counterfactual,
                      school_id=school.pk if school else None, description=description,
                      source=data.source, source_id=data.source_id,
                      source_kind=clean.source_kind, source_note=note, evidence=evidence,
                      evidence_link=link, steps=data.steps), clean


def _fill(change: Change, data: ChangeData, clean: _Clean) -> None:
    change.school = clean.school
    change.kind, change.depth, change.title = data.kind, data.depth, data.title
    change.description, change.happened_on = data.description, data.happened_on
    change.source_kind, change.source_note = clean.source_kind, data.source_note
    change.learning_source, change.practice = clean.learning_source, clean.practice
    change.program, change.contact = clean.program, clean.contact
    change.counterfactual = data.counterfactual
    change.evidence, change.evidence_link = data.evidence, data.evidence_link


def _write_steps(change: Change, clean: _Clean) -> None:
    ChangeStep.objects.filter(change=change).delete()
    ChangeStep.objects.bulk_create([
        ChangeStep(change=change, position=n, person=person, contact=contact, did=did)
        for n, person, contact, did in clean.steps])


def _summary(change: Change) -> str:
    where = change.school.name if change.school else "the district"
    return (f"\u201c{change.title}\u201d at {where} ({change.depth}, "
            f"{change.get_kind_display().lower()}, {len(change.steps.all())} steps)")


def do_record_change(actor: User, data: ChangeData, *, request: HttpRequest | None = None
                     ) -> Change:
    _recorder(actor)
    clean_data, clean = _checked(actor, data)
    with transaction.atomic():
        change = Change(district_id=actor.district_id or 0, recorded_by=actor)
        _fill(change, clean_data, clean)
        change.save()
        _write_steps(change, clean)
        record("change_recorded", actor=actor, request=request, obj=change,
               summary=f"Recorded the change {_summary(change)}",
               details={"counterfactual": change.counterfactual,
                        "source_kind": change.source_kind})
    return change


def do_edit_change(actor: User, change: Change, data: ChangeData, *,
                   request: HttpRequest | None = None) -> Change:
    _editor(actor, change)
    clean_data, clean = _checked(actor, data, before=change)
    before = _summary(change)
    with transaction.atomic():
        _fill(change, clean_data, clean)
        change.updated_at = timezone.now()
        change.save()
        _write_steps(change, clean)
        record("change_edited", actor=actor, request=request, obj=change,
               summary=f"Edited the change {before}: now {_summary(change)}")
    return change


def do_delete_change(actor: User, change: Change, *, request: HttpRequest | None = None
                     ) -> None:
    _editor(actor, change)
    with transaction.atomic():
        record("change_deleted", actor=actor, request=request, obj=change,
               summary=f"Deleted the change {_summary(change)}")
        change.delete()
