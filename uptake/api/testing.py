"""For tests: call the API as a person, with a real personal access token.

    def test_it(world, api):
        teacher = api(world.people["teacher"])                  # every scope
        reader = api(world.people["teacher"], ["inquiry:read"])  # only these
        response = teacher.get("/api/v1/me")
        response = teacher.post("/api/v1/...", {"json": "body"})
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from uptake.api import actions, scopes

BASE = "/api/v1"


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` and JSON bodies."""

    def __init__(self, secret: str | None, token: Any = None) -> None:
        self.client = Client()
        self.secret = secret
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        sent = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return {**sent, **(headers or {})}

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else BASE + path

    def get(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(self._url(path), data or {}, headers=self._headers(headers))

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(self._url(path), headers=self._headers(headers))

    def _send(self, method: str, path: str, payload: Any, headers: dict[str, str]) -> Any:
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return getattr(self.client, method)(self._url(path), body,
                                            content_type="application/json",
                                            headers=self._headers(headers))

    def post(self, path: str, payload: Any = None, **headers: str) -> Any:
        return self._send("post", path, {} if payload is None else payload, headers)

    def put(self, path: str, payload: Any = None, **headers: str) -> Any:
        return self._send("put", path, {} if payload is None else payload, headers)

    def patch(self, path: str, payload: Any = None, **headers: str) -> Any:
        return self._send("patch", path, {} if payload is None else payload, headers)


def token_client(user: Any, granted: list[str] | None = None) -> ApiClient:
    """A client holding a fresh token of ``user``'s with ``granted`` scopes (default: all)."""
    made = actions.create_token(user, name="test", scopes=granted or scopes.known())
    return ApiClient(made.secret, made.token)


def anonymous() -> ApiClient:
    return ApiClient(None)
