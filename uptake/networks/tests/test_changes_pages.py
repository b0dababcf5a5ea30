"""The log's pages and API: who reads which change (the recorder, the people named in its
chain, the leaders of its school, coordinators and researchers), the chain drawn from the
source to the change, the form (steps added without JavaScript, the counterfactual
required), lapsed access, and the API attacked with bad payloads."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.models import Role, RoleAssignment
from uptake.networks.actions.changes import ChangeData, do_record_change
from uptake.networks.models import Change, Contact
from uptake.networks.tests import examples_changes as ex

pytestmark = pytest.mark.django_db

LOG = "networks:changes"


def _others(w: Any) -> tuple[Change, Change]:
    """A coordinator's change at Cedar naming nobody, and Miguel's at Birch."""
    cedar = do_record_change(w.people["coordinator"], ChangeData(
        title="Cedar adopts a new grading policy", kind="grading_policy", depth="real",
        happened_on=date(2026, 10, 20), counterfactual="unsure", school_id=w.cedar.pk,
        source="note", source_note="District guidance"))
    birch = do_record_change(w.people["outsider"], ChangeData(
        title="Birch visits a lab school", kind="school_visit", depth="soft",
        happened_on=date(2026, 10, 21), counterfactual="yes", school_id=w.birch.pk,
        source="note", source_note="A conference"))
    return cedar, birch


def _listed(client: Any) -> set[str]:
    html = client.get(reverse(LOG)).content.decode()
    return {t for t in (ex.TITLE, "Cedar adopts a new grading policy", "Birch visits a lab school")
            if t in html}


def test_each_person_reads_the_changes_the_contract_gives_her(world, login):
    ex.change(world)
    _others(world)
    seen = {persona: _listed(login(world.people[persona])) for persona in (
        "teacher", "colleague", "coach", "outsider", "leader", "coordinator", "researcher",
        "other_coordinator")}
    everything = {ex.TITLE, "Cedar adopts a new grading policy", "Birch visits a lab school"}
    assert seen == {
        "teacher": {ex.TITLE},  # she recorded it
        "colleague": {ex.TITLE},  # named in its chain
        "coach": set(),  # at Cedar, but neither recorder nor named
        "outsider": {"Birch visits a lab school"},
        "leader": {ex.TITLE, "Cedar adopts a new grading policy"},  # Cedar's, not Birch's
        "coordinator": everything, "researcher": everything,
        "other_coordinator": set(),
    }


def test_the_log_filters_by_school_kind_depth_source_and_period(world, login):
    ex.change(world)
    _others(world)
    client = login(world.people["coordinator"])

    def titles(**query: str) -> set[str]:
        html = client.get(reverse(LOG), query).content.decode()
        return {t for t in (ex.TITLE, "Cedar adopts a new grading policy",
                            "Birch visits a lab school") if t in html}

    assert titles(school=str(world.birch.pk)) == {"Birch visits a lab school"}
    assert titles(depth="real") == {ex.TITLE, "Cedar adopts a new grading policy"}
    assert titles(kind="grading_policy") == {"Cedar adopts a new grading policy"}
    assert titles(source_kind="course") == {ex.TITLE}
    assert titles(since="2026-10-16", until="2026-10-20") == {"Cedar adopts a new grading policy"}
    assert client.get(reverse(LOG), {"depth": "deep"}).status_code == 400


def test_a_changes_page_draws_its_chain_from_source_to_change(world, login):
    made = ex.change(world)
    html = login(world.people["colleague"]).get(
        reverse("networks:change", kwargs={"change_id": made.pk})).content.decode()
    chain = html[html.index('<ol class="chain">'):html.index("</ol>", html.index(
        '<ol class="chain">'))]
    order = ["Learning source: teacher&#x27;s conference", "Dr. Talk Moves (Bluesky)",
             "Jamie Nguyen", "Asha Patel", "The change:"]
    positions = [chain.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Probably not" in html
    # Asha reads it but does not change it.
    assert "Edit the change" not in html


def test_the_form_records_a_change_and_adds_steps_without_javascript(world, login):
    client = login(world.people["teacher"])
    url = reverse("networks:change_new")
    form = {"title": "Talk moves in every class", "school": str(world.cedar.pk),
            "kind": "lesson_taught", "depth": "real", "happened_on": "2026-10-05",
            "source": "note", "source_note": "A podcast", "rows": "1",
            "step_1_who": f"p{world.people['colleague'].pk}",
            "step_1_did": "shared it at the PLC"}
    # Another step row, nothing saved, what was typed kept.
    more = client.post(url, {**form, "add_step": "1"})
    assert more.status_code == 200 and not Change.objects.exists()
    html = more.content.decode()
    assert 'name="step_2_who"' in html and 'value="shared it at the PLC"' in html
    # The counterfactual is asked every time.
    missing = client.post(url, {**form, "rows": "2"})
    assert missing.status_code == 400 and not Change.objects.exists()
    assert "Answer the question “Would this have happened without it?”" in \
        missing.content.decode()
    saved = client.post(url, {**form, "rows": "2", "counterfactual": "probably_not",
                              "step_2_who": f"p{world.people['leader'].pk}",
                              "step_2_did": "the principal adopted it"})
    made = Change.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "networks:change", kwargs={"change_id": made.pk})
    assert [(s.person, s.did) for s in made.steps.all()] == [
        (world.people["colleague"], "shared it at the PLC"),
        (world.people["leader"], "the principal adopted it")]


def test_the_form_lists_her_colleagues_and_contacts_not_the_district(world, login):
    client = login(world.people["teacher"])
    url = reverse("networks:change_new")
    Contact.objects.create(district=world.district, name="Coach's Podcast",
                           added_by=world.people["coach"])
    mine = ex.contact(world)
    html = client.get(url).content.decode()
    assert world.people["colleague"].display_name in html and str(mine) in html
    for hidden in (world.people["outsider"].display_name,
                   world.people["researcher"].display_name, "Coach&#x27;s Podcast"):
        assert hidden not in html
    form = {"title": "Talk moves", "school": str(world.cedar.pk), "kind": "lesson_taught",
            "depth": "soft", "happened_on": "2026-10-05", "source": "note",
            "source_note": "A podcast", "counterfactual": "unsure", "rows": "1",
            "step_1_did": "showed us at the district day"}
    for address in ("rosa@maple.test", "olive@oak.test", "nobody@maple.test"):
        refused = client.post(url, {**form, "step_1_email": address})
        assert refused.status_code == 400 and not Change.objects.exists()
        assert "We cannot name that address in the chain" in refused.content.decode()
    saved = client.post(url, {**form, "step_1_email": world.people["outsider"].email})
    assert saved.status_code == 302
    assert Change.objects.get().steps.get().person == world.people["outsider"]


def test_a_bad_step_is_shown_and_nothing_is_saved(world, login):
    client = login(world.people["teacher"])
    response = client.post(reverse("networks:change_new"), {
        "title": "Talk moves", "school": str(world.cedar.pk), "kind": "lesson_taught",
        "depth": "soft", "happened_on": "2026-10-05", "source": "note",
        "source_note": "A podcast", "counterfactual": "unsure", "rows": "2",
        "step_1_who": "", "step_1_did": "", "step_2_who": "", "step_2_did": "told us"})
    assert response.status_code == 400 and not Change.objects.exists()
    assert "Step 1 of the chain: Name one carrier" in response.content.decode()


def test_the_edit_form_starts_from_the_change(world, login):
    made = ex.change(world)
    html = login(world.people["coordinator"]).get(
        reverse("networks:change_edit", kwargs={"change_id": made.pk})).content.decode()
    assert 'value="presented it at the conference"' in html
    assert 'name="step_4_who"' in html  # one empty row to add a step


def _lapsed(world: Any, persona: str, how: str) -> None:
    person = world.people[persona]
    if how == "role revoked":
        RoleAssignment.objects.filter(user=person).delete()
    elif how == "moved":
        RoleAssignment.objects.filter(user=person).update(school=world.birch)
    else:
        person.is_active = False
        person.save(update_fields=["is_active"])


@pytest.mark.parametrize(("persona", "how"), [
    ("teacher", "role revoked"), ("colleague", "role revoked"), ("leader", "moved"),
    ("teacher", "deactivated")])
def test_access_ends_with_the_role_that_gave_it(world, login, persona, how):
    made = ex.change(world)
    url = reverse("networks:change", kwargs={"change_id": made.pk})
    client = login(world.people[persona])
    assert client.get(url).status_code == 200
    _lapsed(world, persona, how)
    response = client.get(url)
    assert response.status_code in (302, 404)
    assert ex.TITLE.encode() not in response.content


def test_the_api_records_reads_edits_and_deletes(world, api):
    jamie = api(world.people["teacher"])
    contact = ex.contact(world)
    created = jamie.post("/api/v1/changes/changes", {
        "title": "Exit tickets", "kind": "lesson_taught", "depth": "real",
        "happened_on": "2026-10-01", "counterfactual": "no", "school_id": world.cedar.pk,
        "source": "contact", "source_id": contact.pk,
        "steps": [{"contact_id": contact.pk, "did": "posted it"},
                  {"person_id": world.people["teacher"].pk, "did": "tried it"}]},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "contact" and body["source_kind"] == "social_media"
    assert [s["did"] for s in body["steps"]] == ["posted it", "tried it"]
    listed = jamie.get("/api/v1/changes/changes", {"depth": "real"}).json()
    assert [c["title"] for c in listed["results"]] == ["Exit tickets"]
    assert jamie.get("/api/v1/changes/changes", {"depth": "soft"}).json()["results"] == []
    changed = jamie.put(f"/api/v1/changes/changes/{body['id']}", {
        "title": "Exit tickets", "kind": "lesson_taught", "depth": "soft",
        "happened_on": "2026-10-01", "counterfactual": "probably",
        "school_id": world.cedar.pk, "source": "note", "source_note": "A blog"},
        content_type="application/json")
    assert changed.status_code == 200 and changed.json()["steps"] == []
    assert jamie.delete(f"/api/v1/changes/changes/{body['id']}").status_code == 204
    assert not Change.objects.exists()


def test_the_api_refuses_bad_payloads_and_saves_nothing(world, api):
    jamie = api(world.people["teacher"])
    stranger = Contact.objects.create(district=world.other_district, name="Oak's coach")
    good = {"title": "Exit tickets", "kind": "lesson_taught", "depth": "real",
            "happened_on": "2026-10-01", "counterfactual": "no",
            "school_id": world.cedar.pk, "source": "note", "source_note": "A blog"}
    no_answer = {k: v for k, v in good.items() if k != "counterfactual"}
    refused = jamie.post("/api/v1/changes/changes", no_answer,
                         content_type="application/json")
    assert refused.status_code == 400 and "counterfactual" in refused.content.decode()
    wrong_step = jamie.post("/api/v1/changes/changes", {
        **good, "steps": [{"contact_id": stranger.pk, "did": "told her"}]},
        content_type="application/json")
    assert wrong_step.status_code == 400
    error = wrong_step.json()["error"]
    assert error["rows"] == [{"row": 1, "column": "contact",
                              "message": "Choose a contact of your district's network."}]
    too_many = jamie.post("/api/v1/changes/changes", {
        **good, "steps": [{"person_id": world.people["teacher"].pk, "did": "x"}] * 13},
        content_type="application/json")
    assert too_many.status_code == 400
    assert not Change.objects.exists()


def test_the_api_reports_follow_the_readers_scope(world, api):
    ex.change(world)
    _others(world)
    whole = api(world.people["researcher"]).get("/api/v1/changes/reports").json()
    assert (whole["count"], whole["real"], whole["soft"]) == (3, 2, 1)
    cedar = api(world.people["leader"]).get("/api/v1/changes/reports").json()
    assert [(r["label"], r["real"], r["soft"]) for r in cedar["by_school"]] == [
        ("Cedar Elementary", 2, 0)]
    assert RoleAssignment.objects.filter(user=world.people["teacher"],
                                         role=Role.TEACHER).exists()
    assert api(world.people["teacher"]).get("/api/v1/changes/reports").status_code == 404
