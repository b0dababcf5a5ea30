"""``{{ amount|dollars }}``: ``Decimal("1234.5")`` → ``$1,234.50``, a refund ``-$250.00``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def dollars(value: Any) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"
