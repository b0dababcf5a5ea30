"""The demo teacher's story for families: her first inquiry ("Math talk moves") told in her
words, with the charts that may be published and her sentence-stems card, published, and
one live share link that the demo prints with the sign-ins.

Written through the stories app's actions (``uptake.stories.actions``). Loading again adds
nothing twice: the story, its charts and its card are kept as they are; it is published
again only if someone took it down. A share link's secret is shown once, when the link is
made, and never stored: so each load revokes the previous demo link and makes a fresh one
(:func:`renew_demo_share_link`), and the URL printed is always one that opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from uptake.inquiry.models import Inquiry
from uptake.stories.actions import (
    ArtifactChoice,
    ChartChoice,
    do_choose_artifacts,
    do_choose_charts,
    do_create_share_link,
    do_publish,
    do_revoke_share_link,
    do_start_story,
    do_update_story,
)
from uptake.stories.models import ShareLink, Story, StoryChart

if TYPE_CHECKING:
    from uptake.accounts.models import District, User

LINK_LABEL = "Families of my math class (demo link)"
LINK_DAYS = 90
CARD = "Sentence stems card"

# Her words, for families: what she asked, what she changed, what happened, what is next.
# No claim of cause: the charts' verdicts say what changed and whether it lasted.
WORDS = {
    "question": "Will my students explain their thinking more often, and more clearly, if "
                "we use talk moves in every math lesson?",
    "what_changed": "Every math lesson now has a few minutes of partner talk. Each pair has a "
                    "card of sentence starters (“I think … because …”, “I agree with … and I "
                    "want to add …”), and I wait thirty seconds before anyone answers.",
    "what_happened": "Since the talk moves started, the class's results on the explain-your-"
                     "thinking exit ticket went up and stayed up. More students now say they "
                     "can explain their thinking to a partner, and a colleague who visits "
                     "each week counts more students explaining their thinking out loud. "
                     "Some quieter students still lean on their partner's words.",
    "whats_next": "We keep the sentence starters, and before each talk students now write "
                  "one sentence first, so that quieter students have their words ready.",
}


def _story_inquiry(teacher: User) -> Inquiry | None:
    from uptake.demo.story import STORY_INQUIRY

    return Inquiry.objects.filter(owner=teacher, title=STORY_INQUIRY).first()


def _publishable_charts(story: Story, teacher: User) -> list[ChartChoice]:
    """The first measure of the inquiry (her exit tickets), its classes together, if that
    chart may be published (every point rests on enough students, and it has data). One
    chart, so that the story prints on one page for a parent or a board member; the
    student-voice survey and the peer observations stay on her study page and count on
    the evidence ladder."""
    from uptake.stories.snapshot import chart_problem

    for measure in story.inquiry.measures.order_by("pk"):
        problem, _, _ = chart_problem(StoryChart(story=story, measure=measure), teacher)
        if problem is None:
            return [ChartChoice(measure)]
    return []


def _showable_artifacts(inquiry: Inquiry) -> list[ArtifactChoice]:
    """Her sentence-stems card (it names no student), with a caption families read."""
    from uptake.evidence.models import Artifact

    card = Artifact.objects.filter(inquiry=inquiry, title=CARD,
                                   identifies_students=False).first()
    if card is None:
        return []
    return [ArtifactChoice(card, "The card of sentence starters each pair of students has "
                                 "on the table.")]


@transaction.atomic
def load_demo_family_story(teacher: User) -> Story | None:
    """The published story of the teacher's first inquiry (idempotent)."""
    inquiry = _story_inquiry(teacher)
    if inquiry is None:
        return None
    existing = Story.objects.filter(inquiry=inquiry).exists()
    story = do_start_story(inquiry, actor=teacher)
    if not existing:
        do_update_story(story, actor=teacher, question=WORDS["question"],
                        what_changed=WORDS["what_changed"],
                        what_happened=WORDS["what_happened"], whats_next=WORDS["whats_next"])
        do_choose_charts(story, _publishable_charts(story, teacher), actor=teacher)
        do_choose_artifacts(story, _showable_artifacts(inquiry), actor=teacher)
    if not story.is_published:
        do_publish(story, actor=teacher)
    return story


@transaction.atomic
def renew_demo_share_link(teacher: User) -> str | None:
    """The path of a fresh share link to the teacher's published demo story (the previous
    demo link revoked: its secret is known to nobody any more), or None without one."""
    inquiry = _story_inquiry(teacher)
    story = Story.objects.filter(inquiry=inquiry).first() if inquiry is not None else None
    if story is None or not story.is_published:
        return None
    for old in ShareLink.objects.filter(story=story, label=LINK_LABEL, revoked_at__isnull=True):
        do_revoke_share_link(old, actor=teacher)
    made = do_create_share_link(story, actor=teacher, label=LINK_LABEL, days=LINK_DAYS)
    return reverse("share:story", args=[made.secret])


def demo_teacher(district: District) -> User | None:
    from uptake.demo.actions import _demo_teacher_and_class

    found = _demo_teacher_and_class(district)
    return found[0] if found is not None else None
