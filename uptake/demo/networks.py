"""The demo district's network: who learns from whom, and the changes it led to (issue 16).

The story the pages have to show honestly:

- **An informal broker.** Sofia Hughes teaches at Cedar and holds no formal role, yet
  she is the one who links the schools: Cedar's teachers go to her for advice, she goes
  to two Birch teachers, Birch's teachers go to her, and she learns from people outside
  the district (a maths coach on X, the neighbouring district's coach). So she tops
  Gould-Fernandez brokerage (gatekeeper, representative and liaison roles), while the
  instructional coach, the formal role, has the most people coming to her (out-degree:
  direct brokerage) and brokers nothing.
- **A gatekeeper school.** Everything Cedar learns from Birch enters through Sofia
  Hughes: no other Cedar teacher names anyone at Birch. Birch, by contrast, hears from
  Cedar through two people.
- **Unobserved, not tie-less.** The network survey went to the twelve teachers of both
  schools; two did not answer (Ezra Kahale, Ming Silva): others name them, they name
  nobody, and the response rate says 10 of 12.
- **Relations.** The built-in advice relation and one the district added ("Whom do you
  go to about assessment?"), both asked in the survey with a frequency per name;
  information from outside the district is reported by the teachers themselves
  (origin "reported"): a person on X (Twitter), r/Teachers, a neighbouring district's
  coach.
- **The known layer** (coaching, teams, plan reviews, observations, practices tried from
  the library) is not written here: it comes from the rest of the demo, read live.
- **Changes**, soft and real, at both schools: each with the chain from its source (a
  program, a learning source, a library practice, a contact) through people, and every
  answer to "would this have happened without it?".

Survey nominations "i goes to j" are stored reversed, as j -> i (knowledge flows from j to
i): ``NOMINATIONS`` lists them as the teachers answered, the import reverses them. No
random draws: the network is the same on every machine. Loading again adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from uptake.accounts.models import District, Role, School, User

FREQUENCIES = ["A few times a year", "Monthly", "Weekly", "Daily"]
Y, M, W, D = FREQUENCIES  # short names for the tables below

SURVEY_TITLE = "Who do you learn from? (network survey)"
ADVICE = "advice"
ASSESSMENT = "assessment"
ASSESSMENT_LABEL = "Assessment"
ASSESSMENT_QUESTION = "Whom do you go to about assessment?"
PROMPTS = {ADVICE: "Whom do you go to for advice about your teaching?",
           ASSESSMENT: ASSESSMENT_QUESTION}

# People by last name (the synthetic roster's, fixed seed); "coach" and the leaders by
# role. Cedar: Alvarez, Lee, Kahale, Singh, Hughes, Whitehorse (Rowan; the leader is
# Diego Whitehorse). Birch: Osei, Bianchi, Silva, Vasquez, Kaur, Nguyen (the demo
# teacher); the coach works at Birch.
BROKER = "Hughes"
GATEKEEPER_SCHOOL = "Cedar Elementary School"
SILENT = ("Kahale", "Silva")  # invited, did not answer: unobserved

# "i goes to j (how often)", as the teachers answered, per relation.
NOMINATIONS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    ADVICE: {
        # Cedar: everyone goes to Sofia Hughes; only she goes to anyone at Birch.
        "Alvarez": (("Hughes", W), ("Singh", M)),
        "Lee": (("Hughes", W), ("Alvarez", M)),
        "Singh": (("Hughes", D), ("Lee", M), ("Kahale", Y)),
        "Whitehorse": (("Hughes", W), ("leader:Cedar", M)),
        "Hughes": (("Kaur", W), ("Nguyen", M), ("Singh", M)),
        # Birch: the coach is named most; Sofia Hughes and Rowan Whitehorse from Cedar.
        "Nguyen": (("coach", W), ("Kaur", W), ("Hughes", M)),
        "Osei": (("coach", W), ("Hughes", M), ("Vasquez", M)),
        "Bianchi": (("coach", M), ("Hughes", W), ("Silva", M)),
        "Vasquez": (("coach", M), ("Osei", W), ("Whitehorse", Y)),
        "Kaur": (("Nguyen", W), ("coach", M), ("leader:Birch", Y)),
    },
    ASSESSMENT: {
        "Alvarez": (("Lee", M),),
        "Singh": (("Lee", M),),
        "Hughes": (("Lee", Y),),
        "Whitehorse": (("Lee", M),),
        "Osei": (("Vasquez", M),),
        "Bianchi": (("Vasquez", M),),
        "Nguyen": (("Vasquez", W),),
        "Kaur": (("Vasquez", M), ("coach", Y)),
    },
}


@dataclass(frozen=True)
class DemoContact:
    name: str
    kind: str
    platform: str


CONTACTS = (
    DemoContact("@mathcoachmaya", "person", "X (Twitter)"),
    DemoContact("r/Teachers", "community", "Reddit"),
    DemoContact("Jordan Ellis", "person", "Lakeside Unified (instructional coach)"),
)

# Ties the teachers named themselves: (from, to, relation, how often, who named it).
# A contact is written by name; a person by last name.
REPORTED = (
    ("@mathcoachmaya", "Hughes", "information", W, "Hughes"),
    ("@mathcoachmaya", "Nguyen", "information", M, "Nguyen"),
    ("Jordan Ellis", "Hughes", ADVICE, M, "Hughes"),
    ("Hughes", "Jordan Ellis", "information", Y, "Hughes"),
    # Birch's leader met Lakeside's coach through Sofia Hughes; she is the source of
    # Birch's reassessment policy (a change the leader records).
    ("Jordan Ellis", "Kaur", "information", Y, "Kaur"),
    ("r/Teachers", "Whitehorse", "information", W, "Whitehorse"),
    ("r/Teachers", "Alvarez", "information", M, "Alvarez"),
)


def _moment(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class _People:
    district: District
    coordinator: User
    teachers: dict[str, User]
    schools: dict[str, School]
    leaders: dict[str, User]
    coach: User | None

    def person(self, name: str) -> User | None:
        if name == "coach":
            return self.coach
        if name.startswith("leader:"):
            return self.leaders.get(name.removeprefix("leader:"))
        return self.teachers.get(name)


def _people(district: District) -> _People | None:
    from uptake.demo.district import _teachers_by_name
    from uptake.demo.roles import school_leader

    coordinator = (User.objects.filter(district=district, is_active=True,
                                       roles__role=Role.COORDINATOR).order_by("pk").first())
    if coordinator is None:
        return None
    schools = {s.name.split()[0]: s for s in School.objects.filter(district=district)}
    leaders = {key: leader for key, school in schools.items()
               if (leader := school_leader(school)) is not None}
    coach = (User.objects.filter(district=district, is_active=True, roles__role=Role.COACH)
             .order_by("roles__school__name", "pk").first())
    return _People(district, coordinator, _teachers_by_name(district), schools, leaders,
                   coach)


# ---------------------------------------------------------------------- the survey


def _relation(people: _People) -> str:
    """The district's own relation, assessment; its key."""
    from uptake.networks.actions.ties import do_add_relation
    from uptake.networks.models import Relation

    found = Relation.objects.filter(district=people.district, label=ASSESSMENT_LABEL).first()
    if found is None:
        found = do_add_relation(people.coordinator, label=ASSESSMENT_LABEL,
                                question=ASSESSMENT_QUESTION)
    return found.key


def _survey(people: _People, today: date) -> Any:
    """The network survey: identified, a roster question per relation with a frequency
    per name, sent to the teachers of both schools, answered by ten of them, closed."""
    from uptake.notifications.actions import quiet
    from uptake.surveys.actions import (
        QuestionData,
        do_add_question,
        do_create_survey,
        do_invite,
        do_publish,
        do_respond,
    )
    from uptake.surveys.models import Question, Survey

    found = Survey.objects.filter(district=people.district, title=SURVEY_TITLE).first()
    if found is not None:
        return found
    opens, closes = today - timedelta(days=49), today - timedelta(days=28)
    coordinator = people.coordinator
    with quiet():
        survey = do_create_survey(
            coordinator, title=SURVEY_TITLE, purpose=Survey.Purpose.NETWORK, anonymous=False,
            intro="Whom do you go to, and how often? Your answers are not anonymous: they "
                  "draw the district's network, which only the coordinator and the "
                  "researcher see in full.",
            opens_at=_moment(opens, 7), closes_at=_moment(closes, 18))
        questions = {}
        for key, prompt in PROMPTS.items():
            questions[key] = do_add_question(survey, coordinator, QuestionData(
                kind=Question.Kind.ROSTER, prompt=prompt,
                help_text="Name as many colleagues as you like, and how often.",
                roster_scope=Question.RosterScope.DISTRICT, frequency_labels=FREQUENCIES))
        invited = sorted((p for p in set(people.teachers.values())),
                         key=lambda p: (p.last_name, p.pk))
        do_invite(survey, coordinator, people=invited)
        do_publish(survey, coordinator, now=_moment(opens, 7))
        for k, teacher in enumerate(invited):
            if teacher.last_name in SILENT:
                continue
            answers: dict[Any, Any] = {}
            for key, question in questions.items():
                named = {}
                for name, how_often in NOMINATIONS[key].get(teacher.last_name, ()):
                    person = people.person(name)
                    if person is not None:
                        named[person.pk] = how_often
                answers[question.pk] = named
            do_respond(survey, teacher, answers,
                       now=_moment(opens + timedelta(days=1 + k % 9), 8 + k % 8))
    return survey


def _bring_in(people: _People, survey: Any, relations: dict[str, str],
              observed_on: date) -> None:
    """Each roster question brought into the network as its relation's ties (the
    nominations reversed by the import)."""
    from uptake.networks.actions.imports import do_bring_in_survey
    from uptake.networks.models import NetworkImport

    for question in survey.questions.order_by("order", "pk"):
        key = next((k for k, p in PROMPTS.items() if p == question.prompt), ADVICE)
        if NetworkImport.objects.filter(survey=survey, question=question).exists():
            continue
        do_bring_in_survey(people.coordinator, survey, question, relations[key],
                           observed_on)


# ---------------------------------------------------------------------- outside the district


def _contacts(people: _People) -> dict[str, Any]:
    """The PLN contacts, added by the coordinator (the same name and platform again is
    the contact already there)."""
    from uptake.networks.actions.ties import ContactData, do_add_contact

    return {spec.name: do_add_contact(people.coordinator, ContactData(
        name=spec.name, kind=spec.kind, platform=spec.platform)) for spec in CONTACTS}


def _reported(people: _People, contacts: dict[str, Any], today: date) -> None:
    """The PLN ties the teachers named themselves (origin "reported")."""
    from uptake.networks.actions.ties import FREQUENCIES as SCALE
    from uptake.networks.actions.ties import NamedTieData, do_name_tie
    from uptake.networks.models import Tie

    frequency_key = {label: key for key, label, _weight in SCALE}
    for source, target, relation, how_often, by in REPORTED:
        reporter = people.person(by)
        other = target if source == by else source
        person = None if other in contacts else people.person(other)
        contact = contacts.get(other)
        if reporter is None or (person is None and contact is None):
            continue
        direction = "from" if target == by else "to"
        data = NamedTieData(direction=direction, relation=relation,
                            frequency=frequency_key[how_often], person=person,
                            contact=contact, observed_on=today - timedelta(days=20))
        them = {"person": person} if person is not None else {"contact": contact}
        mine, theirs = ("target", "source") if direction == "from" else ("source", "target")
        ends = {f"{theirs}_{k}": v for k, v in them.items()} | {f"{mine}_person": reporter}
        if Tie.objects.filter(reported_by=reporter, origin=Tie.Origin.REPORTED,
                              relation=relation, **ends).exists():
            continue
        do_name_tie(reporter, data)


# ---------------------------------------------------------------------- the changes


@dataclass(frozen=True)
class DemoChange:
    title: str
    school: str  # "Cedar", "Birch"
    recorder: str  # a last name, "coach" or "leader:<school>"
    kind: str
    depth: str
    days_ago: int
    source: str  # learning_source | practice | program | contact
    source_name: str  # its title or name
    counterfactual: str
    description: str
    steps: tuple[tuple[str, str], ...]  # (carrier, what they did)
    evidence: str = ""
    source_kind: str = ""


CHANGES = (
    DemoChange(
        "Every Cedar PLC meeting looks at student work with one protocol", "Cedar",
        "leader:Cedar", "meeting_protocol", "real", 18, "contact", "@mathcoachmaya", "no",
        "Cedar's PLC meetings now start with twenty minutes on one class's student work, "
        "with the protocol Sofia Hughes brought in.",
        (("@mathcoachmaya", "posted a thread with a protocol for looking at student work"),
         ("Hughes", "tried it with her grade team and brought it to the Cedar PLC"),
         ("leader:Cedar", "made it the protocol of every PLC meeting")),
        evidence="The PLC agendas since October; the protocol card on the staff-room wall."),
    DemoChange(
        "Turn-and-talk with sentence stems taught in Birch's grade-5 math", "Birch", "Kaur",
        "lesson_taught", "real", 25, "practice",
        "Math talk moves: turn-and-talk with sentence stems", "probably_not",
        "The practice from the library is now taught in both grade-5 math classes.",
        (("Nguyen", "shared the practice in the district's library"),
         ("Kaur", "taught it in her grade-5 math class"),
         ("Osei", "taught it too after watching her lesson")),
        evidence="Both teachers' lesson plans; stem cards on every table."),
    DemoChange(
        "Birch teachers feel ready to lead whole-class math discussion", "Birch", "coach",
        "pd_led", "soft", 12, "program", "Math Talk coaching cycle", "probably",
        "After a Math Talk session at the staff meeting, teachers said they felt more "
        "confident; nothing in how the school runs has changed yet.",
        (("coach", "led a Math Talk session at the Birch staff meeting"),
         ("Bianchi", "said she now feels ready to try it in her class"))),
    DemoChange(
        "Cedar colleagues visit a class using academic conversations", "Cedar", "Hughes",
        "school_visit", "soft", 9, "learning_source", "Academic Conversations", "unsure",
        "Two colleagues watched a lesson; they felt more confident, and no practice has "
        "changed yet.",
        (("Hughes", "read the book and invited Cedar colleagues to watch her class"),
         ("Singh", "visited and said she would try it"))),
    DemoChange(
        "Birch lets students reassess against the standard", "Birch", "leader:Birch",
        "grading_policy", "real", 6, "contact", "Jordan Ellis", "yes",
        "Students may reassess a standard once after more practice; the district's move to "
        "standards-based grading was coming anyway.",
        (("Jordan Ellis", "showed how Lakeside's schools reassess against standards"),
         ("Hughes", "passed it on to Birch's grade-5 team"),
         ("leader:Birch", "changed Birch's reassessment policy")),
        evidence="The school's grading policy, revised this term.", source_kind="colleagues"),
    DemoChange(
        "A Cedar teacher feels less alone with retrieval practice", "Cedar", "Whitehorse",
        "other", "soft", 4, "contact", "r/Teachers", "probably",
        "Reading how others run low-stakes quizzes made her more confident to keep going.",
        (("r/Teachers", "a thread on low-stakes quizzes"),
         ("Whitehorse", "read it and kept her weekly quizzes going"))),
)


def _source_id(source: str, name: str, recorder: User, contacts: dict[str, Any]
               ) -> int | None:
    from uptake.learning.models import LearningSource
    from uptake.library.models import Practice
    from uptake.programs.models import Program

    district_id = recorder.district_id or 0
    if source == "contact":
        return contacts[name].pk if name in contacts else None
    if source == "practice":
        found: Any = Practice.objects.filter(district_id=district_id, title=name).first()
    elif source == "program":
        found = Program.objects.filter(district_id=district_id, name=name).first()
    else:
        found = LearningSource.objects.filter(owner=recorder, title=name).first()
    return found.pk if found is not None else None


def _changes(people: _People, contacts: dict[str, Any], today: date) -> None:
    from uptake.networks.actions.changes import ChangeData, StepData, do_record_change
    from uptake.networks.models import Change

    known = set(Change.objects.filter(district=people.district).values_list("title",
                                                                             flat=True))
    for spec in CHANGES:
        recorder = people.person(spec.recorder)
        school = people.schools.get(spec.school)
        if spec.title in known or recorder is None or school is None:
            continue
        source_id = _source_id(spec.source, spec.source_name, recorder, contacts)
        if source_id is None:
            continue
        steps = []
        for carrier, did in spec.steps:
            if carrier in contacts:
                steps.append(StepData(contact_id=contacts[carrier].pk, did=did))
            elif (person := people.person(carrier)) is not None:
                steps.append(StepData(person_id=person.pk, did=did))
        do_record_change(recorder, ChangeData(
            title=spec.title, kind=spec.kind, depth=spec.depth,
            happened_on=today - timedelta(days=spec.days_ago),
            counterfactual=spec.counterfactual, school_id=school.pk,
            description=spec.description, source=spec.source, source_id=source_id,
            source_kind=spec.source_kind, evidence=spec.evidence, steps=tuple(steps)))


# ---------------------------------------------------------------------- an online community


COMMUNITY = "r/Teachers"
COMMUNITY_FILE = "r-teachers-export.jsonl"
CODED = 12  # items of the coding sample the demo teacher has coded so far
# Thread openers (title, body, the codebook's code) and replies (body, code): made-up
# posts in the register of a teachers' subreddit; nobody real is quoted.
OPENERS = (
    ("How do you get quiet students to explain their thinking?",
     "Grade 5 math. Half my class will not say a word in discussion. What works for you?",
     "question"),
    ("Sentence stems changed my math discussions",
     "I put three stems on every table and the turn-and-talk finally took off.",
     "pedagogy"),
    ("Retrieval practice warm-ups: a year in",
     "Five low-stakes questions every morning. My quiz scores held up all year.",
     "personal_story"),
    ("Grading for the standard, not the average",
     "Our district is moving to standards-based reassessment. Anyone done it already?",
     "policy_curriculum"),
    ("The photocopier is down again", "Third time this week. Send coffee.", "humor"),
    ("Planning time keeps getting taken away",
     "Every meeting this month ate into planning. How do you protect it?",
     "teachers_lives"),
)
REPLIES = (
    ("Same here. Wait time helped me most: count to ten in your head.", "agreement"),
    ("Have you tried giving them the stem before the question?", "asks_question"),
    ("I disagree a little: stems can become a script if you keep them all year.",
     "disagreement"),
    ("We did this last year; happy to share our reassessment form.", "agreement"),
    ("What grade do you teach? It changes the answer a lot.", "asks_question"),
)


def community_export(seed: int = 2026) -> bytes:
    """A year of a teachers' community as JSON lines (Reddit's field names): threads of a
    post and its replies, some deleted ("[deleted]", dropped by the reader). Seeded."""
    import json
    import random

    rng = random.Random(seed)
    authors = [f"user_{n:03d}" for n in range(1, 41)]
    start = datetime(timezone.localdate().year - 1, 1, 1, 14, tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    for thread in range(60):
        title, body, _code = OPENERS[thread % len(OPENERS)]
        created = start + timedelta(days=thread * 6 + rng.randrange(5), hours=rng.randrange(8))
        post = f"p{thread}"
        poster = rng.choice(authors)
        rows.append({"id": f"t3_{post}", "author": poster,
                     "created_utc": int(created.timestamp()), "score": rng.randrange(1, 80),
                     "title": title, "selftext": body, "parent_id": ""})
        parents = [(f"t3_{post}", poster)]
        for reply in range(rng.randrange(0, 7)):
            text, _code = REPLIES[(thread + reply) % len(REPLIES)]
            parent, _who = rng.choice(parents)
            author = "[deleted]" if rng.random() < 0.05 else rng.choice(authors)
            created += timedelta(hours=1 + rng.randrange(20))
            rid = f"c{thread}_{reply}"
            rows.append({"id": f"t1_{rid}", "author": author,
                         "created_utc": int(created.timestamp()), "score": rng.randrange(-2, 30),
                         "title": "", "body": "[deleted]" if author == "[deleted]" else text,
                         "parent_id": parent, "link_id": f"t3_{post}"})
            parents.append((f"t1_{rid}", author))
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _intended_code(text: str) -> str:
    for title, body, code in OPENERS:
        if title in text or body in text:
            return code
    return next((code for body, code in REPLIES if body in text), "")


def _community(people: _People) -> None:
    """The demo teacher imported r/Teachers: read (as the background worker would) and
    part of its sample coded."""
    from django.core.files.base import ContentFile

    from uptake.networks.actions.community import do_code_item, do_start_import, run_import
    from uptake.networks.models import CommunityImport

    owner = people.person("Nguyen")
    if owner is None or CommunityImport.objects.filter(owner=owner, name=COMMUNITY).exists():
        return
    started = do_start_import(owner, ContentFile(community_export(), name=COMMUNITY_FILE),
                              name=COMMUNITY, period_months=6, file_name=COMMUNITY_FILE)
    done = run_import(started.pk)  # None: a worker was quicker
    if done is None or done.status != CommunityImport.Status.DONE:
        return
    for item in done.coding_items.order_by("position")[:CODED]:
        code = _intended_code(item.text)
        if code:
            do_code_item(item, actor=owner, code=code)


# ---------------------------------------------------------------------- loading


def load_demo_networks(district: District) -> None:
    """The district's network (a relation of its own, the network survey brought in,
    the teachers' PLN contacts) and the changes it led to."""
    people = _people(district)
    if people is None:
        return
    today = timezone.localdate()
    relations = {ADVICE: ADVICE, ASSESSMENT: _relation(people)}
    survey = _survey(people, today)
    _bring_in(people, survey, relations, observed_on=today - timedelta(days=28))
    contacts = _contacts(people)
    _reported(people, contacts, today)
    _changes(people, contacts, today)
    _community(people)
