"""A list never shows what its detail refuses.

For every detail operation ``GET /api/v1/<things>/{thing_id}`` that has a list beside it
(``GET /api/v1/<things>``), each access example's object is looked for in the list, walked
to the end, as every persona the detail refuses: it must not be there. (The access matrix,
tests/test_api_access_matrix.py, checks the detail operations themselves.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.test_api_access_matrix import PERSONAS, Caller, _bearer, api_examples, operations

DETAIL = re.compile(r"^GET (?P<list>/api/v1/.+)/\{(?P<param>\w+_id)\}$")


def _cases() -> list[Any]:
    known = operations()
    cases = []
    for key, examples in sorted(api_examples().items()):
        match = DETAIL.match(key)
        if not match or f"GET {match['list']}" not in known:
            continue
        for index, example in enumerate(examples):
            cases.append(pytest.param(key, index, id=f"{key} [{example.get('label', index)}]"))
    return cases


def _listed_ids(client: Client, url: str, headers: dict[str, str]) -> list[Any] | None:
    """Every item id the list gives this credential, following ``next``; None when the
    list itself is refused (404 on a parent the caller may not see)."""
    ids: list[Any] = []
    while url:
        response = client.get(url, {"page_size": 1000} if "?" not in url else None,
                              headers=headers)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        ids += [item.get("id") for item in body["results"]]
        url = body.get("next") or ""
    return ids


def test_there_are_lists_to_check() -> None:
    assert len(_cases()) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "index"), _cases())
def test_a_list_never_shows_an_object_its_detail_refuses(world: Any, key: str,
                                                         index: int) -> None:
    example = api_examples()[key][index]
    match = DETAIL.match(key)
    assert match is not None
    caller = Caller("GET", match["list"] + "/{" + match["param"] + "}", example, world)
    wanted = caller.params[match["param"]]
    list_url = match["list"].format(**caller.params)
    client = Client()
    leaks = []
    for persona in PERSONAS:
        if persona == "anonymous" or persona in example["allowed"]:
            continue
        headers, _ = _bearer(world.people[persona])
        ids = _listed_ids(client, list_url, headers)
        if ids is not None and wanted in ids:
            leaks.append(persona)
    assert leaks == [], f"{list_url} lists {match['param']}={wanted} to {leaks}"
