"""What a published story shows, frozen: the snapshot a family reads.

``build_snapshot(story, actor)`` gathers the story's charts (verdict, reason, chart drawn
on the server, its text alternative and data table), its class-level results, its group
results after suppression, its artifacts and the evidence ladder into plain JSON, so that
the share view and the PDF draw exactly what was published, and a later change to the
data changes nothing a family sees until the teacher refreshes it.

Nothing in it identifies a student: no names, no pseudonyms, no per-student rows. A chart
is published only if every point rests on at least ``MIN_GROUP_SIZE`` students (a class
mean of four students is close to four students' scores); class-level results only when
that many students have them; group results as the study page suppresses them
(complementary suppression included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from uptake import registry
from uptake.evidence.models import GuskeyLevel
from uptake.inquiry.study import MeasureStudy, cached_study

if TYPE_CHECKING:
    from uptake.accounts.models import User
    from uptake.inquiry.models import Measure
    from uptake.inquiry.study import ClassStudy
    from uptake.roster.models import Section
    from uptake.stories.models import Story, StoryChart

# Bumped when the snapshot's shape changes; the share view reads every version it knows.
VERSION = 1


@dataclass(frozen=True)
class ChartProblem:
    """Why a chosen chart cannot be published."""

    chart: str
    message: str


def _fmt(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def chart_title(measure: Measure, section: Section | None, study: MeasureStudy) -> str:
    if section is not None:
        return f"{measure.name}: {section.title}"
    if study.together is not None:
        return f"{measure.name}: {study.together_heading.lower()}"
    return f"{measure.name}: {study.blocks[0][0].title}" if study.blocks else measure.name


def _block(study: MeasureStudy, section: Section | None) -> ClassStudy | None:
    if section is None:
        return study.together or (study.blocks[0][1] if study.blocks else None)
    return next((b for s, b in study.blocks if s.pk == section.pk), None)


def _smallest_point(block: ClassStudy) -> int | None:
    """The fewest students any point rests on (None for a series with no points)."""
    sizes = [p.denominator if p.denominator is not None else p.n_students
             for p in block.series.points if p.value is not None]
    return min(sizes) if sizes else None


def chart_problem(chosen: StoryChart, actor: User, study: MeasureStudy | None = None
                  ) -> tuple[ChartProblem | None, ClassStudy | None, str]:
    """Whether ``chosen`` may be published, with its block and title; ``study`` is the
    measure's study when the caller has it (the builder asks for each class of one
    measure). Studies are read from the pages cache: the story page compares the snapshot
    with a fresh one at every view, which is the same study until the data change."""
    if study is None:
        study = cached_study(actor, chosen.measure, names=False)
    block = _block(study, chosen.section)
    title = chart_title(chosen.measure, chosen.section, study)
    if block is None:
        return ChartProblem(title, "This class is no longer one of the measure's classes."), \
            None, title
    smallest = _smallest_point(block)
    if smallest is None:
        return ChartProblem(title, "This chart has no data yet."), None, title
    if smallest < settings.MIN_GROUP_SIZE:
        return ChartProblem(title, (
            f"Some points rest on fewer than {settings.MIN_GROUP_SIZE} students "
            f"(the fewest is {smallest}), so a reader could work out a student's score. "
            "Choose the classes together, or leave this chart out.")), None, title
    return None, block, title


def _chart(block: ClassStudy, title: str, measure: Measure) -> dict[str, Any]:
    series = block.series
    verdict = series.verdict
    out: dict[str, Any] = {
        "title": title,
        "measure": measure.name,
        "direction": measure.direction,
        "verdict": series.label,  # None: no change date set, so no verdict
        "verdict_text": series.label_text,
        "reason": verdict.reason if verdict is not None else "",
        "svg": series.svg,
        "svg_narrow": series.svg_narrow,
        "description": series.description,
        "points": [{"when": p.when.isoformat(), "name": p.name, "value": _fmt(p.value),
                    "n": p.denominator if p.denominator is not None else p.n_students,
                    "phase": ("before" if series.baseline_n is not None and i < series.baseline_n
                              else "after" if series.baseline_n is not None else "")}
                   for i, p in enumerate(series.points)],
        "change": None,
        "growth": None,
        "groups": [],
    }
    minimum = settings.MIN_GROUP_SIZE
    paired = block.paired
    if paired is not None and paired.n >= minimum and not block.held_back:
        out["change"] = {"n": paired.n, "mean": _fmt(paired.mean_difference),
                         "low": _fmt(paired.ci_low), "high": _fmt(paired.ci_high),
                         "confidence": round(paired.confidence_level * 100)}
    growth = block.growth
    if growth is not None and growth.n_with_growth >= minimum and not block.held_back:
        out["growth"] = {"n": growth.n_with_growth, "improved": growth.n_improved,
                         "stayed": growth.n_stayed, "declined": growth.n_declined}
    out["groups"] = [{"dimension": g.dimension, "group": g.group, "n": g.n,
                      "median_change": _fmt(g.median_change)} for g in block.groups]
    return out


def evidence_ladder(inquiry: Any) -> list[dict[str, Any]]:
    """Guskey's five levels for ``inquiry``: each with what evidences it (counts by kind,
    from every app's ``registry.evidence_kinds``), empty levels included."""
    levels: list[dict[str, Any]] = [
        {"level": int(level), "label": level.label.split(" ", 1)[1], "items": []}
        for level in GuskeyLevel]
    for kind in registry.evidence_kinds:
        count = kind.count(inquiry)
        if count:
            levels[kind.level - 1]["items"].append({"label": kind.label, "count": count})
    return levels


def artifact_allowed(artifact: Any) -> bool:
    """An artifact may be shown to a story's readers: it identifies no student, or a
    consent for story links (or wider) is in force for it."""
    from uptake.stories.models import Consent

    return (not artifact.identifies_students) or Consent.objects.filter(
        artifact=artifact, withdrawn_at__isnull=True).exists()


def shown_now(snapshot: dict[str, Any], *, inquiry_id: int) -> list[tuple[dict[str, Any], Any]]:
    """The snapshot's artifacts that may be shown now, each with its row: it still exists,
    is still evidence of the story's inquiry, and identifies no student or has consent in
    force. Checked at every reading (the share page, its files, the PDF), snapshot or not."""
    from uptake.evidence.models import Artifact

    pieces = snapshot.get("artifacts") or []
    wanted = [p.get("artifact_id") for p in pieces]
    found = {a.pk: a for a in Artifact.objects.filter(
        pk__in=[pk for pk in wanted if isinstance(pk, int)], inquiry_id=inquiry_id)}
    return [(p, a) for p in pieces
            if (a := found.get(p.get("artifact_id"))) is not None and artifact_allowed(a)]


def _artifact(piece: Any) -> dict[str, Any]:
    a = piece.artifact
    return {"artifact_id": a.pk, "title": a.title, "kind": a.kind,
            "kind_label": a.get_kind_display(), "caption": piece.caption,
            "description": a.description, "is_image": a.is_image,
            "has_file": bool(a.file), "link": a.link, "body": a.body,
            "identifies_students": a.identifies_students}


def build_snapshot(story: Story, actor: User) -> tuple[dict[str, Any], list[ChartProblem]]:
    """The snapshot to publish, and the problems that stop it (none: it may be published).

    Artifacts that identify students without consent are problems too."""
    problems: list[ChartProblem] = []
    charts = []
    for chosen in story.charts.select_related("measure", "measure__inquiry", "section"):
        problem, block, title = chart_problem(chosen, actor)
        if problem is not None:
            problems.append(problem)
        elif block is not None:
            charts.append(_chart(block, title, chosen.measure))
    pieces = []
    for piece in story.pieces.select_related("artifact"):
        if artifact_allowed(piece.artifact):
            pieces.append(_artifact(piece))
        else:
            problems.append(ChartProblem(piece.artifact.title, (
                "This artifact could identify a student. Record the family's consent "
                "before it can be published, or leave it out.")))
    inquiry = story.inquiry
    owner = inquiry.owner
    schools = sorted({s.school.name for m in inquiry.measures.all()
                      for s in m.sections.select_related("school") if s.school_id})
    snapshot = {
        "version": VERSION,
        "taken_at": timezone.now().isoformat(),
        "title": story.title,
        "language": story.language,
        "teacher": owner.display_name,
        "school": ", ".join(schools),
        "district": str(story.district),
        "question": story.question,
        "what_changed": story.what_changed,
        "what_happened": story.what_happened,
        "whats_next": story.whats_next,
        "charts": charts,
        "artifacts": pieces,
        "ladder": evidence_ladder(inquiry),
        "min_group_size": settings.MIN_GROUP_SIZE,
    }
    return snapshot, problems
