"""The de-identified research export: a ZIP of CSVs for an external evaluator.

``build_research_export(actor)`` writes, for the actor's district:

- ``classes.csv``: one row per class series (a measure in one class) of every inquiry
  that is not a draft, from the precomputed summaries (``inquiry.SeriesSummary``): the
  programs it came from, its kind, verdict, counts, mean change with its interval, the
  standardized mean change and its variance (for pooling), and per student group the
  number of students and their mean change;
- ``students.csv``: one row per student per class series of a per-student measure: her
  baseline and later score (phase means around the change date, else her first and last
  score), her change, and her group attributes;
- ``programs.csv`` and ``participation.csv``: the district's programs and who took part
  (people re-keyed), with sessions attended;
- ``dictionary.csv`` and ``README.txt``: every column, what it means, how it is
  suppressed.

De-identification (docs/reports.md, "The research export"):

- every id is **re-keyed per export**: the HMAC-SHA256 of the internal id under a random
  key drawn for this export alone and never stored or logged, so two exports share no
  pseudonym and none can be joined to the product's own pseudonyms or ids. A student is
  re-keyed per class series (not once for the export), so no one can join her attributes
  across classes, which would undo the per-class suppression below;
- no name, e-mail, SIS (sourced) id, internal pseudonym, date of birth or free text of a
  person (no inquiry titles, notes, reasons or comments) is written;
- small cells are suppressed: a group attribute is blanked for a whole class (in both
  files) when any of its groups there has fewer than ``MIN_GROUP_SIZE`` students, so
  no group below the minimum is shown and none can be worked out from the class's total;
  a school with fewer than ``MIN_GROUP_SIZE`` enabled students is written as "Other";
- the export is audited: who, when, and how many rows of each file (never the key).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from uptake.accounts.models import User
from uptake.audit.actions import record
from uptake.inquiry.study import growth_of

OTHER_SCHOOL = "Other"
SUPPRESSED = ""  # a blanked cell
# The students' group attributes, in the order the files give them; the group labels are
# those of the summaries (``inquiry.SeriesSummary.groups``) and the study pages.
ATTRIBUTES = ("english_learner", "special_education", "economically_disadvantaged", "sex",
              "race_ethnicity")


# ------------------------------------------------------------------- re-keying


class Rekey:
    """Pseudonyms for one export: the kind (``student-``, ``teacher-`` ...) and 16 hex
    digits of the HMAC-SHA256 of the kind and internal id under a random 256-bit key. The
    key lives in this object only."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def __call__(self, kind: str, *parts: object) -> str:
        message = ":".join([kind, *(str(p) for p in parts)]).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:16]}"

    def __repr__(self) -> str:  # never the key, even in a traceback's locals
        return "Rekey(<secret>)"


# ------------------------------------------------------------------- the files


CLASS_COLUMNS = (
    "series", "measure", "class", "school", "teacher", "grade", "programs", "kind",
    "comparison", "verdict", "n_students", "n_points", "paired_n", "mean_change", "ci_low",
    "ci_high", "d_av", "smc", "smc_variance",
    *(f"{attr}_groups" for attr in ATTRIBUTES),
)
STUDENT_COLUMNS = ("student", "series", "baseline", "later", "change", "basis", *ATTRIBUTES)
PROGRAM_COLUMNS = ("program", "name", "kind", "focus_area", "starts_on", "ends_on",
                   "funding_source", "standards", "schools", "whole_district", "sessions",
                   "enrolled", "completed", "withdrawn")
PARTICIPATION_COLUMNS = ("program", "person", "status", "enrolled_on", "completed_on",
                         "sessions_held", "sessions_attended")

DICTIONARY: tuple[tuple[str, str, str, str], ...] = (
    ("classes.csv", "series", "One class series (a measure in one class), re-keyed for this "
     "export.", "Re-keyed per export."),
    ("classes.csv", "measure", "The measure, re-keyed (several classes may share one).",
     "Re-keyed per export."),
    ("classes.csv", "class", "The class (roster section), re-keyed.", "Re-keyed per export."),
    ("classes.csv", "school", "The class's school, re-keyed.",
     "Re-keyed per export; a school with fewer than the minimum group size of enabled "
     "students is written as \"Other\"."),
    ("classes.csv", "teacher", "The teacher whose inquiry the measure belongs to, re-keyed "
     "(the same key as in participation.csv).", "Re-keyed per export."),
    ("classes.csv", "grade", "The class's grade(s) as the roster gives them.", "None."),
    ("classes.csv", "programs", "The programs the inquiry came from (keys of programs.csv, "
     "separated by \";\"), as teachers linked them.", "Re-keyed per export."),
    ("classes.csv", "kind", "The measure's kind: score, rubric, likert (per student), "
     "proportion or count (per class).", "None."),
    ("classes.csv", "comparison", "yes for a comparison class: it collects the measure "
     "without trying the change (the comparison design).", "None."),
    ("classes.csv", "verdict", "The run or control chart's verdict on the class means: "
     "sustained_improvement, change_not_sustained, got_worse, no_signal, not_enough_data; "
     "blank without a change date.", "None."),
    ("classes.csv", "n_students", "Students with at least one value.", "None."),
    ("classes.csv", "n_points", "Occasions (points on the class's chart).", "None."),
    ("classes.csv", "paired_n", "Students with enough scores before and after the change "
     "for the paired change.", "None."),
    ("classes.csv", "mean_change", "Mean of the students' changes (after minus before).",
     "None."),
    ("classes.csv", "ci_low", "Lower end of the 95% interval of mean_change.", "None."),
    ("classes.csv", "ci_high", "Upper end of the 95% interval of mean_change.", "None."),
    ("classes.csv", "d_av", "Cohen's d_av of the paired change (mean change over the "
     "average of the two standard deviations).", "None."),
    ("classes.csv", "smc", "Standardized mean change (metafor SMCR, Becker 1988), the "
     "effect pooled across classes.", "None."),
    ("classes.csv", "smc_variance", "Sampling variance of smc.", "None."),
    *(("classes.csv", f"{attr}_groups",
       f"Students per {attr.replace('_', ' ')} group and their mean change, as "
       "\"group=n:mean_change\" separated by \";\".",
       "Blank for the whole class when any group has fewer students than the minimum "
       "group size (so no small group is shown, nor recoverable from n_students).")
      for attr in ATTRIBUTES),
    ("students.csv", "student", "One student in one class series, re-keyed per series: "
     "the same student in two classes has two unrelated keys.", "Re-keyed per export and "
     "per series."),
    ("students.csv", "series", "The class series (key of classes.csv).",
     "Re-keyed per export."),
    ("students.csv", "baseline", "Her mean before the change date (basis phases), or her "
     "first score (basis first_last).", "None."),
    ("students.csv", "later", "Her mean from the change date on (phases), or her last "
     "score (first_last).", "None."),
    ("students.csv", "change", "later minus baseline; blank without enough scores.",
     "None."),
    ("students.csv", "basis", "phases (a change date is set) or first_last.", "None."),
    *(("students.csv", attr, f"Her {attr.replace('_', ' ')} group, as the roster gives it.",
       "Blank for every student of the series when the attribute is blanked in "
       "classes.csv for it.") for attr in ATTRIBUTES),
    ("programs.csv", "program", "The program, re-keyed.", "Re-keyed per export."),
    ("programs.csv", "name", "The program's name as the district gives it.", "None."),
    ("programs.csv", "kind", "Coaching, course, PLC, mentoring ... (the district's "
     "choice).", "None."),
    ("programs.csv", "focus_area", "What it works on, in the district's words.", "None."),
    ("programs.csv", "starts_on", "First day (ISO date).", "None."),
    ("programs.csv", "ends_on", "Last day (ISO date), blank when open-ended.", "None."),
    ("programs.csv", "funding_source", "The fund its stipends are charged to.", "None."),
    ("programs.csv", "standards", "Codes of the framework elements it is aligned to, "
     "separated by \";\".", "None."),
    ("programs.csv", "schools", "The schools it runs in (keys, \";\"); blank for the whole "
     "district.", "Re-keyed per export; small schools as \"Other\"."),
    ("programs.csv", "whole_district", "yes when it runs in every school.", "None."),
    ("programs.csv", "sessions", "Sessions held.", "None."),
    ("programs.csv", "enrolled", "People enrolled (any status).", "None."),
    ("programs.csv", "completed", "People who completed it.", "None."),
    ("programs.csv", "withdrawn", "People who withdrew.", "None."),
    ("participation.csv", "program", "The program (key of programs.csv).",
     "Re-keyed per export."),
    ("participation.csv", "person", "The educator, re-keyed (the same key as teacher in "
     "classes.csv).", "Re-keyed per export."),
    ("participation.csv", "status", "enrolled, completed or withdrawn.", "None."),
    ("participation.csv", "enrolled_on", "Date of enrolment (ISO).", "None."),
    ("participation.csv", "completed_on", "Date of completion (ISO), blank if none.",
     "None."),
    ("participation.csv", "sessions_held", "Sessions of the program.", "None."),
    ("participation.csv", "sessions_attended", "Sessions she was marked present at.",
     "None."),
)

README = """\
Uptake research export, {district_label}
Written {when} (UTC) with a minimum group size of {min_size}.

Files: classes.csv ({classes} rows), students.csv ({students} rows),
programs.csv ({programs} rows), participation.csv ({participation} rows),
dictionary.csv (every column, its meaning and its suppression rule).

How it is de-identified
- Every key (series, measure, class, school, teacher, student, program, person) is the
  HMAC-SHA256 of the internal id under a random key drawn for this export only and never
  stored: no two exports share a key, and none matches any id or pseudonym of the product.
- A student is keyed per class series: the same child in two classes has two unrelated
  keys, so attributes blanked in one class cannot be read from another.
- No names, e-mail addresses, student information system ids, dates of birth or free
  text written by people are included.
- A group attribute (English learner, special education, economically disadvantaged,
  sex, race/ethnicity) is blank for a whole class, in classes.csv and students.csv, when
  any of its groups there has fewer than {min_size} students.
- Schools with fewer than {min_size} enrolled students are written as "Other".

Change is "after minus before": with a change date, each student's mean from that date
on minus her mean before it (at least two scores in each); otherwise her last score minus
her first. Verdicts describe class means over time; none of these numbers shows that a
program caused a change.
"""


@dataclass(frozen=True)
class ResearchExport:
    """The ZIP's bytes, its file name and the rows of each CSV."""

    content: bytes
    filename: str
    rows: dict[str, int]


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        n += 1
    return out.getvalue(), n


def _num(value: float | None, digits: int = 6) -> str:
    return "" if value is None else f"{value:.{digits}g}"


def _group_label(attr: str, value: Any) -> str:
    """A student's group, labelled as the study pages and summaries label it."""
    from uptake.roster.models import Student

    if attr == "sex":
        return str(dict(Student.Sex.choices).get(value, "Not reported")) if value else \
            "Not reported"
    if attr == "race_ethnicity":
        return str(dict(Student.RaceEthnicity.choices).get(value)) if value else \
            "Not reported"
    return {True: "Yes", False: "No", None: "Not reported"}[value]


# ---------------------------------------------------------------------- schools


def _school_keys(district_id: int, rekey: Rekey) -> dict[int, str]:
    """School id -> its key, or "Other" for a school with fewer than the minimum of
    enabled students."""
    from uptake.accounts.models import School

    minimum = settings.MIN_GROUP_SIZE
    schools = School.objects.filter(district_id=district_id).annotate(
        n=Count("students", filter=Q(students__enabled=True)))
    return {s.pk: (rekey("school", s.pk) if s.n >= minimum else OTHER_SCHOOL)
            for s in schools}


# ---------------------------------------------------------------------- students


@dataclass(frozen=True)
class _StudentRow:
    student_id: int
    baseline: float | None
    later: float | None
    change: float | None
    basis: str
    attributes: dict[str, str]


def _series_students(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[_StudentRow]]:
    """Per (measure id, section id): each student's baseline, later score and change,
    the rule of the study pages (``uptake.analysis.growth``)."""
    from uptake.inquiry.models import Measure, StudentValue
    from uptake.roster.models import Student

    if not pairs:
        return {}
    measure_ids = {m for m, _ in pairs}
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=measure_ids)}
    scores: dict[tuple[int, int], dict[int, list[tuple[date, str, float | None]]]] = \
        defaultdict(lambda: defaultdict(list))
    rows = (StudentValue.objects.filter(occasion__measure_id__in=measure_ids)
            .values_list("occasion__measure_id", "occasion__section_id", "student_id",
                         "occasion__date", "occasion__label", "value")
            .order_by("occasion__date", "occasion__label", "occasion_id"))
    for measure_id, section_id, student_id, when, label, value in rows.iterator():
        if (measure_id, section_id) in pairs:
            scores[measure_id, section_id][student_id].append((when, label, value))
    student_ids = {sid for by in scores.values() for sid in by}
    attributes = {
        s["pk"]: {attr: _group_label(attr, s[attr]) for attr in ATTRIBUTES}
        for s in Student.objects.filter(pk__in=student_ids).values("pk", *ATTRIBUTES)}
    out: dict[tuple[int, int], list[_StudentRow]] = {}
    for key, by_student in scores.items():
        # The study page's own rule: after the change date against the baseline, else
        # first score against last.
        growth = growth_of(measures[key[0]], {str(sid): s for sid, s in by_student.items()})
        out[key] = [_StudentRow(int(g.student), g.first_score, g.last_score, g.change,
                                growth.basis, attributes[int(g.student)])
                    for g in growth.students]
    return out


def _blanked_attributes(groups: dict[str, Any] | None, students: Sequence[_StudentRow]
                        ) -> set[str]:
    """The attributes to blank for one class: any group below the minimum, counted in
    the summary's groups or among the students written."""
    minimum = settings.MIN_GROUP_SIZE
    blanked = set()
    for attr in ATTRIBUTES:
        summary_groups = (groups or {}).get(attr) or {}
        counts: dict[str, int] = defaultdict(int)
        for row in students:
            counts[row.attributes[attr]] += 1
        sizes = [int((g or {}).get("n") or 0) for g in summary_groups.values()]
        sizes += list(counts.values())
        if any(0 < n < minimum for n in sizes):
            blanked.add(attr)
    return blanked


def _groups_cell(groups: dict[str, Any] | None, attr: str) -> str:
    found = (groups or {}).get(attr) or {}
    return ";".join(f"{label}={int((g or {}).get('n') or 0)}:"
                    f"{_num((g or {}).get('mean_change'))}"
                    for label, g in sorted(found.items()))


# ---------------------------------------------------------------------- the export


def _classes_and_students(district_id: int, rekey: Rekey, schools: dict[int, str]
                          ) -> tuple[list[list[Any]], list[list[Any]]]:
    from uptake.inquiry.queries import series_summaries
    from uptake.programs.queries import programs_of_inquiry

    summaries = [s for s in series_summaries(district_id, include_comparison=True)
                 .select_related("measure__inquiry", "section")
                 .order_by("measure_id", "section_id") if s.section_id is not None]
    per_student = {(s.measure_id, int(s.section_id or 0)) for s in summaries
                   if s.measure.per_student}
    students = _series_students(per_student)
    programs_of: dict[int, str] = {}
    classes: list[list[Any]] = []
    student_rows: list[list[Any]] = []
    for s in summaries:
        inquiry = s.measure.inquiry
        if inquiry.pk not in programs_of:
            programs_of[inquiry.pk] = ";".join(sorted(
                rekey("program", p.pk) for p in programs_of_inquiry(inquiry.pk)))
        series = rekey("series", s.measure_id, s.section_id)
        written = students.get((s.measure_id, int(s.section_id or 0)), [])
        blanked = _blanked_attributes(s.groups, written)
        school_id = s.school_id or (s.section.school_id if s.section else None)
        classes.append([
            series, rekey("measure", s.measure_id), rekey("class", s.section_id),
            schools.get(school_id, OTHER_SCHOOL) if school_id else "",
            rekey("teacher", inquiry.owner_id), s.grade, programs_of[inquiry.pk], s.kind,
            "yes" if s.comparison else "no", s.verdict, s.n_students, s.n_points,
            s.paired_n, _num(s.mean_change),
            _num(s.ci_low), _num(s.ci_high), _num(s.d_av), _num(s.smc),
            _num(s.smc_variance),
            *(SUPPRESSED if attr in blanked else _groups_cell(s.groups, attr)
              for attr in ATTRIBUTES)])
        for row in written:
            student_rows.append([
                rekey("student", row.student_id, s.measure_id, s.section_id), series,
                _num(row.baseline), _num(row.later), _num(row.change), row.basis,
                *(SUPPRESSED if attr in blanked else row.attributes[attr]
                  for attr in ATTRIBUTES)])
    return classes, student_rows


def _programs_and_participation(district_id: int, rekey: Rekey, schools: dict[int, str]
                                ) -> tuple[list[list[Any]], list[list[Any]]]:
    from uptake.programs.models import Attendance, Participant, Program

    programs = (Program.objects.filter(district_id=district_id)
                .prefetch_related("elements", "schools")
                .annotate(n_sessions=Count("sessions", distinct=True))
                .order_by("starts_on", "pk"))
    program_rows: list[list[Any]] = []
    sessions_of: dict[int, int] = {}
    for p in programs:
        statuses: dict[str, int] = dict(
            p.participants.values("status").annotate(n=Count("pk")).values_list("status", "n"))
        school_keys = sorted({schools.get(s.pk, OTHER_SCHOOL) for s in p.schools.all()})
        sessions_of[p.pk] = p.n_sessions
        program_rows.append([
            rekey("program", p.pk), p.name, p.kind, p.focus_area, p.starts_on.isoformat(),
            p.ends_on.isoformat() if p.ends_on else "", p.funding_source,
            ";".join(sorted(e.code for e in p.elements.all())), ";".join(school_keys),
            "no" if school_keys else "yes", p.n_sessions,
            sum(statuses.values()), statuses.get("completed", 0),
            statuses.get("withdrawn", 0)])
    attended: dict[tuple[int, int], int] = dict(
        ((program, person), n) for program, person, n in
        Attendance.objects.filter(session__program__district_id=district_id, present=True)
        .values("session__program", "person").annotate(n=Count("pk"))
        .values_list("session__program", "person", "n"))
    participation = [
        [rekey("program", part.program_id), rekey("teacher", part.person_id), part.status,
         part.enrolled_on.isoformat() if part.enrolled_on else "",
         part.completed_on.isoformat() if part.completed_on else "",
         sessions_of.get(part.program_id, 0),
         attended.get((part.program_id, part.person_id), 0)]
        for part in Participant.objects.filter(program__district_id=district_id)
        .order_by("program__starts_on", "program_id", "pk")]
    return program_rows, participation


def build_research_export(actor: User, *, request: HttpRequest | None = None
                          ) -> ResearchExport:
    """The export of the actor's district (access checked by the caller,
    ``uptake.reports.access.may_export_research``), recorded in the audit log."""
    assert actor.district_id is not None
    district_id = actor.district_id
    rekey = Rekey()
    schools = _school_keys(district_id, rekey)
    classes, students = _classes_and_students(district_id, rekey, schools)
    programs, participation = _programs_and_participation(district_id, rekey, schools)
    files: dict[str, tuple[str, int]] = {
        "classes.csv": _csv(CLASS_COLUMNS, classes),
        "students.csv": _csv(STUDENT_COLUMNS, students),
        "programs.csv": _csv(PROGRAM_COLUMNS, programs),
        "participation.csv": _csv(PARTICIPATION_COLUMNS, participation),
        "dictionary.csv": _csv(("file", "column", "meaning", "suppression"), DICTIONARY),
    }
    rows = {name: n for name, (_, n) in files.items() if name != "dictionary.csv"}
    now = timezone.now()
    readme = README.format(
        district_label="one district", when=now.strftime("%Y-%m-%d %H:%M"),
        min_size=settings.MIN_GROUP_SIZE, classes=rows["classes.csv"],
        students=rows["students.csv"], programs=rows["programs.csv"],
        participation=rows["participation.csv"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, (text, _) in files.items():
            archive.writestr(name, text)
    filename = f"research-export-{now:%Y%m%d-%H%M%S}.zip"
    record("research_exported", actor=actor, request=request, obj=actor.district,
           summary=f"Research export: {rows['classes.csv']} class series, "
                   f"{rows['students.csv']} student rows, {rows['programs.csv']} programs, "
                   f"{rows['participation.csv']} participation rows",
           details={"rows": rows, "min_group_size": settings.MIN_GROUP_SIZE,
                    "file": filename})
    return ResearchExport(buffer.getvalue(), filename, rows)
