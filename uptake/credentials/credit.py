"""Money and credit, read: an educator's CEU transcript and a district's totals.

- **A CEU transcript** carries two kinds of credit for one educator over a span of school
  years. The micro-credential tiers awarded to her, each with the CEUs its tier earns (the
  stipend ledger, ``StipendEntry``, keeps them as they were on the day of the award); and,
  when her district counts them (``Policy.count_learning_hours``), the hours of learning she
  logged (her learning sources), converted at the district's rate
  (``Policy.contact_hours_per_ceu``: 10 contact hours = 1 CEU). Books and articles read on
  her own count only where the district accepts self-directed learning
  (``accept_self_directed``), professional-network and social-media threads only where it
  accepts social-media learning (``accept_social_media``); what is left out is reported as
  such, with the reason. Learning hours convert once per school year, on the year's sum
  (so a year of 7.5 hours at 10 hours per CEU is 0.75 CEU); the total is the sum of the
  years.
- **District totals**, for coordinators: credentials earned, tiers awarded, the work in
  flight by state, stipends by school and period, and CEUs awarded.

Both return frozen dataclasses of plain values (text, numbers, dates), which the pages, the
exports and the API read alike. Access is the caller's business (``access``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from uptake.accounts.models import District, School
from uptake.credentials.models import Award, Policy, StipendEntry, Submission
from uptake.learning.models import (
    LearningSource,
    school_year_bounds,
    school_year_label,
    school_year_of,
)

if TYPE_CHECKING:
    from uptake.accounts.models import User

ZERO = Decimal("0")
CENT = Decimal("0.01")
SELF_DIRECTED_KINDS = (LearningSource.Kind.BOOK, LearningSource.Kind.ARTICLE)
SOCIAL_MEDIA_KINDS = (LearningSource.Kind.NETWORK_THREAD,)
IN_FLIGHT_STATES = (Submission.State.SUBMITTED, Submission.State.IN_REVIEW,
                    Submission.State.RETURNED)


def ceus_of(hours: Decimal, contact_hours_per_ceu: Decimal) -> Decimal:
    """Contact hours → CEUs, to the hundredth (half up).

    >>> ceus_of(Decimal("7.5"), Decimal("10"))
    Decimal('0.75')
    >>> ceus_of(Decimal("1"), Decimal("3"))
    Decimal('0.33')
    """
    if contact_hours_per_ceu <= 0:
        return ZERO
    return (hours / contact_hours_per_ceu).quantize(CENT, rounding=ROUND_HALF_UP)


def period_label(start_year: int | None, end_year: int | None) -> str:
    """``(2025, 2026)`` → ``"School years 2025-26 to 2026-27"``; no bounds: all years."""
    if start_year is None and end_year is None:
        return "All school years"
    if start_year is None:
        return f"School years up to {school_year_label(end_year or 0)}"
    if end_year is None:
        return f"School years from {school_year_label(start_year)}"
    if start_year == end_year:
        return f"School year {school_year_label(start_year)}"
    return f"School years {school_year_label(start_year)} to {school_year_label(end_year)}"


def _bounds(start_year: int | None, end_year: int | None) -> tuple[date | None, date | None]:
    first = school_year_bounds(start_year)[0] if start_year is not None else None
    last = school_year_bounds(end_year)[1] if end_year is not None else None
    return first, last


def _policy(district_id: int) -> Policy:
    return (Policy.objects.filter(district_id=district_id).first()
            or Policy(district_id=district_id))


# ------------------------------------------------------------------------ transcript

@dataclass(frozen=True)
class TierCredit:
    """An awarded tier on her transcript."""

    awarded_on: date
    school_year: int
    credential: str
    tier: str
    kind: str  # Tier.Kind label ("Learning", "Impact", ...)
    ceus: Decimal
    submission_id: int


@dataclass(frozen=True)
class LearningCredit:
    """A learning source she logged, counted toward CEUs."""

    learned_on: date
    school_year: int
    kind: str  # LearningSource.Kind value
    kind_label: str
    title: str
    hours: Decimal
    source_id: int


@dataclass(frozen=True)
class LeftOut:
    """Logged hours the district's policy does not count, grouped by reason."""

    reason: str
    sources: int
    hours: Decimal


@dataclass(frozen=True)
class YearCredit:
    school_year: int
    label: str  # "2026-27"
    tier_ceus: Decimal
    learning_hours: Decimal
    learning_ceus: Decimal

    @property
    def total_ceus(self) -> Decimal:
        return self.tier_ceus + self.learning_ceus


@dataclass(frozen=True)
class Transcript:
    person_id: int
    name: str
    email: str
    staff_identifier: str
    district: str
    start_year: int | None
    end_year: int | None
    period: str  # "School year 2026-27"
    contact_hours_per_ceu: Decimal
    count_learning_hours: bool
    accept_self_directed: bool
    accept_social_media: bool
    tiers: tuple[TierCredit, ...]  # oldest first
    learning: tuple[LearningCredit, ...]  # oldest first, counted sources only
    left_out: tuple[LeftOut, ...]
    years: tuple[YearCredit, ...]  # oldest first, only years with something in them
    generated_on: date

    @property
    def tier_ceus(self) -> Decimal:
        return sum((y.tier_ceus for y in self.years), ZERO)

    @property
    def learning_hours(self) -> Decimal:
        return sum((y.learning_hours for y in self.years), ZERO)

    @property
    def learning_ceus(self) -> Decimal:
        return sum((y.learning_ceus for y in self.years), ZERO)

    @property
    def total_ceus(self) -> Decimal:
        return self.tier_ceus + self.learning_ceus

    @property
    def rule(self) -> str:
        """The conversion, said plainly: "10 contact hours = 1 CEU"."""
        rate = f"{self.contact_hours_per_ceu.normalize():f}"
        return f"{rate} contact hour{'' if rate == '1' else 's'} = 1 CEU"

    @property
    def empty(self) -> bool:
        return not self.tiers and not self.learning


def _why_left_out(kind: str, policy: Policy) -> str:
    if not policy.count_learning_hours:
        return "Your district does not count logged learning hours toward CEUs."
    if kind in SOCIAL_MEDIA_KINDS and not policy.accept_social_media:
        return "Professional-network and social-media threads are not accepted for CEUs."
    if kind in SELF_DIRECTED_KINDS and not policy.accept_self_directed:
        return "Books and articles read on her own (self-directed) are not accepted for CEUs."
    return ""


def transcript(person: User, *, start_year: int | None = None,
               end_year: int | None = None) -> Transcript:
    """Her CEU transcript for school years ``start_year`` to ``end_year`` (inclusive;
    either may be open)."""
    district_id = person.district_id or 0  # no district: nothing matches
    policy = _policy(district_id)
    district = District.objects.filter(pk=district_id).values_list("name", flat=True).first()
    first, last = _bounds(start_year, end_year)

    entries = (StipendEntry.objects.filter(educator=person, district_id=district_id)
               .select_related("submission__tier__version"))
    sources = LearningSource.objects.filter(owner=person, district_id=district_id)
    if first is not None:
        entries = entries.filter(awarded_on__gte=first)
        sources = sources.filter(learned_on__gte=first)
    if last is not None:
        entries = entries.filter(awarded_on__lte=last)
        sources = sources.filter(learned_on__lte=last)

    tiers = tuple(
        TierCredit(awarded_on=e.awarded_on, school_year=school_year_of(e.awarded_on),
                   credential=e.submission.tier.version.title, tier=e.submission.tier.name,
                   kind=e.submission.tier.get_kind_display(), ceus=e.ceus,
                   submission_id=e.submission_id)
        for e in entries.order_by("awarded_on", "pk"))

    learning: list[LearningCredit] = []
    left: dict[str, list[Decimal]] = defaultdict(list)
    for s in sources.order_by("learned_on", "pk"):
        reason = _why_left_out(s.kind, policy)
        if reason:
            left[reason].append(s.hours)
            continue
        learning.append(LearningCredit(
            learned_on=s.learned_on, school_year=school_year_of(s.learned_on), kind=s.kind,
            kind_label=s.get_kind_display(), title=s.title, hours=s.hours, source_id=s.pk))

    rate = policy.contact_hours_per_ceu
    year_numbers = sorted({t.school_year for t in tiers} | {s.school_year for s in learning})
    years = []
    for y in year_numbers:
        hours = sum((s.hours for s in learning if s.school_year == y), ZERO)
        years.append(YearCredit(
            school_year=y, label=school_year_label(y),
            tier_ceus=sum((t.ceus for t in tiers if t.school_year == y), ZERO),
            learning_hours=hours, learning_ceus=ceus_of(hours, rate)))

    return Transcript(
        person_id=person.pk, name=person.display_name, email=person.email or "",
        staff_identifier=getattr(person, "staff_identifier", "") or "",
        district=district or "", start_year=start_year, end_year=end_year,
        period=period_label(start_year, end_year), contact_hours_per_ceu=rate,
        count_learning_hours=policy.count_learning_hours,
        accept_self_directed=policy.accept_self_directed,
        accept_social_media=policy.accept_social_media,
        tiers=tiers, learning=tuple(learning),
        left_out=tuple(LeftOut(reason=r, sources=len(h), hours=sum(h, ZERO))
                       for r, h in left.items()),
        years=tuple(years), generated_on=timezone.localdate())


# -------------------------------------------------------------------- district totals

@dataclass(frozen=True)
class CredentialCount:
    credential_id: int
    credential: str
    earned: int  # educators who earned it (every tier awarded)
    tiers_awarded: int


@dataclass(frozen=True)
class StateCount:
    state: str  # Submission.State value
    label: str
    count: int


@dataclass(frozen=True)
class StipendSum:
    school_id: int | None
    school: str  # "No school on record" when she had none
    period: str  # "2026-11"
    entries: int
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    district_id: int
    start_year: int | None
    end_year: int | None
    period: str
    credentials: tuple[CredentialCount, ...]  # most earned first
    in_flight: tuple[StateCount, ...]  # now, whatever the years
    stipends: tuple[StipendSum, ...]  # by period (oldest first), then school
    credentials_earned: int
    tiers_awarded: int
    educators_credited: int  # educators with at least one tier awarded
    stipend_total: Decimal
    ceus_awarded: Decimal

    @property
    def in_flight_total(self) -> int:
        return sum(s.count for s in self.in_flight)


NO_SCHOOL = "No school on record"


def district_totals(district_id: int, *, start_year: int | None = None,
                    end_year: int | None = None) -> Totals:
    """A district's micro-credential totals for school years ``start_year`` to
    ``end_year`` (inclusive; either may be open). Work in flight is counted as it is now."""
    first, last = _bounds(start_year, end_year)
    entries = StipendEntry.objects.filter(district_id=district_id)
    awards = Award.objects.filter(district_id=district_id)
    if first is not None:
        entries = entries.filter(awarded_on__gte=first)
        awards = awards.filter(awarded_at__date__gte=first)
    if last is not None:
        entries = entries.filter(awarded_on__lte=last)
        awards = awards.filter(awarded_at__date__lte=last)

    rows = list(entries.values("school_id", "period", "amount", "ceus", "educator_id",
                               "submission__tier__version__credential_id"))
    earned: dict[int, int] = defaultdict(int)
    for credential_id in awards.values_list("credential_id", flat=True):
        earned[credential_id] += 1
    tiers: dict[int, int] = defaultdict(int)
    for r in rows:
        tiers[r["submission__tier__version__credential_id"]] += 1
    credential_ids = set(earned) | set(tiers)
    titles = _credential_titles(credential_ids)
    credentials = sorted(
        (CredentialCount(credential_id=c, credential=titles.get(c, f"Credential {c}"),
                         earned=earned.get(c, 0), tiers_awarded=tiers.get(c, 0))
         for c in credential_ids),
        key=lambda c: (-c.earned, -c.tiers_awarded, c.credential.casefold()))

    schools = dict(School.objects.filter(pk__in={r["school_id"] for r in rows})
                   .values_list("pk", "name"))
    sums: dict[tuple[str, int | None], list[Decimal]] = defaultdict(list)
    for r in rows:
        sums[(r["period"], r["school_id"])].append(r["amount"])
    stipends = sorted(
        (StipendSum(school_id=school_id, school=schools.get(school_id, NO_SCHOOL)
                    if school_id is not None else NO_SCHOOL,
                    period=period, entries=len(amounts), amount=sum(amounts, ZERO))
         for (period, school_id), amounts in sums.items()),
        key=lambda s: (s.period, s.school == NO_SCHOOL, s.school.casefold()))

    counts: dict[str, int] = defaultdict(int)
    for state in (Submission.objects.filter(district_id=district_id,
                                            state__in=IN_FLIGHT_STATES)
                  .values_list("state", flat=True)):
        counts[state] += 1
    in_flight = tuple(StateCount(state=s.value, label=s.label, count=counts.get(s.value, 0))
                      for s in IN_FLIGHT_STATES)

    return Totals(
        district_id=district_id, start_year=start_year, end_year=end_year,
        period=period_label(start_year, end_year), credentials=tuple(credentials),
        in_flight=in_flight, stipends=tuple(stipends),
        credentials_earned=sum(earned.values()), tiers_awarded=len(rows),
        educators_credited=len({r["educator_id"] for r in rows}),
        stipend_total=sum((r["amount"] for r in rows), ZERO),
        ceus_awarded=sum((r["ceus"] for r in rows), ZERO))


def _credential_titles(credential_ids: set[int]) -> dict[int, str]:
    """Each credential's title: that of its newest version beyond draft (of its draft when
    it has nothing else)."""
    from uptake.credentials.models import Version

    versions = list(Version.objects.filter(credential_id__in=credential_ids)
                    .order_by("credential_id", "-number"))
    titles = {v.credential_id: v.title for v in reversed(versions)}
    titles.update({v.credential_id: v.title for v in reversed(versions) if not v.is_draft})
    return titles
