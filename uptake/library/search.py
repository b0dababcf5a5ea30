"""Searching the library: the same filters for the page and the API, combinable, and the
same on SQLite and PostgreSQL (``icontains`` per word)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from uptake.library.actions import grade_code
from uptake.library.models import Practice, split

SEARCHED = ("title", "overview", "steps", "lessons_learned")
MAX_WORDS = 10


def search(practices: QuerySet[Practice], *, q: str = "", standard: str = "", grade: str = "",
           subject: str = "", focus: str = "", element: int | None = None
           ) -> QuerySet[Practice]:
    """``q``: every word in the title, overview, steps or lessons learned; ``standard``: a
    framework element's code or title, or part of a typed content-standard code; ``grade``:
    a grade (K, 3, 03); ``subject``/``focus``: the words given, anywhere in it."""
    narrowed = False
    for word in q.split()[:MAX_WORDS]:
        practices = practices.filter(_any_of(SEARCHED, word))
    standard = standard.replace("|", "").strip()
    if standard:
        practices = practices.filter(
            Q(standard_codes__icontains=standard) | Q(elements__code__iexact=standard)
            | Q(elements__title__icontains=standard))
        narrowed = True
    if element is not None:
        practices = practices.filter(elements__pk=element)
        narrowed = True
    if grade.strip():
        code = grade_code(grade)
        practices = (practices.filter(grades__contains=f"|{code}|") if code
                     else practices.none())
    if subject.strip():
        practices = practices.filter(subject__icontains=" ".join(subject.split()))
    if focus.strip():
        practices = practices.filter(focus__icontains=" ".join(focus.split()))
    return practices.distinct() if narrowed else practices


def _any_of(fields: tuple[str, ...], word: str) -> Q:
    rule = Q()
    for name in fields:
        rule |= Q(**{f"{name}__icontains": word})
    return rule


def suggestions(practices: QuerySet[Practice]) -> dict[str, list[str]]:
    """Values already in use, for the forms' suggestion lists."""
    codes: set[str] = set()
    for stored in practices.exclude(standard_codes="").values_list("standard_codes", flat=True):
        codes.update(split(stored))
    codes.update(practices.filter(elements__isnull=False)
                 .values_list("elements__code", flat=True))
    return {
        "subjects": sorted(set(practices.exclude(subject="").values_list("subject", flat=True)),
                           key=str.lower),
        "focuses": sorted(set(practices.exclude(focus="").values_list("focus", flat=True)),
                          key=str.lower),
        "standards": sorted(c for c in codes if c),
    }
