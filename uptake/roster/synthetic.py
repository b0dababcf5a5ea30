"""Deterministic synthetic rosters, written as a OneRoster 1.1 bulk zip.

The same arguments and seed give byte-identical zips, so benchmarks and demos are
repeatable. No database access: import the zip with ``uptake.roster.actions`` like any
other export (``uptake seed`` does exactly that).

Example::

    from uptake.roster.synthetic import write_oneroster_zip
    summary = write_oneroster_zip("var/demo.zip", district_name="Maple Valley Unified",
                                  schools=2, teachers_per_school=6,
                                  students_per_school=150, seed=1)
    summary.students  # 300
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from uptake.roster.oneroster import EQUITY_COLUMNS, HEADERS


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN = _words(
    "Ava Liam Mia Noah Zoe Eli Ivy Leo Ruby Omar Aisha Mateo Sofia Kai Nia Diego Lena Hana "
    "Yusuf Priya Jamal Chloe Ethan Amara Luca Isla Ravi Mei Tomás Ana Kofi Freya Santiago "
    "Aaliyah Hiroshi Fatima Owen Grace Malik Rosa Arjun Elena Caleb Layla Felix Nora Andrés "
    "Imani Declan Keiko Samuel Valentina Jonah Esme Tariq Lucía Ezra Maya Idris Clara Ming "
    "Beatriz Rowan Salma Theo Inés Marcus Yara Julian Amani")
FAMILY = _words(
    "Brooks Nguyen Garcia Patel Williams Johnson Martin Chen-Lopez O'Brien Okafor Kim "
    "Hernández Smith Alvarez Singh Rossi Müller Haddad Tanaka Mensah Kowalski Dubois Ibrahim "
    "Cohen Silva Novak Reyes O'Neil Park Begay Kahale Fischer Lindqvist Abadi Moreau Osei "
    "Bianchi Jensen Romero Yazzie Whitehorse Flores Castillo Ahmed Nakamura Murphy D'Souza "
    "Walker Ortiz Sato Nwosu Brennan Oyelaran Petrov Kaur Delgado Morales Hughes Vasquez "
    "Thompson Mahmoud Rivera Lee Santos Abernathy-Cole")
# One family name in twenty carries a comma, as real exports sometimes do.
SUFFIXES = ("",) * 19 + (", Jr.",)
TREES = _words(
    "Cedar Birch Aspen Willow Alder Juniper Sequoia Maple Hawthorn Laurel Magnolia Spruce "
    "Cypress Redwood Linden Rowan Sycamore Hemlock Poplar Chestnut Hazel Elder Larch Oakmont "
    "Pinecrest")
LEVELS = (
    ("Elementary School", ("KG", "01", "02", "03", "04", "05"),
     ("English Language Arts", "Mathematics", "Science", "Social Studies")),
    ("Middle School", ("06", "07", "08"),
     ("English Language Arts", "Mathematics", "Science", "History", "Spanish", "Art")),
    ("High School", ("09", "10", "11", "12"),
     ("English", "Algebra", "Biology", "Chemistry", "World History", "Spanish", "Music")),
)
# Rough shares for US public schools (NCES Digest, fall 2021); "" = not reported.
RACES = (("hispanic", 28), ("white", 45), ("black", 15), ("asian", 5), ("american_indian", 1),
         ("pacific_islander", 1), ("two_or_more", 4), ("", 1))
FIXED_TIME = (2026, 8, 1, 0, 0, 0)
SHORT_SUBJECTS = {"Mathematics": "Math", "English Language Arts": "ELA"}



@dataclass(frozen=True)
class SyntheticSummary:
    """What a synthetic zip holds."""

    path: Path
    schools: int
    teachers: int
    administrators: int
    students: int
    classes: int
    enrollments: int
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def educators(self) -> int:
        return self.teachers + self.administrators


@dataclass(frozen=True)
class Size:
    schools: int
    teachers_per_school: int
    students_per_school: int
    administrators_per_school: int = 1


# small: the demo scale (two schools, a dozen teachers, a few hundred students);
# district: 50 x (99 teachers + 1 principal) = 5,000 educators, 50 x 1,000 = 50,000 students.
SIZES = {
    "small": Size(schools=2, teachers_per_school=6, students_per_school=150),
    "school": Size(schools=1, teachers_per_school=60, students_per_school=1000),
    "district": Size(schools=50, teachers_per_school=99, students_per_school=1000),
}


def slugify_ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


class _Writer:
    """Collects one CSV member, then stores it with a fixed timestamp (deterministic bytes).

    A zip takes one open member at a time, and users/demographics (like courses, classes
    and enrollments) are produced together, so each member is buffered until closed.
    """

    def __init__(self, zf: zipfile.ZipFile, name: str, header: Sequence[str]) -> None:
        self.zf = zf
        self.name = name
        self.text = io.StringIO()
        self.csv = csv.writer(self.text, lineterminator="\r\n")
        self.csv.writerow(header)
        self.count = 0

    def rows(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.csv.writerow(row)
            self.count += 1

    def close(self) -> int:
        info = zipfile.ZipInfo(self.name, date_time=FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zf.writestr(info, self.text.getvalue().encode("utf-8"))
        self.text = io.StringIO()
        return self.count


def _b(flag: bool) -> str:
    return "true" if flag else "false"


@dataclass
class _School:
    sid: str
    name: str
    grades: tuple[str, ...]
    subjects: tuple[str, ...]
    students_by_grade: dict[str, list[str]] = field(default_factory=dict)


def write_oneroster_zip(path: str | Path, *, district_name: str, schools: int,
                        teachers_per_school: int, students_per_school: int, seed: int,
                        administrators_per_school: int = 1, district_sourced_id: str = "",
                        class_size: int = 25, classes_per_teacher: tuple[int, int] = (4, 6),
                        email_domain: str = "") -> SyntheticSummary:
    """Write a believable OneRoster 1.1 bulk zip for one district and describe it.

    Teachers teach 4-6 classes of about ``class_size`` students of one grade at their
    school; about one class in twenty has a co-teacher. Demographics follow rough US
    shares and carry the ``metadata.*`` equity columns Uptake reads.
    """
    rng = random.Random(seed)
    path = Path(path)
    district_sid = district_sourced_id or f"org-{slugify_ascii(district_name)[:20]}"
    domain = email_domain or f"{slugify_ascii(district_name)[:30] or 'district'}.example.org"
    plan = [_school_plan(i) for i in range(schools)]
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        counts["orgs"] = _write_orgs(zf, district_name, district_sid, plan)
        counts["academicSessions"] = _write_sessions(zf)
        users = _Writer(zf, "users.csv", HEADERS["1.1"]["users"])
        demo = _Writer(zf, "demographics.csv",
                       [*HEADERS["1.1"]["demographics"], *EQUITY_COLUMNS])
        staff = _write_people(rng, users, demo, plan, teachers_per_school,
                              administrators_per_school, students_per_school, domain)
        counts["users"], counts["demographics"] = users.close(), demo.close()
        courses = _Writer(zf, "courses.csv", HEADERS["1.1"]["courses"])
        classes = _Writer(zf, "classes.csv", HEADERS["1.1"]["classes"])
        enrollments = _Writer(zf, "enrollments.csv", HEADERS["1.1"]["enrollments"])
        _write_classes(rng, courses, classes, enrollments, plan, staff, class_size,
                       classes_per_teacher)
        counts["courses"], counts["classes"] = courses.close(), classes.close()
        counts["enrollments"] = enrollments.close()
        _write_manifest(zf)
    teachers = schools * teachers_per_school
    admins = schools * administrators_per_school
    return SyntheticSummary(path=path, schools=schools, teachers=teachers,
                            administrators=admins, students=schools * students_per_school,
                            classes=counts["classes"],
                            enrollments=counts["enrollments"], rows=counts)


def _school_plan(i: int) -> _School:
    level, grades, subjects = LEVELS[0 if i % 6 < 3 else (1 if i % 6 < 5 else 2)]
    tree = TREES[i % len(TREES)]
    suffix = f" {i // len(TREES) + 1}" if i >= len(TREES) else ""
    return _School(sid=f"org-s{i + 1}", name=f"{tree}{suffix} {level}", grades=grades,
                   subjects=subjects)


def _write_orgs(zf: zipfile.ZipFile, name: str, sid: str, plan: list[_School]) -> int:
    w = _Writer(zf, "orgs.csv", HEADERS["1.1"]["orgs"])
    w.rows([[sid, "", "", name, "district", "", ""]])
    w.rows([s.sid, "", "", s.name, "school", f"SCH{i + 1:04d}", sid]
           for i, s in enumerate(plan))
    return w.close()


def _write_sessions(zf: zipfile.ZipFile) -> int:
    w = _Writer(zf, "academicSessions.csv", HEADERS["1.1"]["academicSessions"])
    w.rows([
        ["as-sy2027", "", "", "2026-2027 School Year", "schoolYear", "2026-08-17",
         "2027-06-11", "", "2027"],
        ["as-s1-2027", "", "", "Fall Semester 2026", "semester", "2026-08-17", "2026-12-18",
         "as-sy2027", "2027"],
        ["as-s2-2027", "", "", "Spring Semester 2027", "semester", "2027-01-05", "2027-06-11",
         "as-sy2027", "2027"],
    ])
    return w.close()


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(FAMILY) + rng.choice(SUFFIXES)


def _unused_given(given: str, used: set[str]) -> str:
    """Colleagues at one school go by different first names (two "Luca"s on one staff read
    as a mistake). Takes the next unused name in the list, drawing nothing more from the
    random stream, so every later draw (students, classes) is the same as before."""
    start = GIVEN.index(given)
    for step in range(len(GIVEN)):
        candidate = GIVEN[(start + step) % len(GIVEN)]
        if candidate not in used:
            used.add(candidate)
            return candidate
    return given


def _write_people(rng: random.Random, users: _Writer, demo: _Writer, plan: list[_School],
                  teachers: int, admins: int, students: int, domain: str
                  ) -> dict[str, list[tuple[str, str]]]:
    """Users and demographics; returns each school's teachers (sourcedId, family name)."""
    staff: dict[str, list[tuple[str, str]]] = {}
    n_staff = n_student = 0
    for school in plan:
        staff[school.sid] = []
        used: set[str] = set()
        for k in range(admins + teachers):
            n_staff += 1
            given, family = _name(rng)
            given = _unused_given(given, used)
            sid = f"usr-t{n_staff}"
            role = "administrator" if k < admins else "teacher"
            handle = f"{slugify_ascii(given)[:1]}{slugify_ascii(family)[:12]}{n_staff}"
            users.rows([[sid, "", "", "true", school.sid, role, handle, f"{{LDAP:{handle}}}",
                         given, family, "", f"E{n_staff:05d}", f"{handle}@{domain}", "", "",
                         "", "", ""]])
            if role == "teacher":
                staff[school.sid].append((sid, family.removesuffix(", Jr.")))
        for _ in range(students):
            n_student += 1
            sid = f"usr-s{n_student}"
            grade = rng.choice(school.grades)
            school.students_by_grade.setdefault(grade, []).append(sid)
            given, family = _name(rng)
            enabled = rng.random() > 0.01
            users.rows([[sid, "", "", _b(enabled), school.sid, "student", f"s{n_student:06d}",
                         "", given, family, "", f"{n_student:06d}", "", "", "", "", grade, ""]])
            demo.rows([_demographics(rng, sid)])
    return staff


def _demographics(rng: random.Random, sid: str) -> list[str]:
    race = rng.choices([r for r, _ in RACES], weights=[w for _, w in RACES])[0]
    flags = {r: False for r in ("american_indian", "asian", "black", "pacific_islander",
                                "white")}
    two = race == "two_or_more"
    if two:
        for r in rng.sample(sorted(flags), 2):
            flags[r] = True
    elif race in flags:
        flags[race] = True
    hispanic = race == "hispanic"
    if hispanic:
        flags[rng.choice(["white", "white", "black", "american_indian"])] = True
    sex = rng.choices(["female", "male", ""], weights=[49, 49, 2])[0]
    year = rng.randint(2008, 2021)
    equity = [rng.random() < 0.12, rng.random() < 0.14, rng.random() < 0.45]
    cells = [_b(f) if rng.random() > 0.02 else "" for f in equity]
    return [sid, "", "", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", sex,
            _b(flags["american_indian"]), _b(flags["asian"]), _b(flags["black"]),
            _b(flags["pacific_islander"]), _b(flags["white"]), _b(two), _b(hispanic),
            "US", "", "", "", *cells]


def class_title(subject: str, grade: str, period: int, teacher: str) -> str:
    """A class's name as a school's timetable shows it: unique within a school, because
    one teacher teaches one class per period.

    >>> class_title("Mathematics", "04", 2, "Rivera")
    'Grade 4 Math — Period 2 (Rivera)'
    >>> class_title("English Language Arts", "KG", 1, "Osei")
    'Kindergarten ELA — Period 1 (Osei)'
    """
    year = "Kindergarten" if grade == "KG" else f"Grade {int(grade)}"
    return f"{year} {SHORT_SUBJECTS.get(subject, subject)} — Period {period} ({teacher})"


def _write_classes(rng: random.Random, courses: _Writer, classes: _Writer,
                   enrollments: _Writer, plan: list[_School],
                   staff: dict[str, list[tuple[str, str]]],
                   class_size: int, per_teacher: tuple[int, int]) -> None:
    n_class = n_enrol = 0
    for school in plan:
        made: set[str] = set()
        ids = [sid for sid, _ in staff[school.sid]]
        for teacher, family in staff[school.sid]:
            grade = rng.choice(school.grades)
            subjects = list(school.subjects)
            for period in range(1, rng.randint(*per_teacher) + 1):
                subject = subjects[(period - 1) % len(subjects)] if len(school.grades) > 4 \
                    else rng.choice(subjects)
                course = f"crs-{school.sid}-{grade}-{slugify_ascii(subject)}"
                if course not in made:
                    made.add(course)
                    courses.rows([[course, "", "", "as-sy2027", f"{subject} {grade}",
                                   f"{slugify_ascii(subject)[:6].upper()}{grade}", grade,
                                   school.sid, subject, ""]])
                n_class += 1
                cls = f"cls-{n_class}"
                classes.rows([[cls, "", "", class_title(subject, grade, period, family), grade,
                               course, f"C{n_class:06d}", "scheduled",
                               f"Room {100 + n_class % 40}", school.sid, "as-sy2027", subject,
                               "", str(period)]])
                n_enrol += 1
                enrollments.rows([[f"enr-{n_enrol}", "", "", cls, school.sid, teacher,
                                   "teacher", "true", "2026-08-17", ""]])
                if rng.random() < 0.05 and len(ids) > 1:
                    co = rng.choice([t for t in ids if t != teacher])
                    n_enrol += 1
                    enrollments.rows([[f"enr-{n_enrol}", "", "", cls, school.sid, co,
                                       "teacher", "false", "2026-08-17", ""]])
                pool = school.students_by_grade.get(grade, [])
                size = min(len(pool), max(1, class_size + rng.randint(-3, 3)))
                for student in sorted(rng.sample(pool, size)):
                    n_enrol += 1
                    enrollments.rows([[f"enr-{n_enrol}", "", "", cls, school.sid, student,
                                       "student", "false", "2026-08-17", ""]])


def _write_manifest(zf: zipfile.ZipFile) -> None:
    w = _Writer(zf, "manifest.csv", ["propertyName", "value"])
    present = {"academicSessions", "classes", "courses", "demographics", "enrollments", "orgs",
               "users"}
    w.rows([["manifest.version", "1.0"], ["oneroster.version", "1.1"]])
    w.rows([[f"file.{name}", "bulk" if name in present else "absent"] for name in (
        "academicSessions", "categories", "classes", "classResources", "courses",
        "courseResources", "demographics", "enrollments", "lineItems", "orgs", "resources",
        "results", "users")])
    w.rows([["source.systemName", "Uptake synthetic roster"], ["source.systemCode", "SYNTH"]])
    w.close()
