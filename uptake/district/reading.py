"""Small reads of inquiries the district's figures need (who owns an inquiry, the
inquiries behind a program), kept here so that the figures read plain data."""

from __future__ import annotations

from collections.abc import Iterable

from uptake.inquiry.models import Inquiry


def owners_of(inquiry_ids: Iterable[int]) -> dict[int, int]:
    """Each inquiry's owner (person id), drafts included."""
    return dict(Inquiry.objects.filter(pk__in=set(inquiry_ids))
                .values_list("pk", "owner_id"))


def inquiries_by_ids(inquiry_ids: Iterable[int]) -> list[Inquiry]:
    """The inquiries (not drafts), in id order."""
    return list(Inquiry.objects.filter(pk__in=set(inquiry_ids))
                .exclude(status=Inquiry.Status.DRAFT).order_by("pk"))
