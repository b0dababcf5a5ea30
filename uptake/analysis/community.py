"""An online community's posts and comments, read and measured as Staudt Willet and
Carpenter (2021) measured two teaching subreddits.

Staudt Willet, K. B., & Carpenter, J. P. (2021). A tale of two subreddits: change and
continuity in teaching-related online spaces. *British Journal of Educational Technology*,
52(2), 714-733. https://doi.org/10.1111/bjet.13051. Their analysis script and codebook are
public (github.com/bretsw/subreddits-over-time: ``subreddits-over-time.Rmd``,
``data/codebook.pdf``); where this module departs from the script it says so.

``read_contributions`` streams a Reddit-style export (JSON array, JSON lines or CSV, told
apart by content) one contribution at a time; ``community_measures`` turns the
contributions into per-period measures, a reply network per period and a pseudonymised,
stratified random sample to code with ``CODEBOOK``. ``docs/analysis-community.md`` defines
every measure. This module never imports Django.

>>> import io
>>> export = io.BytesIO(b"id,author,created_utc,title,selftext,parent_id\\n"
...                     b"p1,ann,1577880000,Help?,How do you grade?,\\n"
...                     b"c1,bob,1577883600,,u/ann I use rubrics,t3_p1\\n")
>>> result = community_measures(read_contributions(export, file_name="r.csv"), salt="s")
>>> (result.contributions, result.periods[0].start, result.periods[0].response_rate)
(2, datetime.date(2020, 1, 1), 1.0)
>>> any("ann" in item.text or "bob" in item.text for item in result.sample)
False
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import random
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, BinaryIO

import networkx as nx
import numpy as np
from scipy import stats

__all__ = [
    "CODEBOOK",
    "GONE",
    "Code",
    "CommunityResult",
    "Contribution",
    "ContributionError",
    "PeriodMeasures",
    "ReplyNetwork",
    "SampleItem",
    "Trend",
    "community_measures",
    "pseudonymise_text",
    "read_contributions",
]

# Reddit's markers for content its author deleted or a moderator removed.
GONE = frozenset({"[deleted]", "[removed]"})
# Reddit caps a post's text at 40,000 characters and a comment's at 10,000; anything much
# longer is not a Reddit export (or is an attack on memory).
MAX_TEXT_CHARS = 100_000
MAX_ROW_BYTES = 1_000_000  # one CSV line
MAX_ITEM_CHARS = 1_000_000  # one JSON item
_CHUNK = 1 << 16
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class Contribution:
    """One post or comment. ``parent`` is "" for a post (else the id of the post or comment
    answered, without Reddit's ``t1_``/``t3_`` prefix); ``thread`` is the post a comment
    belongs to (Reddit's ``link_id``) when the export says, else ""; ``row`` is where the
    reader found it (1-based data row, or JSON item)."""

    id: str
    author: str
    created: datetime  # aware, UTC
    score: int | None
    title: str
    body: str
    parent: str
    is_post: bool
    thread: str = ""
    row: int = 0

    @property
    def gone(self) -> bool:
        """Deleted by its author or removed by a moderator (author or text says so)."""
        return self.author in GONE or self.body.strip() in GONE


class ContributionError(ValueError):
    """A problem in an export. ``str()`` is a sentence naming the file, the row (CSV data
    rows counted from 1 after the header; for JSON the item number), the column and what
    was wrong. ``row`` is 0 for a problem with the file as a whole or its header."""

    def __init__(self, file: str, row: int, column: str, message: str, *,
                 unit: str = "row") -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.unit = unit  # "row" for CSV, "item" for JSON
        super().__init__(self.__str__())

    def __reduce__(self) -> tuple[Any, ...]:
        # Survives pickling (a background worker may hand it to another process).
        return (type(self), (self.file, self.row, self.column, self.message),
                {"unit": self.unit})

    def __str__(self) -> str:
        where = f"{self.unit} {self.row}" if self.row else (
            "the header" if self.unit == "row" and self.column else "the file")
        column = f", column {self.column}" if self.column else ""
        return f"{self.file}, {where}{column}: {self.message}"


# --------------------------------------------------------------------------------------
# Reading


class _Chained(io.RawIOBase):
    """Bytes already peeked at, then the rest of the stream: lets the reader look at the
    start of any object with ``read`` (a Django upload, a file) without seeking."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)


def read_contributions(stream: BinaryIO, *, file_name: str) -> Iterator[Contribution]:
    """Contributions from a Reddit-style export, one at a time, in file order.

    The format is told by content, not by name: after an optional UTF-8 byte-order mark
    and white space, ``[`` starts a JSON array, ``{`` JSON lines (one object per line),
    anything else is CSV with a header row. Columns (JSON keys) and the names accepted:

    - ``id`` (required; a ``t1_``/``t3_`` prefix is dropped), ``author`` (required),
    - ``created_utc`` or ``created`` (required): epoch seconds, or ISO 8601 (a time
      without an offset is taken as UTC),
    - ``score`` (optional, a whole number), ``title`` (optional),
    - ``body`` or ``selftext`` (a CSV needs ``title``, ``body`` or ``selftext``),
    - ``parent_id`` or ``parent`` (empty for a post; ``t1_``/``t3_`` prefixes or plain
      ids), ``link_id`` (the thread's post; a comment without ``parent_id`` answers it).

    Every problem raises ``ContributionError`` naming file, row, column and what was wrong:
    binary or non-UTF-8 content, malformed JSON, a missing column or value, a bad date, a
    non-integer score, a value of the wrong type, a duplicate id, a row or text too long.
    Memory stays flat however long the file: one row (or JSON item) at a time, plus the set
    of ids seen so far (to refuse duplicates).
    """
    head = stream.read(_CHUNK)
    if isinstance(head, str):
        raise TypeError("read_contributions needs a binary stream (open the file with 'rb').")
    if b"\x00" in head[:512] or head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04":
        raise ContributionError(file_name, 0, "", "this is binary content, not a CSV or JSON "
                                "text file (a compressed file must be unpacked first).")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    start = head.lstrip(b" \t\r\n")[:1]
    raw: BinaryIO = io.BufferedReader(_Chained(head, stream), _CHUNK)
    if start in (b"[", b"{"):
        rows: Iterator[tuple[int, dict[str, Any]]] = _json_items(
            _text_chunks(raw), file_name, array=start == b"[")
        unit = "item"
    else:
        rows = _csv_rows(_lines(raw), file_name)
        unit = "row"
    seen: set[str] = set()
    for number, row in rows:
        contribution = _contribution(row, file_name, number, unit)
        if contribution.id in seen:
            raise ContributionError(file_name, number, "id", f"the id {contribution.id!r} "
                                    "was already used by an earlier contribution.", unit=unit)
        seen.add(contribution.id)
        yield contribution


class _Bad(Exception):
    """A problem found below the row level; the caller knows which row it is in."""


_NOT_UTF8 = "this is not UTF-8 text (binary content, or another encoding: save it as UTF-8)."


def _lines(raw: BinaryIO) -> Iterator[str]:
    """Physical lines, each decoded on its own so that a problem names its own row."""
    while True:
        line = raw.readline(MAX_ROW_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_ROW_BYTES:
            raise _Bad(f"the row is too long (over {MAX_ROW_BYTES:,} bytes).")
        if b"\x00" in line:
            raise _Bad("the row holds binary content (a NUL byte).")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad(_NOT_UTF8) from None


def _text_chunks(raw: BinaryIO) -> Iterator[str]:
    """The stream as text, chunk by chunk; undecodable bytes raise only after the text
    before them, so the JSON item they are in is the one named."""
    pending = b""
    while True:
        data = raw.read(_CHUNK)
        chunk = pending + data
        try:
            text, pending = chunk.decode("utf-8"), b""
        except UnicodeDecodeError as error:
            if data and error.reason == "unexpected end of data":  # split character
                text, pending = chunk[: error.start].decode("utf-8"), chunk[error.start:]
            else:
                yield chunk[: error.start].decode("utf-8")
                raise _Bad(_NOT_UTF8) from None
        if not data:
            return
        yield text


_ALIASES = {"created": ("created_utc", "created"), "body": ("body", "selftext"),
            "parent": ("parent_id", "parent"), "thread": ("link_id",)}


def _csv_rows(lines: Iterator[str], file_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(lines)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ContributionError(file_name, 0, "", "the file is empty.") from None
    except (csv.Error, _Bad) as error:
        raise ContributionError(file_name, 0, "", f"the header cannot be read: {error}")\
            from None
    for name in ("id", "author"):
        if name not in header:
            raise ContributionError(file_name, 0, name, "the header has no such column.")
    if not any(name in header for name in _ALIASES["created"]):
        raise ContributionError(file_name, 0, "created_utc", "the header has no such column "
                                "(nor created).")
    if not any(name in header for name in ("title", "body", "selftext")):
        raise ContributionError(file_name, 0, "body", "the header has no body, selftext or "
                                "title column: there is no text to read.")
    width = len(header)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _Bad as error:
            raise ContributionError(file_name, number + 1, "", str(error)) from None
        except csv.Error as error:
            message = str(error)
            if "field larger" in message:
                message = (f"a cell is longer than {csv.field_size_limit():,} characters.")
            raise ContributionError(file_name, number + 1, "", message) from None
        number += 1
        if not cells:
            continue
        if len(cells) != width:
            raise ContributionError(file_name, number, "", f"the row has {len(cells)} cells "
                                    f"but the header has {width}.")
        yield number, dict(zip(header, cells, strict=True))


def _json_items(chunks: Iterator[str], file_name: str, *,
                array: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    """JSON values one at a time, decoded from a sliding buffer: ``[v, v, ...]`` or
    white-space separated values (JSON lines)."""
    decoder = json.JSONDecoder()
    buffer, pos, eof, item = "", 0, False, 0

    def more() -> bool:
        nonlocal buffer, pos, eof
        if eof:
            return False
        try:
            chunk = next(chunks, "")
        except _Bad as error:
            raise ContributionError(file_name, item + 1, "", str(error), unit="item") from None
        buffer, pos = buffer[pos:] + chunk, 0
        eof = not chunk
        return not eof

    def skip_space() -> str:
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n":
                pos += 1
            if pos < len(buffer):
                return buffer[pos]
            if not more():
                return ""

    def fail(message: str) -> ContributionError:
        return ContributionError(file_name, item + 1, "", message, unit="item")

    def fail_after(message: str) -> ContributionError:
        return ContributionError(file_name, max(item, 1), "", message, unit="item")

    if array:
        skip_space()
        pos += 1  # the "["
        if skip_space() == "]":
            return
    while True:
        char = skip_space()
        if not char:
            if array:
                raise fail_after("the JSON array is not closed (the file ends before its \"]\").")
            return
        while True:
            try:
                value, end = decoder.raw_decode(buffer, pos)
                break
            except json.JSONDecodeError as error:
                grew = len(buffer) - pos <= MAX_ITEM_CHARS and more()
                if not grew:
                    if len(buffer) - pos > MAX_ITEM_CHARS and error.pos >= len(buffer) - 64:
                        raise fail(f"the item is too long (over {MAX_ITEM_CHARS:,} "
                                   "characters).") from None
                    raise fail(f"this is not valid JSON ({error.msg}).") from None
        if end - pos > MAX_ITEM_CHARS:
            raise fail(f"the item is too long (over {MAX_ITEM_CHARS:,} characters).")
        pos = end
        item += 1
        if not isinstance(value, dict):
            raise ContributionError(file_name, item, "", "each item must be a JSON object "
                                    f"with named fields, not {type(value).__name__}.",
                                    unit="item")
        yield item, value
        if array:
            char = skip_space()
            if char == ",":
                pos += 1
            elif not char:
                raise fail_after("the JSON array is not closed (the file ends before its "
                                 "\"]\").")
            elif char == "]":
                pos += 1
                if skip_space():
                    raise fail_after("there is more after the end of the JSON array.")
                return
            else:
                raise fail_after("after this item: items in a JSON array must be separated by "
                                 "commas.")


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d{1,18}")


def _contribution(row: dict[str, Any], file_name: str, number: int,
                  unit: str) -> Contribution:
    def fail(column: str, message: str) -> ContributionError:
        return ContributionError(file_name, number, column, message, unit=unit)

    ident = _ident(row, "id", fail)
    if not ident:
        raise fail("id", "the id is missing: every post and comment needs one.")
    author = _text(row, "author", fail)
    if not author.strip():
        raise fail("author", "the author is missing (Reddit writes [deleted] for a deleted "
                             "account).")
    created_key = "created_utc" if "created_utc" in row else "created"
    created = _created(row.get(created_key), created_key, fail)
    body_key = "body"
    body = _text(row, "body", fail)
    if not body and row.get("selftext"):
        body_key, body = "selftext", _text(row, "selftext", fail)
    title = _text(row, "title", fail)
    for key, value in (("title", title), (body_key, body)):
        if len(value) > MAX_TEXT_CHARS:
            raise fail(key, f"the text is too long ({len(value):,} characters; Reddit allows "
                            f"40,000 and this reader {MAX_TEXT_CHARS:,}).")
    parent_key = "parent_id" if "parent_id" in row else "parent"
    parent = _ident(row, parent_key, fail)
    thread = _ident(row, "link_id", fail)
    if thread == ident:
        thread = ""
    if not parent and thread:
        parent = thread
    return Contribution(id=ident, author=author, created=created,
                        score=_score(row.get("score"), fail), title=title, body=body,
                        parent=parent, is_post=not parent, thread=thread, row=number)


def _text(row: dict[str, Any], key: str, fail: Callable[[str, str], ContributionError]) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(key, f"this must be text, not {_kind(value)}.")
    return value


def _ident(row: dict[str, Any], key: str,
           fail: Callable[[str, str], ContributionError]) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise fail(key, f"an id must be text or a whole number, not {_kind(value)}.")
    if len(value) > 100:
        raise fail(key, "the id is too long (over 100 characters).")
    value = value.strip()
    # Reddit's kind prefixes: t1_ comment, t3_ post (any tN_).
    if value[2:3] == "_" and value[:1] == "t" and value[1:2].isdigit():
        return value[3:]
    return value


def _kind(value: object) -> str:
    return {bool: "true/false", dict: "an object", list: "a list", float: "a number",
            int: "a number"}.get(type(value), type(value).__name__)


def _created(value: Any, column: str,
             fail: Callable[[str, str], ContributionError]) -> datetime:
    if value is None or value == "":
        raise fail(column, "the date is missing.")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail(column, f"the date must be epoch seconds or ISO 8601 text, not "
                           f"{_kind(value)}.")
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise fail(column, f"{value[:40]!r} is not a date: give epoch seconds or ISO 8601 "
                               "(2020-01-31T15:04:05Z).") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    seconds = float(value)
    try:
        if not math.isfinite(seconds):
            raise ValueError
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        hint = " (milliseconds? give seconds)" if abs(seconds) > 1e11 else ""
        raise fail(column, f"{value!r} is not a date in range{hint}.") from None


def _score(value: Any, fail: Callable[[str, str], ContributionError]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    shown = repr(value[:40]) if isinstance(value, str) else _kind(value)
    raise fail("score", f"the score must be a whole number, not {shown}.")


# --------------------------------------------------------------------------------------
# The codebook


@dataclass(frozen=True)
class Code:
    """One category of the codebook. ``applies_to`` is "post" or "response"; in the
    original study a contribution could carry several codes."""

    key: str
    label: str
    description: str
    applies_to: str = "post"


# Staudt Willet and Carpenter's codebook for their qualitative content analysis, as
# published with their analysis (github.com/bretsw/subreddits-over-time, data/codebook.pdf;
# the labels also appear in the paper's Figures 9 and 10). Labels are theirs; the
# descriptions paraphrase their definitions. Keys are ours.
CODEBOOK: tuple[Code, ...] = (
    Code("call_for_change", "Call for Change",
         "Urges readers explicitly to take some concrete action or to change their beliefs; "
         "may present a vision of how things should be."),
    Code("critique", "Critique",
         "Criticises or disagrees intellectually, or vents frustration (dark humour "
         "included), about something to do with education."),
    Code("policy_curriculum", "Education Policy: Curriculum & Evaluation",
         "A policy matter about curriculum, content, standards, homework, or the assessment "
         "of students and teachers."),
    Code("policy_finance", "Education Policy: Finance",
         "A policy matter about teacher pay or school funding."),
    Code("policy_higher_ed", "Education Policy: Higher Education",
         "A policy matter about higher (tertiary, post-secondary) education."),
    Code("policy_politics", "Education Policy: Policy Makers & Politics",
         "A policy matter about the principles, government policies, laws, lawmakers, "
         "politicians, rules and regulations that govern education."),
    Code("policy_school_choice", "Education Policy: School Choice",
         "A policy matter about school choice, charters and vouchers included."),
    Code("humor", "Humor",
         "Jokes, memes, comic strips or other humorous content about education."),
    Code("personal_story", "Personal Story",
         "Tells of the poster's own experience in education."),
    Code("question", "Question",
         "Asks readers a genuine, not rhetorical, question: the poster seems to want honest "
         "answers and discussion."),
    Code("quote", "Quote",
         "Nothing but a quotation, often attributed to someone famous."),
    Code("societal_factors", "Societal Factors Impacting Education",
         "Systems, trends, controversies and norms outside schools that bear on education "
         "(media, censorship, gun violence, poverty, labour movements)."),
    Code("teachers_lives", "Teachers' Lived Experiences",
         "Teachers' lives beyond their technical classroom work or educational philosophy: "
         "morale, working conditions, \"free time\"."),
    Code("pedagogy", "Teaching Pedagogy & Philosophy",
         "Teaching, pedagogy, instruction, classroom management or the educational "
         "philosophy behind them, especially as seen in the classroom."),
    Code("title_link_only", "Title & Hyperlink Only",
         "Only the title of an article elsewhere and a link to it."),
    Code("asks_question", "Asks Question",
         "Asks other Redditors a genuine, not rhetorical, question.", "response"),
    Code("agreement", "Expresses Agreement",
         "Explicit support for, agreement with or solidarity with the post or a later "
         "response.", "response"),
    Code("disagreement", "Expresses Disagreement",
         "Directly contradicts or challenges the ideas, content or premise of the post or a "
         "later response.", "response"),
    Code("advice", "Gives Advice",
         "Gives the responder's explicit opinion or advice, or claims what others should "
         "consider, believe or do.", "response"),
    Code("norms", "Maintains Subreddit Rules & Norms",
         "Reminds of, reinforces or stresses the community's norms, rules, expectations or "
         "culture.", "response"),
    Code("additional_information", "Provides Additional Information",
         "Adds new or clarifying information or context to the discussion.", "response"),
    Code("response_critique", "Shares Critique",
         "Criticises or disagrees intellectually, or vents frustration (dark humour "
         "included), with the post, a response or something about education.", "response"),
    Code("response_humor", "Shares Humor",
         "Humour about the post or a later response.", "response"),
    Code("response_story", "Shares Personal Story",
         "A story from the responder's own experience like or related to the post or a "
         "later response.", "response"),
)


# --------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Trend:
    """The ordinary least squares line through a period's daily contribution counts (every
    observed day, days without a contribution as 0), as Staudt Willet and Carpenter fitted
    ``lm(n ~ day)``. ``slope`` is the change in contributions per day from one day to the
    next; ``direction`` says it in words: "rising" or "falling" when the slope differs
    from 0 at p < 0.05 (two-sided t test, n - 2 degrees of freedom), else "no clear trend";
    "too few days" under three days."""

    slope: float | None
    p_value: float | None
    direction: str


@dataclass(frozen=True)
class ReplyNetwork:
    """Who replied to whom in a period: an arc from each responder to the author of the
    post or comment answered (self-replies left out). ``replies`` counts every reply that
    made an arc; ``arcs`` the distinct ordered pairs; ``nodes`` everyone at an end of an
    arc. ``mean_degree`` is 2 x replies / nodes (igraph's total degree of the multigraph,
    as in Staudt Willet and Carpenter's script); ``transitivity`` is networkx's
    ``transitivity`` of the undirected simple graph (3 x triangles / connected triples,
    igraph's global transitivity); ``reciprocity`` is the share of arcs whose reverse arc
    exists, networkx's ``reciprocity`` of the directed simple graph (its formula, computed
    without building that graph)."""

    nodes: int
    arcs: int
    replies: int
    mean_degree: float | None
    transitivity: float | None
    reciprocity: float | None


@dataclass(frozen=True)
class PeriodMeasures:
    """One period's measures; ``docs/analysis-community.md`` defines each. ``None`` where
    a measure has nothing to be computed from (no posts, no responses)."""

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
    """A contribution drawn to be coded: its text is title and body with every username
    replaced (see ``pseudonymise_text``); no id, score or link back to the source."""

    position: int
    pseudonym: str
    created: datetime
    is_post: bool
    text: str
    period: str = ""


@dataclass(frozen=True)
class CommunityResult:
    """What ``community_measures`` found. ``contributions`` are the measured ones (posts
    and the comments in their threads); ``dropped`` were deleted or removed; ``orphaned``
    are comments whose post is dropped or missing from the export (left out of every
    measure, as Staudt Willet and Carpenter's join of responses to posts leaves them out).
    """

    contributions: int
    dropped: int
    periods: list[PeriodMeasures]
    sample: list[SampleItem]
    orphaned: int = 0
    posts: int = 0
    comments: int = 0
    contributors: int = 0
    period_months: int = 6
    first: datetime | None = None
    last: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe dict (dates as ISO 8601 text); ``from_json`` reads it back."""
        data = _plain(self)
        data["version"] = 1
        return data

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CommunityResult:
        periods = [_period_from(p) for p in d["periods"]]
        sample = [SampleItem(**{**s, "created": datetime.fromisoformat(s["created"])})
                  for s in d["sample"]]
        simple = {f.name: d[f.name] for f in fields(cls)
                  if f.name in d and f.name not in ("periods", "sample", "first", "last")}
        return cls(periods=periods, sample=sample,
                   first=_moment(d.get("first")), last=_moment(d.get("last")), **simple)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _period_from(d: dict[str, Any]) -> PeriodMeasures:
    return PeriodMeasures(**{**d, "start": date.fromisoformat(d["start"]),
                             "end": date.fromisoformat(d["end"]),
                             "trend": Trend(**d["trend"]),
                             "network": ReplyNetwork(**d["network"])})


# --------------------------------------------------------------------------------------
# Pseudonyms


_MENTION = re.compile(r"(/?u/|@)([\w-]+)|([\w-]+)")
_WORD = re.compile(r"[\w-]+")


def pseudonyms(authors: Iterable[str], *, salt: str) -> dict[str, str]:
    """Each author's pseudonym, "Contributor N": N is the author's rank in the order of
    SHA-256(salt, author), so it tells nothing of when the author first wrote or how much
    (numbering by first appearance would give the earliest or most active writers the
    smallest numbers). The same author always gets the same pseudonym within one import
    (one salt); another salt gives an unrelated numbering.

    >>> pseudonyms(["ann", "bob", "ann"], salt="x") == pseudonyms(["bob", "ann"], salt="x")
    True
    """
    unique = set(authors)
    ranked = sorted(unique, key=lambda a: hashlib.sha256(
        f"{salt}\x00{a}".encode()).digest())
    return {author: f"Contributor {n}" for n, author in enumerate(ranked, start=1)}


def pseudonymise_text(text: str, names: dict[str, str], *,
                      odd: list[str] | None = None) -> str:
    """``text`` with usernames replaced: a mention (``u/name``, ``/u/name``, ``@name``)
    becomes the named author's pseudonym, or "a contributor" for someone not in the
    export; a word that is exactly some author's username (any case) becomes that
    author's pseudonym even without a mention mark, because people write names bare.
    ``names`` maps lowercased usernames to pseudonyms; ``odd``, if given, lists those of
    them that are not a single word (worked out once for many texts).

    >>> pseudonymise_text("thanks u/Ann and @zed, ann knows", {"ann": "Contributor 2"})
    'thanks Contributor 2 and a contributor, Contributor 2 knows'
    """
    if odd is None:
        odd = [n for n in names if not _WORD.fullmatch(n)]
    lowered = text.lower()
    odd = [n for n in odd if n in lowered]
    pattern = _MENTION
    if odd:  # names with spaces or punctuation: matched literally, longest first
        literal = "|".join(re.escape(n) for n in sorted(odd, key=len, reverse=True))
        pattern = re.compile(f"(?i:(?P<odd>{literal}))|" + _MENTION.pattern)

    def replace(match: re.Match[str]) -> str:
        if odd and match.group("odd"):
            return names[match.group("odd").lower()]
        _mark, name, word = match.group(match.re.groups - 2, match.re.groups - 1,
                                       match.re.groups)
        if word is not None:
            return names.get(word.lower(), word)
        return names.get(name.lower(), "a contributor")

    return pattern.sub(replace, text)


# --------------------------------------------------------------------------------------
# Measures


def community_measures(contributions: Iterable[Contribution], *, period_months: int = 6,
                       salt: str, sample_size: int = 100, seed: int = 0,
                       progress: Callable[[int], None] | None = None) -> CommunityResult:
    """Staudt Willet and Carpenter's (2021) measures of a community, period by period.

    Periods split each calendar year (UTC) into ``12 / period_months`` parts: by default
    half-years, January to June and July to December (the paper's semesters). ``period_months``
    must divide 12. Every period from the first contribution's to the last's is listed,
    empty ones too.

    Deleted and removed contributions (author or text "[deleted]" or "[removed]") are
    dropped and counted in ``dropped``. A comment counts only within its thread: replies to
    a dropped post, and replies whose post is not in the export, are left out of every
    measure and counted in ``orphaned`` (the paper joins responses to posts, which leaves
    them out too). A reply to a dropped *comment* still counts in its thread, but adds no
    arc to the reply network and no self-response, since whom it answered is unknown.

    Volume and participation measures (contributions, per day and trend, contributors,
    posters, responders, degree of contribution, self-responses, reply network) count each
    contribution in the period of its own date; thread measures (response rate, thread
    length, time to first response) belong to the period of the thread's post and count
    every comment in the thread whatever its date. (The paper's script puts responses in
    their post's semester throughout and uses US Eastern time.)

    The coding sample draws ``sample_size`` contributions at random (``seed``; the same
    input gives the same sample), allocated to periods in proportion to their contributions
    (largest remainders) and drawn uniformly within each, from every contribution not
    dropped. Its texts are pseudonymised (``pseudonymise_text``); authors become
    ``pseudonyms`` under ``salt``.

    ``progress(n)`` is called after every 10,000 contributions read.
    """
    if 12 % period_months or period_months < 1:
        raise ValueError("A period must divide the year: 1, 2, 3, 4, 6 or 12 months.")
    if sample_size < 0:
        raise ValueError("The sample size cannot be negative.")
    state = _Collector(period_months, sample_size, random.Random(seed))
    state.read(contributions, progress)
    return state.result(salt)


@dataclass
class _Collector:
    """One pass over the contributions, keeping a few numbers per contribution (never its
    text, except for the sample's reservoirs)."""

    period_months: int
    sample_size: int
    rng: random.Random
    ids: dict[str, int] = field(default_factory=dict)
    author_ids: dict[str, int] = field(default_factory=dict)
    authors: array[int] = field(default_factory=lambda: array("q"))
    created: array[float] = field(default_factory=lambda: array("d"))
    posts: bytearray = field(default_factory=bytearray)
    parents: array[int] = field(default_factory=lambda: array("q"))
    threads: array[int] = field(default_factory=lambda: array("q"))
    pending: list[tuple[int, str, str]] = field(default_factory=list)
    seen_by_period: dict[int, int] = field(default_factory=dict)
    reservoirs: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    dropped: int = 0

    def read(self, contributions: Iterable[Contribution],
             progress: Callable[[int], None] | None) -> None:
        read = 0
        for c in contributions:
            read += 1
            if progress is not None and read % 10_000 == 0:
                progress(read)
            if c.gone:
                self.dropped += 1
                continue
            self._keep(c)
        if progress is not None and read % 10_000:
            progress(read)

    def _keep(self, c: Contribution) -> None:
        i = len(self.created)
        self.ids[c.id] = i
        author = self.author_ids.setdefault(c.author, len(self.author_ids))
        self.authors.append(author)
        moment = c.created
        if moment.tzinfo is not UTC:  # built by hand, not by the reader: make it UTC
            moment = (moment.replace(tzinfo=UTC) if moment.tzinfo is None
                      else moment.astimezone(UTC))
        self.created.append(moment.timestamp())
        self.posts.append(c.is_post)
        if c.is_post:
            self.parents.append(-1)
            self.threads.append(i)
        else:
            parent = self.ids.get(c.parent, -2)
            thread = self.ids.get(c.thread, -2) if c.thread else -2
            if thread >= 0 and not self.posts[thread]:
                thread = -1  # link_id names a comment: malformed, so no thread
            self.parents.append(parent)
            self.threads.append(thread)
            if parent == -2 or (thread == -2 and c.thread):
                self.pending.append((i, c.parent, c.thread))
        period = ((moment.year - 1970) * 12 + moment.month - 1) // self.period_months
        self._offer(period, i, author, c)

    def _offer(self, period: int, i: int, author: int, c: Contribution) -> None:
        """Reservoir sampling (Vitter's algorithm R), one reservoir per period."""
        seen = self.seen_by_period.get(period, 0) + 1
        self.seen_by_period[period] = seen
        reservoir = self.reservoirs.setdefault(period, [])
        if seen <= self.sample_size:
            reservoir.append((i, author, _text_of(c)))
        else:
            slot = self.rng.randrange(seen)
            if slot < self.sample_size:
                reservoir[slot] = (i, author, _text_of(c))

    def result(self, salt: str) -> CommunityResult:
        n = len(self.created)
        names = {a: p for a, p in pseudonyms(self.author_ids, salt=salt).items()}
        if n == 0:
            return CommunityResult(contributions=0, dropped=self.dropped, periods=[],
                                   sample=[], period_months=self.period_months)
        data = _Arrays.build(self)
        periods = [_period(data, p, self.period_months) for p in
                   range(int(data.period[data.kept].min()), int(data.period[data.kept].max())
                         + 1)] if data.kept.any() else []
        sample = self._sample(data, names)
        kept = data.kept
        return CommunityResult(
            contributions=int(kept.sum()), dropped=self.dropped, periods=periods,
            sample=sample, orphaned=int((~kept).sum()), posts=int(data.is_post.sum()),
            comments=int((kept & ~data.is_post).sum()),
            contributors=len(np.unique(data.author[kept])), period_months=self.period_months,
            first=_utc(data.created[kept].min()) if kept.any() else None,
            last=_utc(data.created[kept].max()) if kept.any() else None)

    def _sample(self, data: _Arrays, names: dict[str, str]) -> list[SampleItem]:
        counts = dict(sorted(self.seen_by_period.items()))
        quota = _allocate(counts, self.sample_size)
        by_name = list(self.author_ids)
        lowered = {a.lower(): p for a, p in names.items()}
        odd = [n for n in lowered if not _WORD.fullmatch(n)]
        drawn: list[tuple[float, SampleItem]] = []
        for period, k in quota.items():
            for i, author, text in self.rng.sample(self.reservoirs[period], k):
                drawn.append((data.created[i], SampleItem(
                    position=0, pseudonym=names[by_name[author]], created=_utc(data.created[i]),
                    is_post=bool(data.is_post[i]), text=pseudonymise_text(text, lowered, odd=odd),
                    period=_label(period, self.period_months))))
        drawn.sort(key=lambda pair: pair[0])
        return [SampleItem(**{**_fields(item), "position": n})
                for n, (_, item) in enumerate(drawn, start=1)]


def _fields(item: SampleItem) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}


def _text_of(c: Contribution) -> str:
    return f"{c.title}\n\n{c.body}".strip() if c.title else c.body


def _allocate(counts: dict[int, int], size: int) -> dict[int, int]:
    """Proportional allocation by largest remainders, never more than a period holds."""
    total = sum(counts.values())
    if total <= size:
        return dict(counts)
    exact = {p: size * c / total for p, c in counts.items()}
    quota = {p: math.floor(x) for p, x in exact.items()}
    left = size - sum(quota.values())
    for p in sorted(exact, key=lambda p: (-(exact[p] - quota[p]), p))[:left]:
        quota[p] += 1
    return quota


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), UTC)


@dataclass
class _Arrays:
    author: np.ndarray
    created: np.ndarray
    is_post: np.ndarray
    parent: np.ndarray  # index of the kept contribution answered, else -1
    thread: np.ndarray  # index of the thread's post, else -1
    kept: np.ndarray  # a post, or a comment whose thread's post is here
    period: np.ndarray
    day: np.ndarray
    first_response: np.ndarray  # per post: first reply by someone else (epoch s), or inf

    @classmethod
    def build(cls, c: _Collector) -> _Arrays:
        ids, posts = c.ids, c.posts
        parents, threads = c.parents, c.threads
        for i, parent_id, thread_id in c.pending:
            parents[i] = ids.get(parent_id, -1)
            if thread_id:
                t = ids.get(thread_id, -1)
                threads[i] = t if t >= 0 and posts[t] else -1
        _walk_threads(parents, threads)
        author = np.frombuffer(c.authors, dtype=np.int64)
        created = np.frombuffer(c.created, dtype=np.float64)
        is_post = np.frombuffer(bytes(posts), dtype=np.bool_)
        parent = np.frombuffer(parents, dtype=np.int64)
        thread = np.frombuffer(threads, dtype=np.int64)
        kept = thread >= 0
        seconds = np.floor(created).astype("datetime64[s]")
        months = seconds.astype("datetime64[M]").astype(np.int64)
        day = seconds.astype("datetime64[D]").astype(np.int64)
        first = np.full(len(created), np.inf)
        other = kept & ~is_post
        other &= author != author[np.where(other, thread, 0)]
        np.minimum.at(first, thread[other], created[other])
        return cls(author=author, created=created, is_post=is_post, parent=parent,
                   thread=thread, kept=kept, period=months // c.period_months, day=day,
                   first_response=first)


def _walk_threads(parents: array[int], threads: array[int]) -> None:
    """A comment without ``link_id`` belongs to the thread of what it answers: follow
    parents up to a post. A chain that breaks (a parent dropped or not in the export) or
    loops (malformed data) leaves the comment without a thread (-1)."""
    for i in range(len(threads)):
        if threads[i] != -2:
            continue
        chain = []
        j = i
        while threads[j] == -2:
            chain.append(j)
            threads[j] = -3  # on the current path: meeting it again is a loop
            j = parents[j]
            if j < 0:
                break
        found = threads[j] if j >= 0 and threads[j] >= 0 else -1
        for k in chain:
            threads[k] = found


def _label(period: int, months: int) -> str:
    year, first = divmod(period * months, 12)
    year += 1970
    if months == 12:
        return str(year)
    if months == 1:
        return f"{_MONTHS[first]} {year}"
    return f"{_MONTHS[first]}\u2013{_MONTHS[first + months - 1]} {year}"


def _bounds(period: int, months: int) -> tuple[date, date]:
    year, first = divmod(period * months, 12)
    start = date(year + 1970, first + 1, 1)
    after_year, after_month = divmod(first + months, 12)
    end = date(year + 1970 + after_year, after_month + 1, 1) - timedelta(days=1)
    return start, end


def _period(d: _Arrays, p: int, months: int) -> PeriodMeasures:
    start, end = _bounds(p, months)
    epoch = date(1970, 1, 1)
    data_days = d.day[d.kept]
    low = max((start - epoch).days, int(data_days.min()))
    high = min((end - epoch).days, int(data_days.max()))
    days = max(high - low + 1, 0)
    own = d.kept & (d.period == p)
    posts = own & d.is_post
    comments = own & ~d.is_post
    n = int(own.sum())
    counts = np.unique(d.author[own], return_counts=True)[1]
    thread_posts = np.flatnonzero(posts)
    lengths = np.bincount(d.thread[d.kept & ~d.is_post], minlength=len(d.created))[thread_posts]
    answered = np.isfinite(d.first_response[thread_posts])
    waits = (d.first_response[thread_posts][answered] - d.created[thread_posts][answered])
    has_parent = comments & (d.parent >= 0)
    has_parent[has_parent] &= d.kept[d.parent[has_parent]]
    same = has_parent.copy()
    same[has_parent] = d.author[has_parent] == d.author[d.parent[has_parent]]
    return PeriodMeasures(
        label=_label(p, months), start=start, end=end, days_observed=days, contributions=n,
        posts=int(posts.sum()), comments=int(comments.sum()),
        per_day=n / days if days else None,
        trend=_trend(np.bincount(d.day[own] - low, minlength=days) if days else np.zeros(0)),
        contributors=len(counts), posters=len(np.unique(d.author[posts])),
        responders=len(np.unique(d.author[comments])),
        per_contributor_mean=float(counts.mean()) if len(counts) else None,
        per_contributor_median=float(np.median(counts)) if len(counts) else None,
        top_decile_share=_top_decile(counts),
        response_rate=float(answered.mean()) if len(thread_posts) else None,
        posts_with_response=int(answered.sum()),
        thread_length_mean=float(lengths.mean()) if len(lengths) else None,
        thread_length_median=float(np.median(lengths)) if len(lengths) else None,
        self_responses=int(same.sum()),
        first_response_median_hours=float(np.median(waits)) / 3600 if len(waits) else None,
        network=_network(d.author[has_parent & ~same], d.author[d.parent[has_parent & ~same]]))


def _top_decile(counts: np.ndarray) -> float | None:
    """Share of the period's contributions made by its most active tenth of contributors
    (the top ceil(10 %) of contributors, at least one)."""
    if not len(counts):
        return None
    top = math.ceil(len(counts) / 10)
    ordered = np.sort(counts)[::-1]
    return float(ordered[:top].sum() / ordered.sum())


def _trend(daily: np.ndarray) -> Trend:
    n = len(daily)
    if n < 3:
        return Trend(slope=None, p_value=None, direction="too few days")
    x = np.arange(n, dtype=float)
    y = daily.astype(float)
    sxx = float(((x - x.mean()) ** 2).sum())
    slope = float(((x - x.mean()) * (y - y.mean())).sum() / sxx)
    residuals = y - (y.mean() + slope * (x - x.mean()))
    variance = float((residuals**2).sum()) / (n - 2)
    if variance == 0:
        p = 0.0 if slope else 1.0
    else:
        t = slope / math.sqrt(variance / sxx)
        p = float(2 * stats.t.sf(abs(t), n - 2))
    direction = ("rising" if slope > 0 else "falling") if p < 0.05 and slope else \
        "no clear trend"
    return Trend(slope=slope, p_value=p, direction=direction)


def _network(sources: np.ndarray, targets: np.ndarray) -> ReplyNetwork:
    """Counted with numpy; transitivity by networkx. Reciprocity uses networkx's
    ``overall_reciprocity`` formula, 2 x (arcs - undirected edges) / arcs (the share of
    arcs whose reverse exists), without its copy of the graph, which costs more than the
    rest of the measures together at a million contributions."""
    replies = len(sources)
    if not replies:
        return ReplyNetwork(nodes=0, arcs=0, replies=0, mean_degree=None, transitivity=None,
                            reciprocity=None)
    arcs = np.unique(np.stack([sources, targets], axis=1), axis=0)
    edges = np.unique(np.sort(arcs, axis=1), axis=0)
    nodes = len(np.unique(arcs))
    undirected = nx.Graph()
    undirected.add_edges_from(edges.tolist())
    return ReplyNetwork(
        nodes=nodes, arcs=len(arcs), replies=replies, mean_degree=2 * replies / nodes,
        transitivity=float(nx.transitivity(undirected)),
        reciprocity=2 * (len(arcs) - len(edges)) / len(arcs))
