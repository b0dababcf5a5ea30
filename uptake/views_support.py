"""What every app's views do with a refusal: one way for pages, one envelope for JSON.

An action raises a :class:`~uptake.rules.RuleError` (any app's subclass); a page view runs
it inside :func:`showing_refusals`, which turns the refusal into the form's error (on the
field it names, when the form has that field) or into an error message, and shows ``done``
when the action went through::

    with showing_refusals(request, form=form, done="Plan saved.") as attempt:
        actions.do_update_plan(plan, actor=me, ...)
    if attempt.ok:
        return redirect("learning:plan", plan_id=plan.pk)

A JSON endpoint answers a refusal with :func:`json_error`: ``{"error": {"status", "code",
"message", "fields", "rows"}}`` and the status the refusal's class names
(docs/architecture.md; the API answers every error with the same envelope).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header

from uptake.rules import ErrorBody, RuleError


@dataclass
class Attempt:
    """What became of an action run inside :func:`showing_refusals`."""

    refusal: RuleError | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def show_refusal(request: HttpRequest, refusal: RuleError, *,
                 form: BaseForm | None = None) -> None:
    """The refusal as the form's error (its field when the form has it), else a message."""
    if form is None:
        messages.error(request, refusal.message)
    else:
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.message)


@contextmanager
def showing_refusals(request: HttpRequest, *, form: BaseForm | None = None,
                     done: str = "") -> Iterator[Attempt]:
    """Run the block; a rule's refusal is shown (see :func:`show_refusal`) and kept on the
    attempt instead of propagating; ``done``, when given, is the success message."""
    attempt = Attempt()
    try:
        yield attempt
    except RuleError as refusal:
        attempt.refusal = refusal
        show_refusal(request, refusal, form=form)
    else:
        if done:
            messages.success(request, done)


def json_error(refusal: RuleError, *, status: int | None = None) -> JsonResponse:
    """The one error envelope of every JSON endpoint: ``{"error": {"status", "code",
    "message", "fields", "rows"}}``, with the refusal class's status unless ``status`` is
    given."""
    body: dict[str, ErrorBody] = {"error": refusal.as_error(status)}
    return JsonResponse(body, status=status or refusal.status)


def download(response: HttpResponse, filename: str) -> HttpResponse:
    """A file the browser saves (never shows inline), kept out of shared caches and never
    sniffed into another type: for every CSV, XLSX, PDF and ZIP download."""
    response["Content-Disposition"] = str(content_disposition_header(True, filename))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
