"""The frameworks every district starts with. Coordinators edit them afterwards.

The wording is Uptake's own: one-line summaries of Learning Forward's seven Standards for
Professional Learning, and a generic teaching-practice framework of domains and
components (not any published rubric's text). The data migration
``0002_seed_frameworks`` holds a frozen copy of this data, as migrations must not import
app code; change both together only when new districts should get something different.
"""

from __future__ import annotations

from typing import TypedDict


class ElementSeed(TypedDict):
    code: str
    title: str
    description: str
    children: list[ElementSeed]


class FrameworkSeed(TypedDict):
    seed_key: str
    name: str
    kind: str
    description: str
    elements: list[ElementSeed]


def _e(code: str, title: str, description: str = "",
       children: list[ElementSeed] | None = None) -> ElementSeed:
    return {"code": code, "title": title, "description": description,
            "children": children or []}


STANDARDS: FrameworkSeed = {
    "seed_key": "standards-for-professional-learning",
    "name": "Standards for Professional Learning",
    "kind": "standards",
    "description": "The seven standards for professional learning that improves educator "
                   "practice and results for students.",
    "elements": [
        _e("LC", "Learning Communities",
           "Educators learn together in teams that share responsibility for every "
           "student and keep improving."),
        _e("LE", "Leadership",
           "Leaders at every level make professional learning a priority, build others' "
           "capacity and create the conditions for it."),
        _e("RE", "Resources",
           "Time, people, money and tools for learning are planned, fairly shared and "
           "checked for what they return."),
        _e("DA", "Data",
           "Evidence about students, educators and the system decides what to learn and "
           "shows whether the learning worked."),
        _e("LD", "Learning Designs",
           "Learning is designed around how adults learn best and what it should "
           "achieve."),
        _e("IM", "Implementation",
           "New practice is supported over time, with feedback, until it takes hold in "
           "classrooms."),
        _e("OU", "Outcomes",
           "Learning is tied to what educators are expected to do and what students are "
           "expected to learn, and aims at results for students."),
    ],
}

PRACTICE: FrameworkSeed = {
    "seed_key": "teaching-practice",
    "name": "Teaching practice",
    "kind": "practice",
    "description": "A generic framework of the domains of a teacher's work and their "
                   "components. Rename, reorder or replace it with your district's own.",
    "elements": [
        _e("1", "Planning and Preparation", "The work done before students arrive.", [
            _e("1.1", "Knowing the subject and how students come to understand it"),
            _e("1.2", "Knowing these students: their strengths, interests and needs"),
            _e("1.3", "Setting clear, worthwhile learning outcomes"),
            _e("1.4", "Choosing materials and resources that fit the outcomes"),
            _e("1.5", "Designing lessons and units that build on each other"),
            _e("1.6", "Planning how learning will be checked"),
        ]),
        _e("2", "Classroom Environment", "The room students learn in, and how it feels.", [
            _e("2.1", "Relationships grounded in respect and trust"),
            _e("2.2", "A shared belief that effort and learning matter"),
            _e("2.3", "Routines that keep time for learning"),
            _e("2.4", "Agreed expectations for conduct, upheld consistently"),
            _e("2.5", "A space arranged so that everyone can take part"),
        ]),
        _e("3", "Instruction", "What happens while students are learning.", [
            _e("3.1", "Explaining purpose and content clearly"),
            _e("3.2", "Questions and discussion that push students' thinking"),
            _e("3.3", "Tasks that engage every student in real thinking"),
            _e("3.4", "Checking for understanding and giving feedback during lessons"),
            _e("3.5", "Adjusting in the moment to what students show"),
        ]),
        _e("4", "Professional Responsibilities", "The work around and beyond lessons.", [
            _e("4.1", "Reflecting on teaching and its effect on students"),
            _e("4.2", "Keeping accurate, useful records"),
            _e("4.3", "Working with families as partners"),
            _e("4.4", "Contributing to colleagues' learning and the school's"),
            _e("4.5", "Learning and growing as a professional"),
            _e("4.6", "Acting with integrity and speaking up for students"),
        ]),
    ],
}

FRAMEWORK_SEEDS: tuple[FrameworkSeed, ...] = (STANDARDS, PRACTICE)
