"""An online community's posts and comments, read and measured as Staudt Willet and
Carpenter (2021) measured two teaching subreddits.

Staudt Willet, K. B., & Carpenter, J. P. (2021). A tale of two subreddits: change and
continuity in teaching-related online spaces. British Journal of Educational Technology,
52(2), 714-733. https://doi.org/10.1111/bjet.13051

``read_contributions`` streams a Reddit-style export (JSON array, JSON lines or CSV);
``community_measures`` turns the contributions into per-period measures, a reply network
per period and a pseudonymised sample to code with ``CODEBOOK``. ``docs/analysis-community.md``
defines every measure. This module never imports Django.

(Interface first; the bodies follow.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

__all__ = [
    "CODEBOOK",
    "Code",
    "CommunityResult",
    "Contribution",
    "ContributionError",
    "PeriodMeasures",
    "ReplyNetwork",
    "SampleItem",
    "Trend",
    "community_measures",
    "read_contributions",
]


@dataclass(frozen=True)
class Contribution:
    """One post or comment. ``parent`` is "" for a post; ``thread`` is the post a comment
    belongs to (Reddit's ``link_id``) when the export says, else ""."""

    id: str
    author: str
    created: datetime  # aware, UTC
    score: int | None
    title: str
    body: str
    parent: str
    is_post: bool
    thread: str = ""


class ContributionError(ValueError):
    """A problem in an export; ``str()`` names the file, the row (the JSON item), the column
    and what was wrong."""

    def __init__(self, file: str, row: int, column: str, message: str, *,
                 unit: str = "row") -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.unit = unit  # "row" for CSV, "item" for JSON
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.unit} {self.row}" if self.row else "the start of the file"
        column = f", column {self.column}" if self.column else ""
        return f"{self.file}, {where}{column}: {self.message}"


@dataclass(frozen=True)
class Code:
    key: str
    label: str
    description: str


CODEBOOK: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Trend:
    """The OLS slope of daily counts across a period's observed days."""

    slope: float | None  # contributions per day, change per day
    p_value: float | None
    direction: str  # "rising", "falling", "no clear trend" or "too few days"


@dataclass(frozen=True)
class ReplyNetwork:
    nodes: int
    arcs: int
    replies: int
    mean_degree: float | None
    transitivity: float | None
    reciprocity: float | None


@dataclass(frozen=True)
class PeriodMeasures:
    label: str
    start: date
    end: date  # last day, inclusive
    days_observed: int
    contributions: int
    posts: int
    comments: int
    per_day: float | None
    trend: Trend
    contributors: int
    posters: int
    responders: int
    per_contributor_mean: float | None
    per_contributor_median: float | None
    top_decile_share: float | None
    response_rate: float | None
    posts_with_response: int
    thread_length_mean: float | None
    thread_length_median: float | None
    self_responses: int
    first_response_median_hours: float | None
    network: ReplyNetwork


@dataclass(frozen=True)
class SampleItem:
    position: int
    pseudonym: str
    created: datetime
    is_post: bool
    text: str


@dataclass(frozen=True)
class CommunityResult:
    contributions: int
    dropped: int
    periods: list[PeriodMeasures]
    sample: list[SampleItem]

    def as_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CommunityResult:
        raise NotImplementedError


def read_contributions(stream: BinaryIO, *, file_name: str) -> Iterator[Contribution]:
    """Contributions from a JSON array, JSON lines or CSV export, one at a time."""
    raise NotImplementedError


def community_measures(contributions: Iterable[Contribution], *, period_months: int = 6,
                       salt: str, sample_size: int = 100, seed: int = 0,
                       progress: Callable[[int], None] | None = None) -> CommunityResult:
    raise NotImplementedError
