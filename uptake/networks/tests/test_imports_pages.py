"""The import pages and API: a coordinator brings a survey in and uploads an edge list, a
researcher reads the list, everyone else gets the same 404 as for a missing page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from uptake.audit.models import AuditEvent
from uptake.networks.models import NetworkImport, Tie
from uptake.networks.tests.examples_imports import network_survey, survey_import

pytestmark = pytest.mark.django_db

CSV = b"from,to,relation,weight\njamie@maple.test,asha@maple.test,advice,2\n"


def test_the_list_shows_a_survey_import_with_its_response_rate_in_words(world, login):
    made = survey_import(world)
    page = login(world.people["researcher"]).get(reverse("networks:imports"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Advice network, autumn" in text
    assert "2 of 3 invited, 67 %" in text
    assert "stored reversed" in text
    # A researcher reads; only a coordinator is offered the ways to change it.
    assert reverse("networks:import_survey") not in text
    detail = login(world.people["researcher"]).get(
        reverse("networks:import_detail", args=[made.pk])).content.decode()
    assert "1 invited person did not answer" in detail
    assert reverse("networks:import_delete", args=[made.pk]) not in detail


def test_a_coordinator_brings_a_survey_in_from_the_page(world, login):
    survey = network_survey(world)
    question = survey.questions.get()
    client = login(world.people["coordinator"])
    form = client.get(reverse("networks:import_survey")).content.decode()
    assert "Whom do you go to for advice about your teaching?" in form
    assert "brought in now and again later" in form
    answer = client.post(reverse("networks:import_survey"), {
        "question": question.pk, "relation": "advice", "observed_on": "2026-10-01"})
    made = NetworkImport.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("networks:import_detail", args=[made.pk])
    assert made.ties == 3


def test_a_date_observed_in_the_future_is_refused_on_the_pages_and_the_api(
        world, login, api):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    survey = network_survey(world)
    client = login(world.people["coordinator"])
    answer = client.post(reverse("networks:import_survey"), {
        "question": survey.questions.get().pk, "relation": "advice",
        "observed_on": tomorrow})
    assert answer.status_code == 400
    assert f"The date observed, {tomorrow}, is in the future" in answer.content.decode()
    answer = client.post(reverse("networks:import_edges"), {
        "file": SimpleUploadedFile("e.csv", b"from,to,relation\n"
                                            b"jamie@maple.test,asha@maple.test,advice\n"),
        "direction": "flows", "observed_on": tomorrow})
    assert answer.status_code == 400
    assert "is in the future" in answer.content.decode()
    token = api(world.people["coordinator"])
    answer = token.post("/api/v1/networks/imports/edges", {
        "direction": "flows", "observed_on": tomorrow,
        "rows": [{"from": "jamie@maple.test", "to": "asha@maple.test",
                  "relation": "advice"}]})
    assert answer.status_code == 400
    assert "is in the future" in answer.json()["error"]["message"]
    answer = token.post("/api/v1/networks/imports/survey", {
        "survey_id": survey.pk, "question_id": survey.questions.get().pk,
        "relation": "advice", "observed_on": tomorrow})
    assert answer.status_code == 400
    assert "is in the future" in answer.json()["error"]["message"]
    assert not NetworkImport.objects.exists() and not Tie.objects.exists()


def test_the_list_of_imports_comes_in_pages(world, login):
    made = survey_import(world)
    NetworkImport.objects.bulk_create([
        NetworkImport(district=world.district, kind=NetworkImport.Kind.EDGE_LIST,
                      file_name=f"edges-{n:02d}.csv", observed_on=made.observed_on,
                      created_by=world.people["coordinator"]) for n in range(50)])
    client = login(world.people["researcher"])
    pages = [client.get(reverse("networks:imports") + f"?page={n}").content.decode()
             for n in (1, 2)]
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert sum(p.count("edges-") for p in pages) == 50
    assert sum(p.count("2 of 3 invited, 67 %") for p in pages) == 1


def test_viewing_an_imports_ties_with_names_is_in_the_audit_log(world, login):
    made = survey_import(world)
    researcher = world.people["researcher"]
    assert login(researcher).get(
        reverse("networks:import_detail", args=[made.pk])).status_code == 200
    event = AuditEvent.objects.get(action="network_viewed", actor=researcher)
    assert (event.details["import"], event.details["ties"]) == (made.pk, made.ties)


def test_the_page_says_why_an_anonymous_survey_cannot_come_in(world, login):
    survey = network_survey(world, anonymous=True, answer=False)
    answer = login(world.people["coordinator"]).post(reverse("networks:import_survey"), {
        "question": survey.questions.get().pk, "relation": "advice",
        "observed_on": "2026-10-01"})
    assert answer.status_code == 400
    assert "a network needs names" in answer.content.decode()
    assert not NetworkImport.objects.exists()


def test_a_coordinator_uploads_an_edge_list_of_nominations(world, login):
    client = login(world.people["coordinator"])
    answer = client.post(reverse("networks:import_edges"), {
        "file": SimpleUploadedFile("advice.csv", CSV), "direction": "nominations",
        "observed_on": "2026-10-01"})
    assert answer.status_code == 302
    tie = Tie.objects.select_related("source_person").get()
    assert tie.source_person == world.people["colleague"]  # reversed: Asha → Jamie
    detail = client.get(answer["Location"]).content.decode()
    assert "Nominations, stored reversed" in detail


def test_a_refused_upload_lists_file_row_column_and_reason(world, login):
    answer = login(world.people["coordinator"]).post(reverse("networks:import_edges"), {
        "file": SimpleUploadedFile("advice.csv", CSV + b"jamie@maple.test,x@nowhere.test,"
                                                      b"advice,12\n"),
        "direction": "flows", "observed_on": "2026-10-01"})
    text = answer.content.decode()
    assert answer.status_code == 400
    assert "advice.csv: 2 problems found; nothing was saved" in text
    assert "No one in the district has the e-mail x@nowhere.test" in text
    assert "12 is out of range" in text
    assert not Tie.objects.exists()


def test_the_template_downloads_with_the_exact_header(world, login):
    answer = login(world.people["coordinator"]).get(reverse("networks:import_template"))
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    assert answer.content.decode().splitlines()[0] == (
        "from,to,relation,weight,frequency,date,from_platform,to_platform")


def test_a_coordinator_deletes_an_import_and_its_ties(world, login):
    made = survey_import(world)
    client = login(world.people["coordinator"])
    assert client.post(reverse("networks:import_delete", args=[made.pk])).status_code == 400
    assert Tie.objects.count() == 3
    answer = client.post(reverse("networks:import_delete", args=[made.pk]), {"confirm": "on"})
    assert answer.status_code == 302
    assert not Tie.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "assessor"])
def test_people_who_do_not_read_the_whole_network_never_reach_imports(world, login, persona):
    made = survey_import(world)
    client = login(world.people[persona])
    for url in (reverse("networks:imports"), reverse("networks:import_survey"),
                reverse("networks:import_edges"),
                reverse("networks:import_detail", args=[made.pk])):
        assert client.get(url).status_code == 404


def test_a_researcher_cannot_import_or_delete(world, login):
    made = survey_import(world)
    client = login(world.people["researcher"])
    assert client.get(reverse("networks:import_edges")).status_code == 404
    assert client.post(reverse("networks:import_delete", args=[made.pk]),
                       {"confirm": "on"}).status_code == 404
    assert Tie.objects.count() == 3


def test_another_district_coordinator_gets_404_for_an_import(world, login):
    made = survey_import(world)
    client = login(world.people["other_coordinator"])
    assert client.get(reverse("networks:import_detail", args=[made.pk])).status_code == 404
    assert client.post(reverse("networks:import_delete", args=[made.pk]),
                       {"confirm": "on"}).status_code == 404
    assert "Advice network" not in client.get(reverse("networks:imports")).content.decode()
    assert Tie.objects.count() == 3


def test_a_revoked_coordinator_loses_the_imports_at_once(world, login):
    made = survey_import(world)
    coordinator = world.people["coordinator"]
    client = login(coordinator)
    coordinator.roles.all().delete()
    assert client.get(reverse("networks:import_detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("networks:imports")).status_code == 404


# ------------------------------------------------------------------------ the API


def test_the_api_imports_json_rows_and_lists_them(world, api):
    client = api(world.people["coordinator"])
    answer = client.post("/api/v1/networks/imports/edges", {
        "direction": "flows", "observed_on": "2026-10-01",
        "rows": [{"from": "jamie@maple.test", "to": "Ben Ruiz", "relation": "advice",
                  "weight": 4, "to_platform": "Mastodon"}]})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["kind"], body["ties"], body["nominations_reversed"]) == (
        "edge_list", 1, False)
    listed = client.get("/api/v1/networks/imports").json()["results"]
    assert [i["id"] for i in listed] == [body["id"]]


def test_the_api_refuses_bad_rows_with_their_row_and_column(world, api):
    answer = api(world.people["coordinator"]).post(
        "/api/v1/networks/imports/edges", {
            "direction": "nominations", "observed_on": "2026-10-01",
            "rows": [{"from": "jamie@maple.test", "to": "Jamie@maple.test",
                      "relation": "advice"},
                     {"from": "jamie@maple.test", "to": "asha@maple.test",
                      "relation": "nope"}]})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert [(r["row"], r["column"]) for r in error["rows"]] == [(1, "to"), (2, "relation")]
    assert not Tie.objects.exists()


def test_the_api_takes_an_xlsx_file(world, api):
    from uptake.networks.tests.test_imports_edges import _xlsx

    content = _xlsx([["from", "to", "relation"], ["jamie@maple.test", "asha@maple.test",
                                                  "collaboration"]])
    client = api(world.people["coordinator"])
    # A multipart upload with the client's token (ApiClient sends JSON only).
    answer = client.client.post(
        "/api/v1/networks/imports/edges/file",
        {"file": SimpleUploadedFile("team.xlsx", content), "direction": "flows",
         "observed_on": "2026-10-01"}, headers={"Authorization": f"Bearer {client.secret}"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["file_name"] == "team.xlsx"


def _bring_in(client: Any, survey: Any) -> Any:
    return client.post("/api/v1/networks/imports/survey", {
        "survey_id": survey.pk, "question_id": survey.questions.get().pk,
        "relation": "advice", "observed_on": "2026-10-01"})


def test_the_api_brings_a_survey_in_and_reports_the_rate(world, api):
    answer = _bring_in(api(world.people["coordinator"]), network_survey(world))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["invited"], body["responded"], body["ties"]) == (3, 2, 3)
    assert body["response_rate"] == "2 of 3 invited, 67 %"


def test_the_api_refuses_a_survey_of_another_district_as_missing(world, api):
    answer = _bring_in(api(world.people["other_coordinator"]), network_survey(world))
    assert answer.status_code == 404
    assert not NetworkImport.objects.exists()


def test_a_deactivated_coordinator_is_sent_to_sign_in_and_her_token_stops(world, login, api):
    made = survey_import(world)
    coordinator = world.people["coordinator"]
    client = login(coordinator)
    token = api(coordinator)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    answer = client.get(reverse("networks:import_detail", args=[made.pk]))
    assert answer.status_code in (302, 404)
    assert token.get(f"/api/v1/networks/imports/{made.pk}").status_code in (401, 404)
    assert token.delete(f"/api/v1/networks/imports/{made.pk}").status_code in (401, 404)
    assert Tie.objects.count() == 3
