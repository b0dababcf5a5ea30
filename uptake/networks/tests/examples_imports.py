"""The networks app's imports examples for the project-wide access matrices
(tests/test_access_matrix.py, tests/test_access_lapses.py, tests/test_api_access_matrix.py),
and the scenes the imports tests share.

Imports are the whole network's: the district's coordinators and researchers read them
(access.py: they read the whole network), only coordinators bring ties in or delete them
(a researcher's write is refused, 403); teachers, coaches, leaders and assessors never
reach them, nor another district's coordinator (the same 404 as a missing import).

The scene: an identified network survey asks Jamie (``teacher``), Asha (``colleague``) and
Miguel (``outsider``) "Whom do you go to for advice?". Jamie names Asha (Weekly) and Miguel
(Daily); Miguel names Jamie (Yearly); Asha does not answer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

KEEPERS = {"coordinator"}
READERS = {"coordinator", "researcher"}
REFUSED_WRITERS = {"researcher"}
OBSERVED = datetime.date(2026, 10, 1)


def network_survey(w: Any, *, anonymous: bool = False, answer: bool = True,
                   labels: list[str] | None = None, close: bool = False) -> Any:
    """The scene's survey, open now (closed when ``close``), answered unless not
    ``answer``."""
    from uptake.surveys import actions
    from uptake.surveys.actions import QuestionData
    from uptake.surveys.models import Survey

    me = w.people["coordinator"]
    now = timezone.now()
    survey = actions.do_create_survey(
        me, title="Advice network, autumn", purpose=Survey.Purpose.NETWORK,
        anonymous=anonymous, opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7))
    question = actions.do_add_question(survey, me, QuestionData(
        kind="roster", prompt="Whom do you go to for advice about your teaching?",
        roster_scope="district", frequency_labels=labels or []))
    actions.do_invite(survey, me, people=[w.people["teacher"], w.people["colleague"],
                                          w.people["outsider"]])
    actions.do_publish(survey, me)
    if answer:
        p = w.people
        high, low = (labels[-1], labels[0]) if labels else ("Daily", "Yearly")
        actions.do_respond(survey, p["teacher"], {question.field_name: {
            str(p["colleague"].pk): labels[1] if labels else "Weekly",
            str(p["outsider"].pk): high}})
        actions.do_respond(survey, p["outsider"], {question.field_name: {
            str(p["teacher"].pk): low}})
    if close:
        actions.do_close(survey, me)
    return survey


def survey_import(w: Any) -> Any:
    from uptake.networks.actions.imports import do_bring_in_survey

    survey = network_survey(w)
    return do_bring_in_survey(w.people["coordinator"], survey, survey.questions.get(),
                              "advice", OBSERVED)


def an_import(w: Any) -> dict[str, Any]:
    return {"import_id": survey_import(w).pk}


def a_survey(w: Any) -> dict[str, Any]:
    network_survey(w)
    return {}


def survey_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.surveys.models import Survey

    survey = Survey.objects.filter(district=w.district, purpose="network").latest("pk")
    return {"survey_id": survey.pk, "question_id": survey.questions.get().pk,
            "relation": "advice", "observed_on": "2026-10-01"}


def edges_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    # Names only: a contact of whichever district imports it (another district's
    # coordinator imports into her own district).
    return {"direction": "flows", "observed_on": "2026-10-01",
            "rows": [{"from": "Dr. Lena Ortiz", "to": "Ben Ruiz", "relation": "advice"}]}


def edges_file(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("edges.csv", b"from,to,relation\nDr. Lena Ortiz,"
                                       b"Ben Ruiz,information\n", content_type="text/csv"),
            "direction": "flows", "observed_on": "2026-10-01"}


URL_EXAMPLES = {
    "networks:import_detail": (an_import, READERS),
    "networks:import_delete": (an_import, KEEPERS),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/networks/imports": [
        {"label": "the district's imports", "params": an_import,
         "allowed": READERS | {"other_coordinator"}},
    ],
    "GET /api/v1/networks/imports/{import_id}": [
        {"label": "a survey brought in", "params": an_import, "allowed": READERS},
    ],
    "POST /api/v1/networks/imports/survey": [
        {"label": "the district's network survey", "params": a_survey, "body": survey_body,
         "allowed": KEEPERS, "refused": REFUSED_WRITERS},
    ],
    "POST /api/v1/networks/imports/edges": [
        {"label": "rows naming contacts", "params": lambda w: {}, "body": edges_body,
         "allowed": KEEPERS | {"other_coordinator"}, "refused": REFUSED_WRITERS},
    ],
    "POST /api/v1/networks/imports/edges/file": [
        {"label": "a CSV naming contacts", "params": lambda w: {}, "form": edges_file,
         "allowed": KEEPERS | {"other_coordinator"}, "refused": REFUSED_WRITERS},
    ],
    "DELETE /api/v1/networks/imports/{import_id}": [
        {"label": "a survey brought in", "params": an_import, "allowed": KEEPERS,
         "refused": REFUSED_WRITERS},
    ],
}

# ``import_id`` names the district's network, reached by a district-wide role: the access
# matrix covers it (tests/test_access_lapses.py lists it among the ids that are no object a
# person holds); test_imports_access.py walks a role revoked and an account deactivated.
LAPSE_EXAMPLES: dict[str, Any] = {"not_objects": {frozenset({"import_id"})}}
