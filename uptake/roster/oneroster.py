"""Read and check a OneRoster CSV zip (1.1 bulk/delta, 1.2 bulk). No database access.

:func:`read_oneroster_zip` returns a :class:`Roster` (validated rows per file, each
remembering the spreadsheet row it came from) or raises :class:`RosterInvalid` carrying
structured :class:`RosterError` records ``{file, row, column, message}``. Row numbers are
what a person sees in a spreadsheet: the header is row 1.

What the database already knows (ids of earlier imports, the target district) comes in
through :class:`Context`, so references to files that are absent or delta can be checked
without this module touching the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Annotated, Any, Literal, NamedTuple
from zlib import error as zlib_error

from pydantic import PlainValidator, StringConstraints, TypeAdapter, ValidationError

from uptake.rules import Invalid

MAX_ERRORS = 200
MAX_MEMBERS = 64
# Real roster CSVs compress 5-20x; deflate tops out near 1030x. Only checked once a
# member has produced MIN_RATIO_BYTES, because tiny files have meaningless ratios.
MAX_COMPRESSION_RATIO = 200
MIN_RATIO_BYTES = 1024 * 1024
CHUNK = 64 * 1024

# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterError:
    """One problem, located as precisely as we can: file, spreadsheet row, column."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file or "(zip)"
        if self.row is not None:
            where += f":{self.row}"
            if self.column:
                where += f":{self.column}"
        elif self.column:
            where += f"::{self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column,
                "message": self.message}


class RosterInvalid(Invalid):
    """The zip cannot be imported; ``errors`` says why, ``truncated`` if we stopped early."""

    def __init__(self, errors: list[RosterError], *, truncated: bool = False) -> None:
        self.errors = errors
        self.truncated = truncated
        super().__init__("; ".join(str(e) for e in errors[:3]))


class _TooManyErrors(Exception):
    pass


class Errors:
    """Collects errors up to a cap; past the cap, stops the read."""

    def __init__(self, cap: int = MAX_ERRORS) -> None:
        self.items: list[RosterError] = []
        self.cap = cap
        self.truncated = False

    def add(self, file: str, row: int | None, column: str, message: str) -> None:
        self.items.append(RosterError(file, row, column, message))
        if len(self.items) >= self.cap:
            self.truncated = True
            raise _TooManyErrors

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise RosterInvalid(self.items, truncated=self.truncated)


# --------------------------------------------------------------------------------------
# The spec: files, columns, enumerations
# --------------------------------------------------------------------------------------

_COMMON = ["sourcedId", "status", "dateLastModified"]
HEADERS: dict[str, dict[str, list[str]]] = {
    "1.1": {
        "orgs": [*_COMMON, "name", "type", "identifier", "parentSourcedId"],
        "academicSessions": [*_COMMON, "title", "type", "startDate", "endDate",
                             "parentSourcedId", "schoolYear"],
        "courses": [*_COMMON, "schoolYearSourcedId", "title", "courseCode", "grades",
                    "orgSourcedId", "subjects", "subjectCodes"],
        "classes": [*_COMMON, "title", "grades", "courseSourcedId", "classCode", "classType",
                    "location", "schoolSourcedId", "termSourcedIds", "subjects",
                    "subjectCodes", "periods"],
        "users": [*_COMMON, "enabledUser", "orgSourcedIds", "role", "username", "userIds",
                  "givenName", "familyName", "middleName", "identifier", "email", "sms",
                  "phone", "agentSourcedIds", "grades", "password"],
        "enrollments": [*_COMMON, "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
                        "primary", "beginDate", "endDate"],
        "demographics": [*_COMMON, "birthDate", "sex", "americanIndianOrAlaskaNative", "asian",
                         "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander",
                         "white", "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity",
                         "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth",
                         "publicSchoolResidenceStatus"],
    },
}
HEADERS["1.2"] = {
    **HEADERS["1.1"],
    "users": [*_COMMON, "enabledUser", "username", "userIds", "givenName", "familyName",
              "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
              "password", "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
              "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns"],
    "roles": [*_COMMON, "userSourcedId", "roleType", "role", "beginDate", "endDate",
              "orgSourcedId", "userProfileSourcedId"],
}
# The order rows are read and applied in: referenced files before the files that refer.
FILE_ORDER = ["orgs", "academicSessions", "courses", "classes", "users", "roles",
              "demographics", "enrollments"]
VENDOR_PREFIXES = ("metadata.", "ext_")
EQUITY_COLUMNS = {
    "metadata.englishLearner": "english_learner",
    "metadata.specialEducation": "special_education",
    "metadata.economicallyDisadvantaged": "economically_disadvantaged",
}

ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
SESSION_TYPES = {"gradingPeriod", "semester", "schoolYear", "term"}
CLASS_TYPES = {"homeroom", "scheduled"}
USER_ROLES_11 = {"administrator", "aide", "guardian", "parent", "proctor", "relative",
                 "student", "teacher"}
USER_ROLES_12 = {"aide", "counselor", "districtAdministrator", "guardian", "parent",
                 "principal", "proctor", "relative", "siteAdministrator", "student",
                 "systemAdministrator", "teacher"}
ENROLLMENT_ROLES = {"administrator", "aide", "proctor", "student", "teacher"}
ROLE_TYPES = {"primary", "secondary"}
SEXES = {"male", "female", "other", "unspecified"}
STATUSES = {"active", "tobedeleted"}
# Which OneRoster roles Uptake turns into what. Guardians, aides and the like are counted
# and skipped: Uptake has nothing for them to do.
STAFF_LEADER_ROLES = {"administrator", "principal", "siteAdministrator"}
STAFF_ACCOUNT_ONLY_ROLES = {"districtAdministrator", "systemAdministrator"}


# --------------------------------------------------------------------------------------
# Cell validators (messages say what was expected, in words a coordinator understands)
# --------------------------------------------------------------------------------------


def _bool(*, required: bool) -> Callable[[str], bool | None]:
    def check(value: str) -> bool | None:
        lowered = value.strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        if not lowered and not required:
            return None
        raise ValueError(f"{value!r} is not true or false")

    return check


@functools.lru_cache(maxsize=8192)
def _parse_date(value: str) -> dt.date:
    """Cached: a roster repeats a handful of dates hundreds of thousands of times."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def _date(*, required: bool) -> Callable[[str], dt.date | None]:
    def check(value: str) -> dt.date | None:
        value = value.strip()
        if not value and not required:
            return None
        return _parse_date(value)

    return check


def _datetime(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time like "
                         "2026-10-01T14:05:00.000Z") from None
    return value


def _year(value: str) -> int:
    value = value.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(f"{value!r} is not a four-digit year")
    return int(value)


def _ids(value: str) -> tuple[str, ...]:
    """A comma-separated list of sourcedIds (OneRoster puts them in one quoted cell)."""
    return tuple(sys.intern(v.strip()) for v in value.split(",") if v.strip())


def _ref(*, required: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if required and not value:
            raise ValueError("must not be empty")
        if len(value) > 255:
            raise ValueError(f"is {len(value)} characters long; at most 255 fit")
        return sys.intern(value)

    return check


def _grades(value: str) -> str:
    value = ",".join(v.strip() for v in value.split(",") if v.strip())
    if len(value) > 100:
        raise ValueError("lists more grades than fit (100 characters)")
    return sys.intern(value)


# Text and enumerations are checked inside pydantic-core (no Python call per cell: a
# district's enrollments.csv has ~650,000 rows); _MESSAGES turns its errors into ours.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
OptId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Ids = Annotated[tuple[str, ...], PlainValidator(_ids)]
# References to other rows are interned: the same few thousand class and user ids recur
# across hundreds of thousands of enrollments, and one copy each saves ~100 MB a district.
Ref = Annotated[str, PlainValidator(_ref(required=True))]
OptRef = Annotated[str, PlainValidator(_ref(required=False))]
Status = Literal["", "active", "tobedeleted"]
Modified = Annotated[str, PlainValidator(_datetime)]
Date = Annotated[dt.date, PlainValidator(_date(required=True))]
OptDate = Annotated[dt.date | None, PlainValidator(_date(required=False))]
Bool = Annotated[bool, PlainValidator(_bool(required=True))]
OptBool = Annotated[bool | None, PlainValidator(_bool(required=False))]
Grades = Annotated[str, PlainValidator(_grades)]


def T(limit: int, required: bool = False) -> Any:
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=limit,
                                            min_length=1 if required else 0)]


def E(choices: set[str], required: bool = True) -> Any:
    values = tuple(sorted(choices)) + (() if required else ("",))
    return Literal[values]


class OrgRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    name: T(200, True)  # type: ignore[valid-type]
    type: E(ORG_TYPES)  # type: ignore[valid-type]
    identifier: T(64)  # type: ignore[valid-type]
    parentSourcedId: OptRef


class SessionRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    title: T(200, True)  # type: ignore[valid-type]
    type: E(SESSION_TYPES)  # type: ignore[valid-type]
    startDate: Date
    endDate: Date
    parentSourcedId: OptRef
    schoolYear: Annotated[int, PlainValidator(_year)]


class CourseRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    schoolYearSourcedId: OptRef
    title: T(200, True)  # type: ignore[valid-type]
    courseCode: T(64)  # type: ignore[valid-type]
    grades: Grades
    orgSourcedId: Ref
    subjects: T(255)  # type: ignore[valid-type]


class ClassRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    title: T(200, True)  # type: ignore[valid-type]
    grades: Grades
    courseSourcedId: Ref
    classCode: T(64)  # type: ignore[valid-type]
    classType: E(CLASS_TYPES)  # type: ignore[valid-type]
    location: T(100)  # type: ignore[valid-type]
    schoolSourcedId: Ref
    termSourcedIds: Ids
    subjects: T(255)  # type: ignore[valid-type]
    periods: T(100)  # type: ignore[valid-type]


class UserRow(NamedTuple):
    """A user of either version; 1.1's orgSourcedIds/role and 1.2's extras both fit."""

    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    enabledUser: Bool
    username: T(255)  # type: ignore[valid-type]
    givenName: T(100, True)  # type: ignore[valid-type]
    familyName: T(100, True)  # type: ignore[valid-type]
    identifier: T(64)  # type: ignore[valid-type]
    email: T(254)  # type: ignore[valid-type]
    agentSourcedIds: Ids
    grades: Grades
    orgSourcedIds: Ids = ()
    role: str = ""
    preferredGivenName: T(100) = ""  # type: ignore[valid-type]
    primaryOrgSourcedId: OptRef = ""
    pronouns: T(40) = ""  # type: ignore[valid-type]
    equity: dict[str, bool | None] = {}


class RoleRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    userSourcedId: Ref
    roleType: E(ROLE_TYPES)  # type: ignore[valid-type]
    role: E(USER_ROLES_12)  # type: ignore[valid-type]
    beginDate: OptDate
    endDate: OptDate
    orgSourcedId: Ref


class EnrollmentRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    classSourcedId: Ref
    schoolSourcedId: Ref
    userSourcedId: Ref
    role: E(ENROLLMENT_ROLES)  # type: ignore[valid-type]
    primary: OptBool
    beginDate: OptDate
    endDate: OptDate


class DemographicRow(NamedTuple):
    row: int
    sourcedId: Id
    status: Status
    dateLastModified: Modified
    birthDate: OptDate
    sex: E(SEXES, required=False)  # type: ignore[valid-type]
    americanIndianOrAlaskaNative: OptBool
    asian: OptBool
    blackOrAfricanAmerican: OptBool
    nativeHawaiianOrOtherPacificIslander: OptBool
    white: OptBool
    demographicRaceTwoOrMoreRaces: OptBool
    hispanicOrLatinoEthnicity: OptBool
    equity: dict[str, bool | None] = {}


ROW_TYPES: dict[str, type[NamedTuple]] = {
    "orgs": OrgRow, "academicSessions": SessionRow, "courses": CourseRow,
    "classes": ClassRow, "users": UserRow, "roles": RoleRow, "enrollments": EnrollmentRow,
    "demographics": DemographicRow,
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(v) for k, v in ROW_TYPES.items()}
_EQUITY_CHECK = _bool(required=False)


def race_ethnicity(demo: DemographicRow) -> str:
    """The federal reporting category (see Student.RaceEthnicity).

    Hispanic or Latino of any race is reported as Hispanic; otherwise the two-or-more flag
    or several race flags give two_or_more; one flag gives that race; none gives unknown.
    """
    if demo.hispanicOrLatinoEthnicity:
        return "hispanic"
    races = [name for name, flag in (
        ("american_indian", demo.americanIndianOrAlaskaNative), ("asian", demo.asian),
        ("black", demo.blackOrAfricanAmerican),
        ("pacific_islander", demo.nativeHawaiianOrOtherPacificIslander),
        ("white", demo.white)) if flag]
    if demo.demographicRaceTwoOrMoreRaces or len(races) > 1:
        return "two_or_more"
    return races[0] if races else ""


# --------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The district the zip is being imported into."""

    name: str
    sourced_id: str = ""
    identifier: str = ""


@dataclass
class Context:
    """What the database already holds, by sourcedId, for references to absent files."""

    target: Target
    orgs: dict[str, str] = field(default_factory=dict)  # sourcedId -> org type
    sessions: set[str] = field(default_factory=set)
    courses: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    users: dict[str, str] = field(default_factory=dict)  # sourcedId -> "student" / "staff"


@dataclass
class Roster:
    version: str
    modes: dict[str, str]  # file key -> "bulk" / "delta" (files present only)
    rows: dict[str, list[Any]]
    district_org: OrgRow | None
    user_kinds: dict[str, str]  # sourcedId -> student / teacher / leader / account / ignored
    user_roles: dict[str, list[tuple[str, str]]]  # sourcedId -> [(oneroster role, org id)]
    notes: list[str]
    ignored: dict[str, int]  # file key -> rows skipped on purpose

    @property
    def mode(self) -> str:
        modes = set(self.modes.values())
        return modes.pop() if len(modes) == 1 else ("mixed" if modes else "")

    def file_name(self, key: str) -> str:
        return f"{key}.csv"


# --------------------------------------------------------------------------------------
# Reading the zip safely
# --------------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in PurePosixPath(name).parts


class _Budget:
    """Counts bytes actually decompressed, whatever the zip's headers claim."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0


def _stream_lines(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget,
                  errors: Errors) -> Iterator[str]:
    """Decoded lines of a member, checking size and ratio on the bytes actually produced."""
    name = info.filename
    produced = 0
    pending = b""
    line_no = 0
    with zf.open(info) as raw:
        while True:
            try:
                chunk = raw.read(CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, zlib_error) as exc:
                raise RosterInvalid([RosterError(name, None, "", f"the zip is damaged ({exc})")]
                                    ) from None
            if not chunk:
                break
            produced += len(chunk)
            budget.used += len(chunk)
            _check_budget(name, produced, info, budget)
            *complete, pending = (pending + chunk).split(b"\n")
            for raw_line in complete:
                line_no += 1
                yield _decode(name, line_no, raw_line + b"\n")
    if pending:
        yield _decode(name, line_no + 1, pending)


def _check_budget(name: str, produced: int, info: zipfile.ZipInfo, budget: _Budget) -> None:
    if budget.used > budget.limit:
        raise RosterInvalid([RosterError(name, None, "", (
            f"the zip unpacks to more than {budget.limit:,} bytes, the most this server "
            "accepts; split the export or ask your administrator to raise "
            "ROSTER_MAX_UNCOMPRESSED_BYTES"))])
    if produced > info.file_size:
        raise RosterInvalid([RosterError(name, None, "", (
            "unpacks to more bytes than the zip says it holds; the zip is damaged or "
            "crafted"))])
    if produced >= MIN_RATIO_BYTES and produced > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1):
        raise RosterInvalid([RosterError(name, None, "", (
            f"is compressed more than {MAX_COMPRESSION_RATIO} to 1, which real roster "
            "files never are; this looks like a zip bomb and was not unpacked"))])


def _decode(name: str, line_no: int, raw: bytes) -> str:
    if line_no == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterInvalid([RosterError(name, 1, "", (
            "is saved as UTF-16; save it as CSV UTF-8 and export again"))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1].hex()
        raise _DecodeFailed(line_no, (
            f"is not valid UTF-8 (byte 0x{bad} at character {exc.start + 1}); the file "
            "was probably saved as Latin-1 or Windows-1252 — save it as CSV UTF-8"
        )) from None
    if line_no == 1 and text.startswith("\ufeff"):
        text = text[1:]
    return text


class _DecodeFailed(Exception):
    def __init__(self, line_no: int, message: str) -> None:
        self.line_no = line_no
        self.message = message


def _members(zf: zipfile.ZipFile, errors: Errors, budget_limit: int
             ) -> dict[str, zipfile.ZipInfo]:
    """Top-level CSVs by lower-case name; rejects folders, traversal, too many, too big."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        errors.add("", None, "", f"the zip holds {len(infos)} entries; a OneRoster export "
                   f"has at most {MAX_MEMBERS}")
        errors.raise_if_any()
    declared = 0
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            errors.add(name, None, "", "has an unsafe path (absolute, '..' or backslashes); "
                       "the zip was not opened")
            continue
        hidden = PurePosixPath(name).name.startswith(".")
        if name.startswith("__MACOSX/") or info.is_dir() or hidden:
            continue  # macOS and hidden helper entries, harmless
        if "/" in name:
            if name.lower().endswith(".csv"):
                folder = name.rsplit("/", 1)[0]
                errors.add(name, None, "", (
                    f"is inside the folder '{folder}/'; the CSV files must sit at the top "
                    "of the zip — select the files themselves (not their folder) and "
                    "compress them"))
            continue
        declared += info.file_size
        key = name.lower()
        if key in found:
            errors.add(name, None, "", f"appears twice in the zip (also as {found[key].filename})")
        found[key] = info
    if declared > budget_limit:
        errors.add("", None, "", (
            f"the zip says it unpacks to {declared:,} bytes, more than the {budget_limit:,} "
            "this server accepts (ROSTER_MAX_UNCOMPRESSED_BYTES)"))
    errors.raise_if_any()
    return found


def _read_manifest(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], budget: _Budget,
                   errors: Errors) -> tuple[str, dict[str, str]]:
    info = members.get("manifest.csv")
    if info is None:
        errors.add("manifest.csv", None, "", (
            "is missing; every OneRoster export has a manifest.csv at the top of the zip"))
        errors.raise_if_any()
    assert info is not None
    values: dict[str, str] = {}
    records = list(_records(zf, info, budget, errors))
    if not records:
        errors.add("manifest.csv", None, "", "is empty")
        errors.raise_if_any()
    header = [c.strip() for c in records[0][1]]
    if header[:2] != ["propertyName", "value"]:
        errors.add("manifest.csv", 1, "", (
            f"header must be propertyName,value, not {','.join(header)}"))
        errors.raise_if_any()
    for _row_no, cells in records[1:]:
        if len(cells) >= 2 and cells[0].strip():
            values[cells[0].strip()] = cells[1].strip()
    version = values.get("oneroster.version", "")
    if version not in HEADERS:
        errors.add("manifest.csv", None, "oneroster.version", (
            f"OneRoster version {version or '(blank)'!s} is not supported; export as "
            "OneRoster 1.1 or 1.2"))
        errors.raise_if_any()
    modes: dict[str, str] = {}
    for key in HEADERS[version]:
        mode = values.get(f"file.{key}", "absent").strip().lower()
        if mode not in {"bulk", "delta", "absent"}:
            errors.add("manifest.csv", None, f"file.{key}", (
                f"{mode!r} is not bulk, delta or absent"))
            continue
        modes[key] = mode
    errors.raise_if_any()
    return version, modes


def _records(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget,
             errors: Errors) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells) for each CSV record; row 1 is the header."""
    state = {"records": 0}

    reader = csv.reader(_stream_lines(zf, info, budget, errors), strict=True)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _DecodeFailed as exc:
            raise RosterInvalid([RosterError(info.filename, state["records"] + 1, "",
                                             exc.message)]) from None
        except csv.Error as exc:
            raise RosterInvalid([RosterError(info.filename, state["records"] + 1, "",
                                             f"is not valid CSV ({exc})")]) from None
        state["records"] += 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line, e.g. a trailing newline written twice
        yield state["records"], cells


# --------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------


def _check_header(file: str, header: list[str], expected: list[str], errors: Errors
                  ) -> dict[str, int] | None:
    """Column positions by name, or None after recording why the header is wrong."""
    header = [h.strip() for h in header]
    # Blank names come from trailing commas some exporters write; their cells are ignored.
    core = [h for h in header if h and not h.startswith(VENDOR_PREFIXES)]
    if core == expected:
        return {h: i for i, h in enumerate(header)}
    missing = [c for c in expected if c not in core]
    unexpected = [c for c in core if c not in expected]
    lowered = {c.lower(): c for c in expected}
    for c in unexpected:
        hint = f" (did you mean {lowered[c.lower()]}?)" if c.lower() in lowered else ""
        errors.add(file, 1, c, f"unexpected column {c!r}{hint}; extra vendor columns must "
                   "start with 'metadata.' or 'ext_'")
    for c in missing:
        errors.add(file, 1, c, f"required column {c!r} is missing")
    if not missing and not unexpected:
        dupes = sorted({c for c in core if core.count(c) > 1})
        if dupes:
            errors.add(file, 1, dupes[0], f"column {dupes[0]!r} appears more than once")
        else:
            errors.add(file, 1, "", "columns are in the wrong order; expected "
                       + ",".join(expected))
    return None


def _read_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, key: str, version: str,
               mode: str, budget: _Budget, errors: Errors) -> list[Any]:
    file = info.filename
    expected = HEADERS[version][key]
    adapter = _ADAPTERS[key]
    fields = ROW_TYPES[key]._fields
    records = _records(zf, info, budget, errors)
    first = next(records, None)
    if first is None:
        errors.add(file, None, "", "is empty (not even a header row); the manifest lists "
                   f"it as {mode}")
        return []
    positions = _check_header(file, first[1], expected, errors)
    if positions is None:
        return []
    # Cells in the row type's field order; fields this version lacks get "" (their default).
    picks = [positions.get(f) for f in fields if f not in {"row", "equity"}]
    has_equity = "equity" in fields
    equity = [(col, dest, positions[col]) for col, dest in EQUITY_COLUMNS.items()
              if col in positions] if has_equity else []
    width = len(first[1])
    rows: list[Any] = []
    for row_no, cells in records:
        if len(cells) != width:
            errors.add(file, row_no, "", f"has {len(cells)} cells but the header has {width} "
                       "columns (an unquoted comma?)")
            continue
        values: list[Any] = [row_no, *(cells[i] if i is not None else "" for i in picks)]
        if has_equity:
            values.append(_equity(file, row_no, cells, equity, errors) if equity else {})
        try:
            parsed = adapter.validate_python(tuple(values))
        except ValidationError as exc:
            for err in exc.errors():
                loc = err["loc"][0] if err["loc"] else ""
                column = fields[loc] if isinstance(loc, int) else str(loc)
                errors.add(file, row_no, column, _message(err))
            continue
        _check_status(file, parsed, mode, errors)
        rows.append(parsed)
    return rows


def _message(err: Any) -> str:
    """Our wording for pydantic-core's errors: what was wrong, and what was expected."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return (f"is {len(str(value).strip())} characters long; at most "
                f"{ctx.get('max_length')} fit")
    if kind == "literal_error":
        choices = [c for c in re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) if c]
        return f"{value!r} is not one of: {', '.join(sorted(choices))}"
    return str(err["msg"]).removeprefix("Value error, ")


def _equity(file: str, row_no: int, cells: list[str], columns: list[tuple[str, str, int]],
            errors: Errors) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for col, dest, i in columns:
        try:
            out[dest] = _EQUITY_CHECK(cells[i])
        except ValueError as exc:
            errors.add(file, row_no, col, f"{exc} (leave blank when unknown)")
    return out


def _check_status(file: str, row: Any, mode: str, errors: Errors) -> None:
    if mode == "delta":
        if not row.status:
            errors.add(file, row.row, "status", "must be active or tobedeleted in a delta file")
        if not row.dateLastModified:
            errors.add(file, row.row, "dateLastModified", "must be filled in a delta file")
    elif row.status == "tobedeleted":
        errors.add(file, row.row, "status", (
            "tobedeleted rows belong in delta files; in a bulk file, leave the row out"))


# --------------------------------------------------------------------------------------
# Checks across rows and files
# --------------------------------------------------------------------------------------


def _check_duplicates(file: str, rows: list[Any], errors: Errors) -> None:
    seen: dict[str, int] = {}
    for r in rows:
        first = seen.setdefault(r.sourcedId, r.row)
        if first != r.row:
            errors.add(file, r.row, "sourcedId", (
                f"duplicate sourcedId {r.sourcedId!r} (first used on row {first})"))


class _Refs:
    """Resolves sourcedIds against the zip's files and, where allowed, the database."""

    def __init__(self, roster_rows: dict[str, list[Any]], modes: dict[str, str],
                 ctx: Context) -> None:
        def ids(key: str, known: Any) -> set[str]:
            live = {r.sourcedId for r in roster_rows.get(key, []) if r.status != "tobedeleted"}
            # A bulk file replaces what the database had; otherwise both count.
            return live if modes.get(key) == "bulk" else live | set(known)

        self.orgs = ids("orgs", ctx.orgs)
        self.org_types = {**ctx.orgs, **{r.sourcedId: r.type for r in roster_rows.get("orgs", [])}}
        self.sessions = ids("academicSessions", ctx.sessions)
        self.courses = ids("courses", ctx.courses)
        self.classes = ids("classes", ctx.classes)
        self.users = ids("users", ctx.users)

    @staticmethod
    def check(file: str, row: int, column: str, value: str, known: set[str], what: str,
              errors: Errors) -> None:
        if value and value not in known:
            errors.add(file, row, column, f"refers to {what} {value!r}, which is neither in "
                       f"{_WHERE[what]} nor already in Uptake")


_WHERE = {"org": "orgs.csv", "academic session": "academicSessions.csv",
          "course": "courses.csv", "class": "classes.csv", "user": "users.csv"}


def _check_references(rows: dict[str, list[Any]], refs: _Refs, errors: Errors) -> None:
    c = refs.check
    for r in rows.get("orgs", []):
        c("orgs.csv", r.row, "parentSourcedId", r.parentSourcedId, refs.orgs, "org", errors)
    for r in rows.get("academicSessions", []):
        c("academicSessions.csv", r.row, "parentSourcedId", r.parentSourcedId, refs.sessions,
          "academic session", errors)
        if r.endDate < r.startDate:
            errors.add("academicSessions.csv", r.row, "endDate",
                       f"{r.endDate} is before the startDate {r.startDate}")
    for r in rows.get("courses", []):
        c("courses.csv", r.row, "schoolYearSourcedId", r.schoolYearSourcedId, refs.sessions,
          "academic session", errors)
        c("courses.csv", r.row, "orgSourcedId", r.orgSourcedId, refs.orgs, "org", errors)
    for r in rows.get("classes", []):
        if r.status == "tobedeleted":
            continue
        c("classes.csv", r.row, "courseSourcedId", r.courseSourcedId, refs.courses, "course",
          errors)
        c("classes.csv", r.row, "schoolSourcedId", r.schoolSourcedId, refs.orgs, "org", errors)
        if r.schoolSourcedId in refs.orgs and refs.org_types.get(r.schoolSourcedId) != "school":
            errors.add("classes.csv", r.row, "schoolSourcedId", (
                f"{r.schoolSourcedId!r} is a {refs.org_types.get(r.schoolSourcedId)}, "
                "not a school"))
        for term in r.termSourcedIds:
            c("classes.csv", r.row, "termSourcedIds", term, refs.sessions, "academic session",
              errors)
    _check_user_references(rows, refs, errors)


def _check_user_references(rows: dict[str, list[Any]], refs: _Refs, errors: Errors) -> None:
    c = refs.check
    for r in rows.get("users", []):
        if r.status == "tobedeleted":
            continue
        for org in r.orgSourcedIds:
            c("users.csv", r.row, "orgSourcedIds", org, refs.orgs, "org", errors)
        c("users.csv", r.row, "primaryOrgSourcedId", r.primaryOrgSourcedId, refs.orgs, "org",
          errors)
        for agent in r.agentSourcedIds:
            c("users.csv", r.row, "agentSourcedIds", agent, refs.users, "user", errors)
    for r in rows.get("roles", []):
        c("roles.csv", r.row, "userSourcedId", r.userSourcedId, refs.users, "user", errors)
        c("roles.csv", r.row, "orgSourcedId", r.orgSourcedId, refs.orgs, "org", errors)
    for r in rows.get("demographics", []):
        if r.status != "tobedeleted":
            c("demographics.csv", r.row, "sourcedId", r.sourcedId, refs.users, "user", errors)
    for r in rows.get("enrollments", []):
        if r.status == "tobedeleted":
            continue
        c("enrollments.csv", r.row, "classSourcedId", r.classSourcedId, refs.classes, "class",
          errors)
        c("enrollments.csv", r.row, "schoolSourcedId", r.schoolSourcedId, refs.orgs, "org",
          errors)
        c("enrollments.csv", r.row, "userSourcedId", r.userSourcedId, refs.users, "user",
          errors)


def _normalise_name(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.casefold()).split()
    filler = {"school", "schools", "district", "unified", "public", "usd", "isd", "the", "of"}
    return " ".join(w for w in words if w not in filler)


def _district_org(rows: list[OrgRow], target: Target, errors: Errors) -> OrgRow | None:
    districts = [r for r in rows if r.type == "district" and r.status != "tobedeleted"]
    if len(districts) > 1:
        errors.add("orgs.csv", districts[1].row, "type", (
            f"the zip holds {len(districts)} districts (rows "
            f"{', '.join(str(d.row) for d in districts)}); import one district at a time"))
        return None
    if not districts:
        return None
    org = districts[0]
    if target.sourced_id:
        if org.sourcedId != target.sourced_id:
            errors.add("orgs.csv", org.row, "sourcedId", (
                f"this export is for district {org.sourcedId!r} ({org.name}), but "
                f"{target.name} was imported from {target.sourced_id!r}; check that you "
                "chose the right district"))
        return org
    same_id = bool(target.identifier) and org.identifier == target.identifier
    a, b = _normalise_name(org.name), _normalise_name(target.name)
    if not (same_id or (a and b and (a == b or a.startswith(b) or b.startswith(a)))):
        errors.add("orgs.csv", org.row, "name", (
            f"this export is for {org.name!r}, not {target.name!r}; check that you chose the "
            "right district"))
    return org


def _classify_users(version: str, rows: dict[str, list[Any]], ctx: Context,
                    errors: Errors) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Each user's kind (student / teacher / leader / account / ignored) and (role, org)s."""
    roles: dict[str, list[tuple[str, str]]] = {}
    if version == "1.1":
        for r in rows.get("users", []):
            if r.role not in USER_ROLES_11:
                errors.add("users.csv", r.row, "role", (
                    f"{r.role!r} is not one of: {', '.join(sorted(USER_ROLES_11))}"))
                continue
            roles[r.sourcedId] = [(r.role, org) for org in r.orgSourcedIds]
    else:
        for role_row in rows.get("roles", []):
            if role_row.status != "tobedeleted":
                roles.setdefault(role_row.userSourcedId, []).append(
                    (role_row.role, role_row.orgSourcedId))
    kinds: dict[str, str] = {}
    for r in rows.get("users", []):
        held = {role for role, _org in roles.get(r.sourcedId, [])}
        if "student" in held and held & {"teacher", *STAFF_LEADER_ROLES,
                                         *STAFF_ACCOUNT_ONLY_ROLES}:
            errors.add("users.csv", r.row, "role", "this person is listed both as a student "
                       "and as staff; Uptake keeps students and staff apart")
        kinds[r.sourcedId] = _kind(held)
        if version == "1.2" and not held and r.status != "tobedeleted":
            errors.add("users.csv", r.row, "sourcedId", (
                f"user {r.sourcedId!r} has no row in roles.csv, so Uptake cannot tell whether "
                "this is a student or staff"))
    return kinds, roles


def _kind(held: set[str]) -> str:
    if "student" in held:
        return "student"
    if "teacher" in held:
        return "teacher"
    if held & STAFF_LEADER_ROLES:
        return "leader"
    if held & STAFF_ACCOUNT_ONLY_ROLES:
        return "account"
    return "ignored"


def _check_users(rows: dict[str, list[Any]], kinds: dict[str, str], ctx: Context,
                 errors: Errors) -> None:
    emails: dict[str, int] = {}
    for r in rows.get("users", []):
        if kinds.get(r.sourcedId) not in {"teacher", "leader", "account"}:
            continue
        if r.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", r.email):
            errors.add("users.csv", r.row, "email", f"{r.email!r} is not an email address")
        key = r.email.lower()
        if key and r.status != "tobedeleted":
            first = emails.setdefault(key, r.row)
            if first != r.row:
                errors.add("users.csv", r.row, "email", (
                    f"{r.email} is also the email of the person on row {first}; each staff "
                    "member needs their own email to sign in"))
    for r in rows.get("users", []):
        if kinds.get(r.sourcedId) == "student" and len(r.grades.split(",")[0]) > 8:
            errors.add("users.csv", r.row, "grades", (
                f"{r.grades.split(',')[0]!r} is not a grade level (at most 8 characters)"))
    for r in rows.get("enrollments", []):
        if r.status == "tobedeleted" or r.role not in {"student", "teacher"}:
            continue
        kind = kinds.get(r.userSourcedId) or ctx.users.get(r.userSourcedId)
        if kind is None:
            continue  # a dangling reference, reported already
        if r.role == "student" and kind != "student":
            errors.add("enrollments.csv", r.row, "role", (
                f"enrolls {r.userSourcedId!r} as a student, but they are not a student in "
                "users.csv"))
        if r.role == "teacher" and kind in {"student", "ignored"}:
            errors.add("enrollments.csv", r.row, "role", (
                f"enrolls {r.userSourcedId!r} as a teacher, but they are not staff in "
                "users.csv"))
    _check_enrollment_pairs(rows.get("enrollments", []), errors)


def _check_enrollment_pairs(rows: list[EnrollmentRow], errors: Errors) -> None:
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        if r.status == "tobedeleted":
            continue
        first = seen.setdefault((r.classSourcedId, r.userSourcedId), r.row)
        if first != r.row:
            errors.add("enrollments.csv", r.row, "userSourcedId", (
                f"{r.userSourcedId!r} is enrolled in class {r.classSourcedId!r} twice "
                f"(also on row {first})"))
        if r.beginDate and r.endDate and r.endDate < r.beginDate:
            errors.add("enrollments.csv", r.row, "endDate",
                       f"{r.endDate} is before the beginDate {r.beginDate}")


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def read_oneroster_zip(source: str | IO[bytes], ctx: Context, *,
                       max_uncompressed: int) -> Roster:
    """Read, check and return the roster in ``source`` (a path or binary file object)."""
    errors = Errors()
    try:
        return _read(source, ctx, max_uncompressed, errors)
    except _TooManyErrors:
        raise RosterInvalid(errors.items, truncated=True) from None


def _read(source: str | IO[bytes], ctx: Context, max_uncompressed: int,
          errors: Errors) -> Roster:
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise RosterInvalid([RosterError("", None, "", (
            "this is not a zip file; export OneRoster CSV as a .zip and upload that"))]
        ) from None
    with zf:
        members = _members(zf, errors, max_uncompressed)
        budget = _Budget(max_uncompressed)
        version, modes = _read_manifest(zf, members, budget, errors)
        present = _present_files(members, version, modes, errors)
        rows: dict[str, list[Any]] = {}
        for key in FILE_ORDER:
            if key in present:
                rows[key] = _read_file(zf, present[key], key, version, modes[key], budget,
                                       errors)
        errors.raise_if_any()
    return _cross_check(version, {k: modes[k] for k in present}, rows, ctx, errors)


def _present_files(members: dict[str, zipfile.ZipInfo], version: str, modes: dict[str, str],
                   errors: Errors) -> dict[str, zipfile.ZipInfo]:
    present: dict[str, zipfile.ZipInfo] = {}
    for key, mode in modes.items():
        info = members.get(f"{key.lower()}.csv")
        if mode == "absent":
            if info is not None:
                errors.add(info.filename, None, "", (
                    f"is in the zip but manifest.csv says file.{key} is absent; fix the "
                    "manifest or leave the file out"))
            continue
        if info is None:
            errors.add(f"{key}.csv", None, "", (
                f"is missing: manifest.csv lists file.{key} as {mode}"))
            continue
        if key in ROW_TYPES:
            present[key] = info
    if version == "1.2" and "users" in present and "roles" not in present:
        errors.add("roles.csv", None, "", (
            "is missing: in OneRoster 1.2, users.csv needs roles.csv to say who is a student "
            "and who is staff"))
    if not present and not errors:
        errors.add("manifest.csv", None, "", "lists no files to import")
    errors.raise_if_any()
    return present


def _cross_check(version: str, modes: dict[str, str], rows: dict[str, list[Any]],
                 ctx: Context, errors: Errors) -> Roster:
    for key, file_rows in rows.items():
        _check_duplicates(f"{key}.csv", file_rows, errors)
    district_org = _district_org(rows.get("orgs", []), ctx.target, errors)
    if modes.get("orgs") == "bulk" and district_org is None and not errors:
        errors.add("orgs.csv", None, "type", "has no org of type district; a bulk orgs.csv "
                   "must include the district itself")
    _check_references(rows, _Refs(rows, modes, ctx), errors)
    kinds, roles = _classify_users(version, rows, ctx, errors)
    _check_users(rows, kinds, ctx, errors)
    errors.raise_if_any()
    notes, ignored = _notes(rows, kinds, roles)
    return Roster(version=version, modes=modes, rows=rows, district_org=district_org,
                  user_kinds=kinds, user_roles=roles, notes=notes, ignored=ignored)


def _notes(rows: dict[str, list[Any]], kinds: dict[str, str],
           roles: dict[str, list[tuple[str, str]]]) -> tuple[list[str], dict[str, int]]:
    notes: list[str] = []
    ignored: dict[str, int] = {}
    skipped_users = [s for s, k in kinds.items() if k == "ignored"]
    if skipped_users:
        held = sorted({role for s in skipped_users for role, _ in roles.get(s, [])} or {"other"})
        ignored["users"] = len(skipped_users)
        notes.append(f"{len(skipped_users)} user(s) with role {', '.join(held)} skipped: "
                     "Uptake has no use for them.")
    accounts = sum(1 for k in kinds.values() if k == "account")
    if accounts:
        notes.append(f"{accounts} district-level administrator(s) get an account but no "
                     "role; grant roles on the People page.")
    other_enrol = sum(1 for r in rows.get("enrollments", [])
                      if r.role not in {"student", "teacher"})
    if other_enrol:
        ignored["enrollments"] = other_enrol
        notes.append(f"{other_enrol} enrollment(s) of aides, proctors or administrators "
                     "skipped.")
    non_school = sum(1 for r in rows.get("orgs", []) if r.type not in {"school", "district"})
    if non_school:
        ignored["orgs"] = non_school
        notes.append(f"{non_school} org(s) that are neither the district nor a school "
                     "skipped.")
    staff_demo = sum(1 for r in rows.get("demographics", [])
                     if kinds.get(r.sourcedId, "student") != "student")
    if staff_demo:
        ignored["demographics"] = staff_demo
        notes.append(f"{staff_demo} demographics row(s) for staff skipped: Uptake keeps "
                     "demographics for students only.")
    return notes, ignored
