"""Reading an edge list (CSV or XLSX, or the API's JSON rows), checked whole before anything
is saved (docs/network-imports.md).

The first row is the header, and it is checked exactly: every column must be one of
``COLUMNS`` (any order, any case), ``from``, ``to`` and ``relation`` must be there, and no
column twice.

=============== ======== =============================================================
column          needed   what it holds
=============== ======== =============================================================
from            yes      one end: a person of the district by e-mail, anyone else by name
to              yes      the other end, the same way
relation        yes      a relation key: advice, information, collaboration or the
                         district's own
weight          no       how often, 1 (least) to 10
frequency       no       a label kept with the tie; Yearly, Monthly, Weekly or Daily give
                         the weight 1 to 4 when there is no weight column
date            no       when the tie was observed (2026-09-14 or 9/14/2026); empty: the
                         date given for the whole file
from_platform   no       where the ``from`` contact is met (X, r/Teachers, a district)
to_platform     no       the same for ``to``
=============== ======== =============================================================

Which way a row reads is said for the whole file: **flows** ("from shares with to") are
stored as they are; **nominations** ("from goes to to", as a survey asks) are stored
reversed, ``to → from``, because a tie ``a → b`` means knowledge flows from a to b.

Every problem names the file, the row (the header is row 1), the column and what was
wrong; one problem refuses the whole file (:class:`EdgesRefused`). The file itself is read
by the inquiry app's reader, which caps its size, refuses formulas in a workbook, reads only
UTF-8 text and tells a renamed or damaged file from a real .xlsx.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from uptake.accounts.models import RoleAssignment, User
from uptake.inquiry.imports import MAX_BYTES, parse_date, read_rows
from uptake.networks.models import MAX_WEIGHT
from uptake.networks.queries import IN_LIST_MAX, NODE_ROLES
from uptake.rules import Invalid, RowProblem
from uptake.surveys.models import DEFAULT_FREQUENCIES

__all__ = ["COLUMNS", "MAX_BYTES", "MAX_ROWS", "REQUIRED", "EdgeRow", "EdgesRefused", "End",
           "check", "read_file", "template_csv"]

MAX_ROWS = 20_000
MAX_PROBLEMS = 200
MAX_NAME = 200
MAX_PLATFORM = 120
MAX_FREQUENCY = 60
COLUMNS = ("from", "to", "relation", "weight", "frequency", "date", "from_platform",
           "to_platform")
REQUIRED = ("from", "to", "relation")
# The surveys' default frequencies, least often first: their rank is the weight.
FREQUENCY_WEIGHTS = {label.casefold(): rank
                     for rank, label in enumerate(DEFAULT_FREQUENCIES, start=1)}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Say = Callable[[str, str], None]


class EdgesRefused(Invalid):
    """An edge list that cannot be imported; ``rows`` says where and why."""


@dataclass(frozen=True)
class End:
    """One end of a tie: a person of the district, or a contact outside it by name."""

    person: User | None
    name: str = ""
    platform: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        if self.person is not None:
            return ("p", str(self.person.pk))
        return ("c", self.name.casefold(), self.platform.casefold())

    def __str__(self) -> str:
        if self.person is not None:
            return self.person.email
        return f"{self.name} ({self.platform})" if self.platform else self.name


@dataclass(frozen=True)
class EdgeRow:
    """A row ready to save, already in the flow direction (``source → target``)."""

    row: int
    source: End
    target: End
    relation: str
    weight: int
    frequency: str
    observed_on: date | None


def template_csv() -> str:
    """The template offered for download: the header and two example rows."""
    return ("from,to,relation,weight,frequency,date,from_platform,to_platform\r\n"
            "jamie@school.example,asha@school.example,advice,3,Weekly,2026-10-01,,\r\n"
            "Dr. Lena Ortiz,jamie@school.example,information,,Monthly,,X (Twitter),\r\n")


def _summary(name: str, problems: Sequence[RowProblem]) -> str:
    count = len(problems)
    what = "problem" if count == 1 else "problems"
    return (f"{name}: {count} {what} found; nothing was saved. Correct the rows below and "
            "send the file again.")


def read_file(name: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as {column: text}, numbered from 2 by position (the header is row
    1); blank lines are kept as empty dicts so that row numbers match the file."""
    try:
        cells = read_rows(name, content)
    except Invalid as refusal:
        raise EdgesRefused(f"{name}: {refusal.message}",
                           rows=[RowProblem(None, "", refusal.message)]) from None
    if not cells:
        raise EdgesRefused(f"{name}: the file is empty.")
    header = [c.strip().lower().replace("\ufeff", "") for c in cells[0]]
    problems = header_problems(header)
    if problems:
        raise EdgesRefused(_summary(name, problems), rows=problems)
    if len(cells) - 1 > MAX_ROWS:
        raise EdgesRefused(f"{name}: the file has {len(cells) - 1:,} rows; the limit is "
                           f"{MAX_ROWS:,}. Split it into smaller files.")
    records: list[dict[str, str]] = []
    for line in cells[1:]:
        if not any(c.strip() for c in line):
            records.append({})
            continue
        records.append({k: (line[i] if i < len(line) else "")
                        for i, k in enumerate(header) if k})
    return records


def header_problems(header: Sequence[str]) -> list[RowProblem]:
    """What is wrong with a header (lower-cased names), as row-1 problems."""
    problems = []
    for column in header:
        if column and column not in COLUMNS:
            problems.append(RowProblem(1, column[:60], "Uptake does not read this column; "
                                       "the columns are " + ", ".join(COLUMNS) + "."))
    if "" in header and any(header):
        position = header.index("") + 1
        problems.append(RowProblem(1, f"column {position}", "This column has no name in "
                                                           "the header; name it or delete it."))
    for column in COLUMNS:
        if header.count(column) > 1:
            problems.append(RowProblem(1, column, "This column appears twice."))
    for column in REQUIRED:
        if column not in header:
            problems.append(RowProblem(1, column, f"The header has no {column} column "
                                                  "(from, to and relation are needed)."))
    return problems


def check(records: Sequence[Mapping[str, object] | None], *, district_id: int,
          relations: Collection[str], nominations: bool, name: str = "API",
          first_row: int = 2, today: date | None = None) -> list[EdgeRow]:
    """Every record checked against the district (its people and relations): the rows to
    save, in the flow direction (nominations reversed), or :class:`EdgesRefused` with
    every problem."""
    if len(records) > MAX_ROWS:
        raise EdgesRefused(f"{name}: {len(records):,} rows were sent; the limit is "
                           f"{MAX_ROWS:,}.")
    people = _People(district_id, records)
    known = set(relations)
    limit = today or date.today()
    problems: list[RowProblem] = []
    rows: list[EdgeRow] = []
    seen: dict[tuple[tuple[str, ...], tuple[str, ...], str], int] = {}
    for number, raw in enumerate(records, start=first_row):
        if not raw:
            continue
        record = {str(k).strip().lower(): "" if v is None else str(v).strip()
                  for k, v in raw.items()}
        if not any(record.values()):
            continue
        before = len(problems)

        def say(column: str, message: str, number: int = number) -> None:
            problems.append(RowProblem(number, column, message))

        for column in record:
            if column not in COLUMNS:
                say(column[:60], "Uptake does not read this column; the columns are "
                                 + ", ".join(COLUMNS) + ".")
        for column, value in record.items():
            if value.startswith("="):
                say(column, f"“{value[:40]}” is a formula; Uptake never evaluates formulas. "
                            "Write the value itself.")
        if len(problems) > before:
            continue
        row = _row(number, record, people, known, limit, nominations, say)
        if row is not None and len(problems) == before:
            pair = (row.source.key, row.target.key, row.relation)
            if pair in seen:
                say("to", f"The same tie ({row.relation}) as row {seen[pair]}; give each tie "
                          "once.")
            else:
                seen[pair] = number
                rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(RowProblem(None, "", "Too many problems; the rest of the file "
                                                 "was not checked."))
            break
    if problems:
        raise EdgesRefused(_summary(name, problems), rows=problems)
    if not rows:
        raise EdgesRefused(f"{name}: there are no rows to import.")
    return rows


def _row(number: int, record: Mapping[str, str], people: _People, relations: set[str],
         today: date, nominations: bool, say: Say) -> EdgeRow | None:
    start = _end(record, "from", people, say)
    end = _end(record, "to", people, say)
    relation = record.get("relation", "").lower()
    if not relation:
        say("relation", "Give the relation (" + ", ".join(sorted(relations)) + ").")
    elif relation not in relations:
        say("relation", f"“{relation[:40]}” is not a relation of the district; use one of "
                        + ", ".join(sorted(relations)) + ".")
    weight = _weight(record.get("weight", ""), record.get("frequency", ""), say)
    frequency = record.get("frequency", "")
    if len(frequency) > MAX_FREQUENCY:
        say("frequency", f"The frequency is longer than {MAX_FREQUENCY} characters.")
    observed = _date(record.get("date", ""), today, say)
    if start is not None and end is not None and start.key == end.key:
        say("to", f"A tie from {start} to {start}: someone cannot be their own tie.")
        return None
    if start is None or end is None or weight is None or relation not in relations:
        return None
    source, target = (end, start) if nominations else (start, end)
    return EdgeRow(number, source, target, relation, weight, frequency, observed)


def _end(record: Mapping[str, str], column: str, people: _People, say: Say) -> End | None:
    text = record.get(column, "")
    platform = record.get(f"{column}_platform", "")
    if not text:
        say(column, "Give a person's e-mail or a contact's name.")
        return None
    if _EMAIL.match(text):
        if platform:
            say(f"{column}_platform", "A person of the district has no platform; leave it "
                                      "empty or name a contact instead of an e-mail.")
            return None
        return people.find(text, column, say)
    if len(text) > MAX_NAME:
        say(column, f"The name is longer than {MAX_NAME} characters.")
        return None
    if len(platform) > MAX_PLATFORM:
        say(f"{column}_platform", f"The platform is longer than {MAX_PLATFORM} characters.")
        return None
    return End(None, " ".join(text.split()), " ".join(platform.split()))


def _weight(text: str, frequency: str, say: Say) -> int | None:
    if not text:
        if not frequency:
            return 1
        found = FREQUENCY_WEIGHTS.get(frequency.casefold())
        if found is None:
            say("frequency", f"“{frequency[:40]}” gives no weight: add a weight (1 to "
                             f"{MAX_WEIGHT}) or write one of "
                             + ", ".join(DEFAULT_FREQUENCIES) + ".")
        return found
    if not re.fullmatch(r"\d{1,3}", text):
        say("weight", f"“{text[:20]}” is not a whole number from 1 to {MAX_WEIGHT}.")
        return None
    value = int(text)
    if not 1 <= value <= MAX_WEIGHT:
        say("weight", f"{value} is out of range: a weight is from 1 (least often) to "
                      f"{MAX_WEIGHT}.")
        return None
    return value


def _date(text: str, today: date, say: Say) -> date | None:
    if not text:
        return None
    found = parse_date(text)
    if found is None:
        say("date", f"“{text[:20]}” is not a date (write 2026-09-14 or 9/14/2026).")
        return None
    if found > today:
        say("date", f"{found.isoformat()} is in the future.")
        return None
    return found


class _People:
    """The people a file names by e-mail: the district's, found in one query. An e-mail
    of another district gets the same answer as one nobody has, so that an import never
    tells a coordinator who has an account elsewhere."""

    def __init__(self, district_id: int, records: Sequence[Mapping[str, object] | None]):
        emails = {str(r.get(c) or "").strip().lower() for r in records if r
                  for c in ("from", "to")}
        wanted = sorted(e for e in emails if _EMAIL.match(e))
        node = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=NODE_ROLES)
        self.by_email: dict[str, User] = {}
        self.nodes: set[int] = set()
        # In chunks: a file may name up to 40,000 addresses, more than a database binds
        # in one statement (SQLite: 32,766).
        for start in range(0, len(wanted), IN_LIST_MAX):
            found = (User.objects.annotate(email_lower=Lower("email"), node=Exists(node))
                     .filter(email_lower__in=wanted[start:start + IN_LIST_MAX],
                             district_id=district_id))
            for person in found:
                self.by_email[person.email.lower()] = person
                if person.node:
                    self.nodes.add(person.pk)

    def find(self, email: str, column: str, say: Say) -> End | None:
        person = self.by_email.get(email.lower())
        if person is None:
            say(column, f"No one in the district has the e-mail {email[:80]}; name someone "
                        "outside the district as a contact (by name, without an e-mail).")
            return None
        if not person.is_active:
            say(column, f"{email[:80]} is a switched-off account.")
            return None
        if person.pk not in self.nodes:
            say(column, f"{email[:80]} is not a teacher, coach, school leader or "
                        "coordinator (a researcher or assessor account), and the network "
                        "shows only those.")
            return None
        return End(person)
