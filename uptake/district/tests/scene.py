"""A small district with known per-class summaries, for the dashboard's tests.

Two programs: "Math talk" (Cedar and Birch) and "Writing workshop" (district-wide). Five
classes measured, each summary written by hand (and not stale, so no study runs):

=====  =======  =====  =====  ====================  ========  =====  =========  =====
class  school   grade  n      verdict               program   smc    variance   EL
=====  =======  =====  =====  ====================  ========  =====  =========  =====
c1     Cedar    3      24     sustained_improvement Math      0.60   0.05       12/12
c2     Cedar    4      20     no_signal             Math      0.20   0.06       10/10
c3     Birch    7      26     sustained_improvement Math      0.50   0.04       3/23
c4     Birch    7      30     got_worse             Writing   -0.10  0.04       15/15
c5     Birch    7      6      sustained_improvement Writing   0.90   0.30       0/6
=====  =======  =====  =====  ====================  ========  =====  =========  =====
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from uptake.accounts.models import Role, RoleAssignment

ROWS = [
    # key, school, grade, n, verdict, program, smc, variance, (el yes, el no), mean changes
    ("c1", "cedar", "3", 24, "sustained_improvement", "math", 0.60, 0.05, (12, 12)),
    ("c2", "cedar", "4", 20, "no_signal", "math", 0.20, 0.06, (10, 10)),
    ("c3", "birch", "7", 26, "sustained_improvement", "math", 0.50, 0.04, (3, 23)),
    ("c4", "birch", "7", 30, "got_worse", "writing", -0.10, 0.04, (15, 15)),
    ("c5", "birch", "7", 6, "sustained_improvement", "writing", 0.90, 0.30, (0, 6)),
]


@dataclass
class Scene:
    math: Any
    writing: Any
    sections: dict[str, Any]
    inquiries: dict[str, Any]
    birch_leader: Any


def build(w: Any) -> Scene:
    from uptake.inquiry.models import Inquiry, Measure, SeriesSummary
    from uptake.programs.models import Participant, Program, ProgramLink
    from uptake.roster.models import Section

    schools = {"cedar": w.cedar, "birch": w.birch}
    math = Program.objects.create(district=w.district, name="Math talk",
                                  kind=Program.Kind.COACHING, focus_area="Math discourse",
                                  starts_on=date(2025, 8, 15))
    math.schools.set([w.cedar, w.birch])
    writing = Program.objects.create(district=w.district, name="Writing workshop",
                                     kind=Program.Kind.COURSE, focus_area="Writing",
                                     starts_on=date(2025, 9, 1))
    programs = {"math": math, "writing": writing}
    owners = {"cedar": w.people["teacher"], "birch": w.people["outsider"]}
    sections: dict[str, Any] = {}
    inquiries: dict[str, Any] = {}
    for key, school, grade, n, verdict, program, smc, variance, (yes, no) in ROWS:
        section = Section.objects.create(district=w.district, school=schools[school],
                                         sourced_id=f"dash-{key}", title=f"Class {key}",
                                         grades=grade)
        owner = owners[school]
        inquiry = Inquiry.objects.create(district=w.district, owner=owner,
                                         title=f"Inquiry {key}")
        measure = Measure.objects.create(inquiry=inquiry, name=f"Measure {key}")
        measure.sections.add(section)
        SeriesSummary.objects.create(measure=measure, section=None, district=w.district,
                                     kind="score", stale=False)
        SeriesSummary.objects.create(
            measure=measure, section=section, district=w.district, school=schools[school],
            grade=grade, kind="score", verdict=verdict, n_students=n, n_points=12,
            mean_change=1.0, smc=smc, smc_variance=variance, stale=False,
            groups={"english_learner": {"Yes": {"n": yes, "mean_change": 2.0},
                                        "No": {"n": no, "mean_change": 1.0}}})
        ProgramLink.objects.get_or_create(program=programs[program], owner=owner,
                                          inquiry=inquiry)
        sections[key], inquiries[key] = section, inquiry
    for person in ("teacher", "colleague"):
        Participant.objects.create(program=math, person=w.people[person])
    Participant.objects.create(program=math, person=w.people["outsider"],
                               status=Participant.Status.COMPLETED)
    Participant.objects.create(program=writing, person=w.people["outsider"])
    leader = w.people["leader"]
    birch_leader = type(leader).objects.create_user(
        email="bea@maple.test", password="x", first_name="Bea", last_name="Birch",
        district=w.district)
    RoleAssignment.objects.create(user=birch_leader, district=w.district, school=w.birch,
                                  role=Role.SCHOOL_LEADER)
    return Scene(math, writing, sections, inquiries, birch_leader)
