"""Shapes a district can start a credential from, then edit freely.

- ``four_tier``: the four-tier model of in-house micro-credentials (learning,
  implementation, impact, sharing), after Parkway Schools' program described in
  *"Micro approach, major impact"* (Learning Forward, *The Learning Professional*): each tier
  with its evidence, reflection length (or a short video), a two-level scoring guide and an
  example stipend ($75 a tier, $300 in all).
- ``data_use``: a monthly data-use credential: a SMART goal, a common formative assessment,
  and a data dive on its results.
- ``social_media``: self-directed learning in a professional network or on social media:
  documentation of what was read and joined, and reflective writing, earning CEUs.

Each preset is plain data; ``uptake.credentials.actions.do_create_credential`` copies it
into a new draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ON_TRACK = ["Not yet on track", "On track"]


@dataclass(frozen=True)
class CriterionPreset:
    text: str
    not_yet: str
    on_track: str

    @property
    def descriptors(self) -> list[str]:
        return [self.not_yet, self.on_track]


@dataclass(frozen=True)
class TierPreset:
    name: str
    kind: str
    description: str
    criteria: tuple[CriterionPreset, ...]
    min_sources: int = 0
    min_research_sources: int = 0
    min_artifacts: int = 0
    min_links: int = 0
    needs_lesson_plan: bool = False
    needs_goal: bool = False
    impact_rule: str = ""
    reflection_min_words: int | None = None
    reflection_max_words: int | None = None
    accepts_video: bool = False
    video_min_seconds: int | None = None
    video_max_seconds: int | None = None
    stipend: Decimal = Decimal("0")
    ceus: Decimal = Decimal("0")
    levels: list[str] = field(default_factory=lambda: list(ON_TRACK))


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    summary: str
    title: str
    competency: str
    key_method: str
    research_basis: str
    tiers: tuple[TierPreset, ...]


C = CriterionPreset

FOUR_TIER = Preset(
    key="four_tier", label="Four tiers: learning, implementation, impact, sharing",
    summary="Learn, try it in class, show what happened for students, share it. Each tier "
            "is scored On track / Not yet on track and earns its own stipend.",
    title="", competency="", key_method="", research_basis="",
    tiers=(
        TierPreset(
            name="Learning", kind="learning",
            description="Study the method in two sources, at least one research-based, and "
                        "reflect on what you learned and how it applies to your students.",
            min_sources=2, min_research_sources=1,
            reflection_min_words=500, reflection_max_words=600,
            accepts_video=True, video_min_seconds=120, video_max_seconds=180,
            stipend=Decimal("75"), ceus=Decimal("0.5"),
            criteria=(
                C("Sources", "Fewer than two sources, or none research-based.",
                  "Two or more sources, at least one research-based, clearly cited."),
                C("Understanding of the method",
                  "Summarises the sources without explaining the method's key ideas.",
                  "Explains the method's key ideas and why they work, in her own words."),
                C("Application to her students",
                  "Does not connect the learning to her classroom.",
                  "Names how the method fits her students and curriculum."),
            )),
        TierPreset(
            name="Implementation", kind="implementation",
            description="Use the method with students. Show artifacts of it in use and "
                        "reflect on the outcome you wanted and its link to the curriculum.",
            min_artifacts=2, reflection_min_words=250, reflection_max_words=350,
            accepts_video=True, video_min_seconds=60, video_max_seconds=120,
            stipend=Decimal("75"), ceus=Decimal("0.5"),
            criteria=(
                C("Artifacts of implementation",
                  "Artifacts do not show the method in use with students.",
                  "Artifacts (lesson materials, photos, student work) show the method in use."),
                C("Desired outcome", "The outcome wanted for students is not named.",
                  "Names the student outcome the change was meant to bring."),
                C("Link to curriculum", "No link to the curriculum or standards.",
                  "Ties the lesson to the curriculum and the standards it serves."),
            )),
        TierPreset(
            name="Impact", kind="impact",
            description="Show student data (formative, summative, a survey or a checklist) "
                        "and reflect on it: the goal measured, the results, and what they "
                        "mean. Positive or negative results both count.",
            impact_rule="data_and_reflection", reflection_min_words=250,
            reflection_max_words=350, accepts_video=True, video_min_seconds=60,
            video_max_seconds=120, stipend=Decimal("75"), ceus=Decimal("0.5"),
            criteria=(
                C("Student data", "No student data, or data unrelated to the goal.",
                  "Student data that measures the goal, before and after the change."),
                C("Explaining the results",
                  "States results without explaining them.",
                  "Explains what the data shows, honestly, whether results were positive "
                  "or negative."),
                C("Next steps", "No next step drawn from the data.",
                  "Draws a next step for her teaching from the results."),
            )),
        TierPreset(
            name="Sharing", kind="sharing",
            description="Share a lesson plan or overview others can implement, with lessons "
                        "learned, suggested revisions and links to resources.",
            needs_lesson_plan=True, min_links=1, reflection_min_words=250,
            reflection_max_words=350, accepts_video=True, video_min_seconds=60,
            video_max_seconds=120, stipend=Decimal("75"), ceus=Decimal("0.5"),
            criteria=(
                C("A plan others can use",
                  "A colleague could not teach it from what is shared.",
                  "A colleague could teach it from the plan or overview alone."),
                C("Lessons learned and revisions",
                  "No lessons learned or revisions suggested.",
                  "Names what she learned and what she would change next time."),
                C("Resources", "No links to the resources used.",
                  "Links to the resources a colleague needs."),
            )),
    ))

DATA_USE = Preset(
    key="data_use", label="Monthly data use: SMART goal, common assessment, data dive",
    summary="Three monthly tasks of a data-use cycle, done with a team or alone.",
    title="Data-driven instruction", competency=(
        "Sets a measurable goal for her students, assesses it with a common formative "
        "assessment, and changes her teaching from what the results show."),
    key_method="A monthly data-use cycle: goal, common formative assessment, data dive.",
    research_basis="", tiers=(
        TierPreset(
            name="SMART goal", kind="task",
            description="Write a specific, measurable, achievable, relevant, time-bound goal "
                        "for your students and link it from your learning plan.",
            needs_goal=True, reflection_min_words=100, reflection_max_words=250,
            stipend=Decimal("50"), ceus=Decimal("0.25"),
            criteria=(C("The goal is SMART", "One or more SMART parts missing.",
                        "Specific, measurable, achievable, relevant and time-bound."),)),
        TierPreset(
            name="Common formative assessment", kind="task",
            description="Give a common formative assessment of the goal and enter its "
                        "results as a measure of your inquiry.",
            min_artifacts=1, impact_rule="data_and_reflection",
            reflection_min_words=100, reflection_max_words=250,
            stipend=Decimal("50"), ceus=Decimal("0.25"),
            criteria=(C("Assessment aligned to the goal",
                        "The assessment does not measure the goal.",
                        "The assessment measures the goal and its results are entered."),)),
        TierPreset(
            name="Data dive", kind="impact",
            description="Study the results: what changed for which students, and what you "
                        "will do next.",
            impact_rule="data_and_reflection", reflection_min_words=200,
            reflection_max_words=400, stipend=Decimal("50"), ceus=Decimal("0.5"),
            criteria=(
                C("Reading the data", "Reads the totals only.",
                  "Reads change over time and by student group, with the verdict's reason."),
                C("Instructional response", "No change to teaching follows.",
                  "Names the next teaching move and when it will be checked."),
            )),
    ))

SOCIAL_MEDIA = Preset(
    key="social_media", label="Self-directed learning in a professional network",
    summary="Documentation of threads, chats or communities followed, and reflective "
            "writing; earns CEUs.",
    title="Learning in professional networks", competency=(
        "Uses professional networks and social media to learn deliberately, and brings "
        "what she learns back to her school."),
    key_method="Self-directed learning in a professional learning network (PLN).",
    research_basis="", tiers=(
        TierPreset(
            name="Documentation and reflection", kind="learning",
            description="Document at least three threads, chats or communities you learned "
                        "from (as learning sources, with links), and reflect on what you "
                        "will use or share at your school.",
            min_sources=3, min_links=3, reflection_min_words=300, reflection_max_words=600,
            ceus=Decimal("1.0"),
            criteria=(
                C("Documentation", "Fewer than three sources, or no links.",
                  "Three or more sources, each with a link and the hours spent."),
                C("Reflective writing", "Describes what was read without reflecting.",
                  "Reflects on what changed in her thinking and what she will do."),
                C("Bringing it back", "Nothing is brought back to her school.",
                  "Names what she will share with colleagues, and how."),
            )),
    ))

PRESETS: dict[str, Preset] = {p.key: p for p in (FOUR_TIER, DATA_USE, SOCIAL_MEDIA)}
