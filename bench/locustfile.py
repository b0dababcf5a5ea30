"""The soak test's workload for locust (run by bench/soak.py, which writes the people file).

Four kinds of user, in these proportions, each waiting 1 to 6 s between actions and each
acting as one person of the district (sessions and tokens from ``$SOAK_PEOPLE``):

- teachers (6): their home, inquiry page, study view, story and credential draft, and
  data entry through the page: the entry form of one of their classes posted with a new
  occasion (a date of the last 20 weeks and a label of its own, every student's value),
  or one of their latest occasions opened and posted again with corrected values;
- API sync jobs (2): with a teacher's personal access token, ``GET /api/v1/me``, her
  inquiries, her score measure's results, and ``PUT`` of a date's values for every
  student of one of her classes (an upsert, with an ``Idempotency-Key``);
- leaders (1): coordinators and school leaders on the district dashboard, the PLN map,
  a program's dashboard;
- assessors (1): their queue and the submissions given to them (each read is audited).

A request fails on any status other than the one expected (200; 302 after a saved form;
200 or 201 after an upsert).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PEOPLE: dict[str, Any] = json.loads(Path(os.environ["SOAK_PEOPLE"]).read_text()) \
    if os.environ.get("SOAK_PEOPLE") else {}
_NEXT = {kind: itertools.count() for kind in ("teachers", "sync", "assessors", "leaders")}
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _next(kind: str) -> dict[str, Any]:
    people = PEOPLE[kind]
    return people[next(_NEXT[kind]) % len(people)]  # type: ignore[no-any-return]


def form_fields(html: str) -> tuple[dict[str, str], list[str]]:
    """The page's hidden fields (CSRF token, idempotency key) and its value cells."""
    hidden, cells = {}, []
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        name = attrs.get("name", "")
        if attrs.get("type") == "hidden" and name:
            hidden[name] = attrs.get("value", "")
        elif name.startswith("v-"):
            cells.append(name)
    cells += [n for n in re.findall(r'<select\b[^>]*name="(v-\d+)"', html) if n not in cells]
    return hidden, cells


class _SignedIn(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(1, 6)

    def on_start(self) -> None:
        self.me = _next(self.kind)
        self.client.cookies.set(PEOPLE["cookie_name"], self.me["cookie"])

    def page(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False,
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {r.error or ''}")


class Teacher(_SignedIn):
    weight = 6
    kind = "teachers"

    @task(3)
    def home(self) -> None:
        self.page("/", "teacher: home")

    @task(2)
    def inquiry(self) -> None:
        self.page(self.me["inquiry"], "teacher: inquiry page")

    @task(3)
    def study(self) -> None:
        self.page(self.me["study"], "teacher: study view")

    @task(1)
    def story(self) -> None:
        if "story" in self.me:
            self.page(self.me["story"], "teacher: story page")

    @task(1)
    def submission(self) -> None:
        if "submission" in self.me:
            self.page(self.me["submission"], "teacher: credential draft")

    def _post_grid(self, url: str, when: str, label: str, name: str) -> None:
        r = self.client.get(url, name=f"{name} (form)")
        if r.status_code != 200:
            return  # counted as a failure by locust
        hidden, cells = form_fields(r.text)
        # Production sets the CSRF cookie Secure (HTTPS only); the soak speaks plain HTTP
        # to 127.0.0.1, so the client sends it back anyway, as a browser would over TLS.
        for c in self.client.cookies:
            c.secure = False
        data = {**hidden, "when": when, "label": label,
                **{c: str(random.randint(20, 100)) for c in cells}}
        with self.client.post(url, data=data, name=f"{name} (save)", allow_redirects=False,
                              catch_response=True, headers={"Referer": self.host + url}) as s:
            if s.status_code != 302:
                problem = re.search(r'class="[^"]*(?:problem|error)[^"]*"[^>]*>([^<]+)', s.text)
                s.failure(f"HTTP {s.status_code}: "
                          f"{problem.group(1).strip() if problem else s.text[:200]}")

    @task(2)
    def enter_occasion(self) -> None:
        day = date.today() - timedelta(days=random.randint(0, 140))
        self._post_grid(random.choice(self.me["enter"]), day.isoformat(),
                        f"Soak {uuid.uuid4().hex[:8]}", "teacher: enter an occasion")

    @task(1)
    def correct_occasion(self) -> None:
        if self.me["occasions"]:
            o = random.choice(self.me["occasions"])
            self._post_grid(o["url"], o["when"], o["label"], "teacher: correct an occasion")


class ApiSync(HttpUser):
    weight = 2
    wait_time = between(1, 6)

    def on_start(self) -> None:
        self.me = _next("sync")
        self.client.headers["Authorization"] = f"Bearer {self.me['token']}"

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}: {r.error or r.text[:200]}")

    @task(1)
    def whoami(self) -> None:
        self._get("/api/v1/me", "api: me")

    @task(1)
    def inquiries(self) -> None:
        self._get(self.me["inquiries"], "api: inquiries")

    @task(2)
    def results(self) -> None:
        self._get(self.me["results"], "api: measure results")

    @task(2)
    def upsert(self) -> None:
        day = date.today() - timedelta(days=random.randint(0, 140))
        cls = random.choice(self.me["classes"])  # one class a request (a student may be
        # in two of her classes)
        body = {"label": "API sync", "class_id": cls["id"], "values": [
            {"student": s, "value": random.randint(20, 100)} for s in cls["students"]]}
        with self.client.put(self.me["occasions"] + day.isoformat(), json=body,
                             name="api: upsert a date's values", catch_response=True,
                             headers={"Idempotency-Key": uuid.uuid4().hex}) as r:
            if r.status_code not in (200, 201):
                r.failure(f"HTTP {r.status_code}: {r.text[:300]}")


class Leader(_SignedIn):
    weight = 1
    kind = "leaders"

    @task(3)
    def dashboard(self) -> None:
        self.page(self.me["dashboard"], "leader: district dashboard")

    @task(1)
    def network(self) -> None:
        self.page(self.me["map"], "leader: PLN map")

    @task(1)
    def program(self) -> None:
        if self.me["programs"]:
            self.page(random.choice(self.me["programs"]), "leader: program dashboard")


class Assessor(_SignedIn):
    weight = 1
    kind = "assessors"

    @task(2)
    def queue(self) -> None:
        self.page(self.me["queue"], "assessor: queue")

    @task(3)
    def review(self) -> None:
        self.page(random.choice(self.me["reviews"]), "assessor: read a submission")


if __name__ == "__main__":
    print("bench/locustfile.py is the workload of bench/soak.py: run that (or make soak).")
