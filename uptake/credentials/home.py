"""What the credentials app shows on other apps' pages (registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from uptake.credentials.models import Item


def items_citing_inquiry(inquiry: Any) -> int:
    return Item.objects.filter(inquiry=inquiry).count() + Item.objects.filter(
        cycle__inquiry=inquiry).count() + Item.objects.filter(measure__inquiry=inquiry).count()


def items_citing_measure(measure: Any) -> int:
    return Item.objects.filter(measure=measure).count()
