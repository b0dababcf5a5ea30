"""Filters and tags for the one story partial (``stories/_story.html``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from uptake.stories import wording

register = template.Library()


@register.filter
def verdict_heading(label: str | None) -> str:
    return wording.verdict_heading(label)


@register.filter
def verdict_tone(label: str | None) -> str:
    return wording.verdict_tone(label)


@register.filter
def chart_explainer(chart: dict[str, Any]) -> str:
    return wording.chart_explainer(chart)


@register.filter
def change_sentence(change: dict[str, Any] | None) -> str:
    return wording.change_sentence(change)


@register.filter
def change_basis(change: dict[str, Any] | None) -> str:
    return wording.change_basis(change)


@register.filter
def growth_sentence(growth: dict[str, Any] | None) -> str:
    return wording.growth_sentence(growth)


@register.filter
def group_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return wording.group_rows(groups)


@register.filter
def ladder_label(label: str) -> str:
    return wording.ladder_label(label)


@register.filter
def ladder_known(label: str) -> bool:
    return wording.ladder_known(label)


@register.filter
def level_name(level: int) -> str:
    return wording.level_name(level)


@register.filter
def iso_datetime(value: Any) -> datetime | None:
    """A snapshot's ISO timestamp as a datetime (for ``|date``)."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


@register.simple_tag(takes_context=True)
def story_artifact_url(context: template.Context, artifact: dict[str, Any]) -> str:
    """Where the reader fetches an artifact's file: ``artifact_url`` in the context is a
    callable taking the artifact's id (the share view's, the builder's); none: no link."""
    maker = context.get("artifact_url")
    if maker is None or not artifact.get("has_file"):
        return ""
    return maker(artifact["artifact_id"]) or ""


@register.simple_tag(takes_context=True)
def story_artifacts(context: template.Context) -> list[dict[str, Any]]:
    """The artifacts to show: ``artifacts`` from the view when it gives them (the share view
    passes only those still allowed), else the snapshot's."""
    for layer in reversed(context.dicts):
        if "artifacts" in layer:
            return list(layer["artifacts"] or [])
    snapshot = context.get("snapshot") or {}
    return list(snapshot.get("artifacts") or [])


@register.filter
def point_label(point: dict[str, Any]) -> str:
    """A chart point's date in the reader's language, with the occasion's own label."""
    from django.utils.formats import date_format

    when = iso_datetime(point.get("when"))
    name = str(point.get("name") or "")
    if when is None:
        return name
    parts = name.split(" ", 2)
    label = parts[2] if len(parts) > 2 else ""
    return date_format(when.date(), "DATE_FORMAT") + (f" ({label})" if label else "")
