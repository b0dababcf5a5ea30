"""Synthetic rosters: deterministic, valid OneRoster, imported through the one write path."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command

from uptake.accounts.models import District, Role, User
from uptake.roster.models import Enrollment, RosterImport, Section, Student
from uptake.roster.oneroster import Context, Target, read_oneroster_zip
from uptake.roster.synthetic import write_oneroster_zip


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_writes_the_same_bytes_for_the_same_seed(tmp_path):
    kwargs = dict(district_name="Lakeside Unified", schools=2, teachers_per_school=4,
                  students_per_school=60)
    a = write_oneroster_zip(tmp_path / "a.zip", seed=7, **kwargs)
    b = write_oneroster_zip(tmp_path / "b.zip", seed=7, **kwargs)
    c = write_oneroster_zip(tmp_path / "c.zip", seed=8, **kwargs)

    assert _sha(a.path) == _sha(b.path) != _sha(c.path)
    assert (a.schools, a.teachers, a.administrators, a.students) == (2, 8, 2, 120)
    assert a.educators == 10


def test_it_writes_a_roster_that_passes_every_check(tmp_path):
    summary = write_oneroster_zip(tmp_path / "r.zip", district_name="Lakeside Unified",
                                  schools=3, teachers_per_school=5, students_per_school=100,
                                  seed=1)

    roster = read_oneroster_zip(str(summary.path), Context(Target("Lakeside Unified")),
                                max_uncompressed=10**9)

    assert len(roster.rows["classes"]) == summary.classes
    teachers_per_class = {}
    for r in roster.rows["enrollments"]:
        if r.role == "teacher":
            teachers_per_class.setdefault(r.classSourcedId, []).append(r.primary)
    assert all(flags.count(True) == 1 for flags in teachers_per_class.values())
    per_teacher = {}
    for r in roster.rows["enrollments"]:
        if r.role == "teacher" and r.primary:
            per_teacher[r.userSourcedId] = per_teacher.get(r.userSourcedId, 0) + 1
    assert set(per_teacher.values()) <= {4, 5, 6}
    with zipfile.ZipFile(summary.path) as zf:
        demo_header = io.TextIOWrapper(zf.open("demographics.csv")).readline()
    assert "metadata.englishLearner" in demo_header


@pytest.mark.django_db
def test_it_seeds_a_small_district_through_the_import_actions(tmp_path):
    out = io.StringIO()

    call_command("seed", "--size", "small", "--seed", "3", "--district", "lakeside",
                 "--out", str(tmp_path / "small.zip"), stdout=out)

    district = District.objects.get(slug="lakeside")
    assert "Seeded district 'lakeside'" in out.getvalue()
    assert Student.objects.filter(district=district).count() == 300
    assert User.objects.filter(district=district, roles__role=Role.TEACHER).distinct().count() \
        == 12
    assert Section.objects.filter(district=district).count() > 40
    sizes = [Enrollment.objects.filter(section=s).count()
             for s in Section.objects.filter(district=district)]
    assert 20 <= sum(sizes) / len(sizes) <= 30
    assert RosterImport.objects.get(district=district).status == RosterImport.Status.APPLIED
    assert Student.objects.filter(district=district, english_learner=True).exists()

    call_command("seed", "--size", "small", "--seed", "3", "--district", "lakeside",
                 stdout=out)
    latest = RosterImport.objects.filter(district=district).first()
    assert latest.report["changes"] == 0
