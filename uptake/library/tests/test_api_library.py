"""The library through the API: the same practices to the same people as the pages, the
same checks on what is sent (nothing half-saved), and trials with their verdicts in words."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.library.models import Practice, Trial
from uptake.library.tests import examples
from uptake.library.tests.helpers import inquiry_with_verdict

pytestmark = pytest.mark.django_db


def test_a_teacher_shares_a_practice_and_colleagues_find_it(world: Any, api: Any) -> None:
    made = api(world.people["teacher"]).post("/library/practices", {
        "title": "Number talks", "overview": "Mental math talk.", "grades": ["3", "K"],
        "subject": "Mathematics", "focus": "discourse",
        "standard_codes": ["ccss.math.content.3.oa.a.1"],
        "links": [{"title": "Dot cards", "url": "https://example.org/dots"}],
        "status": "published"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["grades"] == ["KG", "03"] and body["status"] == "published"
    assert body["standard_codes"] == ["CCSS.MATH.CONTENT.3.OA.A.1"]
    coach = api(world.people["coach"])
    found = coach.get("/library/practices", {"grade": "3", "q": "mental"}).json()["results"]
    assert [p["id"] for p in found] == [body["id"]]
    assert found[0]["source_inquiry_id"] is None and not found[0]["is_mine"]
    assert coach.get("/library/practices", {"standard": "3.OA"}).json()["results"]
    assert coach.get("/library/practices", {"subject": "science"}).json()["results"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "x", "links": [{"title": "Bad", "url": "javascript:alert(1)"}]}, "links"),
    ({"title": "x", "links": [{"title": "Bad", "url": "ftp://example.org/a"}]}, "links"),
    ({"title": "x", "grades": ["13"]}, "grades"),
    ({"title": "x", "standard_codes": ["<b>"]}, "standard_codes"),
    ({"title": "x", "element_ids": [999999]}, "element_ids"),
    ({"title": "   "}, "title"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(world: Any, api: Any,
                                                           body: dict[str, Any],
                                                           field: str) -> None:
    response = api(world.people["teacher"]).post("/library/practices", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Practice.objects.exists()


def test_a_bad_link_names_its_row(world: Any, api: Any) -> None:
    response = api(world.people["teacher"]).post("/library/practices", {
        "title": "x", "links": [{"title": "Fine", "url": "https://example.org"},
                               {"title": "Bad", "url": "data:text/html,hi"}]})
    assert response.json()["error"]["rows"] == [
        {"row": 2, "column": "url", "message": response.json()["error"]["rows"][0]["message"]}]


def test_evidence_that_identifies_students_is_refused(world: Any, api: Any) -> None:
    from uptake.evidence.actions import do_add_artifact

    faces = do_add_artifact(world.people["teacher"], kind="text", title="Names", body="Kid0",
                            guskey_level=4, identifies_students=True)
    response = api(world.people["teacher"]).post("/library/practices", {
        "title": "x", "artifact_ids": [faces.pk]})
    assert response.status_code == 400 and not Practice.objects.exists()


def test_the_author_publishes_and_unpublishes(world: Any, api: Any) -> None:
    made = examples.practice(world, published=False)
    jamie = api(world.people["teacher"])
    assert jamie.post(f"/library/practices/{made.pk}/publish").json()["status"] == "published"
    assert api(world.people["outsider"]).get(f"/library/practices/{made.pk}").status_code == 200
    answer = jamie.patch(f"/library/practices/{made.pk}", {"status": "draft", "focus": "talk"})
    assert answer.json()["status"] == "draft" and answer.json()["focus"] == "talk"
    assert api(world.people["outsider"]).get(f"/library/practices/{made.pk}").status_code == 404
    assert jamie.patch(f"/library/practices/{made.pk}", {"title": None}).status_code == 400


def test_trials_show_verdicts_in_words_and_only_their_owner_removes_them(
        world: Any, api: Any) -> None:
    made = examples.practice(world)
    inquiry = inquiry_with_verdict(world)
    asha = api(world.people["colleague"])
    added = asha.post(f"/library/practices/{made.pk}/trials",
                      {"inquiry_id": inquiry.pk, "note": "Picture stems."})
    assert added.status_code == 201, added.content
    again = asha.post(f"/library/practices/{made.pk}/trials", {"inquiry_id": inquiry.pk})
    assert again.status_code == 409
    listed = api(world.people["leader"]).get(f"/library/practices/{made.pk}/trials").json()
    assert listed["results"][0]["outcomes"] == [
        {"measure": "Explain-your-thinking score", "verdict": "sustained_improvement",
         "verdict_text": "sustained improvement"}]
    assert "Kid" not in str(listed)
    trial_id = added.json()["id"]
    assert api(world.people["teacher"]).delete(f"/library/trials/{trial_id}").status_code == 404
    assert asha.delete(f"/library/trials/{trial_id}").status_code == 204
    assert not Trial.objects.exists()


def test_someone_else_s_inquiry_cannot_be_linked(world: Any, api: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry

    made = examples.practice(world)
    jamies = do_create_inquiry(world.people["teacher"], title="Jamie's")
    response = api(world.people["colleague"]).post(f"/library/practices/{made.pk}/trials",
                                                   {"inquiry_id": jamies.pk})
    assert response.status_code == 404 and not Trial.objects.exists()
