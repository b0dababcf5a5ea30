"""Formats of the case pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from uptake.reports.case import money as _money

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """``Decimal("12345.6")`` → ``"$12,346"``."""
    return _money(value)
