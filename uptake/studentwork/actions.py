"""Every change to Looking-at-Student-Work sets happens here, atomically and audited
(scores and groupings are student data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.inquiry.actions import current_students
from uptake.roster.access import teaches_now
from uptake.roster.models import Student
from uptake.rules import RuleError
from uptake.studentwork.models import (
    GroupMember,
    Intervention,
    RubricLevel,
    StudentGroup,
    WorkSampleSet,
    WorkScore,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User
    from uptake.inquiry.models import Inquiry
    from uptake.roster.models import Section


class StudentWorkRuleError(RuleError):
    """A change the rules refuse, with a message for the person who asked for it."""


def parse_rubric(text: str) -> list[tuple[str, str]]:
    """One level per line, lowest first: "Label: descriptor" (descriptor optional).

    >>> parse_rubric("Beginning: restates the problem\\nSecure")
    [('Beginning', 'restates the problem'), ('Secure', '')]
    """
    levels = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _, descriptor = line.partition(":")
        label = label.strip()
        if not label or len(label) > 100:
            raise StudentWorkRuleError(f"Rubric line {number}: the level needs a name of 1 to "
                                       "100 characters before the colon.")
        levels.append((label, descriptor.strip()))
    if len(levels) < 2:
        raise StudentWorkRuleError("A rubric needs at least two levels, one per line, lowest "
                                   "first.")
    if len({label.lower() for label, _ in levels}) != len(levels):
        raise StudentWorkRuleError("Two rubric levels have the same name.")
    return levels


def _student_ids(sample_set: WorkSampleSet) -> set[int]:
    ids = {s.pk for s in current_students(sample_set.section)}
    # Students who have left the class keep the scores they had.
    return ids | set(sample_set.scores.values_list("student_id", flat=True))


def _check_teaches(actor: User, section: Section) -> None:
    """Scores and groups are student data: only the class's current teachers write them,
    whoever calls (the views reach a set only for them already)."""
    if not teaches_now(actor, section):
        raise StudentWorkRuleError("Only a current teacher of this class records its "
                                   "students' work.")


def _pseudonyms(ids: set[int]) -> list[str]:
    return list(Student.objects.filter(pk__in=ids).values_list("pseudonym", flat=True))


@transaction.atomic
def do_create_set(actor: User, inquiry: Inquiry, *, section: Section, title: str, when: date,
                  rubric: str) -> WorkSampleSet:
    _check_teaches(actor, section)
    levels = parse_rubric(rubric)
    if not title.strip():
        raise StudentWorkRuleError("Give the set a title, for example the task's name.")
    sample_set = WorkSampleSet.objects.create(inquiry=inquiry, section=section,
                                              title=title.strip(), date=when, created_by=actor)
    RubricLevel.objects.bulk_create(
        RubricLevel(sample_set=sample_set, position=i, label=label, descriptor=descriptor)
        for i, (label, descriptor) in enumerate(levels, start=1))
    return sample_set


@transaction.atomic
def do_score(actor: User, sample_set: WorkSampleSet, scores: Mapping[int, int | None], *,
             request: HttpRequest | None = None) -> int:
    """Save the grid: student id -> level id (None: missing). All or nothing."""
    _check_teaches(actor, sample_set.section)
    levels = set(sample_set.levels.values_list("pk", flat=True))
    students = _student_ids(sample_set)
    for student_id, level_id in scores.items():
        if student_id not in students:
            raise StudentWorkRuleError("A student in this grid is not in the class.")
        if level_id is not None and level_id not in levels:
            raise StudentWorkRuleError("A score is not one of this rubric's levels.")
    for student_id, level_id in scores.items():
        WorkScore.objects.update_or_create(sample_set=sample_set, student_id=student_id,
                                           defaults={"level_id": level_id})
    record(AuditAction.STUDENT_WORK_RECORDED, actor=actor, request=request, obj=sample_set,
           summary=f"Student work {sample_set.title!r}: {len(scores)} samples scored",
           subjects=_pseudonyms(set(scores)))
    return len(scores)


@transaction.atomic
def do_add_group(actor: User, sample_set: WorkSampleSet, *, name: str, next_step: str
                 ) -> StudentGroup:
    if not name.strip() or not next_step.strip():
        raise StudentWorkRuleError("A group needs a name and its next instructional step.")
    return StudentGroup.objects.create(sample_set=sample_set, name=name.strip()[:100],
                                       next_step=next_step.strip())


@transaction.atomic
def do_assign(actor: User, sample_set: WorkSampleSet, assignments: Mapping[int, int | None], *,
              request: HttpRequest | None = None) -> None:
    """Student id -> group id (None: in no group). A student is in at most one group."""
    _check_teaches(actor, sample_set.section)
    groups = set(sample_set.groups.values_list("pk", flat=True))
    students = _student_ids(sample_set)
    for student_id, group_id in assignments.items():
        if student_id not in students:
            raise StudentWorkRuleError("A student in this list is not in the class.")
        if group_id is not None and group_id not in groups:
            raise StudentWorkRuleError("A group is not one of this set's groups.")
    for student_id, group_id in assignments.items():
        current = GroupMember.objects.filter(sample_set=sample_set, student_id=student_id).first()
        if group_id is None:
            if current is not None:
                current.delete()
        elif current is None:
            GroupMember.objects.create(sample_set=sample_set, group_id=group_id,
                                       student_id=student_id)
        elif current.group_id != group_id:
            current.group_id, current.rescore = group_id, None
            current.save(update_fields=["group", "rescore"])
    record(AuditAction.STUDENT_WORK_RECORDED, actor=actor, request=request, obj=sample_set,
           summary=f"Student work {sample_set.title!r}: students grouped by next step",
           subjects=_pseudonyms(set(assignments)))


@transaction.atomic
def do_add_intervention(actor: User, group: StudentGroup, *, what: str, when: date
                        ) -> Intervention:
    if not what.strip():
        raise StudentWorkRuleError("Say what was done for this group.")
    return Intervention.objects.create(group=group, what=what.strip(), when=when)


@transaction.atomic
def do_record_outcome(actor: User, intervention: Intervention, *, when: date, outcome: str,
                      rescores: Mapping[int, int | None],
                      request: HttpRequest | None = None) -> Intervention:
    """What followed the intervention, and (optionally) each member's re-score."""
    _check_teaches(actor, intervention.group.sample_set.section)
    if not outcome.strip():
        raise StudentWorkRuleError("Describe what followed (the result).")
    if when < intervention.when:
        raise StudentWorkRuleError("The outcome cannot come before the intervention "
                                   f"({intervention.when:%Y-%m-%d}).")
    group = intervention.group
    levels = set(group.sample_set.levels.values_list("pk", flat=True))
    members = {m.student_id: m for m in group.members.all()}
    for student_id, level_id in rescores.items():
        if student_id not in members:
            raise StudentWorkRuleError("A re-scored student is not in this group.")
        if level_id is not None and level_id not in levels:
            raise StudentWorkRuleError("A re-score is not one of this rubric's levels.")
    intervention.outcome_date, intervention.outcome = when, outcome.strip()
    intervention.save(update_fields=["outcome_date", "outcome"])
    for student_id, level_id in rescores.items():
        member = members[student_id]
        member.rescore_id = level_id
        member.save(update_fields=["rescore"])
    record(AuditAction.STUDENT_WORK_RECORDED, actor=actor, request=request, obj=intervention,
           summary=f"Student work: outcome recorded for group {group.name!r}",
           subjects=_pseudonyms(set(rescores)))
    return intervention
