"""Template helpers for the learning pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def checkbox_groups(field: Any) -> list[tuple[str, list[tuple[Any, bool]]]]:
    """A grouped checkbox field's (legend, [(checkbox, indented)]) groups, or []."""
    groups_of = getattr(field.form, "groups_of", {})
    return groups_of[field.name]() if field.name in groups_of else []


@register.filter
def hours(value: Any) -> str:
    """Hours without trailing zeros: 1.50 → 1.5, 2.00 → 2."""
    if value is None:
        return "0"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
