"""The pre-check: before she submits, exactly what is missing; and the impact evidence the
assessor reads, straight from her measures.

:func:`precheck` returns one :class:`Check` per requirement of the tier (sources, research-
based sources, artifacts, a lesson plan, links, a goal, the reflection's length, student
data for the impact rule, the credentials a stack needs first). A submission is sent only
when every check passes. :func:`impact_rows` gives each selected measure's verdict per class
with its reason and the class's paired change, computed now by ``uptake.inquiry.study``
from her data: nobody re-types a claim about impact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from uptake.credentials.models import Award, Item, Submission, Tier
from uptake.inquiry.models import Measure
from uptake.inquiry.study import MeasureStudy, study_measure

if TYPE_CHECKING:
    from uptake.accounts.models import User

_WORD = re.compile("[\\w\u2019']+")


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters, digits and apostrophes.

    >>> word_count("Students' talk moves changed: 3 of 4 groups, don't you think?")
    11
    """
    return len(_WORD.findall(text or ""))


@dataclass(frozen=True)
class Check:
    key: str
    label: str  # what is required ("Two sources, one research-based")
    ok: bool
    detail: str  # what she has, or exactly what is missing

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImpactRow:
    """One class of one selected measure: the verdict with its reason, and the paired
    change (same students, before and after) in the direction the measure counts as
    better, when it can be computed."""

    measure_id: int
    measure: str
    inquiry: str
    group: str  # the class, or "All classes together"
    verdict: str  # label key ("sustained_improvement", ...) or "" before a change date
    verdict_text: str
    reason: str
    improvement: float | None  # mean paired change, signed so that > 0 is better
    paired_n: int | None
    paired_text: str
    has_data: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _targets(submission: Submission, kind: str) -> list[Any]:
    return [getattr(i, kind) for i in submission.items.all()
            if i.kind == kind and getattr(i, f"{kind}_id") is not None]


def _count_check(key: str, need: int, have: int, thing: str, things: str) -> Check:
    label = f"At least {need} {thing if need == 1 else things}"
    if have >= need:
        return Check(key, label, True, f"{have} selected.")
    missing = need - have
    return Check(key, label, False,
                 f"{have} selected; select {missing} more {thing if missing == 1 else things}.")


def impact_rows(submission: Submission, reader: User | None = None, *,
                studies: Mapping[int, MeasureStudy] | None = None) -> list[ImpactRow]:
    """Each selected measure's verdict per class (and all classes together), from her
    data as it is now. ``reader`` decides only whether per-student rows are computed
    (never shown here): the educator or an assessor. ``studies`` (measure id → study)
    are used where given, so a page that draws the charts studies each measure once."""
    rows: list[ImpactRow] = []
    for measure in _targets(submission, Item.Kind.MEASURE):
        assert isinstance(measure, Measure)
        study = (studies or {}).get(measure.pk) or study_measure(
            reader or submission.educator, measure, names=False, render=False)
        blocks = [(section.title, block) for section, block in study.blocks]
        if study.together is not None:
            blocks.append((study.together_heading or "All classes together", study.together))
        better = 1.0 if measure.direction == Measure.Direction.UP else -1.0
        for group, block in blocks:
            series = block.series
            paired = block.paired
            improvement = None if paired is None else better * paired.mean_difference
            if paired is not None:
                paired_text = (f"Mean change {paired.mean_difference:+.2f} for {paired.n} "
                               f"students (95% CI {paired.ci_low:+.2f} to "
                               f"{paired.ci_high:+.2f}).")
            else:
                paired_text = block.paired_message or "No paired change for this kind of " \
                                                      "measure."
            rows.append(ImpactRow(
                measure_id=measure.pk, measure=measure.name, inquiry=measure.inquiry.title,
                group=group, verdict=series.label or "", verdict_text=series.label_text,
                reason=series.reason, improvement=improvement,
                paired_n=None if paired is None else paired.n, paired_text=paired_text,
                has_data=any(p.value is not None for p in series.points)))
    return rows


def impact_check(tier: Tier, rows: list[ImpactRow], reflection_ok: bool) -> Check | None:
    """Whether her measures show what this tier counts as impact (None: no rule)."""
    rule = tier.impact_rule
    if not rule:
        return None
    label = Tier.Impact(rule).label
    if not rows:
        return Check("impact", label, False,
                     "Select a measure of student data from one of your inquiries.")
    if rule == Tier.Impact.DATA_AND_REFLECTION:
        with_data = [r for r in rows if r.has_data]
        if not with_data:
            return Check("impact", label, False,
                         "The measures selected hold no data yet; enter your students' "
                         "results first.")
        if not reflection_ok:
            return Check("impact", label, False,
                         "Student data is selected; the reflection explaining it is not "
                         "complete yet (see the reflection check).")
        return Check("impact", label, True,
                     f"Data from {len({r.measure_id for r in with_data})} measure(s); "
                     "whatever the results, they count.")
    if rule == Tier.Impact.SUSTAINED_IMPROVEMENT:
        hits = [r for r in rows if r.verdict == "sustained_improvement"]
        if hits:
            r = hits[0]
            return Check("impact", label, True,
                         f"{r.measure}, {r.group}: sustained improvement. {r.reason}")
        best = "; ".join(f"{r.measure}, {r.group}: {r.verdict_text}" for r in rows[:4])
        return Check("impact", label, False,
                     f"No class shows a sustained improvement yet ({best}).")
    need = float(tier.impact_min_change or Decimal("0"))
    scored = [r for r in rows if r.improvement is not None]
    hits = [r for r in scored if r.improvement is not None and r.improvement >= need]
    if hits:
        r = hits[0]
        return Check("impact", label, True,
                     f"{r.measure}, {r.group}: {r.paired_text}")
    if not scored:
        return Check("impact", label, False,
                     "No class has a paired change yet: " + rows[0].paired_text)
    top = max(scored, key=lambda r: r.improvement or 0.0)
    return Check("impact", label, False,
                 f"The largest change is {top.improvement:+.2f} ({top.measure}, {top.group}); "
                 f"this tier needs at least {need:+.2f}.")


def _reflection_check(tier: Tier, submission: Submission) -> Check | None:
    lo, hi = tier.reflection_min_words, tier.reflection_max_words
    if lo is None and hi is None and not tier.accepts_video:
        return None
    if lo is not None and hi is not None:
        label = f"A reflection of {lo} to {hi} words"
    elif lo is not None:
        label = f"A reflection of at least {lo} words"
    elif hi is not None:
        label = f"A reflection of at most {hi} words"
    else:
        label = "A reflection"
    if tier.accepts_video:
        label += " or a short video"
        video = submission.reflection_video
        if video is not None:
            return Check("reflection", label, True,
                         f"Video reflection: “{video.title}”"
                         + _video_bounds(tier) + " The assessor checks its length.")
    words = word_count(submission.reflection)
    if words == 0:
        return Check("reflection", label, False, "Write your reflection"
                     + (" or choose a video of yours." if tier.accepts_video else "."))
    if lo is not None and words < lo:
        return Check("reflection", label, False,
                     f"{words} words; write at least {lo - words} more.")
    if hi is not None and words > hi:
        return Check("reflection", label, False,
                     f"{words} words; cut at least {words - hi}.")
    return Check("reflection", label, True, f"{words} words.")


def _video_bounds(tier: Tier) -> str:
    lo, hi = tier.video_min_seconds, tier.video_max_seconds
    if lo is None and hi is None:
        return "."
    def mins(s: int) -> str:
        return f"{s // 60}:{s % 60:02d}"
    if lo is not None and hi is not None:
        return f" ({mins(lo)} to {mins(hi)} minutes asked)."
    return f" (at least {mins(lo)} minutes asked)." if lo is not None else \
        f" (at most {mins(hi or 0)} minutes asked)."


def missing_prerequisites(submission: Submission) -> list[str]:
    """Titles of the credentials this one stacks on that she has not earned."""
    needed = list(submission.tier.version.requires.all())
    earned = set(Award.objects.filter(educator_id=submission.educator_id,
                                      credential__in=needed)
                 .values_list("credential_id", flat=True))
    return [str(c) for c in needed if c.pk not in earned]


def precheck(submission: Submission, *, rows: list[ImpactRow] | None = None) -> list[Check]:
    """Every requirement of the tier, each passed or saying exactly what is missing."""
    tier = submission.tier
    checks: list[Check] = []
    sources = _targets(submission, Item.Kind.SOURCE)
    artifacts = _targets(submission, Item.Kind.ARTIFACT)
    if tier.min_sources:
        checks.append(_count_check("sources", tier.min_sources, len(sources),
                                   "learning source", "learning sources"))
    if tier.min_research_sources:
        research = sum(1 for s in sources if s.research_based)
        checks.append(_count_check("research", tier.min_research_sources, research,
                                   "research-based source", "research-based sources"))
    if tier.min_artifacts:
        checks.append(_count_check("artifacts", tier.min_artifacts, len(artifacts),
                                   "artifact", "artifacts"))
    if tier.needs_lesson_plan:
        plans = [a for a in artifacts if a.kind == "lesson_plan"]
        practices = _targets(submission, Item.Kind.PRACTICE)
        ok = bool(plans or practices)
        checks.append(Check("lesson_plan", "A lesson plan or overview others can use", ok,
                            f"{len(plans) + len(practices)} selected." if ok else
                            "Select a lesson-plan artifact or a practice you shared in the "
                            "library."))
    if tier.min_links:
        links = sum(1 for s in sources if s.link) + sum(
            1 for a in artifacts if a.kind == "link" or a.link)
        checks.append(_count_check("links", tier.min_links, links,
                                   "link to a resource", "links to resources"))
    if tier.needs_goal:
        goals = _targets(submission, Item.Kind.GOAL)
        checks.append(Check("goal", "A SMART goal from your learning plan", bool(goals),
                            f"{len(goals)} selected." if goals else
                            "Select a goal of your learning plan."))
    reflection = _reflection_check(tier, submission)
    if reflection is not None:
        checks.append(reflection)
    if tier.impact_rule:
        found = impact_rows(submission) if rows is None else rows
        impact = impact_check(tier, found, reflection is None or reflection.ok)
        if impact is not None:
            checks.append(impact)
    missing = missing_prerequisites(submission)
    if missing:
        checks.append(Check("prerequisites", "Credentials this one builds on", False,
                            "Earn these first: " + "; ".join(missing) + "."))
    if not checks:
        checks.append(Check("anything", "Something to show", bool(submission.items.exists()
                                                                  or submission.reflection),
                            "Select at least one of your records or write a reflection."))
    return checks


def ready(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)
