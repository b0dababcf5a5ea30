"""Every change to teams, inquiries, cycles, measures and their data happens here.

Each ``do_*`` function is atomic; changes to student data and to who can read an
inquiry are written to the audit log inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from uptake.accounts.actions import GrantAudit, do_grant, do_withdraw_grants
from uptake.accounts.grants import end_of_day, is_eligible
from uptake.accounts.models import GrantReason
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.inquiry.access import INQUIRY_GRANTS
from uptake.inquiry.models import (
    Annotation,
    ClassTotal,
    Cycle,
    DoLogEntry,
    Inquiry,
    Measure,
    Occasion,
    StudentValue,
    Team,
)
from uptake.inquiry.summaries import mark_stale
from uptake.roster.queries import current_students as roster_current_students
from uptake.rules import Invalid, RowProblem, RuleError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import School, User
    from uptake.roster.models import Section, Student

INQUIRY_FIELDS = ("title", "problem_of_practice", "question", "change_idea", "prediction",
                  "status")
MEASURE_FIELDS = ("name", "kind", "scale_min", "scale_max", "likert_labels", "direction",
                  "change_date", "chart")
PLAN_FIELDS = ("plan", "prediction", "data_collection", "start_date", "end_date")
# The largest count a class total holds: PostgreSQL's integer column (SQLite's is larger).
MAX_COUNT = 2_147_483_647
# Values and scales beyond a billion are typing slips, and would overflow the statistics.
MAX_VALUE = 1e9


class InquiryRuleError(RuleError):
    """A change the rules refuse, with a message for the person who asked for it."""


def _district(actor: User) -> int:
    if actor.district_id is None:
        raise InquiryRuleError("Only people in a district can do this.")
    return actor.district_id


# ------------------------------------------------------------------------------ teams


@transaction.atomic
def do_create_team(actor: User, *, name: str, kind: str, school: School | None,
                   members: Iterable[User]) -> Team:
    """A team of the actor's district; the actor is always a member."""
    team = Team.objects.create(district_id=_district(actor), school=school, name=name,
                               kind=kind, created_by=actor)
    people = {m.pk for m in members if m.district_id == actor.district_id} | {actor.pk}
    team.members.set(people)
    return team


# -------------------------------------------------------------------------- inquiries


@transaction.atomic
def do_create_inquiry(actor: User, *, team: Team | None = None, **fields: Any) -> Inquiry:
    """A new inquiry owned by the actor, with its first PDSA cycle (its plan starts from
    the inquiry's change idea and prediction)."""
    if team is not None and not team.members.filter(pk=actor.pk).exists():
        raise InquiryRuleError("You can only start an inquiry for a team you belong to.")
    inquiry = Inquiry.objects.create(
        district_id=_district(actor), owner=actor, team=team,
        **{k: v for k, v in fields.items() if k in INQUIRY_FIELDS})
    Cycle.objects.create(inquiry=inquiry, number=1, plan=inquiry.change_idea,
                         prediction=inquiry.prediction, start_date=timezone.localdate())
    return inquiry


@transaction.atomic
def do_update_inquiry(actor: User, inquiry: Inquiry, *, team: Team | None = None,
                      **fields: Any) -> Inquiry:
    if team is not None and not team.members.filter(pk=inquiry.owner_id).exists():
        raise InquiryRuleError("The inquiry's owner must belong to the team it is shared with.")
    for key, value in fields.items():
        if key in INQUIRY_FIELDS:
            setattr(inquiry, key, value)
    # Read from the database: a ModelForm has already written its data onto the instance.
    was = Inquiry.objects.filter(pk=inquiry.pk).values_list("status", flat=True).first()
    inquiry.team = team
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=[*[k for k in fields if k in INQUIRY_FIELDS], "team",
                                "updated_at"])
    if was is not None and inquiry.status != was:
        _status_event(actor, inquiry, was, None)
        _inquiry_stale(inquiry)
    return inquiry


def _inquiry_stale(inquiry: Inquiry) -> None:
    """Its measures' summaries change with its status (drafts are left out of them)."""
    mark_stale(inquiry.measures.values_list("pk", flat=True))


def _touch(inquiry: Inquiry) -> None:
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=["updated_at"])


def _measure_changed(measure: Measure) -> None:
    """What a verdict rests on changed: its summaries go stale (refreshed after commit)
    and the inquiry was worked on now."""
    mark_stale([measure.pk])
    _touch(measure.inquiry)


def _grant_audit(inquiry: Inquiry) -> GrantAudit:
    return GrantAudit(AuditAction.INQUIRY_SHARED, AuditAction.INQUIRY_UNSHARED,
                      f"Inquiry {inquiry.title!r}")


@transaction.atomic
def do_share_inquiry(actor: User, inquiry: Inquiry, person: User, *, share: bool,
                     until: date | None = None, request: HttpRequest | None = None) -> None:
    """Let a coach or leader where the owner works read the inquiry (or stop letting her).

    Sharing records a grant (``uptake.accounts.grants``): she reads it only while she is
    still a coach or leader at a school where the owner works, and (``until``) through
    that last day."""
    if inquiry.owner_id != actor.pk:
        raise InquiryRuleError("Only the inquiry's owner decides who else reads it.")
    if not share:
        do_withdraw_grants(inquiry, actor=actor, grantee=person, audit=_grant_audit(inquiry),
                           request=request)
        return
    if person.district_id != inquiry.district_id:
        raise InquiryRuleError("You can only share with people in your district.")
    if not is_eligible(person, inquiry.owner, INQUIRY_GRANTS):
        raise InquiryRuleError(f"{person.display_name} is not a coach or school leader at "
                               "your school, so you cannot share this inquiry with them.")
    do_grant(inquiry, actor=actor, grantee=person, rule=INQUIRY_GRANTS,
             reason=GrantReason.COACHING, audit=_grant_audit(inquiry),
             expires_at=end_of_day(until), request=request)


# ----------------------------------------------------------------------------- cycles


@transaction.atomic
def do_update_plan(actor: User, cycle: Cycle, **fields: Any) -> Cycle:
    for key in PLAN_FIELDS:
        if key in fields:
            setattr(cycle, key, fields[key])
    cycle.save(update_fields=[k for k in PLAN_FIELDS if k in fields])
    _touch(cycle.inquiry)
    return cycle


@transaction.atomic
def do_add_log_entry(actor: User, cycle: Cycle, *, when: date, text: str) -> DoLogEntry:
    entry = DoLogEntry.objects.create(cycle=cycle, author=actor, date=when, text=text)
    _touch(cycle.inquiry)
    return entry


@transaction.atomic
def do_save_study_notes(actor: User, cycle: Cycle, *, notes: str) -> Cycle:
    cycle.study_notes = notes
    cycle.save(update_fields=["study_notes"])
    _touch(cycle.inquiry)
    return cycle


@transaction.atomic
def do_decide(actor: User, cycle: Cycle, *, decision: str, reason: str) -> Cycle:
    """Act: adopt, adapt or abandon the change, with the reason."""
    if decision not in Cycle.Decision.values:
        raise InquiryRuleError("Choose adopt, adapt or abandon.")
    if not reason.strip():
        raise InquiryRuleError("Say why: the next cycle starts from this reason.")
    cycle.decision, cycle.decision_reason = decision, reason
    cycle.decided_at = timezone.now()
    if cycle.end_date is None:
        cycle.end_date = timezone.localdate()
    cycle.save(update_fields=["decision", "decision_reason", "decided_at", "end_date"])
    _touch(cycle.inquiry)
    return cycle


@transaction.atomic
def do_start_next_cycle(actor: User, cycle: Cycle) -> Cycle:
    """The next PDSA cycle, starting from the last one's Act decision and plan."""
    inquiry = Inquiry.objects.select_for_update().get(pk=cycle.inquiry_id)
    last = inquiry.cycles.order_by("-number").first()
    if last is None or last.pk != cycle.pk:
        raise InquiryRuleError("Only the latest cycle can be followed by a new one.")
    if not cycle.decision:
        raise InquiryRuleError("Decide first (adopt, adapt or abandon) and say why.")
    if inquiry.status == Inquiry.Status.CLOSED:
        raise InquiryRuleError("This inquiry is closed: reopen it (on the inquiry page) to "
                               "start another cycle.")
    carried = (f"Carried forward from cycle {cycle.number} "
               f"({cycle.get_decision_display().lower()}): {cycle.decision_reason}")
    nxt = Cycle.objects.create(
        inquiry=inquiry, number=cycle.number + 1,
        plan=f"{carried}\n\n{cycle.plan}".strip(), prediction=cycle.prediction,
        data_collection=cycle.data_collection, start_date=timezone.localdate())
    _touch(inquiry)
    return nxt


# ---------------------------------------------------------------------------- measures


def check_measure_fields(fields: Mapping[str, Any]) -> None:
    lo, hi = fields.get("scale_min"), fields.get("scale_max")
    if any(x is not None and not abs(x) <= MAX_VALUE for x in (lo, hi)):
        raise InquiryRuleError(f"A scale runs between {-MAX_VALUE:,.0f} and {MAX_VALUE:,.0f} "
                               "at most.")
    if lo is not None and hi is not None and lo >= hi:
        raise InquiryRuleError("The scale's lowest value must be below its highest.")
    if fields.get("kind") == Measure.Kind.LIKERT and (lo is None or hi is None):
        raise InquiryRuleError("A Likert item needs its scale, for example 1 to 5.")
    if fields.get("chart", Measure.Chart.RUN) not in Measure.Chart.values:
        raise InquiryRuleError("Choose a run chart or an I chart.")
    if fields.get("kind") == Measure.Kind.LIKERT:
        check_likert_labels(lo, hi, fields.get("likert_labels") or "")


def check_likert_labels(lo: float | None, hi: float | None, labels: str) -> None:
    """Labels, when given, name every whole-number point of the scale, lowest first."""
    from uptake.inquiry.models import likert_points

    names = [line.strip() for line in labels.splitlines() if line.strip()]
    if not names or lo is None or hi is None:
        return
    if any(len(name) > 60 for name in names):
        raise InquiryRuleError("Keep each label to 60 characters or fewer.")
    if likert_points(lo, hi, labels):
        return
    if lo != int(lo) or hi != int(hi):
        raise InquiryRuleError("Labels need a scale of whole numbers, for example 1 to 5.")
    want = int(hi) - int(lo) + 1
    raise InquiryRuleError(
        f"There {'is' if len(names) == 1 else 'are'} {len(names)} label"
        f"{'s' * (len(names) != 1)} for a scale from {lo:g} to {hi:g}: give one label per "
        f"point ({want}), lowest first, one per line.")


@transaction.atomic
def do_create_measure(actor: User, inquiry: Inquiry, *, sections: Iterable[Section],
                      comparison: Iterable[Section] = (), **fields: Any) -> Measure:
    """``comparison``: those of ``sections`` that do not try the change yet."""
    check_measure_fields(fields)
    measure = Measure.objects.create(inquiry=inquiry, created_by=actor,
                                     **{k: v for k, v in fields.items() if k in MEASURE_FIELDS})
    chosen = list(sections)
    measure.sections.set(chosen)
    measure.comparison_sections.set([s for s in comparison if s in chosen])
    _measure_changed(measure)
    return measure


@transaction.atomic
def do_update_measure(actor: User, measure: Measure, *, add_sections: Iterable[Section] = (),
                      remove_sections: Iterable[Section] = (),
                      comparison: Iterable[Section] | None = None, **fields: Any) -> Measure:
    """Change a measure. Its kind cannot change once data exists (the data would not fit).

    Each person adds or removes only her own classes; colleagues' classes stay. With
    ``comparison``, her comparison classes become those of ``add_sections`` in it.
    """
    merged = {k: getattr(measure, k) for k in MEASURE_FIELDS} | fields
    check_measure_fields(merged)
    if fields.get("kind", measure.kind) != measure.kind and measure.occasions.exists():
        raise InquiryRuleError("This measure already has data, so its kind cannot change.")
    for key, value in fields.items():
        if key in MEASURE_FIELDS:
            setattr(measure, key, value)
    measure.save(update_fields=[k for k in fields if k in MEASURE_FIELDS] or None)
    added, removed = list(add_sections), list(remove_sections)
    measure.sections.add(*added)
    measure.sections.remove(*removed)
    marked = [s for s in (comparison or ()) if s in added]
    if comparison is not None:
        measure.comparison_sections.remove(*[s for s in added if s not in marked])
    measure.comparison_sections.remove(*removed)
    measure.comparison_sections.add(*marked)
    _measure_changed(measure)
    return measure


# -------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class OccasionData:
    """What one occasion holds: per-student values or a class total."""

    when: date
    label: str = ""
    values: Mapping[int, float | None] | None = None  # student pk -> value (None: missing)
    total: tuple[int, int] | None = None  # (k, n)


def check_value(measure: Measure, value: float | None) -> str | None:
    """A problem with one value for this measure, or None."""
    if value is None:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return "is not a number"
    if abs(value) > MAX_VALUE:
        return f"is too large: Uptake keeps values between {-MAX_VALUE:,.0f} and {MAX_VALUE:,.0f}"
    if measure.scale_min is not None and value < measure.scale_min:
        return f"is below the scale's lowest value, {measure.scale_min:g}"
    if measure.scale_max is not None and value > measure.scale_max:
        return f"is above the scale's highest value, {measure.scale_max:g}"
    return None


def check_total(measure: Measure, k: int, n: int) -> str | None:
    if max(k, n) > MAX_COUNT:
        return f"That number is too large: a class total is at most {MAX_COUNT:,}."
    if k < 0 or n < 1:
        return ("The count must be 0 or more, and the number of students (or "
                "opportunities) 1 or more.")
    if measure.kind == Measure.Kind.PROPORTION and k > n:
        return f"{k} of {n} is more than all of them."
    return None


def _check_occasion(measure: Measure, section: Section, data: OccasionData,
                    occasion: Occasion | None, student_ids: set[int]) -> None:
    clash = Occasion.objects.filter(measure=measure, section=section, date=data.when,
                                    label=data.label)
    if occasion is not None:
        clash = clash.exclude(pk=occasion.pk)
    if clash.exists():
        raise InquiryRuleError(
            f"This class already has an occasion on {data.when:%Y-%m-%d}"
            f"{' labelled ' + repr(data.label) if data.label else ''}; change that one instead.")
    _check_contents(measure, data, student_ids)


def _values_problem(measure: Measure, values: Iterable[float | None]) -> str | None:
    """The first value that does not fit the measure and why, or None. The range is checked
    once, on the smallest and largest value (a NaN makes the sum NaN), so an import's
    thousands of values are not checked one by one unless one of them is at fault."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(present)
    if (total == total and check_value(measure, min(present)) is None
            and check_value(measure, max(present)) is None):
        return None
    for value in present:
        problem = check_value(measure, value)
        if problem:
            return f"{value} {problem}."
    return None


def _check_contents(measure: Measure, data: OccasionData, student_ids: set[int]) -> None:
    """The occasion's values or total fit the measure and the class (no database reads)."""
    if measure.per_student:
        if data.values is None:
            raise InquiryRuleError("This measure takes one value per student.")
        strangers = set(data.values) - student_ids
        if strangers:
            raise InquiryRuleError(f"{len(strangers)} of these students are not in this class.")
        problem = _values_problem(measure, data.values.values())
        if problem:
            raise InquiryRuleError(problem)
    else:
        if data.total is None:
            raise InquiryRuleError("This measure takes a class total (k of n).")
        problem = check_total(measure, *data.total)
        if problem:
            raise InquiryRuleError(problem)


def _write_occasion(actor: User, measure: Measure, section: Section, data: OccasionData,
                    occasion: Occasion | None) -> Occasion:
    return _write_occasions(actor, measure, section, [(data, occasion)])[0]


def _write_occasions(actor: User, measure: Measure, section: Section,
                     items: list[tuple[OccasionData, Occasion | None]]) -> list[Occasion]:
    """Write checked occasions of one class (new ones created, existing ones updated)."""
    return _write_class_occasions(actor, measure, [(section, d, o) for d, o in items])


def _write_class_occasions(actor: User, measure: Measure,
                           items: list[tuple[Section, OccasionData, Occasion | None]]
                           ) -> list[Occasion]:
    """Write checked occasions of any of the measure's classes (new ones created, existing
    ones updated) in a fixed number of queries however many occasions and values there
    are."""
    now = timezone.now()
    fresh = [Occasion(measure=measure, section=section, date=d.when, label=d.label,
                      entered_by=actor, created_at=now, updated_at=now)
             for section, d, o in items if o is None]
    Occasion.objects.bulk_create(fresh, batch_size=500)
    made = iter(fresh)
    saved: list[Occasion] = []
    for _, data, occasion in items:
        if occasion is None:
            saved.append(next(made))
        else:
            occasion.date, occasion.label, occasion.entered_by = data.when, data.label, actor
            occasion.updated_at = now
            saved.append(occasion)
    old = [o for (_, _, o) in items if o is not None]
    Occasion.objects.bulk_update(old, ["date", "label", "entered_by", "updated_at"],
                                 batch_size=500)
    old_ids = [o.pk for o in old]
    values = {(o, s): v for o, s, v in StudentValue.objects.filter(occasion_id__in=old_ids)
              .values_list("occasion_id", "student_id", "value")} if old_ids else {}
    totals = {t.occasion_id: t
              for t in ClassTotal.objects.filter(occasion_id__in=old_ids)} if old_ids else {}
    new_totals: list[ClassTotal] = []
    changed_totals: list[ClassTotal] = []
    with _ValueWriter() as writer:
        for (_, data, was), occasion in zip(items, saved, strict=True):
            if data.values and was is None:
                writer.insert(occasion.pk, data.values)
            elif data.values:
                writer.upsert(occasion.pk, data.values, values)
            if data.total is not None:
                total = totals.get(occasion.pk)
                if total is None:
                    new_totals.append(ClassTotal(occasion=occasion, numerator=data.total[0],
                                                 denominator=data.total[1]))
                elif (total.numerator, total.denominator) != data.total:
                    total.numerator, total.denominator = data.total
                    changed_totals.append(total)
    ClassTotal.objects.bulk_create(new_totals, batch_size=1000)
    ClassTotal.objects.bulk_update(changed_totals, ["numerator", "denominator"],
                                   batch_size=1000)
    return saved


class _ValueWriter:
    """Student values written as plain rows with executemany, ``BATCH`` rows at a time:
    building a model object per value made an import spend most of its time in
    ``Model.__init__``, and batches keep the memory flat however many values there are.
    No signals fire (none are connected to StudentValue)."""

    BATCH = 5_000

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        table = quote(StudentValue._meta.db_table)
        columns = {f.name: quote(str(f.column)) for f in
                   StudentValue._meta.concrete_fields}
        occasion, student, value = columns["occasion"], columns["student"], columns["value"]
        self.insert_sql = (f"INSERT INTO {table} ({occasion}, {student}, {value}) "  # noqa: S608 - names from the model
                           "VALUES (%s, %s, %s)")
        self.update_sql = (f"UPDATE {table} SET {value} = %s "  # noqa: S608 - names from the model
                           f"WHERE {occasion} = %s AND {student} = %s")
        self.new: list[tuple[int, int, float | None]] = []
        self.changed: list[tuple[float | None, int, int]] = []

    def __enter__(self) -> _ValueWriter:
        self.cursor = connection.cursor()
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        try:
            if kind is None:
                self.flush(0)
        finally:
            self.cursor.close()

    def insert(self, occasion_id: int, values: Mapping[int, float | None]) -> None:
        """A new occasion's values."""
        self.new.extend(zip(repeat(occasion_id), values.keys(), values.values()))
        self.flush(self.BATCH)

    def upsert(self, occasion_id: int, values: Mapping[int, float | None],
               known: Mapping[tuple[int, int], float | None]) -> None:
        """An existing occasion's values: new ones inserted, changed ones updated."""
        for student_id, value in values.items():
            was = known.get((occasion_id, student_id), _ABSENT)
            if was is _ABSENT:
                self.new.append((occasion_id, student_id, value))
            elif was != value:
                self.changed.append((value, occasion_id, student_id))
        self.flush(self.BATCH)

    def flush(self, at_least: int) -> None:
        for sql, rows in ((self.insert_sql, self.new), (self.update_sql, self.changed)):
            if rows and len(rows) >= at_least:
                self.cursor.executemany(sql, rows)
                rows.clear()


_ABSENT: Any = object()


def current_students(section: Section) -> list[Student]:
    """The class's enrolled, enabled students whose enrollment has not ended (the roster's
    rule, :func:`uptake.roster.queries.current_students`)."""
    return list(roster_current_students([section]).order_by("family_name", "given_name", "pk"))


def _pseudonyms(student_ids: Iterable[int]) -> list[str]:
    from uptake.roster.models import Student

    return list(Student.objects.filter(pk__in=list(student_ids))
                .values_list("pseudonym", flat=True))


@transaction.atomic
def do_save_occasion(actor: User, measure: Measure, section: Section, data: OccasionData, *,
                     occasion: Occasion | None = None,
                     request: HttpRequest | None = None) -> Occasion:
    """Save one occasion's values for one class, all or nothing (audited)."""
    ids = {s.pk for s in current_students(section)}
    if occasion is not None:  # students who have left keep the values they had
        ids |= set(occasion.values.values_list("student_id", flat=True))
    _check_occasion(measure, section, data, occasion, ids)
    saved = _write_occasion(actor, measure, section, data, occasion)
    n = len(data.values or {})
    record(AuditAction.MEASURE_DATA_SAVED, actor=actor, request=request, obj=saved,
           summary=(f"{measure.name}: {section.title}, {data.when:%Y-%m-%d}: "
                    + (f"{n} student value{'s' * (n != 1)}" if data.values is not None
                       else f"class total {data.total[0]} of {data.total[1]}"  # type: ignore[index]
                       )),
           subjects=_pseudonyms(data.values or {}),
           details={"measure": measure.pk, "section": section.pk})
    _measure_changed(measure)
    return saved


@transaction.atomic
def do_add_class_total(actor: User, measure: Measure, section: Section, data: OccasionData
                       ) -> Occasion:
    """A new class-total occasion written for another app's action (a peer observation's
    tally), with data entry's checks and write: one write path for a measure's points.
    The caller audits it, in its own words, inside its own transaction."""
    if data.total is None:
        raise InquiryRuleError("A class total needs a count and a number of students.")
    _check_occasion(measure, section, data, None, set())
    saved = _write_occasion(actor, measure, section, data, None)
    _measure_changed(measure)
    return saved


@transaction.atomic
def do_apply_import(actor: User, measure: Measure, section: Section,
                    occasions: list[OccasionData], *, file_name: str,
                    request: HttpRequest | None = None) -> list[Occasion]:
    """Write a checked import: every occasion or none (existing occasions are updated).

    The number of queries does not grow with the number of occasions: existing occasions
    and their students are read once, and rows are written in bulk."""
    ids = {s.pk for s in current_students(section)}
    existing = {(o.date, o.label): o
                for o in Occasion.objects.filter(measure=measure, section=section)}
    keep: dict[int, set[int]] = {}
    for occasion_id, student_id in StudentValue.objects.filter(
            occasion__in=list(existing.values())).values_list("occasion_id", "student_id"):
        keep.setdefault(occasion_id, set()).add(student_id)
    items: list[tuple[OccasionData, Occasion | None]] = []
    seen: set[tuple[date, str]] = set()
    for data in occasions:
        key = (data.when, data.label)
        if key in seen:
            raise InquiryRuleError(
                f"The file has the occasion on {data.when:%Y-%m-%d}"
                f"{' labelled ' + repr(data.label) if data.label else ''} twice.")
        seen.add(key)
        occasion = existing.get(key)
        # Students who have left keep the values they had on an occasion being updated.
        here = ids | keep.get(occasion.pk, set()) if occasion is not None else ids
        _check_contents(measure, data, here)
        items.append((data, occasion))
    saved = _write_occasions(actor, measure, section, items)
    students = set().union(*(d.values or () for d in occasions))
    record(AuditAction.IMPORT_APPLIED, actor=actor, request=request, obj=measure,
           summary=(f"{measure.name}: imported {len(occasions)} occasion"
                    f"{'s' * (len(occasions) != 1)} for {section.title} from {file_name}"),
           subjects=_pseudonyms(students),
           details={"measure": measure.pk, "section": section.pk, "file": file_name})
    _measure_changed(measure)
    return saved


# --------------------------------------------------------------------------- deletion


def _pseudonyms_with_values(occasions: Any) -> list[str]:
    """Pseudonyms of the students with a value (present or missing) on these occasions."""
    from uptake.roster.models import Student

    return list(Student.objects.filter(
        pk__in=StudentValue.objects.filter(occasion__in=occasions).values("student_id"))
        .values_list("pseudonym", flat=True))


def _delete_occasions(occasions: Any) -> None:
    """Values and totals first, in one statement each, so that the cascade below never
    loads a measure's (possibly millions of) student values into memory."""
    StudentValue.objects.filter(occasion__in=occasions).delete()
    ClassTotal.objects.filter(occasion__in=occasions).delete()
    occasions.delete()


def _what(losses: Any) -> str:
    parts = [f"{losses.occasions} data point{'s' * (losses.occasions != 1)}"]
    if losses.values or losses.missing:
        parts.append(f"{losses.values + losses.missing} student value"
                     f"{'s' * (losses.values + losses.missing != 1)}")
    return ", ".join(parts)


@transaction.atomic
def do_delete_inquiry(actor: User, inquiry: Inquiry, *,
                      request: HttpRequest | None = None) -> None:
    """Delete an inquiry with its cycles, measures and data (only its owner may).

    Evidence and learning sources linked to it stay; they are no longer linked."""
    from uptake.inquiry.losses import inquiry_losses

    if inquiry.owner_id != actor.pk:
        raise InquiryRuleError("Only the inquiry's owner can delete it.")
    losses = inquiry_losses(inquiry)
    occasions = Occasion.objects.filter(measure__inquiry=inquiry)
    record(AuditAction.DELETION, actor=actor, request=request, obj=inquiry,
           summary=(f"Deleted inquiry {inquiry.title!r}: {losses.cycles} cycle"
                    f"{'s' * (losses.cycles != 1)}, {losses.measures} measure"
                    f"{'s' * (losses.measures != 1)}, {_what(losses)}"),
           subjects=_pseudonyms_with_values(occasions), details=losses.as_dict())
    _delete_occasions(occasions)
    do_withdraw_grants(inquiry, actor=actor, audit=None)
    inquiry.delete()


@transaction.atomic
def do_delete_measure(actor: User, measure: Measure, *,
                      request: HttpRequest | None = None) -> None:
    """Delete a measure with every class's data on it: its inquiry's owner may, and another
    team member when all the data on it is from her own classes."""
    from uptake.inquiry.losses import measure_losses

    if refusal := measure_delete_refusal(actor, measure):
        raise InquiryRuleError(refusal)
    losses = measure_losses(measure)
    occasions = Occasion.objects.filter(measure=measure)
    record(AuditAction.DELETION, actor=actor, request=request, obj=measure,
           summary=f"Deleted measure {measure.name!r} of {measure.inquiry.title!r}: "
                   f"{_what(losses)}",
           subjects=_pseudonyms_with_values(occasions),
           details={"inquiry": measure.inquiry_id, **losses.as_dict()})
    _delete_occasions(occasions)
    measure.delete()
    _touch(measure.inquiry)


def measure_delete_refusal(actor: User, measure: Measure) -> str:
    """Why this team member may not delete a measure holding colleagues' data, and what to
    do ("" when she may)."""
    from uptake.inquiry.access import colleagues_classes_with_data

    others = colleagues_classes_with_data(actor, measure)
    if not others:
        return ""
    owner = measure.inquiry.owner
    return (f"This measure holds data from {len(others)} class{'es' if len(others) > 1 else ''} "
            f"you do not teach ({', '.join(others)}). Only the inquiry's owner, "
            f"{owner.display_name}, can delete it with their data; or the "
            f"teachers of those classes can delete their data points first.")


@transaction.atomic
def do_delete_occasion(actor: User, occasion: Occasion, *,
                       request: HttpRequest | None = None) -> None:
    """Delete one data point of one class: the occasion and its values or total."""
    from uptake.inquiry.losses import occasion_losses

    losses = occasion_losses(occasion)
    occasions = Occasion.objects.filter(pk=occasion.pk)
    measure = occasion.measure
    record(AuditAction.DELETION, actor=actor, request=request, obj=occasion,
           summary=(f"Deleted {measure.name}: {occasion.section.title}, "
                    f"{occasion.date:%Y-%m-%d}{' ' + occasion.label if occasion.label else ''}"
                    + (f" ({losses.values + losses.missing} student values)"
                       if measure.per_student else " (class total)")),
           subjects=_pseudonyms_with_values(occasions),
           details={"measure": measure.pk, "section": occasion.section_id,
                    **losses.as_dict()})
    _delete_occasions(occasions)
    _measure_changed(measure)


# ------------------------------------------------------------------------ team changes


def _check_member(actor: User, team: Team) -> None:
    if team.district_id != actor.district_id or not team.members.filter(pk=actor.pk).exists():
        raise InquiryRuleError("Only the team's members can change it.")


def _team_event(actor: User, team: Team, summary: str, request: HttpRequest | None,
                **details: Any) -> None:
    record(AuditAction.INQUIRY_CHANGED, actor=actor, request=request, obj=team,
           summary=f"Team {team.name!r}: {summary}", details={"team": team.pk, **details})


@transaction.atomic
def do_rename_team(actor: User, team: Team, *, name: str, kind: str,
                   request: HttpRequest | None = None) -> Team:
    _check_member(actor, team)
    name = name.strip()
    if not name:
        raise InquiryRuleError("Give the team a name.")
    if kind not in Team.Kind.values:
        raise InquiryRuleError("Choose a PLC, grade-level team or department.")
    old = team.name
    team.name, team.kind = name, kind
    team.save(update_fields=["name", "kind"])
    _team_event(actor, team, f"renamed from {old!r}" if old != name else "kind changed",
                request, old_name=old, kind=kind)
    return team


def check_new_member(team: Team, person: User) -> None:
    """A teacher of the team's district, active, not a member yet."""
    from uptake.accounts.models import Role

    if person.district_id != team.district_id:
        raise InquiryRuleError("Only teachers in your district can join the team.")
    if not person.is_active or not person.has_role(Role.TEACHER):
        raise InquiryRuleError(f"{person.display_name} is not an active teacher, so cannot "
                               "join a team.")
    if team.members.filter(pk=person.pk).exists():
        raise InquiryRuleError(f"{person.display_name} is already on the team.")


@transaction.atomic
def do_add_team_member(actor: User, team: Team, person: User, *,
                       request: HttpRequest | None = None) -> None:
    """A member adds a teacher of the district: she can then edit the team's inquiries."""
    _check_member(actor, team)
    check_new_member(team, person)
    team.members.add(person)
    _team_event(actor, team, f"{person.display_name} added", request, person=person.pk)


def owned_team_inquiries(team: Team, person: User) -> list[Inquiry]:
    return list(team.inquiries.filter(owner=person).order_by("title"))


@transaction.atomic
def do_remove_team_member(actor: User, team: Team, person: User, *,
                          request: HttpRequest | None = None) -> None:
    """A member removes another, who loses access to the team's inquiries at once.

    Someone who owns an inquiry shared with the team is not removed by others: taking it
    off the team is her decision (she can leave, which does that)."""
    _check_member(actor, team)
    if person.pk == actor.pk:
        raise InquiryRuleError("To take yourself off the team, use “Leave this team”.")
    if not team.members.filter(pk=person.pk).exists():
        raise InquiryRuleError(f"{person.display_name} is not on the team.")
    owned = owned_team_inquiries(team, person)
    if owned:
        names = ", ".join(f"“{i.title}”" for i in owned)
        raise InquiryRuleError(
            f"{person.display_name} owns {names}, shared with this team. Only she can take "
            f"{'it' if len(owned) == 1 else 'them'} off the team, by leaving it or by "
            "editing the inquiry.")
    team.members.remove(person)
    _team_event(actor, team, f"{person.display_name} removed", request, person=person.pk)


@transaction.atomic
def do_leave_team(actor: User, team: Team, *, request: HttpRequest | None = None
                  ) -> list[Inquiry]:
    """Leave a team. Her own inquiries go with her (the team no longer sees them); the
    last member to leave ends the team. Returns the inquiries taken off the team."""
    _check_member(actor, team)
    owned = owned_team_inquiries(team, actor)
    now = timezone.now()
    Inquiry.objects.filter(pk__in=[i.pk for i in owned]).update(team=None, updated_at=now)
    team.members.remove(actor)
    last = not team.members.exists()
    _team_event(actor, team, f"{actor.display_name} left"
                + (", the last member: the team is deleted" if last else ""),
                request, person=actor.pk, inquiries_taken=[i.pk for i in owned])
    if last:
        team.delete()
    return owned


# ------------------------------------------------------------- closing and reopening


def _status_event(actor: User, inquiry: Inquiry, was: str,
                  request: HttpRequest | None) -> None:
    words: dict[str, str] = {Inquiry.Status.CLOSED: "closed",
                             Inquiry.Status.ACTIVE: "reopened",
                             Inquiry.Status.DRAFT: "set back to draft"}
    record(AuditAction.INQUIRY_CHANGED, actor=actor, request=request, obj=inquiry,
           summary=f"Inquiry {inquiry.title!r} {words.get(inquiry.status, inquiry.status)}",
           details={"status": inquiry.status, "was": was})


@transaction.atomic
def do_set_inquiry_status(actor: User, inquiry: Inquiry, *, status: str,
                          request: HttpRequest | None = None) -> Inquiry:
    """Close an inquiry (no further cycles; it leaves "in progress") or reopen it."""
    if status not in Inquiry.Status.values:
        raise InquiryRuleError("Choose in progress, draft or closed.")
    was = inquiry.status
    if was == status:
        return inquiry
    inquiry.status = status
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=["status", "updated_at"])
    _status_event(actor, inquiry, was, request)
    _inquiry_stale(inquiry)
    return inquiry


@transaction.atomic
def do_act(actor: User, cycle: Cycle, *, decision: str, reason: str, close: bool = False,
           request: HttpRequest | None = None) -> Cycle:
    """Act: the decision with its reason and, if the teacher wants (typically when she
    abandons the change, or adopts it for good), closing the inquiry as well."""
    do_decide(actor, cycle, decision=decision, reason=reason)
    if close:
        do_set_inquiry_status(actor, cycle.inquiry, status=Inquiry.Status.CLOSED,
                              request=request)
    return cycle


# --------------------------------------------------------------------- annotations


@dataclass(frozen=True)
class AnnotationData:
    """What a teacher writes on a chart: a day, a few words, and optionally one class."""

    when: date | None
    text: str
    section: Section | None = None


def check_annotation(measure: Measure, data: AnnotationData) -> AnnotationData:
    """The note with its text trimmed, or a refusal naming the field at fault."""
    text = " ".join(data.text.split())
    if data.when is None:
        raise InquiryRuleError("Give the day the note is about.", field="when")
    if not text:
        raise InquiryRuleError('Write a few words, such as "snow day".', field="text")
    if len(text) > Annotation.TEXT_MAX:
        raise InquiryRuleError(
            f"Keep the note to {Annotation.TEXT_MAX} characters (this one has {len(text)}): "
            "it is written along a line on the chart.", field="text")
    if data.section is not None and not measure.sections.filter(pk=data.section.pk).exists():
        raise InquiryRuleError("That class does not collect this measure.", field="section")
    return AnnotationData(data.when, text, data.section)


def _annotation_event(actor: User, note: Annotation, verb: str,
                      request: HttpRequest | None) -> None:
    where = f" ({note.section.title})" if note.section is not None else ""
    record(AuditAction.INQUIRY_CHANGED, actor=actor, request=request, obj=note.measure,
           summary=f"{note.measure.name}: note {verb} for {note.date:%Y-%m-%d}{where}: "
                   f"{note.text}",
           details={"annotation": note.pk, "measure": note.measure_id})


@transaction.atomic
def do_add_annotation(actor: User, measure: Measure, data: AnnotationData, *,
                      request: HttpRequest | None = None) -> Annotation:
    """A dated note on the measure's charts (audited)."""
    good = check_annotation(measure, data)
    assert good.when is not None  # checked above
    note = Annotation.objects.create(measure=measure, section=good.section, date=good.when,
                                     text=good.text, created_by=actor)
    _annotation_event(actor, note, "added", request)
    _touch(measure.inquiry)
    return note


@transaction.atomic
def do_update_annotation(actor: User, note: Annotation, data: AnnotationData, *,
                         request: HttpRequest | None = None) -> Annotation:
    good = check_annotation(note.measure, data)
    assert good.when is not None  # checked above
    note.date, note.text, note.section = good.when, good.text, good.section
    note.save(update_fields=["date", "text", "section"])
    _annotation_event(actor, note, "changed", request)
    _touch(note.measure.inquiry)
    return note


@transaction.atomic
def do_delete_annotation(actor: User, note: Annotation, *,
                         request: HttpRequest | None = None) -> None:
    _annotation_event(actor, note, "deleted", request)
    note.delete()
    _touch(note.measure.inquiry)


# ------------------------------------------------------- upserting a date's data (API)

# The most values (or class totals) one upsert takes: a district's assessment platform
# sends a date's scores for many classes at once (docs/api.md, "Sync scores").
MAX_UPSERT_ITEMS = 10_000
# Problems listed one by one in a refusal; beyond them the message gives the count.
MAX_UPSERT_PROBLEMS = 100


@dataclass(frozen=True)
class SentTotal:
    """A class total sent for one class of the measure: ``k`` of ``n``."""

    section_id: int
    numerator: int
    denominator: int


def _upsert_students(classes: Sequence[Section], existing: Iterable[Occasion]
                     ) -> dict[str, set[tuple[int, int]]]:
    """pseudonym -> {(student id, class id)}: the classes' current students, and students
    who have left but hold a value on an occasion being updated (they keep it)."""
    from uptake.roster.models import Enrollment
    from uptake.roster.queries import current_enrollment

    homes: dict[str, set[tuple[int, int]]] = {}
    for pseudonym, student_id, section_id in Enrollment.objects.filter(
            current_enrollment(), section__in=list(classes)).values_list(
            "student__pseudonym", "student_id", "section_id"):
        homes.setdefault(pseudonym, set()).add((student_id, section_id))
    for pseudonym, student_id, section_id in StudentValue.objects.filter(
            occasion__in=list(existing)).values_list(
            "student__pseudonym", "student_id", "occasion__section_id"):
        homes.setdefault(pseudonym, set()).add((student_id, section_id))
    return homes


def _refuse_rows(problems: list[RowProblem], what: str) -> None:
    if not problems:
        return
    n = len(problems)
    more = (f" The first {MAX_UPSERT_PROBLEMS} are listed." if n > MAX_UPSERT_PROBLEMS
            else "")
    raise Invalid(f"{n} {what}{'s' * (n != 1)} cannot be saved, so nothing was saved: "
                  f"correct {'it' if n == 1 else 'them'} and send the whole request again."
                  + more, rows=problems[:MAX_UPSERT_PROBLEMS])


def _sent_number(raw: Any) -> tuple[float | None, str]:
    """(value, problem) for a value as sent in JSON: a number, or null for missing."""
    if raw is None:
        return None, ""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, (f"{str(raw)[:40]!r} is not a number: send a JSON number, or null for "
                      "a missing value.")
    try:
        return float(raw), ""
    except OverflowError:
        return None, "is too large to be a value."


def _check_sent_values(measure: Measure, values: Sequence[tuple[Any, Any]],
                       homes: dict[str, set[tuple[int, int]]]
                       ) -> dict[int, dict[int, float | None]]:
    """class id -> {student id: value}, or Invalid naming every item at fault (its
    position from 1, and "student" or "value")."""
    problems: list[RowProblem] = []
    first: dict[str, int] = {}
    by_class: dict[int, dict[int, float | None]] = {}
    for row, (pseudonym, raw) in enumerate(values, start=1):
        value, problem = _sent_number(raw)
        problem = problem or (f"{value:g} {check_value(measure, value)}."
                              if check_value(measure, value) else "")
        if problem:
            problems.append(RowProblem(row, "value", problem))
        if not isinstance(pseudonym, str) or not pseudonym.strip():
            problems.append(RowProblem(row, "student", "Give the student's pseudonymous id "
                                                       "(text such as S-7K2Q9), not "
                                                       f"{str(pseudonym)[:40]!r}."))
            continue
        if pseudonym in first:
            problems.append(RowProblem(row, "student", (
                f"{pseudonym} is sent twice (first as item {first[pseudonym]}); send each "
                "student once.")))
            continue
        first[pseudonym] = row
        found = homes.get(pseudonym, set())
        if not found:
            problems.append(RowProblem(row, "student", (
                f"{pseudonym[:40]} is not a student of this measure's classes that you "
                "teach.")))
            continue
        if len({section_id for _, section_id in found}) > 1:
            problems.append(RowProblem(row, "student", (
                f"{pseudonym} is in more than one of your classes of this measure: send "
                "each class's values with its “section”.")))
            continue
        ((student_id, section_id),) = found
        by_class.setdefault(section_id, {})[student_id] = value
    _refuse_rows(problems, "value")
    return by_class


def _check_sent_totals(measure: Measure, totals: Sequence[SentTotal], class_ids: set[int]
                       ) -> dict[int, tuple[int, int]]:
    problems: list[RowProblem] = []
    out: dict[int, tuple[int, int]] = {}
    for row, total in enumerate(totals, start=1):
        if total.section_id not in class_ids:
            problems.append(RowProblem(row, "class_id", (
                "This is not one of the measure's classes that you teach.")))
        elif total.section_id in out:
            problems.append(RowProblem(row, "class_id", "This class is sent twice; send "
                                                       "each class's total once."))
        if problem := check_total(measure, total.numerator, total.denominator):
            problems.append(RowProblem(row, "numerator", problem))
        out[total.section_id] = (total.numerator, total.denominator)
    _refuse_rows(problems, "class total")
    return out


@transaction.atomic
def do_upsert_occasion(actor: User, measure: Measure, when: date, *, label: str = "",
                       classes: Sequence[Section],
                       values: Sequence[tuple[Any, Any]] = (),
                       totals: Sequence[SentTotal] = (),
                       request: HttpRequest | None = None) -> list[tuple[Occasion, bool]]:
    """Save one date's data of a measure for several classes at once, all or nothing (the
    API's sync of scores; data entry's checks and write, audited once).

    ``classes`` are the measure's classes the actor teaches now (the caller checks). Each
    student's value (by pseudonym; a number as sent in JSON, None for missing) goes to the
    occasion of her class on ``when`` with ``label``, made when it does not exist; values
    of students not sent stay as they are. A class-level measure takes ``totals`` instead.
    Every item at fault is named (its position and column) and nothing is saved. Returns
    each occasion written and whether it was made now."""
    if measure.per_student and totals:
        raise Invalid("This measure takes one value per student, not class totals.",
                      field="totals")
    if not measure.per_student and values:
        raise Invalid("This measure takes a class total (k of n) per class, not student "
                      "values.", field="values")
    if not values and not totals:
        raise Invalid("Send at least one value" + ("." if measure.per_student
                                                   else " (a class total)."),
                      field="values" if measure.per_student else "totals")
    if len(values) > MAX_UPSERT_ITEMS or len(totals) > MAX_UPSERT_ITEMS:
        raise Invalid(f"At most {MAX_UPSERT_ITEMS:,} items in one request; send the rest in "
                      "another.", field="values" if values else "totals")
    by_id = {s.pk: s for s in classes}
    existing = {o.section_id: o for o in Occasion.objects.select_for_update().filter(
        measure=measure, section__in=list(by_id), date=when, label=label)}
    if measure.per_student:
        homes = _upsert_students(list(by_id.values()), existing.values())
        sent = {section_id: OccasionData(when, label, values=vals)
                for section_id, vals in _check_sent_values(measure, values, homes).items()}
    else:
        sent = {section_id: OccasionData(when, label, total=kn) for section_id, kn in
                _check_sent_totals(measure, totals, set(by_id)).items()}
    order = sorted(sent, key=lambda pk: (by_id[pk].title, pk))
    saved = _write_class_occasions(actor, measure, [(by_id[pk], sent[pk], existing.get(pk))
                                                    for pk in order])
    n = len(values) or len(totals)
    what = (f"{n:,} student value{'s' * (n != 1)}" if measure.per_student
            else f"{n} class total{'s' * (n != 1)}")
    record(AuditAction.MEASURE_DATA_SAVED, actor=actor, request=request, obj=measure,
           summary=(f"{measure.name}: {when:%Y-%m-%d}{' ' + label if label else ''}: {what} "
                    f"in {len(order)} class{'es' * (len(order) != 1)}"),
           subjects=[str(p) for p, _ in values],
           details={"measure": measure.pk, "sections": order, "date": when.isoformat()})
    _measure_changed(measure)
    return [(o, pk not in existing) for pk, o in zip(order, saved, strict=True)]
