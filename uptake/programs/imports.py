"""Reading participation from a CSV or Excel file (or the API's JSON list), checked
before anything is saved.

The first row is the header. Columns (any order, case and spaces ignored):

- ``email`` or ``staff_identifier``: who (a person of the district; one of the two);
- ``session``: the session's date (``2026-09-14``, ``09/14/2026``) or its title; optional;
- ``attended``: ``yes`` or ``no`` (also ``y``/``n``, ``1``/``0``, ``true``/``false``,
  ``present``/``absent``); required when a session is named;
- ``status``: ``enrolled``, ``completed`` or ``withdrawn``; optional.

Every problem names its file, row and column; a file with any problem is refused whole
(:class:`ParticipationRefused`, whose ``rows`` the page shows as a table). Blank lines are
skipped. An unknown person or session is an error, never a silent skip; so is the same
person and session twice, or two statuses for one person. The file itself is read by the
inquiry app's reader (size, cells and workbook parts capped, formulas refused, UTF-8 only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from uptake.accounts.models import User
from uptake.inquiry.imports import MAX_BYTES, parse_date, read_rows
from uptake.programs.models import Participant, Program, ProgramSession
from uptake.rules import Invalid, RowProblem

MAX_ROWS = 5000
__all__ = ["MAX_BYTES", "MAX_ROWS", "ParticipationRefused", "ParticipationRow", "check",
           "read_file"]
MAX_PROBLEMS = 100
COLUMNS = {
    "email": "email", "e-mail": "email", "email address": "email",
    "staff_identifier": "staff_identifier", "staff identifier": "staff_identifier",
    "staff id": "staff_identifier", "staff_id": "staff_identifier",
    "session": "session", "session date": "session", "session title": "session",
    "date": "session",
    "attended": "attended", "present": "attended", "attendance": "attended",
    "status": "status",
}
Say = Callable[[str, str], None]
YES = {"yes", "y", "1", "true", "present", "x"}
NO = {"no", "n", "0", "false", "absent"}


class ParticipationRefused(Invalid):
    """A participation file or list that cannot be applied; ``rows`` says where and why."""


@dataclass(frozen=True)
class ParticipationRow:
    row: int
    person: User
    session: ProgramSession | None
    attended: bool | None
    status: str


def read_file(name: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as {column: text}, numbered from 2 by position (the header is row
    1); blank lines are kept as empty dicts so that row numbers match the file."""
    try:
        cells = read_rows(name, content)
    except Invalid as refusal:
        raise ParticipationRefused(f"{name}: {refusal.message}") from None
    if not cells:
        raise ParticipationRefused(f"{name}: the file is empty.")
    header = [c.strip().lower().replace("\ufeff", "") for c in cells[0]]
    problems = []
    for i, column in enumerate(header, start=1):
        if column and column not in COLUMNS:
            problems.append(RowProblem(1, cells[0][i - 1][:60],
                                       "Uptake does not read this column (use email or "
                                       "staff_identifier, session, attended, status)."))
    keys = [COLUMNS.get(c, "") for c in header]
    named = [k for k in keys if k]
    for key in set(named):
        if named.count(key) > 1:
            problems.append(RowProblem(1, key, "This column appears twice."))
    if "email" not in keys and "staff_identifier" not in keys:
        problems.append(RowProblem(1, "email", "The header needs an email or a "
                                               "staff_identifier column."))
    if problems:
        raise ParticipationRefused(_summary(name, problems), rows=problems)
    if len(cells) - 1 > MAX_ROWS:
        raise ParticipationRefused(f"{name}: the file has {len(cells) - 1:,} rows; the "
                                   f"limit is {MAX_ROWS:,}. Split it into smaller files.")
    records: list[dict[str, str]] = []
    for line in cells[1:]:
        if not any(c.strip() for c in line):
            records.append({})
            continue
        records.append({k: (line[i].strip() if i < len(line) else "")
                        for i, k in enumerate(keys) if k})
    return records


def _summary(name: str, problems: Sequence[RowProblem]) -> str:
    count = len(problems)
    what = "problem" if count == 1 else "problems"
    where = f"{name}: " if name else ""
    return (f"{where}{count} {what} found; nothing was saved. Correct the rows below and "
            "upload the file again.")


def check(program: Program, records: Sequence[Mapping[str, str] | None], *,
          name: str = "", first_row: int = 2) -> list[ParticipationRow]:
    """Every record checked against the program (its sessions, the district's people);
    :class:`ParticipationRefused` with every problem, or the rows to apply."""
    if len(records) > MAX_ROWS:
        raise ParticipationRefused(f"{len(records):,} rows were sent; the limit is "
                                   f"{MAX_ROWS:,}.")
    people = User.objects.filter(district_id=program.district_id, is_active=True)
    by_email = {u.email.lower(): u for u in people}
    by_staff: dict[str, list[User]] = {}
    for u in people:
        if u.staff_identifier:
            by_staff.setdefault(u.staff_identifier.strip().lower(), []).append(u)
    sessions = list(program.sessions.all())
    problems: list[RowProblem] = []
    rows: list[ParticipationRow] = []
    seen_pair: dict[tuple[int, int], int] = {}
    seen_status: dict[int, tuple[str, int]] = {}
    for number, record in enumerate(records, start=first_row):
        if not record or not any((v or "").strip() for v in record.values()):
            continue
        before = len(problems)

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(RowProblem(number, column, message))

        person = _person(record, by_email, by_staff, problem)
        session = _session(record.get("session") or "", sessions, problem)
        attended = _attended(record.get("attended") or "", session, problem)
        status = (record.get("status") or "").strip().lower()
        if status and status not in Participant.Status.values:
            problem("status", f"“{status[:40]}” is not a status: write enrolled, completed "
                              "or withdrawn.")
        if person is not None and session is not None:
            pair = (person.pk, session.pk)
            if pair in seen_pair:
                problem("session", f"The same person and session as row {seen_pair[pair]}.")
            else:
                seen_pair[pair] = number
        if person is not None and status in Participant.Status.values:
            had = seen_status.get(person.pk)
            if had and had[0] != status:
                problem("status", f"Row {had[1]} gives this person the status {had[0]}.")
            elif not had:
                seen_status[person.pk] = (status, number)
        if len(problems) == before and person is not None:
            rows.append(ParticipationRow(number, person, session, attended, status))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(RowProblem(None, "", "Too many problems; the rest of the file "
                                                 "was not checked."))
            break
    if problems:
        raise ParticipationRefused(_summary(name, problems), rows=problems)
    if not rows:
        raise ParticipationRefused(f"{name + ': ' if name else ''}there are no rows to "
                                   "import.")
    return rows


def _person(record: Mapping[str, str], by_email: dict[str, User],
            by_staff: dict[str, list[User]], say: Say) -> User | None:
    email = (record.get("email") or "").strip()
    staff = (record.get("staff_identifier") or "").strip()
    if email:
        found = by_email.get(email.lower())
        if found is None:
            say("email", f"No one in the district has the email {email[:80]}.")
        return found
    if staff:
        matches = by_staff.get(staff.lower(), [])
        if len(matches) != 1:
            say("staff_identifier",
                f"No one in the district has the staff identifier {staff[:40]}."
                if not matches else
                f"{len(matches)} people share the staff identifier {staff[:40]}; use email.")
            return None
        return matches[0]
    say("email", "Give the person's email or staff identifier.")
    return None


def _session(text: str, sessions: list[ProgramSession],
             say: Say) -> ProgramSession | None:
    text = text.strip()
    if not text:
        return None
    when: date | None = parse_date(text)
    if when is not None:
        found = [s for s in sessions if s.held_on == when]
        if len(found) > 1:
            say("session", f"{len(found)} sessions were held on {when.isoformat()}; "
                           "give the session's title instead.")
            return None
    else:
        found = [s for s in sessions if s.title.strip().lower() == text.lower()]
        if len(found) > 1:
            say("session", f"{len(found)} sessions are titled “{text[:60]}”; "
                           "give the session's date instead.")
            return None
    if not found:
        say("session", f"The program has no session “{text[:60]}” (give a session's date "
                       "or title, as on the program's page).")
        return None
    return found[0]


def _attended(text: str, session: ProgramSession | None, say: Say) -> bool | None:
    value = text.strip().lower()
    if not value:
        if session is not None:
            say("attended", "Say whether the person attended: yes or no.")
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    say("attended", f"“{text[:40]}” is not yes or no.")
    return None
