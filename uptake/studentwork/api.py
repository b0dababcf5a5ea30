"""This app's part of the JSON API (uptake/api):
Looking-at-Student-Work sets, groups and next steps.

Who reaches a set is exactly who reaches its page (``uptake.studentwork.access``): a
teacher who may edit the set's inquiry *and* teaches its class now; everyone else, a
removed team member or a teacher whose assignment ended included, gets the 404 a missing
set gets. A set's overview (rubric, counts per level, groups with their next steps and
interventions) names nobody and records no read, as the page's overview step; the scores
per student come only from ``/scores``, by pseudonymous ID, and that read is audited like
the page's scoring step.
"""

import datetime as dt
from collections.abc import Mapping

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.audit.actions import record_student_read
from uptake.inquiry.actions import current_students
from uptake.roster.models import Student
from uptake.studentwork.access import access_set, sets_editable_by
from uptake.studentwork.models import GroupMember, WorkSampleSet

router = Router(tags=["Student work"])


def _teacher(request: HttpRequest) -> User:
    """The caller, when she is a teacher (the pages' audience); else the same 404."""
    me = support.me(request)
    if not me.has_role(Role.TEACHER):
        raise Http404("No such set of student work.")
    return me


class SetItemOut(Schema):
    id: int
    title: str
    date: dt.date
    inquiry_id: int
    inquiry_title: str
    section_id: int
    section_title: str
    created_at: dt.datetime


class LevelOut(Schema):
    id: int
    position: int
    label: str
    descriptor: str
    count: int


class InterventionOut(Schema):
    id: int
    what: str
    when: dt.date
    outcome_date: dt.date | None
    outcome: str


class WorkGroupOut(Schema):
    id: int
    name: str
    next_step: str
    size: int
    rescored: int
    moved_up: int
    interventions: list[InterventionOut]


class SetOut(SetItemOut):
    students: int
    scored: int
    missing: int
    grouped: int
    levels: list[LevelOut]
    groups: list[WorkGroupOut]


class WorkScoreOut(Schema):
    student: str
    level_id: int | None
    level_position: int | None
    group_id: int | None
    rescore_level_id: int | None


class ScoresOut(Schema):
    set_id: int
    scores: list[WorkScoreOut]


def _item(s: WorkSampleSet) -> dict[str, object]:
    return {"id": s.pk, "title": s.title, "date": s.date, "inquiry_id": s.inquiry_id,
            "inquiry_title": s.inquiry.title, "section_id": s.section_id,
            "section_title": s.section.title, "created_at": s.created_at}


@router.get("/sets", response=list[SetItemOut], summary="Student-work sets I may work on")
@support.paginate(ordering=("-date", "-pk"))
def list_work_sets(request: HttpRequest,
                   inquiry: int | None = Query(None, ge=1, le=support.MAX_ID),
                   date_from: dt.date | None = None, date_to: dt.date | None = None
                   ) -> QuerySet[WorkSampleSet]:
    """Looking-at-Student-Work sets of inquiries I edit, on classes I teach now (the
    pages' list), newest first. Filter by ``inquiry`` id and by the set's date."""
    me = _teacher(request)
    sets = sets_editable_by(me).annotate(inquiry_title=F("inquiry__title"),
                                         section_title=F("section__title"))
    sets = support.where(sets, inquiry_id=inquiry, date__gte=date_from, date__lte=date_to)
    return sets.order_by("-date", "-pk")


def _student_ids(sample_set: WorkSampleSet) -> set[int]:
    """The class's current students and anyone who left with a score (the page's rows)."""
    ids = {s.pk for s in current_students(sample_set.section)}
    return ids | set(sample_set.scores.values_list("student_id", flat=True))


def _moved_up(member: GroupMember, before: Mapping[int, int | None],
              position: Mapping[int, int]) -> bool:
    """Re-scored at a higher level than her first score (the page's "moved up")."""
    was, now = before.get(member.student_id), member.rescore_id
    return was is not None and now is not None and position[now] > position[was]


@router.get("/sets/{set_id}", response=SetOut, summary="One student-work set's overview")
def get_work_set(request: HttpRequest, set_id: int) -> dict[str, object]:
    """The set's rubric with how many samples sit at each level, how many are scored and
    grouped, and its groups with their next steps, sizes and interventions (what was done
    and what followed): the page's overview, which names no student."""
    sample_set = access_set(_teacher(request), set_id)
    levels = list(sample_set.levels.all())
    position = {lv.pk: lv.position for lv in levels}
    before = dict(sample_set.scores.values_list("student_id", "level_id"))
    students = _student_ids(sample_set)
    scored = [lv for sid, lv in before.items() if sid in students]
    groups = []
    grouped = 0
    for group in sample_set.groups.prefetch_related("members", "interventions"):
        members = list(group.members.all())
        grouped += len(members)
        rescored = [m for m in members if m.rescore_id is not None]
        up = len([m for m in rescored if _moved_up(m, before, position)])
        groups.append({"id": group.pk, "name": group.name, "next_step": group.next_step,
                       "size": len(members), "rescored": len(rescored), "moved_up": up,
                       "interventions": [
                           {"id": iv.pk, "what": iv.what, "when": iv.when,
                            "outcome_date": iv.outcome_date, "outcome": iv.outcome}
                           for iv in group.interventions.all()]})
    return {**_item(sample_set), "students": len(students),
            "scored": sum(1 for lv in scored if lv is not None),
            "missing": sum(1 for lv in scored if lv is None),
            "grouped": grouped,
            "levels": [{"id": lv.pk, "position": lv.position, "label": lv.label,
                        "descriptor": lv.descriptor,
                        "count": sum(1 for x in scored if x == lv.pk)} for lv in levels],
            "groups": groups}


@router.get("/sets/{set_id}/scores", response=ScoresOut,
            summary="Each student's score and group in a set, by pseudonymous ID")
def get_work_set_scores(request: HttpRequest, set_id: int) -> dict[str, object]:
    """One row per student of the class (and any who left with a score): the rubric level
    her sample was scored at (null: not scored or marked missing), her group and her
    re-score after the group's intervention. Students appear only by pseudonymous ID; only
    the class's current teachers reach this, and each read is recorded in the audit log
    like the page's scoring step."""
    sample_set = access_set(_teacher(request), set_id)
    ids = _student_ids(sample_set)
    pseudonyms = dict(Student.objects.filter(pk__in=ids).values_list("pk", "pseudonym"))
    levels = dict(sample_set.levels.values_list("pk", "position"))
    scores = dict(sample_set.scores.values_list("student_id", "level_id"))
    members = {m.student_id: m for m in GroupMember.objects.filter(sample_set=sample_set)}
    rows: list[WorkScoreOut] = []
    for student_id in sorted(ids, key=lambda i: pseudonyms.get(i, "")):
        level = scores.get(student_id)
        member = members.get(student_id)
        rows.append(WorkScoreOut(
            student=pseudonyms[student_id], level_id=level,
            level_position=levels.get(level) if level is not None else None,
            group_id=member.group_id if member else None,
            rescore_level_id=member.rescore_id if member else None))
    record_student_read(request, [r.student for r in rows], obj=sample_set,
                        summary=f"Read student work {sample_set.title!r} (scores) "
                                f"through the API")
    return {"set_id": sample_set.pk, "scores": rows}
