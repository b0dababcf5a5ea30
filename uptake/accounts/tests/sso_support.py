"""Shared by the sign-in-with-the-school-account tests: a real OpenID Connect provider
(django-allauth's ``allauth.idp.oidc``, its own Django project in its own process) and a
browser-like walk through its sign-in and consent forms."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "uptake-maple-valley"
CLIENT_SECRET = "s3cret-issued-by-the-idp-0000"
PASSWORD = "idp-password-for-tests"
# The Django test client answers as http://testserver; the IdP sends browsers back there.
REDIRECT_URI = "http://testserver/accounts/oidc/uptake-maple-valley/login/callback/"


@dataclass(frozen=True)
class Idp:
    issuer: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_idp(tmp: Path, people: list[dict[str, Any]]) -> Iterator[Idp]:
    """Migrate, seed and serve the IdP on a free port of 127.0.0.1; stop it afterwards."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "uptake.accounts.tests.oidc_idp.settings",
           "IDP_DB": str(tmp / "idp.sqlite3"), "PYTHONPATH": str(ROOT)}
    for key in ("UPTAKE_TESTING", "DATABASE_URL"):
        env.pop(key, None)
    run = dict(cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput"], **run)  # type: ignore[call-overload]
    subprocess.run([sys.executable, "-m", "uptake.accounts.tests.oidc_idp.seed"],  # type: ignore[call-overload]
                   input=json.dumps({"client": {"id": CLIENT_ID, "secret": CLIENT_SECRET,
                                                "redirect_uris": [REDIRECT_URI]},
                                     "people": people}).encode(), **run)
    port = _free_port()
    log = (tmp / "idp.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(issuer + "/.well-known/openid-configuration",
                                timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test IdP did not start: "
                                   + (tmp / "idp.log").read_text()[-2000:])
            time.sleep(0.2)
        yield Idp(issuer)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _form(html: str, url: str) -> tuple[str, dict[str, Any]]:
    """The first form of a page with an action: where it posts, and what a browser sends."""
    import lxml.html

    page = lxml.html.fromstring(html)
    form = next(f for f in page.forms if f.method.upper() == "POST")
    action = urljoin(url, form.action or url)
    values: dict[str, Any] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return action, values


def through_the_idp(authorize_url: str, email: str, password: str = PASSWORD) -> str:
    """Do what a browser does at the IdP: sign in there, grant consent; returns the URL the
    IdP sends the browser back to (Uptake's callback, with the code)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)  # the IdP's sign-in form
    assert page.status_code == 200, page.text[:500]
    action, values = _form(page.text, page.url)
    values.update(login=[email], password=[password])
    page = browser.post(action, data=values, timeout=10)  # back to authorize: the consent
    assert page.status_code == 200, page.text[:500]
    assert "Authorize" in page.text, page.text[:1000]
    action, values = _form(page.text, page.url)
    values["action"] = ["grant"]
    answer = browser.post(action, data=values, timeout=10, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    location = answer.headers["Location"]
    assert location.startswith("http://testserver/"), location
    return location
