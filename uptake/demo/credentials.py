"""The demo district's micro-credentials: what the coordinator offers, and educators' work
on it in every state a submission can be in.

- **Academic conversations** (the four-tier preset: learning, implementation, impact,
  sharing). The demo teacher earned the whole credential on version 1: her learning tier
  came back once with feedback and was awarded on its second round; her impact tier rests
  on the measure of her "Math talk moves" inquiry (its verdict straight from her data); her
  sharing tier on the practice she published in the library. Her colleague's learning tier
  was returned and resubmitted and is with the assessor again; he withdrew his
  implementation draft. The coordinator then published version 2 (a larger learning
  stipend): the teacher's and colleague's work stays on version 1, and a teacher at the
  other school has a draft on version 2.
- **Data-driven instruction** (the monthly data-use preset). The teacher's SMART goal was
  read by two assessors (the first asked for a second reader) and awarded; her common
  formative assessment, on her team's weekly fractions check, is in the assessor's queue;
  her data dive, on the reading inquiry whose results got worse, came back with feedback.
- **Learning in professional networks** (the social-media preset). A teacher's work waits
  for an assessor: it was sent while the district's assessor was away (her role lifted and
  given back, as a coordinator does), so the coordinators were told and her oversight page
  lists it to assign.
- **Feedback that moves learning**: a draft nobody but the coordinators sees.

Everything goes through the credentials app's actions (``do_*``) with the demo's fixed
people; notices go to the console mail backend. Loading again adds nothing twice: the
credentials are found by title, and the whole set is skipped once it exists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from uptake.accounts.models import District, Role, User
from uptake.credentials.actions import (
    do_add_item,
    do_assign,
    do_create_credential,
    do_decide,
    do_publish,
    do_request_second_reader,
    do_save_tier,
    do_start_revision,
    do_start_submission,
    do_submit,
    do_update_policy,
    do_update_submission,
    do_withdraw,
)
from uptake.credentials.models import Review, Submission, Tier, Version
from uptake.credentials.precheck import word_count
from uptake.inquiry.models import Measure
from uptake.learning.actions import SourceFields, do_add_source
from uptake.learning.models import LearningSource

if TYPE_CHECKING:
    from uptake.roster.models import Section

TALK = "Academic conversations"
DATA = "Data-driven instruction"
SOCIAL = "Learning in professional networks"
DRAFT = "Feedback that moves learning"
SECOND_ASSESSOR = ("assessor2@maple-valley.example.org", "Blair", "Thompson")
# The demo teacher's records the tiers cite (uptake.demo.story, .inquiries, .library).
TALK_INQUIRY_MEASURE = "Exit ticket: explain your thinking (0-100)"
FRACTIONS_MEASURE = "Weekly fractions check (of 10)"
READING_MEASURE = "Reading comprehension check (0-100)"
TALK_PRACTICE = "Math talk moves: turn-and-talk with sentence stems"
EXIT_TICKET_GOAL = "exit tickets"

TALK_COMPETENCY = (
    "Leads academic conversations in which every student explains her thinking, listens "
    "to a partner and builds on or questions the idea: talk moves, sentence stems and "
    "structured partner talk used daily, with evidence that more students explain more.")
TALK_METHOD = ("Talk moves (revoicing, press for reasoning, add on, agree or disagree and "
               "why) and structured partner talk with sentence stems.")
TALK_RESEARCH = (
    "Zwiers and Crawford, Academic Conversations (2011); Chapin, O'Connor and Anderson, "
    "Classroom Discussions in Math (2013); Michaels and O'Connor's accountable talk. "
    "Offered as in the Parkway schools' \u201cMicro approach, major impact\u201d model: small, "
    "job-embedded steps, each earning its own stipend.")


def _text(sentences: tuple[str, ...], words: int) -> str:
    """The sentences, in order, as paragraphs of four, stopping once ``words`` are written
    (a reflection within its tier's limits)."""
    chosen: list[str] = []
    for sentence in sentences:
        chosen.append(sentence)
        if word_count(" ".join(chosen)) >= words:
            break
    paragraphs = [" ".join(chosen[i:i + 4]) for i in range(0, len(chosen), 4)]
    return "\n\n".join(paragraphs)


LEARNING = (
    "I chose academic conversations because my fifth graders could solve fraction "
    "problems but very few of them could tell a partner why their answer made sense.",
    "In Classroom Discussions in Math, Chapin, O'Connor and Anderson describe five talk "
    "moves: revoicing, asking a student to restate someone else's reasoning, asking "
    "students to apply their own reasoning to someone else's, prompting for further "
    "participation, and wait time.",
    "What struck me most was their argument that the moves are not tricks to get more "
    "talk but ways of holding every student accountable to the reasoning on the table.",
    "The book's research base is classroom studies in which teachers who used the moves "
    "for a year saw gains on reasoning items, especially for students who rarely spoke.",
    "The webinar on talk moves showed the same moves with sentence stems printed on "
    "table cards, so that a student has words to start with before she has the idea "
    "fully formed.",
    "The presenter made a point I had missed: wait time only works when students know "
    "they will be asked, so the routine has to be the same every day.",
    "Reading the two together, I understand the method as three things working at once: "
    "a problem worth talking about, a structure that makes everyone talk, and moves that "
    "push talk toward reasoning rather than answers.",
    "The stems matter most for my English learners, who told me last year that they "
    "knew the answer but not how to say why.",
    "I also learned that partner talk before whole-class talk changes who raises a hand, "
    "because a student has already said her idea once, to one person, safely.",
    "For my class this means two minutes of turn-and-talk before every discussion, with "
    "partner A explaining and partner B responding with a stem, then swapping.",
    "It means I will cold-call pairs to share a partner's thinking, which is the "
    "revoicing move made routine, and it takes the pressure off the shy student.",
    "It means my exit ticket will ask students to explain their thinking, not only to "
    "give an answer, so that I can see whether the talk carries into writing.",
    "The curriculum's unit on adding and subtracting fractions with unlike denominators "
    "is a good place to start, because there are several ways in and real disagreements "
    "about common denominators.",
    "The standard for mathematical practice on constructing viable arguments and "
    "critiquing the reasoning of others is exactly what the talk moves are for.",
    "I expect the first weeks to be noisy and slow, and the book warns that teachers "
    "give up when the talk sounds off-task; I will judge it by the exit tickets instead.",
    "I am less sure how to support the two students who do not yet speak much English; "
    "I will pair each with a bilingual partner and add picture cues to their stems.",
    "I also want to try the agree-or-disagree move with hand signals, so that every "
    "student commits to a position before anyone speaks.",
    "The webinar suggested recording one discussion a week to count who talks; I will "
    "ask my coach to do this during her visits instead, so I can keep teaching.",
    "What I will watch for is whether students start using each other's names and ideas "
    "without a stem, which the book describes as the moment the routine takes hold.",
    "If that happens by winter I will fade the stems for most tables and keep them for "
    "the students who still need them.",
    "Both sources insist that the teacher's own questions change too: fewer questions "
    "with one right answer, more that ask how someone knows.",
    "I rewrote the first three lessons of the fractions unit with that in mind, so that "
    "each opens with a problem two students are likely to solve differently.",
    "My goal is simple to say and hard to do: every student explains her thinking aloud "
    "at least once a day, and more of them can write that explanation by the unit's end.",
    "I will know the learning took if my exit-ticket scores for explaining rise and stay "
    "up, not just for a week after I start.",
    "The second round of reading made me look again at the research behind wait time; "
    "three seconds after a question and three seconds after an answer both matter.",
    "I now count silently after a student answers before I respond, which was harder "
    "than I expected and has changed what the next student says.",
    "I also noticed that my revoicing sometimes replaced the student's words with mine; "
    "the book's advice is to ask the student whether the revoicing is right.",
    "These two changes are small, but they are the part of the method I had not "
    "understood from the first reading.",
    "I am grateful for the assessor's question about my English learners, which sent me "
    "back to the chapter on supporting language in discussions.",
    "The chapter's answer is to let students rehearse in their first language with a "
    "partner before speaking to the class, which I will now allow explicitly.",
    "Taken together, the learning gave me a routine I can start tomorrow and a way to "
    "tell whether it is working for the students it was meant for.",
)
LEARNING_REVISION = LEARNING[:16] + LEARNING[24:]

IMPLEMENTATION = (
    "I used turn-and-talk with sentence stems daily in my Grade 5 math class from the "
    "start of the fractions unit.",
    "The artifacts are the stems card on every table and the video of talk moves our "
    "team watched together before we began.",
    "Each lesson opened with one problem with more than one way in, two minutes of silent "
    "work, then two minutes of partner talk using the stems.",
    "I cold-called pairs to share a partner's thinking, which meant that every student "
    "had to listen closely to someone else.",
    "The outcome I wanted was that more students would explain why an answer made sense, "
    "aloud and on the exit ticket, instead of giving the answer alone.",
    "The lessons sit in our curriculum's unit on adding and subtracting fractions with "
    "unlike denominators and serve the practice standard on constructing arguments.",
    "The first week was slow; several pairs read the stems without meaning them, and I "
    "modelled a poor and a good exchange with a student volunteer.",
    "By the third week partners were using each other's names and the stem \u201cI agree "
    "and I'd add\u201d without looking at the card.",
    "My two newest English learners used the picture cues and spoke first to a bilingual "
    "partner, which I now allow for everyone.",
    "What I would change is the timing: two minutes is right for the talk, but the "
    "whole-class share needs a timer too, or it swallows the practice problems.",
    "The routine now takes about nine minutes of a fifty-minute lesson, and I have kept "
    "it after the unit ended.",
    "Next I will fade the stems for tables that no longer need them and keep them where "
    "students still reach for the card.",
    "My coach observed twice and counted who spoke; the counts are part of the inquiry's "
    "record and match what I saw.",
    "The implementation was close to the plan, and the changes I made were to the "
    "timing, not to the moves themselves.",
    "I am sending the stems card and the video because a colleague could see from them "
    "exactly what the students did.",
)

IMPACT = (
    "My inquiry measured the goal directly: an exit ticket scored 0 to 100 on how well a "
    "student explains her thinking, given weekly before and after the change.",
    "The run chart shows a sustained improvement: after the change, the class median "
    "stayed above its baseline for the rest of the unit, not just for a week.",
    "The paired change for the students who took both the first and the last tickets is "
    "positive, and its interval sits above zero.",
    "The student-voice survey moved the same way: more students agree that they can "
    "explain their thinking to a partner.",
    "The gain was largest for students who scored lowest at baseline, which is what I "
    "hoped the stems would do.",
    "Two students did not improve; both were absent for much of the unit, and I will "
    "check in with them before the next unit.",
    "The peer observation counts rose too, though they rest on few lessons and I read "
    "them as a sign rather than a result.",
    "I am cautious about one thing: the exit ticket is mine, so my scoring may have "
    "drifted; a colleague scored a sample of ten and agreed on nine.",
    "What the results mean for my teaching is that the routine is worth its nine "
    "minutes, and that wait time after answers matters as much as the stems.",
    "My next step is to keep the routine, fade the stems, and add the revoicing move to "
    "the written explanation, so that students explain a partner's method in writing.",
    "I will check that step with the same exit ticket over the next unit on decimals.",
    "I have also shared the practice with my team so that we can compare results across "
    "our classes.",
    "The data say the change worked for most of my students, and they tell me which "
    "students to watch next.",
    "I would not claim the routine alone caused the gain; the unit itself teaches "
    "explanation, but the baseline weeks used the same unit's earlier lessons.",
    "Overall I am confident the change helped, and I know what I will measure next.",
)

SHARING = (
    "I shared the routine in the district's practice library as \u201cMath talk moves: "
    "turn-and-talk with sentence stems\u201d, with its steps, materials and lessons learned.",
    "The overview explains the routine in one paragraph, and the steps can be followed "
    "by a colleague who has never seen it taught.",
    "I listed the materials: stem cards on each table and a partner seating chart that "
    "changes weekly.",
    "The lessons learned are the ones from my implementation: written stems on the table "
    "matter more than stems on the board, and quiet students speak first when they "
    "explain a partner's idea.",
    "The suggested revisions are for other grades: two stems and picture cues in K-2, and "
    "longer written explanations in middle school.",
    "I linked the webinar on talk moves and the video our team watched, which are the two "
    "resources a colleague needs most.",
    "Three colleagues have already tried the practice in inquiries of their own, and the "
    "library shows what happened in their classes.",
    "One colleague's results faded after the first weeks; we talked and she thinks she "
    "dropped the daily routine during testing, which I have added as a lesson learned.",
    "Sharing it made me write down choices I had made without noticing, such as always "
    "starting with silent work.",
    "If a colleague tries it, I hope she keeps the exit ticket so that we can compare "
    "results across classes and grades.",
    "I would also welcome suggestions for the revoicing move in writing, which is my "
    "next step and not yet in the practice.",
    "The practice is published to the whole district, and I will update it as the "
    "routine changes.",
    "Writing it for others was the best reflection on my own teaching this year.",
    "I have offered to visit any colleague's class for the first lesson.",
)

SMART = (
    "My goal: by the end of January, every student in my Grade 5 math class will take a "
    "weekly exit ticket, and I will use the results within two days to regroup students "
    "for the next lesson.",
    "It is specific about who and what, measurable in the tickets given and the groups "
    "changed, achievable in ten minutes a week, relevant because my small groups had "
    "stopped changing, and bound to a date.",
    "It is linked from my learning plan, where it sits beside my goal on students "
    "explaining their thinking.",
    "I will know it is met when the regrouping log shows a change every week and no "
    "student stays in the same group for a month without a reason.",
    "The first two weeks are done, and the groups changed both times.",
    "I chose this goal because the fractions unit moves fast and last year some students "
    "fell behind before I noticed.",
)

FORMATIVE = (
    "Our team gives the same weekly fractions check, ten items, and enters the results as "
    "a measure of our shared inquiry.",
    "The check is aligned to the goal: each item places or compares fractions on a "
    "number line, which is the skill the unit builds.",
    "The results are in for every week since the start of the unit, so the chart shows a "
    "baseline before our change and the weeks since.",
    "I attach the stems card because the check asks students to explain one placement, "
    "and the card is what they use to do it.",
    "The data show my class improving, with the paired change for the same students "
    "positive.",
    "I regrouped students each week from the check, as my SMART goal says.",
    "Next month the team will add one item on equivalent fractions.",
)

DATA_DIVE = (
    "I studied the reading comprehension checks from my independent reading inquiry, "
    "where the verdict is that results got worse after the change.",
    "The chart shows the class median falling after we lengthened independent reading "
    "blocks, and the fall lasted several weeks.",
    "Reading by student group, the drop was largest for students who were already below "
    "grade level, who spent the longer block on books that were too hard.",
    "The verdict's reason says the later points sit below the baseline's range, which "
    "matches what I saw in conferences.",
    "My instructional response is to shorten the blocks again and add a short guided "
    "book choice, so that students read books they can read.",
    "I will check the change with the same comprehension check over the next six weeks.",
    "Negative results are still results: the inquiry told me quickly that the change was "
    "not working, and for whom.",
    "I will share this with my leader, who has been following the inquiry.",
    "I also want to look at whether the drop shows on the district's interim assessment.",
    "The data dive taught me to read the chart by group, not only as a class.",
    "It changed my plan for the spring.",
    "The students who gained were those already reading at grade level, and they gained "
    "little, so the longer block did not buy much even for them.",
    "Before the next change I will set the measure up first, so that a baseline is ready "
    "when the change begins.",
)

SOCIAL_TEXT = (
    "This fall I followed three professional conversations online: the #ELAchat weekly "
    "chat, a thread on read-alouds for older students, and a community of Grade 3 "
    "teachers sharing vocabulary routines.",
    "Each is logged as a learning source with its link and the hours I spent, about "
    "four hours in all.",
    "The weekly chat changed how I think about read-alouds: several teachers argued that "
    "older students need them as much as younger ones, for vocabulary and stamina.",
    "I had stopped reading aloud in the spring because it felt like lost time; the "
    "thread's examples of short daily read-alouds with one talk question convinced me "
    "to start again.",
    "The vocabulary community shared a word-of-the-week routine that a teacher at our "
    "other school already uses, which I would not have known without the thread.",
    "What changed in my thinking is that I now see these networks as a place to find "
    "routines that were tested somewhere else, not as a source of ideas to try at random.",
    "I was careful to check the claims: two of the routines came with links to research "
    "summaries, and one did not, so I will try that one with a measure first.",
    "I will use the read-aloud routine in my class starting next week, with one talk "
    "question per read-aloud and a short written response on Fridays.",
    "I will bring it back to my school at our February team meeting, where I will show "
    "the routine, share the thread, and ask two colleagues to try it with me.",
    "I will also post our results to the chat, since the thread asked for them.",
    "The networks are not a replacement for the district's learning, but they are "
    "where I find teachers who have already tried what I am thinking about.",
    "I plan to keep logging what I learn there, with the time I spend, so that it "
    "counts and so that I can see what I actually used.",
    "I have already learned that the best threads are the ones where teachers post "
    "student work, not just opinions.",
    "Next term I want to follow a chat on math talk, since our school is starting "
    "academic conversations across grades.",
    "This documentation and reflection is my record of that learning.",
)


def _by_title(district: District, title: str) -> Version | None:
    return (Version.objects.filter(credential__district=district, title=title)
            .exclude(status=Version.Status.SUPERSEDED).order_by("-number").first())


def _offer(coordinator: User, title: str, preset: str, competency: str = "", *,
           publish: bool = True, **words: Any) -> Version:
    from uptake.credentials.actions import do_update_version

    version = do_create_credential(actor=coordinator, title=title, preset=preset,
                                   competency=competency)
    if words:
        do_update_version(version, actor=coordinator, **words)
    return do_publish(version, actor=coordinator) if publish else version


def _add_sources(person: User, rows: list[tuple[str, str, str, bool, str, Decimal]]
                 ) -> list[LearningSource]:
    """Her learning sources by title (added once)."""
    found = []
    for kind, title, author, research, link, hours in rows:
        have = LearningSource.objects.filter(owner=person, title=title).first()
        found.append(have or do_add_source(owner=person, fields=SourceFields(
            kind=kind, title=title, author=author, research_based=research, link=link,
            learned_on=date(2026, 10, 20), hours=hours)))
    return found


def _open(submission: Submission, assessor: User | None = None) -> Review:
    reviews = Review.objects.filter(round__submission=submission, round__outcome="",
                                    decided_at__isnull=True, released_at__isnull=True)
    if assessor is not None:
        reviews = reviews.filter(assessor=assessor)
    return reviews.order_by("assigned_at", "pk").first()  # type: ignore[return-value]


def _decide(submission: Submission, decision: str, comment: str,
            below: tuple[int, ...] = (), assessor: User | None = None) -> None:
    review = _open(submission, assessor)
    levels = {n: (0 if n in below else 1)
              for n in range(submission.tier.criteria.count())}
    scores = {c.pk: (levels[n], "Not yet: see the feedback." if n in below else "")
              for n, c in enumerate(submission.tier.criteria.all())}
    do_decide(review, actor=review.assessor, decision=decision, scores=scores,
              comment=comment)


def _work(educator: User, tier: Tier, items: list[tuple[str, Any, str]], reflection: str
          ) -> Submission:
    submission = do_start_submission(tier, actor=educator)
    for kind, record, note in items:
        do_add_item(submission, actor=educator, kind=kind, record_id=record.pk, note=note)
    do_update_submission(submission, actor=educator, reflection=reflection)
    return submission


def _measure(owner: User, name: str) -> Measure | None:
    from uptake.inquiry.access import inquiries_editable_by

    return Measure.objects.filter(inquiry__in=inquiries_editable_by(owner), name=name).first()


def _second_assessor(district: District, coordinator: User, password: str) -> User:
    from uptake.accounts.actions import RoleGrant, do_add_person
    from uptake.demo.actions import do_set_demo_passwords

    email, first, last = SECOND_ASSESSOR
    found = User.objects.filter(email=email).first()
    if found is None:
        found = do_add_person(actor=coordinator, email=email, first_name=first,
                              last_name=last, roles=[RoleGrant(Role.ASSESSOR, None)],
                              send_email=False)
        do_set_demo_passwords(district, password)
    return found


def _waiting_for_an_assessor(district: District, coordinator: User, teacher: User,
                             assessor: User, tier: Tier) -> Submission:
    """Her work sent, then given back to the queue of waiting work: its assessor is away,
    and the coordinator took her off it (as she does on the submissions page)."""
    from uptake.credentials.actions import do_unassign

    sources = _add_sources(teacher, [
        ("network_thread", "#ELAchat: read-alouds for older students", "", False,
         "https://example.org/elachat/read-alouds", Decimal("1.5")),
        ("network_thread", "Thread: short daily read-alouds with one talk question", "",
         False, "https://example.org/threads/daily-read-alouds", Decimal("1")),
        ("network_thread", "Grade 3 teachers' community: word-of-the-week routines", "",
         False, "https://example.org/community/word-of-the-week", Decimal("1.5")),
    ])
    submission = _work(teacher, tier, [("source", s, "") for s in sources],
                       _text(SOCIAL_TEXT, 320))
    submission = do_submit(submission, actor=teacher)
    for review in Review.objects.filter(round__submission=submission,
                                        decided_at__isnull=True, released_at__isnull=True):
        do_unassign(review, actor=coordinator, reason="Away until next month")
    submission.refresh_from_db()
    return submission


def load_demo_credentials(district: District, teacher: User, section: Section,
                          colleague: User | None, password: str) -> int:
    """The credentials and the work on them (module docstring); how many submissions the
    district has (0 when the people it needs are missing)."""
    coordinator = (User.objects.filter(district=district, is_active=True,
                                       roles__role=Role.COORDINATOR).order_by("pk").first())
    assessor = (User.objects.filter(district=district, is_active=True,
                                    roles__role=Role.ASSESSOR).order_by("pk").first())
    others = list(User.objects.filter(district=district, is_active=True,
                                      roles__role=Role.TEACHER)
                  .exclude(roles__school=section.school).order_by("last_name", "pk")[:2])
    if coordinator is None or assessor is None or colleague is None or len(others) < 2:
        return 0
    if _by_title(district, TALK) is not None:
        return Submission.objects.filter(district=district).count()

    do_update_policy(actor=coordinator, accept_social_media=True)
    talk = _offer(coordinator, TALK, "four_tier", TALK_COMPETENCY, key_method=TALK_METHOD,
                  research_basis=TALK_RESEARCH)
    data = _offer(coordinator, DATA, "data_use")
    social = _offer(coordinator, SOCIAL, "social_media")
    _offer(coordinator, DRAFT, "four_tier",
           "Gives feedback students act on the next day: specific, about the task, and "
           "followed by time to use it.", publish=False,
           key_method="Feedback as a plan for the next step (Hattie and Timperley's three "
                      "questions: where am I going, how am I going, where to next?).")

    # Waiting for an assessor: before anyone else's work reaches the queue.
    _waiting_for_an_assessor(district, coordinator, others[0], assessor,
                             social.tiers.get(order=1))
    _second_assessor(district, coordinator, password)

    # The demo teacher earns "Academic conversations" (version 1), tier by tier.
    tiers = {t.kind: t for t in talk.tiers.all()}
    book, webinar = (LearningSource.objects.filter(owner=teacher, kind=k).order_by("pk").first()
                     for k in ("book", "webinar"))
    from uptake.evidence.models import Artifact
    from uptake.library.models import Practice

    card = Artifact.objects.filter(owner=teacher, kind="text").order_by("pk").first()
    video = Artifact.objects.filter(owner=teacher, kind="link").order_by("pk").first()
    practice = Practice.objects.filter(author=teacher, title=TALK_PRACTICE).first()
    exit_ticket = _measure(teacher, TALK_INQUIRY_MEASURE)
    if None in (book, webinar, card, video, practice, exit_ticket):
        return Submission.objects.filter(district=district).count()

    learning = _work(teacher, tiers["learning"], [
        ("source", book, "The research base for the talk moves."),
        ("source", webinar, "Talk moves with sentence stems, shown in a classroom.")],
        _text(LEARNING[:22], 510))
    do_submit(learning, actor=teacher)
    _decide(learning, "return", "A thoughtful start. Say more about how the method fits "
                                "your English learners, and what the research says about "
                                "wait time: the book has a chapter on both.", below=(2,))
    do_update_submission(learning, actor=teacher, reflection=_text(LEARNING_REVISION, 540))
    do_submit(learning, actor=teacher)
    _decide(learning, "award", "The revision answers both questions with the sources in "
                               "hand. Awarded.")

    implementation = _work(teacher, tiers["implementation"], [
        ("artifact", card, "On every table from the first lesson."),
        ("artifact", video, "What our team watched before we began.")],
        _text(IMPLEMENTATION, 260))
    do_submit(implementation, actor=teacher)
    _decide(implementation, "award", "The card and your account show the routine in use; "
                                     "the link to the practice standard is clear.")

    impact = _work(teacher, tiers["impact"], [
        ("measure", exit_ticket, "Weekly, before and after the change.")],
        _text(IMPACT, 260))
    do_submit(impact, actor=teacher)
    _decide(impact, "award", "Honest about the limits of your own scoring; the sustained "
                             "improvement is clear on the chart.")

    sharing = _work(teacher, tiers["sharing"], [
        ("practice", practice, "Published in the library; three colleagues tried it."),
        ("artifact", video, "The video, linked for colleagues.")],
        _text(SHARING, 260))
    do_submit(sharing, actor=teacher)
    _decide(sharing, "award", "A colleague could teach it from the practice alone.")

    # Her colleague: returned with feedback, resubmitted, with the assessor again; and an
    # implementation draft he withdrew.
    luca = _add_sources(colleague, [
        ("book", "The Teacher's Guide to Academic Conversations", "Jeff Zwiers", True, "",
         Decimal("5")),
        ("article", "Talk moves: a teacher's guide (TERC)", "", False,
         "https://example.org/terc-talk-moves", Decimal("1")),
    ])
    his = _work(colleague, tiers["learning"], [("source", s, "") for s in luca],
                _text(LEARNING[:9] + LEARNING[13:24], 505))
    do_submit(his, actor=colleague)
    _decide(his, "return", "Your summary of the sources is clear. Tell us how you will use "
                           "the moves with your own class: which unit, which students.",
            below=(2,))
    do_update_submission(his, actor=colleague, reflection=_text(LEARNING[:22], 515))
    do_submit(his, actor=colleague)
    dropped = do_start_submission(tiers["implementation"], actor=colleague)
    do_withdraw(dropped, actor=colleague)

    # Version 2 is published; their work stays on version 1.
    v2 = do_start_revision(talk.credential, actor=coordinator)
    do_save_tier(v2, actor=coordinator, tier=v2.tiers.get(kind="learning"),
                 stipend=Decimal("100"),
                 description="Study the method in two sources, at least one "
                             "research-based, and reflect on what you learned and how it "
                             "applies to your students, English learners included.")
    do_publish(v2, actor=coordinator)
    newcomer = others[1]
    start = _add_sources(newcomer, [
        ("book", "Academic Conversations", "Jeff Zwiers and Marie Crawford", True, "",
         Decimal("6"))])
    _work(newcomer, v2.tiers.get(kind="learning"), [("source", start[0], "")], "")

    # Data-driven instruction: a SMART goal read by two assessors, a formative assessment
    # in the queue, and a data dive returned with feedback.
    steps = {t.order: t for t in data.tiers.all()}
    goal = next((g for g in _goals(teacher) if EXIT_TICKET_GOAL in str(g).lower()), None)
    fractions = _measure(teacher, FRACTIONS_MEASURE)
    reading = _measure(teacher, READING_MEASURE)
    if goal is not None:
        smart = _work(teacher, steps[1], [("goal", goal, "From my learning plan.")],
                      _text(SMART, 110))
        do_submit(smart, actor=teacher)
        first = _open(smart, assessor) or _open(smart)
        do_request_second_reader(first, actor=first.assessor)
        _decide(smart, "award", "Specific and measurable; the regrouping log makes it "
                                "checkable.", assessor=first.assessor)
        _decide(smart, "award", "Agreed: a SMART goal, and already in use.")
    if fractions is not None:
        check = _work(teacher, steps[2], [
            ("measure", fractions, "Our team's common check, entered weekly."),
            ("artifact", card, "Students use it to explain one placement.")],
            _text(FORMATIVE, 110))
        do_submit(check, actor=teacher)
        if _open(check, assessor) is None and (review := _open(check)) is not None:
            do_assign(check, assessor, actor=coordinator, replace=review)
    if reading is not None:
        dive = _work(teacher, steps[3], [
            ("measure", reading, "The results got worse; this is what I learned.")],
            _text(DATA_DIVE, 210))
        do_submit(dive, actor=teacher)
        _decide(dive, "return", "You read the chart well. Add the next teaching move for "
                                "the students below grade level and when you will check "
                                "it, in the words of the data dive's second criterion.",
                below=(1,))
    return Submission.objects.filter(district=district).count()


def _goals(teacher: User) -> list[Any]:
    from uptake.learning.access import own_goals

    return list(own_goals(teacher).order_by("pk"))
