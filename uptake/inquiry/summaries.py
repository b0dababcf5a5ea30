"""Per-series summaries: each measure's study figures computed ahead, for the district's
dashboards (``SeriesSummary``: one row per class and one for the classes together).

A summary is never a second analysis: :func:`refresh_measure` calls the study page's own
functions (``uptake.inquiry.study.study_class``, with its series, verdict, paired change
and per-student growth) and copies what they found. The only figure the page does not show
is the class's standardized mean change for pooling, computed by
``uptake.analysis.pooling.standardized_mean_change`` from the same per-student phase means
the paired change rests on.

When is a summary refreshed? Every inquiry action that changes what the study would show
(data, classes, direction, change date, chart, deleted occasions, the inquiry's status)
calls :func:`mark_stale`, which marks the measure's rows stale at once and, once the
action's transaction commits, queues ``uptake.inquiry.tasks.refresh_summaries``. It also
moves the measure's ``summaries_version`` on: a refresh writes its rows only if the version
is still the one it saw before reading the data (checked under the measure's row lock), so
a change that commits while a refresh is computing is never overwritten by rows marked
fresh; the refresh reads again (a few times at most) or leaves the rows stale for the
refresh the change queued. A reader
that finds stale or missing rows refreshes them first (``uptake.inquiry.queries``), so a
dashboard is right even while the worker is behind. ``manage.py refresh_summaries``
rebuilds them all.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from uptake.analysis.pooling import standardized_mean_change
from uptake.inquiry.models import Measure, SeriesSummary, StudentValue
from uptake.inquiry.study import (
    DIMENSIONS,
    ClassStudy,
    GroupChanges,
    split_comparison,
    study_class,
)
from uptake.roster.models import Section
from uptake.roster.queries import current_students, student_counts

logger = logging.getLogger(__name__)

# The study's grouping titles ("English learners") -> the summary's attribute keys.
ATTRIBUTE_OF_TITLE = {title: attr for attr, title in DIMENSIONS}


# ------------------------------------------------------------------- marking stale


def mark_stale(measure_ids: Iterable[int]) -> None:
    """The measures' summaries no longer match their data: mark them stale now and, once
    the caller's transaction commits, queue their refresh (a worker recomputes them;
    a reader that comes first recomputes them itself)."""
    ids = sorted({int(pk) for pk in measure_ids})
    if not ids:
        return
    # The version first: a refresh computing from the data before this change will not
    # write its rows once the change commits (``refresh_measure``).
    Measure.objects.filter(pk__in=ids).update(summaries_version=F("summaries_version") + 1)
    SeriesSummary.objects.filter(measure_id__in=ids).update(stale=True)
    transaction.on_commit(partial(_enqueue, ids))


def mark_district_stale(district_id: int) -> None:
    """Every summary of the district is stale (a roster import moved students or changed
    their classes, schools or attributes)."""
    ids = list(Measure.objects.filter(inquiry__district_id=district_id)
               .values_list("pk", flat=True))
    mark_stale(ids)


def roster_changed_receiver(sender: Any, *, district_id: int, **kwargs: Any) -> None:
    """``uptake.roster.actions.roster_changed``: an import changed the district's roster."""
    mark_district_stale(district_id)


def _enqueue(ids: list[int]) -> None:
    from uptake.inquiry.tasks import refresh_summaries

    try:
        refresh_summaries.enqueue(ids)
    except Exception:
        # Readers refresh stale rows themselves; a lost task only makes a page slower.
        logger.exception("Could not queue the refresh of %d measures' summaries", len(ids))


# ------------------------------------------------------------------------ refreshing


def refresh_measures(measures: Iterable[Measure | int]) -> int:
    """Recompute each measure's rows (ids of measures deleted meanwhile are skipped);
    returns how many measures were refreshed."""
    ids = [m.pk if isinstance(m, Measure) else int(m) for m in measures]
    done = 0
    for measure in (Measure.objects.filter(pk__in=ids).select_related("inquiry")
                    .order_by("pk")):
        refresh_measure(measure)
        done += 1
    return done


# How many times a refresh reads the data again when it changed while it was computing;
# after that the rows stay stale for the refresh the change queued (or the next reader).
REFRESH_ATTEMPTS = 3


def refresh_measure(measure: Measure) -> list[SeriesSummary]:
    """Recompute one measure's rows from the study (analysed once, written in one
    transaction: the old rows are replaced). Rows are written only from data no change
    has overtaken (``summaries_version``); returns them, or [] when the measure is gone
    or kept changing (its rows then stay stale)."""
    for _ in range(REFRESH_ATTEMPTS):
        current = _version(measure.pk)
        if current is None:
            return []  # deleted: its rows went with it
        if current != measure.summaries_version:  # settings may have changed too
            measure = Measure.objects.select_related("inquiry").get(pk=measure.pk)
        written = _write(measure, _summarise(measure))
        if written is not None:
            return written
    logger.info("Measure %d kept changing during its summaries' refresh; left stale",
                measure.pk)
    return []


def _version(measure_id: int) -> int | None:
    return (Measure.objects.filter(pk=measure_id)
            .values_list("summaries_version", flat=True).first())


def _write(measure: Measure, rows: list[SeriesSummary]) -> list[SeriesSummary] | None:
    """Replace the measure's rows with ``rows`` computed at ``measure.summaries_version``;
    None (nothing written) when a change has moved the version on since."""
    with transaction.atomic():
        # The row lock serialises two refreshes of one measure and waits for a change
        # still being saved (mark_stale updates this row); SQLite has one writer anyway.
        current = (Measure.objects.select_for_update().filter(pk=measure.pk)
                   .values_list("summaries_version", flat=True).first())
        if current is None:
            return []  # deleted meanwhile: its rows went with it
        if current != measure.summaries_version:
            return None
        SeriesSummary.objects.filter(measure=measure).delete()
        SeriesSummary.objects.bulk_create(rows)
    return rows


def _summarise(measure: Measure) -> list[SeriesSummary]:
    sections = list(measure.sections.select_related("school").order_by("title", "pk"))
    trying, compared = split_comparison(measure, sections)
    counts = _student_counts(measure, sections)
    now = timezone.now()
    base = {"measure": measure, "district_id": measure.inquiry.district_id,
            "kind": measure.kind, "direction": measure.direction, "refreshed_at": now}
    rows: list[SeriesSummary] = []
    studies: dict[int, ClassStudy] = {}
    for section in sections:
        study = study_class(measure, [section], title=f"{measure.name}: {section.title}",
                            render=False)
        studies[section.pk] = study
        rows.append(_row(measure, study, counts.get(section.pk, 0), base, section=section,
                         school_id=section.school_id, grade=section.grades,
                         comparison=section in compared,
                         groups=study.group_changes))
    # The classes together as the study page pools them: those trying the change when
    # some are comparison classes, all of them otherwise; one class is its own together.
    pooled = trying or sections
    if len(sections) == 1:
        together = studies[sections[0].pk]
    elif sections:
        together = study_class(measure, pooled, title=f"{measure.name}: together",
                               together=True, parts=[studies[s.pk] for s in pooled],
                               compared=sections, render=False)
    else:
        together = None
    schools = {s.school_id for s in pooled}
    grades = {s.grades for s in pooled}
    if together is not None:
        rows.append(_row(measure, together, counts.get(None, 0), base, section=None,
                         school_id=schools.pop() if len(schools) == 1 else None,
                         grade=grades.pop() if len(grades) == 1 else "", comparison=False,
                         groups=_combined([studies[s.pk].group_changes for s in pooled])))
    else:
        rows.append(SeriesSummary(section=None, school_id=None, grade="", **base))
    return rows


def _row(measure: Measure, study: ClassStudy, n_students: int, base: dict[str, Any], *,
         section: Section | None, school_id: int | None, grade: str, comparison: bool,
         groups: GroupChanges) -> SeriesSummary:
    series = study.series
    paired = study.paired
    # "Not enough data" gives counts, never a change as a result (as the study page).
    shown = paired if paired is not None and not study.held_back else None
    smc, smc_variance = _smc(measure, study) if shown is not None else (None, None)
    return SeriesSummary(
        section=section, school_id=school_id, grade=grade, comparison=comparison,
        verdict=series.label or "", reason=series.reason, n_students=n_students,
        n_points=len(series.points), paired_n=paired.n if paired is not None else None,
        mean_change=_finite(shown.mean_difference) if shown else None,
        ci_low=_finite(shown.ci_low) if shown else None,
        ci_high=_finite(shown.ci_high) if shown else None,
        d_av=_finite(shown.d_av) if shown else None,
        smc=smc, smc_variance=smc_variance, groups=_groups(groups), **base)


def _smc(measure: Measure, study: ClassStudy) -> tuple[float | None, float | None]:
    """The class's standardized mean change (SMCR) from each student's baseline and after
    means, signed so that positive is better; None when it cannot be computed."""
    growth = study.growth
    if growth is None:
        return None, None
    kept = [g for g in growth.students if g.change is not None
            and g.first_score is not None and g.last_score is not None]
    pre = [float(g.first_score) for g in kept]  # type: ignore[arg-type]
    post = [float(g.last_score) for g in kept]  # type: ignore[arg-type]
    try:
        effect = standardized_mean_change(pre, post)
    except ValueError:
        return None, None
    sign = -1.0 if measure.direction == Measure.Direction.DOWN else 1.0
    yi, vi = _finite(effect.yi), _finite(effect.vi)
    if yi is None or vi is None:
        return None, None
    return sign * yi, vi


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _combined(parts: Sequence[GroupChanges]) -> GroupChanges:
    """The classes' groups pooled as the study's all-classes table pools them (a student
    in two classes counts in each)."""
    out: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for part in parts:
        for title, groups in part.items():
            for name, changes in groups.items():
                out[title][name].extend(changes)
    return {title: {name: tuple(sorted(v)) for name, v in groups.items()}
            for title, groups in out.items()}


def _groups(changes: GroupChanges) -> dict[str, dict[str, dict[str, Any]]]:
    """{attribute: {group: {"n", "mean_change"}}}, unsuppressed."""
    return {ATTRIBUTE_OF_TITLE.get(title, title): {
        name: {"n": len(v), "mean_change": (sum(v) / len(v)) if v else None}
        for name, v in groups.items()} for title, groups in changes.items()}


def _student_counts(measure: Measure, sections: Sequence[Section]) -> dict[int | None, int]:
    """Students behind each class's figures (key None: the classes together).

    Per-student kinds: students with at least one value; class totals: the class's
    current students (a total names no student)."""
    if not sections:
        return {}
    trying = split_comparison(measure, sections)[0] or list(sections)
    if measure.per_student:
        pairs = set(StudentValue.objects.filter(
            occasion__measure=measure, occasion__section__in=sections, value__isnull=False)
            .values_list("occasion__section_id", "student_id").distinct())
        out: dict[int | None, int] = defaultdict(int)
        for section_id, _ in pairs:
            out[section_id] += 1
        pooled = {s.pk for s in trying}
        out[None] = len({sid for section_id, sid in pairs if section_id in pooled})
        return dict(out)
    counts: dict[int | None, int] = {k: n for k, n in student_counts(sections).items()}
    counts[None] = current_students(trying).count()
    return counts
