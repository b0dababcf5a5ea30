"""Jamie's builder: her records selected by kind (never anyone else's, never an upload),
her reflection saved as she writes with the pre-check refreshed, Submit refused with the
exact missing items, read only once sent, returned work opened with its feedback on top,
and Withdraw after a confirmation. Only she reaches any of it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def _url(name: str, submission: Any) -> str:
    return reverse(f"credentials:{name}", args=[submission.pk])


def _asha_s_source(w: Any) -> Any:
    from uptake.learning.actions import SourceFields, do_add_source

    return do_add_source(owner=w.people["colleague"], fields=SourceFields(
        kind="book", title="Asha's own book", learned_on=date(2026, 9, 3),
        research_based=True))


@pytest.mark.parametrize("persona", ["colleague", "coach", "leader", "assessor",
                                     "coordinator"])
def test_nobody_else_opens_her_work(world: Any, login: Any, persona: str) -> None:
    draft = f.learning_draft(world)
    client = login(world.people[persona])
    assert client.get(_url("submission", draft)).status_code == 404
    assert client.post(_url("save", draft), {"reflection": "Mine now"}).status_code == 404
    draft.refresh_from_db()
    assert draft.reflection == f.REFLECTION


def test_the_assessor_reading_it_still_gets_a_404_on_the_builder(world: Any,
                                                                 login: Any) -> None:
    sent = f.submitted(world)
    assert login(world.people["assessor"]).get(_url("submission", sent)).status_code == 404


def test_she_selects_her_records_by_kind_with_a_note(world: Any, login: Any) -> None:
    draft = f.learning_draft(world, ready=False)
    research, _webinar = f.sources(world)
    client = login(world.people["teacher"])
    html = client.get(_url("submission", draft)).content.decode()
    assert escape(research.title) in html and "(research-based)" in html
    assert 'type="file"' not in html  # nothing is uploaded here

    r = client.post(_url("add_item", draft), {"kind": "source", "record_id": research.pk,
                                              "note": "Chapter 3 on paraphrasing."},
                    follow=True)
    html = r.content.decode()
    assert "Added the learning source" in html and "Chapter 3 on paraphrasing." in html
    assert "1 selected; select 1 more learning source." in html
    item = draft.items.get()
    assert item.source == research and item.note == "Chapter 3 on paraphrasing."

    r = client.post(_url("remove_item", draft), {"item": item.pk}, follow=True)
    assert "Removed" in r.content.decode() and not draft.items.exists()


def test_a_forged_record_id_is_refused_and_nothing_is_saved(world: Any, login: Any) -> None:
    draft = f.learning_draft(world, ready=False)
    theirs = _asha_s_source(world)
    client = login(world.people["teacher"])
    for record_id in (theirs.pk, 2**63, "x"):
        r = client.post(_url("add_item", draft), {"kind": "source", "record_id": record_id},
                        follow=True)
        assert r.status_code == 200
        assert "Nothing was added: choose a learning source from your own records" in \
            r.content.decode()
    r = client.post(_url("add_item", draft), {"kind": "diary", "record_id": theirs.pk},
                    follow=True)
    assert "Choose what kind of record to add." in r.content.decode()
    assert not draft.items.exists()


def test_autosave_saves_and_refreshes_the_precheck(world: Any, login: Any) -> None:
    draft = f.learning_draft(world, ready=False)
    client = login(world.people["teacher"])
    before = client.get(_url("submission", draft)).content.decode()
    assert "Write your reflection or choose a video of yours." in before
    assert 'hx-post="' + _url("save", draft) in before

    words = " ".join(["Partners"] * 120)
    r = client.post(_url("save", draft), {"reflection": words}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and '<html' not in html
    assert 'id="precheck"' in html and "120 words; write at least 380 more." in html
    assert "Saved" in html and 'hx-swap-oob="true"' in html
    draft.refresh_from_db()
    assert draft.reflection == words


def test_without_script_the_save_button_saves_too(world: Any, login: Any) -> None:
    draft = f.learning_draft(world, ready=False)
    r = login(world.people["teacher"]).post(_url("save", draft), {"reflection": f.REFLECTION},
                                            follow=True)
    assert "Saved your reflection." in r.content.decode()
    draft.refresh_from_db()
    assert draft.reflection == f.REFLECTION


def test_a_video_of_someone_else_is_refused(world: Any, login: Any) -> None:
    from django.core.files.base import ContentFile

    from uptake.evidence.models import Artifact

    def clip(person: str, title: str) -> Any:
        return Artifact.objects.create(
            district=world.district, owner=world.people[person], kind="video", title=title,
            guskey_level=4, identifies_students=False, content_type="video/mp4",
            original_name="clip.mp4", file=ContentFile(b"not really a video", name="c.mp4"))

    draft = f.learning_draft(world, ready=False)
    client = login(world.people["teacher"])
    assert "Add your video to your evidence" in client.get(_url("submission", draft)
                                                           ).content.decode()
    mine, theirs = clip("teacher", "Jamie's clip"), clip("colleague", "Asha's clip")
    r = client.post(_url("save", draft), {"reflection": "Short", "reflection_video": theirs.pk})
    assert r.status_code == 400
    assert "Choose one of your video artifacts." in r.content.decode()
    draft.refresh_from_db()
    assert draft.reflection == "" and draft.reflection_video is None
    r = client.post(_url("save", draft), {"reflection": "", "reflection_video": mine.pk},
                    follow=True)
    assert "Video reflection: “Jamie&#x27;s clip”" in r.content.decode()
    draft.refresh_from_db()
    assert draft.reflection_video == mine


def test_submit_is_refused_with_exactly_what_is_missing(world: Any, login: Any) -> None:
    draft = f.learning_draft(world, ready=False)
    r = login(world.people["teacher"]).post(_url("submit", draft), follow=True)
    html = r.content.decode()
    assert "Not sent: some checks do not pass yet." in html
    assert "0 selected; select 2 more learning sources." in html
    assert "0 selected; select 1 more research-based source." in html
    draft.refresh_from_db()
    assert draft.state == "draft" and not draft.rounds.exists()


def test_sent_work_is_read_only_and_shows_no_scores_before_a_decision(world: Any,
                                                                       login: Any) -> None:
    sent = f.submitted(world)
    client = login(world.people["teacher"])
    html = client.get(_url("submission", sent)).content.decode()
    assert "Being reviewed" in html and "Round 1" in html
    assert _url("add_item", sent) not in html and _url("save", sent) not in html
    assert "appear here once the round is decided" in html
    r = client.post(_url("save", sent), {"reflection": "Changed after sending"}, follow=True)
    assert "An assessor is reading it" in r.content.decode()
    sent.refresh_from_db()
    assert sent.reflection == f.REFLECTION


def test_returned_work_opens_in_the_builder_with_its_feedback_on_top(world: Any,
                                                                     login: Any) -> None:
    returned = f.returned(world)
    html = login(world.people["teacher"]).get(_url("submission", returned)).content.decode()
    feedback = html.index("Say how the talk moves fit your grade 3 readers.")
    assert feedback < html.index('id="records-h"')
    assert "Not yet on track" in html and "First reader" in html
    assert _url("save", returned) in html and _url("remove_item", returned) in html
    assert "Send it again" in html


def test_she_withdraws_after_confirming(world: Any, login: Any) -> None:
    sent = f.submitted(world)
    client = login(world.people["teacher"])
    page = client.get(_url("withdraw", sent)).content.decode()
    assert "The assessor stops reading it at once" in page
    r = client.post(_url("withdraw", sent))
    assert r["Location"] == reverse("credentials:mine")
    sent.refresh_from_db()
    assert sent.state == "withdrawn"
    assert "Withdraw it" not in client.get(_url("withdraw", sent)).content.decode()


def test_her_work_page_shows_awards_stipends_and_her_transcript(world: Any,
                                                                 login: Any) -> None:
    awarded = f.awarded(world)
    html = login(world.people["teacher"]).get(reverse("credentials:mine")).content.decode()
    assert "$75.00" in html and "Awarded" in html
    assert _url("submission", awarded) in html
    assert reverse("credentials:transcript", args=[world.people["teacher"].pk]) in html


def test_her_home_shows_returned_work_and_drafts(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_start_submission

    returned = f.returned(world)
    draft = do_start_submission(f.tier(world, "sharing"), actor=world.people["teacher"])
    html = login(world.people["teacher"]).get(reverse("home")).content.decode()
    assert "Came back with feedback" in html and _url("submission", returned) in html
    assert _url("submission", draft) in html
    assert "Your micro-credential work" not in login(world.people["colleague"]).get(
        reverse("home")).content.decode()


def test_the_impact_rows_come_straight_from_her_measures(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_add_item, do_start_submission
    from uptake.stories.tests.fixtures import inquiry_with_data

    teacher = world.people["teacher"]
    measure = inquiry_with_data(world).measures.get()
    draft = do_start_submission(f.tier(world, "impact"), actor=teacher)
    do_add_item(draft, actor=teacher, kind="measure", record_id=measure.pk)
    html = login(teacher).get(_url("submission", draft)).content.decode()
    rows = html[html.index('class="impact"'):]
    assert "Exit ticket" in rows and world.section.title in rows
    assert "Mean change +" in rows and "for 12 students" in rows
    assert "Student data is selected; the reflection explaining it is not complete yet" \
        in html


def test_she_cannot_remove_an_item_of_another_submission(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_add_item, do_start_submission

    asha = world.people["colleague"]
    theirs = do_start_submission(f.tier(world), actor=asha)
    item = do_add_item(theirs, actor=asha, kind="source", record_id=_asha_s_source(world).pk)
    draft = f.learning_draft(world, ready=False)
    r = login(world.people["teacher"]).post(_url("remove_item", draft), {"item": item.pk},
                                            follow=True)
    assert "That record is not in this submission." in r.content.decode()
    assert theirs.items.filter(pk=item.pk).exists()
