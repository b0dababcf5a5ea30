"""Verifying a credential on this server: ``uptake.openbadges.verify`` with resolvers that
know our own issuers.

A DID document or status list of one of our issuers (a ``did:web`` or URL whose host is
SITE_URL's, or the host the page was asked on) is read from the database, never over
HTTP. Another host's is fetched over HTTPS only when the host is listed in
``BADGE_STATUS_LIST_HOSTS``, through the SSRF-safe fetch of ``uptake.accounts.sso`` (no
private addresses, no redirects, a size cap); otherwise the check says it was not fetched.
A DID document or status list given by the person (a file) is used instead.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from uptake.badges import documents
from uptake.badges.models import Issuer, StatusList
from uptake.openbadges.verify import Report, verify

__all__ = ["Report", "check", "did_web_url"]


def did_web_url(did: str) -> str:
    """Where a did:web DID document is published (W3C did:web method, "Read")."""
    parts = did.split(":")[2:]
    if not parts or not parts[0]:
        raise LookupError(f"{did} is not a did:web identifier.")
    host = unquote(parts[0])
    path = "/".join(unquote(p) for p in parts[1:]) or ".well-known"
    return f"https://{host}/{path}/did.json"


class Resolvers:
    def __init__(self, *, did_document: dict[str, Any] | None,
                 status_list: dict[str, Any] | None, request_host: str | None) -> None:
        self.did_document = did_document
        self.status_list = status_list
        self.seen: dict[str, dict[str, Any]] = {}  # one look-up per document and check
        self.own = {urlsplit(settings.SITE_URL).netloc.lower()}
        if request_host:
            self.own.add(request_host.lower())

    # ------------------------------------------------------------------ DID documents

    def key(self, ref: str) -> dict[str, Any]:
        if self.did_document is not None and self.did_document.get("id") == ref:
            return self.did_document
        if ref not in self.seen:
            url = did_web_url(ref) if ref.startswith("did:web:") else ref
            parts = urlsplit(url)
            self.seen[ref] = (self._own_did_document(parts.path)
                              if parts.netloc.lower() in self.own
                              else self._fetched(url, what="DID document"))
        return self.seen[ref]

    def _own_did_document(self, path: str) -> dict[str, Any]:
        match = self._match(path)
        if match is None or match.url_name != "did":
            raise LookupError(f"This server publishes no DID document at {path}.")
        issuer = Issuer.objects.filter(uuid=match.kwargs["issuer"]).first()
        if issuer is None:
            raise LookupError("No issuer on this server has that DID.")
        return documents.did_document(issuer)

    # ------------------------------------------------------------------- status lists

    def status(self, url: str) -> dict[str, Any]:
        if self.status_list is not None:
            return self.status_list
        parts = urlsplit(url)
        if parts.netloc.lower() in self.own:
            match = self._match(parts.path)
            found = (StatusList.objects.filter(issuer__uuid=match.kwargs["issuer"],
                                               number=match.kwargs["number"]).first()
                     if match is not None and match.url_name == "status_list" else None)
            if found is None or not found.signed:
                raise LookupError(f"This server publishes no status list at {url}.")
            return dict(json.loads(found.signed))
        return self._fetched(url, what="status list")

    # ---------------------------------------------------------------------- helpers

    @staticmethod
    def _match(path: str) -> Any:
        try:
            match = resolve(path)
        except Resolver404:
            return None
        return match if match.namespace == "badges" else None

    @staticmethod
    def _fetched(url: str, *, what: str) -> dict[str, Any]:
        from uptake.accounts.sso import UnusableUrl, fetch

        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        allowed = {h.lower() for h in settings.BADGE_STATUS_LIST_HOSTS}
        if parts.scheme != "https" or not host:
            raise LookupError(f"not fetched: the {what} at {url} is not at an https:// "
                              "address.")
        if host not in allowed:
            raise LookupError(f"not fetched: host {host} is not on the allow-list of "
                              f"hosts whose {what}s this server fetches.")
        try:
            body = fetch(url, what=what)
            found = json.loads(body)
        except UnusableUrl as error:
            raise LookupError(str(error)) from None
        except ValueError:
            raise LookupError(f"{url} did not answer with JSON, so not a {what}.") from None
        if not isinstance(found, dict):
            raise LookupError(f"{url} did not answer with a {what} (not a JSON object).")
        return found


def check(data: bytes | str, *, did_document: dict[str, Any] | None = None,
          status_list: dict[str, Any] | None = None,
          request_host: str | None = None) -> Report:
    """Every check of the credential in ``data`` (JSON, a VC-JWT, a baked PNG or SVG).

    ``did_document`` and ``status_list`` are documents the person gave, used instead of
    looking them up; ``request_host`` is the host a page was asked on (validated by
    Django's ALLOWED_HOSTS), counted as ours besides SITE_URL's."""
    resolvers = Resolvers(did_document=did_document, status_list=status_list,
                          request_host=request_host)
    return verify(data, resolve_key=resolvers.key, fetch_status=resolvers.status)
