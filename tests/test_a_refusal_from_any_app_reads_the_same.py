"""Every app's refusal is a RuleError, and one view helper shows any of them the same way:
on the form (on the field it names, when the form has it) or as an error message."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from uptake.accounts.actions import AccountRuleError
from uptake.evidence.actions import EvidenceRefused
from uptake.evidence.uploads import Refused
from uptake.inquiry.actions import InquiryRuleError
from uptake.inquiry.imports import ImportRefused
from uptake.learning.actions import LearningRuleError
from uptake.observation.actions import ObservationClosedError, ObservationRuleError
from uptake.roster.actions import ImportNotApplicable
from uptake.rules import Conflict, Invalid, NotAllowed, RuleError
from uptake.studentwork.actions import StudentWorkRuleError
from uptake.views_support import showing_refusals

REFUSALS = [AccountRuleError, InquiryRuleError, ImportRefused, LearningRuleError,
            EvidenceRefused, Refused, ObservationRuleError, ObservationClosedError,
            StudentWorkRuleError, ImportNotApplicable]


class _When(forms.Form):
    when = forms.CharField()


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _shown(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: c.__name__)
def test_it_shows_any_app_s_refusal_as_the_same_message(refusal: type[RuleError]) -> None:
    request = _request()
    with showing_refusals(request, done="Saved.") as attempt:
        raise refusal("Not now.")
    assert not attempt.ok and isinstance(attempt.refusal, RuleError)
    assert _shown(request) == [("error", "Not now.")]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: c.__name__)
def test_it_puts_any_app_s_refusal_on_the_form_field_it_names(
        refusal: type[RuleError]) -> None:
    form = _When({"when": "x"})
    with showing_refusals(_request(), form=form):
        raise refusal("Give a date.", field="when")
    assert form.errors == {"when": ["Give a date."]}
    elsewhere = _When({"when": "x"})
    with showing_refusals(_request(), form=elsewhere):
        raise refusal("Not now.", field="no_such_field")
    assert elsewhere.non_field_errors() == ["Not now."]


def test_it_shows_the_done_message_only_when_the_action_went_through() -> None:
    request = _request()
    with showing_refusals(request, done="Saved.") as attempt:
        pass
    assert attempt.ok and _shown(request) == [("success", "Saved.")]


def test_it_lets_other_errors_through() -> None:
    with pytest.raises(KeyError), showing_refusals(_request(), done="Saved."):
        raise KeyError("a bug, not a refusal")


@pytest.mark.parametrize(("refusal", "code", "status"), [
    (RuleError, "refused", 400), (Invalid, "invalid", 400), (NotAllowed, "not_allowed", 403),
    (Conflict, "conflict", 409), (ObservationClosedError, "not_allowed", 403),
    (ImportNotApplicable, "conflict", 409), (EvidenceRefused, "invalid", 400),
])
def test_it_gives_each_kind_of_refusal_its_code_and_status(
        refusal: type[RuleError], code: str, status: int) -> None:
    assert (refusal("x").code, refusal("x").status) == (code, status)


@pytest.mark.django_db
def test_it_tells_a_coordinator_why_she_cannot_deactivate_herself(
        world: Any, login: Any) -> None:
    coordinator = world.people["coordinator"]
    response = login(coordinator).post(
        reverse("person_deactivate", args=[coordinator.pk]), follow=True)
    shown = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert [level for level, _ in shown] == ["error"]
    coordinator.refresh_from_db()
    assert coordinator.is_active


class _Upload(forms.Form):
    file = forms.CharField()


def test_it_puts_an_upload_check_s_refusal_on_the_file_field() -> None:
    form = _Upload({"file": "x"})
    with showing_refusals(_request(), form=form):
        raise Refused("notes.pdf names JavaScript.")
    assert form.errors == {"file": ["notes.pdf names JavaScript."]}
