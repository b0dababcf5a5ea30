"""Every API operation declares who may call it, and that holds for every persona, with
every kind of credential: the API's access matrix (the pages have tests/test_access_matrix.py).

The operations come from the OpenAPI document (``/api/v1/openapi.json``); their examples
from ``API_EXAMPLES`` in each app's ``tests/examples.py`` (the foundation's ``/me`` from
``FOUNDATION_EXAMPLES`` below)::

    API_EXAMPLES = {
        "GET /api/v1/inquiries/{inquiry_id}": [
            {"label": "shared with the coach",
             "params": lambda world: {"inquiry_id": shared_inquiry(world).pk},
             "allowed": {"teacher", "coach"}},
        ],
        "POST /api/v1/inquiries": [
            {"label": "own", "params": lambda world: {},
             "body": lambda world, params: {"title": "Exit tickets"},
             "allowed": {"teacher", "colleague", "outsider"},
             "refused": {"coordinator"}},
        ],
    }

- ``params`` fills the path's ``{names}``; any other key it returns is sent as a query
  parameter. ``body`` (writes) is sent as JSON; ``form`` instead, a dict for a multipart
  upload (``SimpleUploadedFile`` values), called afresh for every request.
- ``allowed``: the personas (conftest's ``world``) that get a 2xx with a token carrying
  every scope. Everyone else gets **404** in the plain envelope ("not found, or not yours
  to see": the API does not say that something exists to whoever may not see it), except
  the personas named in ``refused``, who may see the object but whose rule refuses the
  change: **403** with the rule's code (``not_allowed`` or the app's own; never the
  credential's ``insufficient_scope`` or ``csrf_failed``). Anonymous gets 401.
- For the owner (the first allowed persona, in PERSONAS' order): an expired and a revoked
  token get 401, a token with every scope except the operation's area scope gets 403
  ``insufficient_scope``, and a browser session's write without the CSRF header gets 403
  ``csrf_failed``.

No refusal leaks the object: a 404 is exactly the generic envelope, a 403 carries no field
or row, and neither contains any text of what the owner's read returns. No answer at all
names a student or gives her SIS id.

One world per example; the personas run in a loop over it. A write runs for the personas
it must refuse first (and no table gains or loses a row by their attempts), then once per
allowed persona on a fresh example (``params`` called again).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

PERSONAS = ["anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"]
EXAMPLE_KEYS = {"label", "params", "body", "form", "allowed", "refused"}
NOT_FOUND = {"status": 404, "code": "not_found", "message": "Not found, or not yours to see.",
             "fields": {}, "rows": []}
# conftest's world names its students Kid0 … Kid11, with SIS ids stu-0 … stu-11: neither
# may appear in any answer (students leave only by pseudonym).
STUDENT_NAMES = re.compile(r"\b(?:Kid\d+|stu-\d+)\b")
# A refusal's message may name the rule; object data is what we look for in it: the
# owner's read's text values at least this long (shorter ones are words any message has).
LEAK_MIN_LENGTH = 5


# The foundation's own operation (uptake/accounts/api.py ``me_router``, written with
# uptake/api): every credential may ask whom it acts for, whatever its scopes.
FOUNDATION_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/me": [
        {"label": "whom the credential acts for", "params": lambda w: {},
         "allowed": set(PERSONAS) - {"anonymous"}},
    ],
}


def api_examples() -> dict[str, list[dict[str, Any]]]:
    """``API_EXAMPLES`` of every app of ours, merged (one key belongs to one app)."""
    from django.apps import apps

    found: dict[str, list[dict[str, Any]]] = {
        key: list(examples) for key, examples in FOUNDATION_EXAMPLES.items()}
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.examples"
        if not config.name.startswith("uptake.") or importlib.util.find_spec(
                f"{config.name}.tests") is None or importlib.util.find_spec(name) is None:
            continue
        for key, examples in getattr(importlib.import_module(name), "API_EXAMPLES",
                                     {}).items():
            assert key not in found, f"{key} has examples in two places"
            found[key] = list(examples)
    return found


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document, as /api/v1/openapi.json serves it."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def operations() -> dict[str, dict[str, Any]]:
    """``"METHOD /api/v1/path"`` → its operation in the document."""
    return {f"{method.upper()} {path}": operation
            for path, item in document()["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "responses" in operation}


@cache
def areas() -> dict[str, str]:
    """operationId → the API area (``registry.api_areas`` key) whose scopes it needs."""
    from uptake.api.auth import BearerAuth
    from uptake.api.urls import api

    found: dict[str, str] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                bearer = [a for a in operation.auth_callbacks if isinstance(a, BearerAuth)]
                if bearer:
                    found[api.get_openapi_operation_id(operation)] = bearer[0].area
    return found


def _cases() -> list[Any]:
    cases = []
    for key, examples in sorted(api_examples().items()):
        for index, example in enumerate(examples):
            cases.append(pytest.param(key, index, id=f"{key} [{example.get('label', index)}]"))
    return cases


# ------------------------------------------------------------------------- the document


@pytest.mark.django_db
def test_every_operation_has_an_example() -> None:
    examples = api_examples()
    missing = sorted(set(operations()) - set(examples))
    assert missing == [], (
        "add an example for each of these operations to API_EXAMPLES in its app's "
        f"tests/examples.py (see tests/test_api_access_matrix.py): {missing}")


@pytest.mark.django_db
def test_every_example_names_an_operation_and_says_who_may() -> None:
    known = operations()
    problems = []
    for key, examples in api_examples().items():
        if key not in known:
            problems.append(f"{key}: no such operation in /api/v1/openapi.json")
        if not examples:
            problems.append(f"{key}: no example")
        for example in examples:
            label = example.get("label", "?")
            if extra := set(example) - EXAMPLE_KEYS:
                problems.append(f"{key} [{label}]: unknown keys {sorted(extra)}")
            if "params" not in example or "allowed" not in example:
                problems.append(f"{key} [{label}]: needs params and allowed")
                continue
            for group in ("allowed", "refused"):
                if unknown := set(example.get(group, ())) - set(PERSONAS):
                    problems.append(f"{key} [{label}]: unknown personas {sorted(unknown)}")
            if "anonymous" in example["allowed"]:
                problems.append(f"{key} [{label}]: the API lets nobody in without a "
                                "credential")
            if set(example["allowed"]) & set(example.get("refused", ())):
                problems.append(f"{key} [{label}]: a persona both allowed and refused")
    assert problems == []


@pytest.mark.django_db
def test_every_operation_needs_its_area_s_scope() -> None:
    """The under-scoped check below needs each operation's area; an operation mounted
    without the area's auth would be open to anyone."""
    unknown = [key for key, op in operations().items() if op["operationId"] not in areas()]
    assert unknown == [], f"operations mounted without an area's token auth: {unknown}"


# --------------------------------------------------------------------------- the matrix


class Caller:
    """Sends one example's request as one credential."""

    def __init__(self, method: str, path: str, example: dict[str, Any], world: Any) -> None:
        self.method, self.path, self.example, self.world = method, path, example, world
        self.fresh()

    def fresh(self) -> None:
        self.params = dict(self.example["params"](self.world))
        names = re.findall(r"{(\w+)}", self.path)
        missing = [n for n in names if n not in self.params]
        assert not missing, f"params gives no {missing}"
        self.url = self.path.format(**{n: self.params[n] for n in names})
        self.query = {k: v for k, v in self.params.items() if k not in names}
        body = self.example.get("body")
        self.body = body(self.world, self.params) if body else None

    def send(self, client: Client, headers: dict[str, str] | None = None) -> Any:
        headers = headers or {}
        method = self.method.lower()
        if method == "get":
            return client.get(self.url, self.query, headers=headers)
        url = self.url
        if self.query:
            from urllib.parse import urlencode

            url += "?" + urlencode(self.query, doseq=True)
        if "form" in self.example:
            return getattr(client, method)(url, self.example["form"](self.world, self.params),
                                           headers=headers)
        payload = json.dumps(self.body) if self.body is not None else ""
        return getattr(client, method)(url, payload, content_type="application/json",
                                       headers=headers)


def _bearer(user: Any, scopes: list[str] | None = None) -> tuple[dict[str, str], Any]:
    from uptake.api import actions
    from uptake.api import scopes as api_scopes

    made = actions.create_token(user, name="matrix", scopes=scopes or api_scopes.known())
    return {"Authorization": f"Bearer {made.secret}"}, made.token


def _row_counts() -> dict[str, int]:
    """Rows per table, to show that a refused write left nothing behind (the tokens this
    test makes, and their audit events, aside)."""
    from django.apps import apps

    from uptake.audit.models import AuditEvent

    counts = {model._meta.label: model._default_manager.count()
              for model in apps.get_models()
              if not model._meta.proxy and model._meta.managed
              and model._meta.label != "api.PersonalToken"}
    counts["audit.AuditEvent"] = AuditEvent.objects.exclude(
        action="api_token_created").count()
    return counts


def _texts(data: Any) -> set[str]:
    """The text values of a JSON answer (where an object's data would show)."""
    if isinstance(data, dict):
        return set().union(*(_texts(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_texts(v) for v in data)) if data else set()
    if isinstance(data, str) and len(data) >= LEAK_MIN_LENGTH:
        return {data}
    return set()


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields", "rows"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def _outcome(response: Any) -> str:
    """What a persona got, in the words the failures are listed in."""
    status = response.status_code
    if 200 <= status < 300:
        return f"{status}"
    try:
        code = _error(response)["code"]
    except (AssertionError, ValueError, KeyError):
        return f"{status} outside the envelope: {response.content[:200]!r}"
    return f"{status} {code}"


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "index"), _cases())
def test_each_credential_gets_exactly_the_declared_access(world: Any, key: str,
                                                          index: int) -> None:
    from uptake.api import actions
    from uptake.api import scopes as api_scopes
    from uptake.api.models import PersonalToken

    example = api_examples()[key][index]
    method, path = key.split(" ", 1)
    assert key in operations(), f"{key}: no such operation in the document"
    operation = operations()[key]
    area = areas()[operation["operationId"]]
    needed = api_scopes.scope(area, method)
    writes = method not in api_scopes.SAFE_METHODS
    allowed, refused = set(example["allowed"]), set(example.get("refused", ()))
    owner_name = next((p for p in PERSONAS if p in allowed), "teacher")
    owner = world.people[owner_name]
    call = Caller(method, path, example, world)
    client = Client()
    failures: list[str] = []
    leaks: list[str] = []

    def check(who: str, response: Any, want: str) -> None:
        got = _outcome(response)
        if named := STUDENT_NAMES.findall(response.content.decode(errors="replace")):
            leaks.append(f"as {who}: students by name or SIS id: {sorted(set(named))}")
        if want == "2xx":
            ok = got[0] == "2"
        elif want == "403 rule":  # a rule's refusal, whatever its code
            ok = got.startswith("403 ") and got not in {"403 insufficient_scope",
                                                        "403 csrf_failed"}
        else:
            ok = got == want
        if not ok:
            failures.append(f"as {who}: {got}, expected {want}")

    # The owner's read first: its text is what no refusal may contain.
    secrets: set[str] = set()
    if not writes and allowed:
        headers, _ = _bearer(owner)
        response = call.send(client, headers)
        if response.status_code == 200:
            secrets = _texts(response.json())

    def no_leak(who: str, response: Any) -> None:
        if response.status_code not in (403, 404):
            return
        error = _error(response)
        if response.status_code == 404 and error != NOT_FOUND:
            leaks.append(f"as {who}: 404 is not the generic envelope: {error}")
        if response.status_code == 403 and (error["fields"] or error["rows"]):
            leaks.append(f"as {who}: 403 carries fields or rows: {error}")
        shown = [s for s in secrets if s in response.content.decode()]
        if shown:
            leaks.append(f"as {who}: the refusal shows {shown}")

    # Everyone the operation must turn away (for a write: before anything is changed).
    rows_before = _row_counts() if writes else {}
    check("anonymous", call.send(client), "401 unauthenticated")
    for persona in PERSONAS[1:]:
        if persona in allowed:
            continue
        headers, _ = _bearer(world.people[persona])
        response = call.send(client, headers)
        want = "403 rule" if persona in refused else "404 not_found"
        check(persona, response, want)
        no_leak(persona, response)

    # The owner with a lapsed or narrow credential.
    if writes:
        rows_after = _row_counts()
        changed = {label: (count, rows_after[label]) for label, count in rows_before.items()
                   if rows_after[label] != count}
        if changed:
            failures.append(f"refused writes changed rows (before, after): {changed}")
    headers, token = _bearer(owner)
    PersonalToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    check(f"{owner_name} (expired token)", call.send(client, headers), "401 unauthenticated")
    headers, token = _bearer(owner)
    actions.revoke_token(token, actor=owner)
    check(f"{owner_name} (revoked token)", call.send(client, headers), "401 unauthenticated")
    narrow = [s for s in api_scopes.known() if s != needed]
    headers, _ = _bearer(owner, narrow)
    response = call.send(client, headers)
    if needed == "me:read":  # every credential may ask whom it acts for
        check(f"{owner_name} (token without {needed})", response, "2xx")
    else:
        check(f"{owner_name} (token without {needed})", response, "403 insufficient_scope")
        if response.status_code == 403 and needed not in response.get("WWW-Authenticate", ""):
            failures.append(f"as {owner_name} (token without {needed}): WWW-Authenticate "
                            "does not name the scope")
    if writes:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
        check(f"{owner_name} (browser session, no CSRF header)", call.send(browser),
              "403 csrf_failed")

    # Everyone allowed: a token with every scope of hers; a write on a fresh example.
    first = True
    for persona in PERSONAS[1:]:
        if persona not in allowed:
            continue
        if writes and not first:
            call.fresh()
        first = False
        headers, _ = _bearer(world.people[persona])
        check(persona, call.send(client, headers), "2xx")

    assert failures == [], f"{key} [{example.get('label')}]"
    assert leaks == [], f"{key} [{example.get('label')}]"


@pytest.mark.django_db
def test_a_method_a_path_lacks_answers_405_in_the_envelope(world: Any) -> None:
    headers, _ = _bearer(world.people["teacher"])
    client = Client()
    wrong = []
    for path, item in document()["paths"].items():
        declared = {m.upper() for m in item if m in {"get", "post", "put", "patch", "delete"}}
        method = next(m for m in ("DELETE", "PUT", "PATCH", "POST", "GET") if m not in declared)
        url = re.sub(r"{\w+}", "1", path)
        response = getattr(client, method.lower())(url, headers=headers)
        if response.status_code != 405 or _error(response)["code"] != "method_not_allowed" \
                or set(response["Allow"].replace(" ", "").split(",")) != declared:
            wrong.append(f"{method} {path}: {response.status_code} {response.content[:100]!r}")
    assert wrong == []
