"""Every write of the API, attacked with malformed bodies by someone allowed to write:
each answer is a 400 in the error envelope (413 for a body over the size limit), never a
server error, and no table gains or loses a row.

The operations come from /api/v1/openapi.json; the path parameters, the owner and a valid
body from the operation's first access-matrix example (``API_EXAMPLES``). The attacks,
the same kinds the roster and scores imports are tested with:

- a body that is not JSON, is empty, or is JSON of the wrong shape (a list, a string,
  a number, null);
- each field of the valid body in turn: of the wrong type, null (where the document does
  not allow null), a huge string (100,000 characters), nested 5,000 levels deep, and for
  a list, items of the wrong type;
- the whole body nested 100,000 levels deep (past any parser's recursion limit).

An upload (multipart) gets a JSON body instead of a file, no file, and a file that is not
what it says. Writes without a body (``POST …/apply``) have nothing to malform.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_api_access_matrix import PERSONAS, Caller, _bearer, api_examples, operations

HUGE = "x" * 100_000
DEEP_FIELD = 5_000
DEEP_BODY = 100_000
WRONG = {"an": ["object", {"where": "a value belongs"}]}


def _write_operations() -> list[Any]:
    found = []
    for key, operation in sorted(operations().items()):
        method = key.split(" ", 1)[0]
        if method in {"GET", "HEAD", "OPTIONS"} or "requestBody" not in operation:
            continue
        found.append(pytest.param(key, id=key))
    return found


def operations_by_path() -> dict[str, dict[str, Any]]:
    from tests.test_api_access_matrix import document

    paths: dict[str, dict[str, Any]] = document()["paths"]
    return paths


def _schema_of(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from tests.test_api_access_matrix import document

    content = operation["requestBody"]["content"]
    media = next(iter(content))
    schema = content[media].get("schema", {})
    return media, _resolve(schema, document())


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def _nullable(prop: dict[str, Any]) -> bool:
    options = prop.get("anyOf", []) + prop.get("oneOf", [])
    return prop.get("type") == "null" or any(o.get("type") == "null" for o in options) \
        or prop.get("nullable") is True or "null" in (prop.get("type") or [])


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _json_attacks(valid: Any, schema: dict[str, Any]) -> list[tuple[str, bytes]]:
    attacks: list[tuple[str, bytes]] = [
        ("not JSON", b"{'title': 'single quotes', "),
        ("empty", b""),
        ("a list", b"[]"),
        ("a string", b'"text"'),
        ("a number", b"42"),
        ("null", b"null"),
        ("nested 100,000 deep", _deep(DEEP_BODY).encode()),
    ]
    if not isinstance(valid, dict):
        return attacks
    props = schema.get("properties", {})
    for name, value in valid.items():
        wrong = "text" if isinstance(value, dict) else WRONG
        attacks.append((f"{name}: wrong type", json.dumps({**valid, name: wrong}).encode()))
        if not _nullable(props.get(name, {})):
            attacks.append((f"{name}: null", json.dumps({**valid, name: None}).encode()))
        attacks.append((f"{name}: huge string", json.dumps({**valid, name: HUGE}).encode()))
        if isinstance(value, list) and value:
            # Text where the items are objects: ninja would read a str's attributes.
            item = "text" if isinstance(value[0], dict) else WRONG
            attacks.append((f"{name}: items of the wrong type",
                            json.dumps({**valid, name: [item]}).encode()))
        deep = json.dumps({**valid, name: "__DEEP__"}).replace('"__DEEP__"', _deep(DEEP_FIELD))
        attacks.append((f"{name}: nested {DEEP_FIELD:,} deep", deep.encode()))
    return attacks


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if not model._meta.proxy and model._meta.managed}


@pytest.mark.django_db
@pytest.mark.parametrize("key", _write_operations())
def test_malformed_bodies_are_refused_and_change_nothing(world: Any, key: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    examples = api_examples().get(key)
    assert examples, f"{key}: no API_EXAMPLES entry (tests/test_api_access_matrix.py)"
    example = examples[0]
    owner = next((p for p in PERSONAS if p in example["allowed"]), None)
    assert owner is not None, f"{key}: nobody is allowed to write"
    method, path = key.split(" ", 1)
    call = Caller(method, path, example, world)
    media, schema = _schema_of(operations()[key])
    headers, _ = _bearer(world.people[owner])
    client = Client()
    url = call.url
    if call.query:
        from urllib.parse import urlencode

        url += "?" + urlencode(call.query, doseq=True)
    send = getattr(client, method.lower())
    failures: list[str] = []

    def attempt(label: str, response: Any, also: frozenset[int] = frozenset()) -> None:
        wanted = {400} | also
        status = response.status_code
        if status not in wanted:
            failures.append(f"{label}: {status} {response.content[:200]!r}")
            return
        body = response.json()
        if set(body) != {"error"} or body["error"]["status"] != status:
            failures.append(f"{label}: {status} outside the envelope: {body}")

    before = _row_counts()
    if media.startswith("multipart/"):
        attempt("JSON instead of a file", send(url, json.dumps({"file": "x"}),
                                               content_type="application/json",
                                               headers=headers), frozenset({415}))
        attempt("no file", send(url, {}, headers=headers))
        fields = example["form"](world, call.params) if "form" in example else {}
        bogus = {name: SimpleUploadedFile("roster.zip", b"PK\x03\x04 not really a zip",
                                          content_type="application/zip")
                 if hasattr(value, "read") else value for name, value in fields.items()}
        attempt("a file that is not what it says", send(url, bogus, headers=headers))
    else:
        for label, raw in _json_attacks(call.body, schema):
            response = send(url, raw, content_type="application/json", headers=headers)
            attempt(label, response, frozenset({413}) if "huge" in label else frozenset())
    after = _row_counts()
    changed = {label: (before[label], after[label]) for label in before
               if before[label] != after[label]}
    assert failures == [], key
    assert changed == {}, f"{key}: rows changed (before, after)"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Exit\x00ticket", "Exit \ud83d ticket"],
                         ids=["NUL", "lone surrogate"])
def test_text_no_database_can_store_is_refused_everywhere(world: Any, text: str) -> None:
    """A NUL or a lone surrogate in any body or query text: 400, on SQLite as on PostgreSQL
    (which cannot store either and would fail with a server error)."""
    from django.test import Client

    headers, _ = _bearer(world.people["teacher"])
    client = Client()
    before = _row_counts()
    created = client.post("/api/v1/inquiries", json.dumps({"title": text}),
                          content_type="application/json", headers=headers)
    listed = client.get("/api/v1/people", {"q": "a\x00b"}, headers=headers)
    assert created.status_code == 400 and created.json()["error"]["code"] == "invalid"
    assert listed.status_code == 400 and listed.json()["error"]["code"] == "invalid"
    assert _row_counts() == before


@pytest.mark.django_db
def test_a_number_past_64_bits_is_refused_not_a_server_error(world: Any) -> None:
    """Found by Schemathesis: an unbounded integer filter made SQLite raise OverflowError
    (500). Whatever an operation forgets to bound answers 400 in the envelope."""
    from django.test import Client

    headers, _ = _bearer(world.people["teacher"])
    huge = "9" * 30
    wrong = []
    for path, item in operations_by_path().items():
        if "get" not in item or "{" in path:
            continue
        for parameter in item["get"].get("parameters", []):
            schema = parameter.get("schema", {})
            options = [schema, *schema.get("anyOf", [])]
            if parameter["in"] == "query" and any(o.get("type") == "integer" for o in options):
                response = Client().get(path, {parameter["name"]: huge}, headers=headers)
                if response.status_code >= 500 or (response.status_code == 400 and
                                                   response.json()["error"]["code"] != "invalid"):
                    wrong.append(f"{path}?{parameter['name']}=…: {response.status_code}")
    assert wrong == []
