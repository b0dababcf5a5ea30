"""The surveys app's examples for the project-wide access matrices (pages, lapses, API).

The scene: Cedar's principal (``leader``) runs an anonymous reactions survey for her school,
open now, that Cedar's teachers (Jamie ``teacher`` and Asha ``colleague``) are asked to
answer. Its authors are the leader and the district's coordinator; its results are read by
them and the district's researcher; the teachers answer it. Nobody else reaches it (Birch's
teacher, Cedar's coach, an assessor, another district's coordinator: the same 404 as a
missing survey)."""

from __future__ import annotations

from typing import Any

from uptake.surveys.tests import fixtures

AUTHORS = {"leader", "coordinator"}
READERS = {"leader", "coordinator", "researcher"}
ANSWERERS = {"teacher", "colleague"}


def leaders_survey(w: Any) -> Any:
    from uptake.surveys.models import Survey

    found = Survey.objects.filter(district=w.district, title="Cedar reactions").first()
    return found or fixtures.survey(w, author="leader", title="Cedar reactions")


def survey_id(w: Any) -> dict[str, Any]:
    return {"survey_id": leaders_survey(w).pk}


URL_EXAMPLES = {
    "surveys:builder": (survey_id, AUTHORS),
    "surveys:preview": (survey_id, AUTHORS),
    "surveys:respond": (survey_id, ANSWERERS),
    "surveys:thanks": (survey_id, ANSWERERS),
    "surveys:results": (survey_id, READERS),
    "surveys:export": (survey_id, READERS),
}


def _answer_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.surveys.models import Survey

    survey = Survey.objects.get(pk=params["survey_id"])
    likert = survey.questions.get(kind="likert")
    return {"answers": [{"question": likert.pk, "point": 4}]}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/surveys": [
        {"label": "those she answers or runs", "params": lambda w: {},
         "allowed": {"teacher", "colleague", "outsider", "coach", "assessor", "leader",
                     "coordinator", "researcher", "other_coordinator"}},
    ],
    "GET /api/v1/surveys/{survey_id}": [
        {"label": "the leader's survey for Cedar", "params": survey_id,
         "allowed": AUTHORS | READERS | ANSWERERS},
    ],
    "GET /api/v1/surveys/{survey_id}/questions": [
        {"label": "the leader's survey for Cedar", "params": survey_id,
         "allowed": AUTHORS | READERS | ANSWERERS},
    ],
    "POST /api/v1/surveys/{survey_id}/responses": [
        {"label": "asked to answer", "params": survey_id, "body": _answer_body,
         "allowed": ANSWERERS},
    ],
    "GET /api/v1/surveys/{survey_id}/results": [
        {"label": "authors and researchers", "params": survey_id, "allowed": READERS},
    ],
    "GET /api/v1/surveys/{survey_id}/responses": [
        {"label": "authors and researchers", "params": survey_id, "allowed": READERS},
    ],
}


# ------------------------------------------------------------------------ lapses

SURVEY = "survey"


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    made = fixtures.survey(w, author="leader", title="Lapsing survey")
    return {"survey_id": made.pk}


LAPSE_EXAMPLES = {
    "types": {frozenset({"survey_id"}): (SURVEY,)},
    "ids": lapse_ids,
    "titles": {SURVEY: "Lapsing survey"},
    "holders": {
        # Cedar's principal wrote it for her school: her role, her school, her account.
        "leader": {lapse: frozenset({SURVEY}) for lapse in (
            "role revoked", "moved to another school", "account deactivated")},
        # Jamie is asked to answer it while she holds a role in the district.
        "teacher": {lapse: frozenset({SURVEY}) for lapse in (
            "role revoked", "account deactivated")},
    },
}
