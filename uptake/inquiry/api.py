"""This app's part of the JSON API (uptake/api):
Inquiries, cycles, measures, occasions and scores; study results of a series.

Every operation calls the same access helpers (``uptake.inquiry.access``,
``uptake.roster.access``) and actions (``uptake.inquiry.actions``) as the pages, so a
person sees and changes through the API exactly what she would on the inquiry pages:

- reads: the inquiry's owner, its team's members, and the coach or leader it is shared
  with while the share lasts (the inquiry list and pages); others get 404;
- writes: its owner and team members who are teachers; data of a class only by its
  current teachers (the data-entry page);
- per-student values and rows only where the study page shows them
  (``may_see_student_rows``), audited as a read of student data.

The sync path of a district's assessment platform is ``PUT
/measures/{measure_id}/occasions/{date}`` (docs/api.md, "Sync scores").
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answer

from uptake.accounts.models import Role, User
from uptake.analysis.control import control_chart
from uptake.analysis.runs import ihi_rules, runs_analysis
from uptake.api import support
from uptake.audit.actions import record_student_read
from uptake.inquiry import actions
from uptake.inquiry.access import (
    access_cycle,
    access_inquiry,
    access_measure,
    inquiries_visible_to,
    sections_taught_by,
    teams_of,
)
from uptake.inquiry.api_schemas import (
    MAX_ID,
    ClassOccasionOut,
    ClassRef,
    ComparisonOut,
    ComparisonRowOut,
    CycleOut,
    CyclePatch,
    EvidenceOut,
    GroupOut,
    GrowthOut,
    IhiOut,
    InquiryIn,
    InquiryOut,
    InquiryPatch,
    LogEntryIn,
    LogEntryOut,
    MeasureIn,
    MeasureOut,
    OccasionDateOut,
    OccasionOut,
    OccasionPut,
    PairedOut,
    PointOut,
    ResultsOut,
    RunsOut,
    SeriesOut,
    Status,
    StudentRowOut,
    StudyBlockOut,
    TotalOut,
    ValueOut,
    VerdictOut,
)
from uptake.inquiry.models import Cycle, Inquiry, Measure, Occasion, StudentValue
from uptake.inquiry.study import (
    ClassStudy,
    SeriesStudy,
    second_lens,
    study_measure,
)
from uptake.roster.access import may_see_student_rows
from uptake.roster.models import Section
from uptake.rules import Invalid

router = Router(tags=["Inquiries"])

# Who reads inquiries (the inquiry pages' audience) and who changes them.
READERS = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not any(me.has_role(role) for role in READERS):
        raise Http404("No such page.")
    return me


def _teacher(request: HttpRequest) -> User:
    me = support.me(request)
    if not me.has_role(Role.TEACHER):
        raise Http404("No such page.")
    return me


def _aware(when: datetime) -> datetime:
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _num(value: Any) -> float | None:
    """A float for JSON: None for missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ------------------------------------------------------------------------- inquiries


def _team(me: User, team_id: int | None) -> Any:
    """One of her teams (as the inquiry form offers), or Invalid."""
    if team_id is None:
        return None
    team = teams_of(me).filter(pk=team_id).first()
    if team is None:
        raise Invalid("Choose one of your teams.", field="team")
    return team


@router.get("/inquiries", response=list[InquiryOut], summary="Inquiries you may read")
@support.paginate(ordering=("pk",))
def list_inquiries(request: HttpRequest, school: int | None = Query(None, ge=1, le=MAX_ID),
                   updated_since: datetime | None = None,
                   status: Status | None = None) -> QuerySet[Inquiry]:
    """The inquiries of the inquiry list: your own, your teams', and those shared with you
    (a coach or leader) while the share lasts. ``school``: inquiries whose owner works at
    that school or that collect data in its classes; ``updated_since``: changed at or
    after that time (the inquiry, its cycles, measures or data); ``status``."""
    me = _reader(request)
    found = inquiries_visible_to(me).select_related("owner", "team")
    if school is not None:
        found = found.filter(pk__in=Inquiry.objects.filter(
            Q(owner__roles__school_id=school) | Q(measures__sections__school_id=school))
            .values("pk"))
    if updated_since is not None:
        found = found.filter(updated_at__gte=_aware(updated_since))
    found = support.where(found, status=status)
    return found


@router.get("/inquiries/{inquiry_id}", response=InquiryOut, summary="One inquiry")
def get_inquiry(request: HttpRequest, inquiry_id: int) -> Inquiry:
    """An inquiry you own, share through a team, or that was shared with you."""
    return access_inquiry(_reader(request), inquiry_id)


@router.post("/inquiries", response={201: InquiryOut}, summary="Start an inquiry")
def create_inquiry(request: HttpRequest, payload: InquiryIn) -> Answer:
    """A new inquiry owned by you (a teacher), with its first PDSA cycle, as "Start an
    inquiry" makes it; ``team``: one of your teams, whose members then edit it too."""
    me = _teacher(request)
    fields = payload.dict(exclude={"team"})
    inquiry = actions.do_create_inquiry(me, team=_team(me, payload.team), **fields)
    return Answer(201, access_inquiry(me, inquiry.pk))


@router.patch("/inquiries/{inquiry_id}", response=InquiryOut, summary="Change an inquiry")
def update_inquiry(request: HttpRequest, inquiry_id: int, payload: InquiryPatch) -> Inquiry:
    """Change the fields sent, as the inquiry's edit form does (its owner and team
    members). ``status`` closes, reopens or sets it back to draft."""
    me = _teacher(request)
    inquiry = access_inquiry(me, inquiry_id, edit=True)
    sent = payload.dict(exclude_unset=True)
    team = _team(me, sent.pop("team")) if "team" in sent else inquiry.team
    if nulls := sorted(k for k, v in sent.items() if v is None):
        raise Invalid("A field sent cannot be null (leave it out to keep it).",
                      field=nulls[0])
    actions.do_update_inquiry(me, inquiry, team=team, **sent)
    return access_inquiry(me, inquiry.pk)


# ---------------------------------------------------------------------------- cycles


@router.get("/inquiries/{inquiry_id}/cycles", response=list[CycleOut],
            summary="An inquiry's PDSA cycles")
@support.paginate(ordering=("pk",))
def list_cycles(request: HttpRequest, inquiry_id: int) -> QuerySet[Cycle]:
    """Its Plan-Do-Study-Act cycles, first to latest."""
    return access_inquiry(_reader(request), inquiry_id).cycles.all()


@router.post("/inquiries/{inquiry_id}/cycles", response={201: CycleOut},
             summary="Start the next cycle")
def create_cycle(request: HttpRequest, inquiry_id: int) -> Answer:
    """The next cycle, starting from the latest one's Act decision and plan (the latest
    must be decided, and the inquiry not closed), as "Start the next cycle" does."""
    me = _teacher(request)
    inquiry = access_inquiry(me, inquiry_id, edit=True)
    latest = inquiry.cycles.order_by("-number").first()
    if latest is None:
        raise actions.InquiryRuleError("This inquiry has no cycle to follow.")
    return Answer(201, actions.do_start_next_cycle(me, latest))


@router.get("/cycles/{cycle_id}", response=CycleOut, summary="One cycle")
def get_cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """A cycle of an inquiry you may read."""
    return access_cycle(_reader(request), cycle_id)


@router.patch("/cycles/{cycle_id}", response=CycleOut, summary="Plan, study or act")
def update_cycle(request: HttpRequest, cycle_id: int, payload: CyclePatch) -> Cycle:
    """Change the plan's fields, the study notes, or record the Act decision with its
    reason (``close``: close the inquiry as well), as the cycle page's forms do."""
    me = _teacher(request)
    cycle = access_cycle(me, cycle_id, edit=True)
    sent = payload.dict(exclude_unset=True)
    plan = {k: sent[k] for k in actions.PLAN_FIELDS if k in sent}
    if any(plan.get(k) is None for k in ("plan", "prediction", "data_collection") if k in plan):
        raise Invalid("A text sent cannot be null (leave it out, or send \"\").")
    start = plan.get("start_date", cycle.start_date)
    end = plan.get("end_date", cycle.end_date)
    if start and end and end < start:
        raise Invalid("The cycle cannot end before it starts.", field="end_date")
    if "decision" not in sent and ("reason" in sent or payload.close):
        raise Invalid("Send the decision (adopt, adapt or abandon) with its reason.",
                      field="decision")
    if plan:
        actions.do_update_plan(me, cycle, **plan)
    if sent.get("study_notes") is not None:
        actions.do_save_study_notes(me, cycle, notes=sent["study_notes"])
    if sent.get("decision") is not None:
        actions.do_act(me, cycle, decision=sent["decision"], reason=sent.get("reason") or "",
                       close=payload.close, request=request)
    return access_cycle(me, cycle.pk)


@router.post("/cycles/{cycle_id}/log-entries", response={201: LogEntryOut},
             summary="Log what was done")
def create_log_entry(request: HttpRequest, cycle_id: int, payload: LogEntryIn) -> Answer:
    """A dated note of what was done during the cycle (the Do of PDSA), as the cycle
    page's log adds it (the inquiry's owner and team members)."""
    me = _teacher(request)
    cycle = access_cycle(me, cycle_id, edit=True)
    text = payload.text.strip()
    if not text:
        raise Invalid("Write what was done.", field="text")
    return Answer(201, actions.do_add_log_entry(me, cycle, when=payload.date, text=text))


# --------------------------------------------------------------------------- measures


def _measures() -> QuerySet[Measure]:
    return Measure.objects.prefetch_related("sections", "comparison_sections")


@router.get("/inquiries/{inquiry_id}/measures", response=list[MeasureOut],
            summary="An inquiry's measures")
@support.paginate(ordering=("pk",))
def list_measures(request: HttpRequest, inquiry_id: int) -> QuerySet[Measure]:
    """Its student-learning measures, with the classes that collect each."""
    inquiry = access_inquiry(_reader(request), inquiry_id)
    return _measures().filter(inquiry=inquiry)


@router.get("/measures/{measure_id}", response=MeasureOut, summary="One measure")
def get_measure(request: HttpRequest, measure_id: int) -> Measure:
    """A measure of an inquiry you may read."""
    return _measures().get(pk=access_measure(_reader(request), measure_id).pk)


@router.post("/inquiries/{inquiry_id}/measures", response={201: MeasureOut},
             summary="Add a measure")
def create_measure(request: HttpRequest, inquiry_id: int, payload: MeasureIn
                   ) -> Answer:
    """A measure of the inquiry (its owner and team members), collected in ``classes``
    you teach now, as "Add a measure" makes it; colleagues add their own classes."""
    me = _teacher(request)
    inquiry = access_inquiry(me, inquiry_id, edit=True)
    mine = {s.pk: s for s in sections_taught_by(me).filter(pk__in=payload.classes)}
    if strangers := [pk for pk in payload.classes if pk not in mine]:
        raise Invalid(f"Choose classes you teach now; {len(strangers)} of these are not.",
                      field="classes")
    if set(payload.comparison) - set(payload.classes):
        raise Invalid("A comparison class must be one of the classes that collect this "
                      "measure.", field="comparison")
    fields = payload.dict(exclude={"classes", "comparison", "likert_labels"})
    fields["likert_labels"] = "\n".join(label.strip() for label in payload.likert_labels)
    measure = actions.do_create_measure(
        me, inquiry, sections=list(mine.values()),
        comparison=[mine[pk] for pk in payload.comparison], **fields)
    return Answer(201, _measures().get(pk=measure.pk))


# -------------------------------------------------------------------------- occasions


@router.get("/measures/{measure_id}/occasions", response=list[OccasionOut],
            summary="A measure's data points")
@support.paginate(ordering=("pk",))
def list_occasions(request: HttpRequest, measure_id: int, date_from: date | None = None,
                   date_to: date | None = None, updated_since: datetime | None = None,
                   class_id: int | None = Query(None, ge=1, le=MAX_ID)
                   ) -> QuerySet[Occasion]:
    """Each class's data points of the measure with their counts (as the measure page
    lists them; no student's value): ``date_from``/``date_to`` (inclusive),
    ``updated_since`` (values or total changed at or after), ``class_id``."""
    measure = access_measure(_reader(request), measure_id)
    found = (Occasion.objects.filter(measure=measure)
             .select_related("section", "total")
             .annotate(n_values=Count("values", filter=Q(values__value__isnull=False)),
                       n_missing=Count("values", filter=Q(values__value__isnull=True))))
    found = support.where(found, date__gte=date_from, date__lte=date_to)
    if updated_since is not None:
        found = found.filter(updated_at__gte=_aware(updated_since))
    found = support.where(found, section_id=class_id)
    return found


def _date_out(request: HttpRequest, me: User, measure: Measure, when: date, label: str,
              occasions: list[Occasion], *, teaches_all: bool = False) -> OccasionDateOut:
    """The occasions' data; per-student values only where the study page shows student
    rows (always to the classes' current teachers: ``teaches_all``), and their reading
    audited."""
    ids = [o.pk for o in occasions]
    values: dict[int, list[ValueOut]] = {pk: [] for pk in ids}
    shown = {o.pk for o in occasions if teaches_all or may_see_student_rows(me, o.section)}
    counts: dict[int, list[int]] = {pk: [0, 0] for pk in ids}
    for occasion_id, pseudonym, value in (StudentValue.objects.filter(occasion_id__in=ids)
                                          .order_by("student__pseudonym")
                                          .values_list("occasion_id", "student__pseudonym",
                                                       "value")):
        counts[occasion_id][value is None] += 1
        if occasion_id in shown:
            values[occasion_id].append(ValueOut(student=pseudonym, value=value))
    read = [v.student for pk in shown for v in values[pk]]
    record_student_read(request, read, obj=measure,
                        summary=f"{measure.name}: values of {when:%Y-%m-%d} (API)")
    return OccasionDateOut(measure_id=measure.pk, date=when, label=label, classes=[
        ClassOccasionOut(
            occasion_id=o.pk, class_id=o.section_id, class_title=o.section.title,
            updated_at=o.updated_at, n_values=counts[o.pk][0], n_missing=counts[o.pk][1],
            total=(TotalOut(numerator=o.total.numerator, denominator=o.total.denominator)
                   if hasattr(o, "total") else None),
            values=values[o.pk] if o.pk in shown and measure.per_student else None,
            values_withheld=measure.per_student and o.pk not in shown)
        for o in occasions])


def _on_date(measure: Measure, when: date, label: str, classes: Any) -> list[Occasion]:
    return list(Occasion.objects.filter(measure=measure, date=when, label=label,
                                        section__in=classes)
                .select_related("section", "total").order_by("section__title", "pk"))


@router.get("/measures/{measure_id}/occasions/{date}", response=OccasionDateOut,
            summary="A date's values")
def get_occasion_values(request: HttpRequest, measure_id: int, date: date,
                        label: str = Query("", max_length=100),
                        class_id: int | None = Query(None, ge=1, le=MAX_ID)
                        ) -> OccasionDateOut:
    """The measure's data on that date (and ``label``), per class: each student's value by
    pseudonym (null: missing) where you may see the class's student rows (its teachers,
    the school's staff, the district's coordinators; the read is audited), the class
    total for proportions and counts. 404 when no class has data on that date."""
    me = _reader(request)
    measure = access_measure(me, measure_id)
    classes = measure.sections.all()
    classes = support.where(classes, pk=class_id)
    occasions = _on_date(measure, date, label, classes)
    if not occasions:
        raise Http404("No data on that date.")
    return _date_out(request, me, measure, date, label, occasions)


def _my_classes(me: User, measure: Measure, class_id: int | None) -> list[Section]:
    """The measure's classes she teaches now (she enters their data), or 404."""
    classes = list(measure.sections.filter(pk__in=sections_taught_by(me))
                   .select_related("school"))
    if class_id is not None:
        classes = [s for s in classes if s.pk == class_id]
    if not classes:
        raise Http404("No such class.")
    return classes


@router.put("/measures/{measure_id}/occasions/{date}",
            response={200: OccasionDateOut, 201: OccasionDateOut},
            summary="Save a date's values (upsert)")
@support.idempotent
def put_occasion_values(request: HttpRequest, measure_id: int, date: date,
                        payload: OccasionPut) -> Answer:
    """Create or update the measure's data on that date (and ``label``) for the classes
    you teach: each student's value by pseudonym (null: missing; students not sent keep
    theirs), each going to her class's occasion, made when missing; or, for proportions
    and counts, each class's total. Checked whole as data entry and imports check it (the
    scale, students of your classes, each student once): every item at fault is named by
    its position (from 1) and column, and nothing is saved. Up to 10,000 items. Send an
    ``Idempotency-Key`` to retry safely. 201 when an occasion was made, 200 otherwise."""
    me = _teacher(request)
    measure = access_measure(me, measure_id, edit=True)
    classes = _my_classes(me, measure, payload.class_id)
    written = actions.do_upsert_occasion(
        me, measure, date, label=payload.label, classes=classes,
        values=[(v.student, v.value) for v in payload.values],
        totals=[actions.SentTotal(t.class_id, t.numerator, t.denominator)
                for t in payload.totals], request=request)
    made = any(created for _, created in written)
    occasions = _on_date(measure, date, payload.label, [o.section_id for o, _ in written])
    # Written to classes she teaches now (``_my_classes``): she sees their students' rows.
    return Answer(201 if made else 200,
                  _date_out(request, me, measure, date, payload.label, occasions,
                            teaches_all=True))


@router.delete("/measures/{measure_id}/occasions/{date}", response={204: None},
               summary="Delete a date's data")
def delete_occasion_values(request: HttpRequest, measure_id: int, date: date,
                           label: str = Query("", max_length=100),
                           class_id: int | None = Query(None, ge=1, le=MAX_ID)) -> Answer:
    """Delete the data points on that date (and ``label``) of the classes you teach (or
    of ``class_id``), with their values or totals, as "Delete this data point" does for
    each (audited). Other teachers' classes keep theirs."""
    me = _teacher(request)
    measure = access_measure(me, measure_id, edit=True)
    occasions = _on_date(measure, date, label, _my_classes(me, measure, class_id))
    if not occasions:
        raise Http404("No data on that date.")
    for occasion in occasions:
        occasion.measure = measure
        actions.do_delete_occasion(me, occasion, request=request)
    return Answer(204, None)


# ---------------------------------------------------------------------------- results


def _limits(series: SeriesStudy) -> tuple[float | None, list[float | None], list[float | None]]:
    """The centre line and each point's limits as the page's chart draws them."""
    points = series.points
    b = series.baseline_n
    base = b if b and b < len(points) else None
    n = len(points)
    if not points:
        return None, [], []
    if series.chart == "run":
        return _num(runs_analysis([p.value for p in points], baseline_n=base).centre), \
            [None] * n, [None] * n
    data: dict[str, Any] = ({"values": [p.value for p in points]} if series.chart == "i" else
                            {"numerators": [float(p.numerator or 0) for p in points],
                             "denominators": [float(p.denominator or 0) for p in points]})
    chart = control_chart(**data, chart=series.chart, baseline_n=base)
    return (_num(chart.centre), [_num(x) for x in chart.ucl], [_num(x) for x in chart.lcl])


def _series_out(series: SeriesStudy) -> SeriesOut:
    centre, ucl, lcl = _limits(series)
    v = series.verdict
    b = series.baseline_n
    try:
        ihi = ihi_rules([p.value for p in series.points],
                        baseline_n=b if b and b < len(series.points) else None)
    except ValueError:
        ihi = None
    return SeriesOut(
        title=series.title, chart=series.chart,  # type: ignore[arg-type]
        baseline_n=b, label=series.label,  # type: ignore[arg-type]
        label_text=series.label_text, reason=series.reason,
        verdict=None if v is None else VerdictOut(
            label=v.label, reason=v.reason, centre=_num(v.centre),  # type: ignore[arg-type]
            n_baseline=v.n_baseline, n_followup=v.n_followup, rules=v.rules,
            evidence=[EvidenceOut(rule=e.rule, direction=e.direction,  # type: ignore[arg-type]
                                  points=list(e.points)) for e in v.evidence],
            runs=None if v.runs is None else RunsOut(**{
                **v.runs.to_dict(), "centre": _num(v.runs.centre)})),
        centre_line=centre,
        points=[PointOut(date=p.when, label=p.label, value=_num(p.value),
                         numerator=p.numerator, denominator=p.denominator,
                         n_students=p.n_students, events=list(p.events), ucl=u, lcl=lo)
                for p, u, lo in zip(series.points, ucl, lcl, strict=True)],
        ihi=None if ihi is None else IhiOut(**{**ihi.to_dict(), "centre": _num(ihi.centre)}),
        second_lens=second_lens(series.points, b, series.chart) if series.points else "")


def _block_out(study: ClassStudy, classes: list[Section]) -> StudyBlockOut:
    """One block of the study page: what it shows, for the same reader."""
    held = study.held_back
    paired = study.paired if not held else None
    growth = study.growth
    comparison = study.comparison
    design = comparison.design if comparison is not None else None
    return StudyBlockOut(
        title=study.series.title,
        classes=[ClassRef(id=s.pk, title=s.title, school_id=s.school_id) for s in classes],
        series=_series_out(study.series), held_back=held,
        paired=None if paired is None else PairedOut.model_validate({
            k: (_num(getattr(paired, k)) if isinstance(getattr(paired, k), float) else
                getattr(paired, k)) for k in PairedOut.model_fields}),
        paired_message=study.paired_message,
        growth=None if growth is None else GrowthOut(
            basis=growth.basis, n_students=growth.n_students,
            n_with_growth=growth.n_with_growth, n_without_growth=growth.n_without_growth,
            median_change=None if held else _num(growth.median_change),
            mean_change=None if held else _num(growth.mean_change),
            n_improved=growth.n_improved, n_stayed=growth.n_stayed,
            n_declined=growth.n_declined),
        rows_withheld=study.rows_withheld,
        students=None if study.rows_withheld or growth is None else [
            StudentRowOut(student=g.student, before=_num(g.first_score),
                          after=_num(g.last_score), change=_num(g.change),
                          outcome=g.outcome, n_before=getattr(g, "n_baseline", None),
                          n_after=getattr(g, "n_after", None))
            for g in growth.students],
        groups=None if study.rows_withheld or held else [
            GroupOut(dimension=g.dimension, group=g.group, n=g.n,
                     median_change=_num(g.median_change)) for g in study.groups],
        comparison=None if comparison is None else ComparisonOut(
            rows=[ComparisonRowOut(group=r.group, classes=list(r.classes), n=r.n,
                                   mean_before=_num(r.mean_before),
                                   mean_after=_num(r.mean_after)) for r in comparison.rows],
            message=comparison.message,
            baseline_g=_num(design.baseline.g) if design else None,
            equivalence=design.equivalence.status if design else None,
            equivalence_message=design.equivalence.message if design else "",
            outcome_g=_num(design.outcome.g) if design else None,
            effect=_num(design.effect) if design else None,
            effect_kind=design.effect_kind if design else None,
            improvement_index=_num(design.improvement_index) if design else None,
            ci_low=_num(design.ci_low) if design else None,
            ci_high=_num(design.ci_high) if design else None,
            p_value=_num(design.cluster.p_value) if design and design.cluster else None))


@router.get("/measures/{measure_id}/results", response=ResultsOut,
            summary="Study results of a measure's series")
def get_results(request: HttpRequest, measure_id: int) -> ResultsOut:
    """What the study page shows, as numbers: for each class and for the classes together
    (only those trying the change, when some are comparison classes), the series with its
    verdict and reason, each rule's result (Anhøj runs, the control chart's limits, the IHI
    rules as a second lens), the paired change with its intervals, growth, groups with
    small ones hidden, and the comparison design. Each student's row (by pseudonym) only
    where the page shows it; that read is audited."""
    me = _reader(request)
    measure = access_measure(me, measure_id)
    study = study_measure(me, measure, names=False, render=False)
    record_student_read(request, study.pseudonyms, obj=measure,
                        summary=f"Study results of {measure.name} (API, per-student growth)")
    return ResultsOut(
        measure_id=measure.pk, name=measure.name, kind=measure.kind,  # type: ignore[arg-type]
        direction=measure.direction, change_date=measure.change_date,  # type: ignore[arg-type]
        min_group_size=settings.MIN_GROUP_SIZE,
        classes=[_block_out(b, [s]) for s, b in study.blocks],
        together=None if study.together is None else _block_out(study.together, study.pooled),
        together_heading=study.together_heading)
