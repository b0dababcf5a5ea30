"""The verifier page, ``/verify/``: anyone, signed in or not, checks an Open Badges 3.0
credential as 1EdTech's validator would (``verifying.check``).

The credential comes as a file (its JSON, its VC-JWT, or a baked PNG or SVG badge, at most
2 MB), pasted text (JSON or a VC-JWT), or ``?credential=<uuid>`` for one of our badges
while its educator shares it. The result names the achievement, the issuer and the date
it was awarded, and lists every check; nothing about the recipient is shown (not even the
hashed identifier the credential carries).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from uptake.accounts.access import ANONYMOUS, allow
from uptake.badges import verifying
from uptake.badges.models import Badge
from uptake.openbadges.verify import Report

MAX_BYTES = 2 * 1024 * 1024
LABELS = {"parse": "Readable", "contexts": "Contexts", "type": "Type",
          "schema": "Official schema", "subject": "Recipient and achievement",
          "evidence": "Evidence", "issuer": "Issuer", "proof": "Signature",
          "status": "Not revoked", "expiry": "Dates"}
OUTCOMES = {"passed": ("Passed", "ok"), "failed": ("Failed", "bad"),
            "warning": ("Warning", "warn"), "skipped": ("Skipped", "")}


class VerifyForm(forms.Form):
    file = forms.FileField(
        required=False, label="A credential file",
        help_text="Its JSON (.json), its VC-JWT (.jwt), or a badge image with the credential "
                  "inside (.png, .svg); at most 2 MB.",
        widget=forms.ClearableFileInput(attrs={
            "accept": ".json,.jwt,.jws,.txt,.png,.svg,application/json,image/png,"
                      "image/svg+xml"}))
    text = forms.CharField(
        required=False, label="Or paste the credential",
        help_text="Its JSON, or its VC-JWT (three parts separated by dots).",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false",
                                     "autocomplete": "off"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = (cleaned.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError("Give either a file or pasted text, not both.")
        if not upload and not text:
            self.add_error("file", "Choose a credential file, or paste the credential below.")
            return cleaned
        if upload is not None:
            if upload.size > MAX_BYTES:
                self.add_error("file", f"This file is {upload.size / 1024 / 1024:.1f} MB; the "
                                       "verifier takes files up to 2 MB. A credential or "
                                       "badge image is rarely larger than a few hundred KB.")
                return cleaned
            cleaned["data"] = upload.read(MAX_BYTES + 1)
            cleaned["field"] = "file"
        else:
            if len(text.encode("utf-8")) > MAX_BYTES:
                self.add_error("text", "The pasted text is larger than 2 MB; a credential "
                                       "is a few KB.")
                return cleaned
            cleaned["data"] = text.encode("utf-8")
            cleaned["field"] = "text"
        return cleaned


def _result(report: Report) -> dict[str, Any]:
    awarded = report.awarded
    return {
        "verified": report.verified,
        "achievement": (report.achievement or {}).get("name") or "",
        "issuer": (report.issuer or {}).get("name") or (report.issuer or {}).get("id") or "",
        "awarded": parse_datetime(awarded) if awarded else None,
        "checks": [{"label": LABELS.get(c.name, c.name), "outcome": OUTCOMES[c.outcome][0],
                    "css": OUTCOMES[c.outcome][1], "message": c.message}
                   for c in report.checks],
    }


def _shared(value: str) -> Badge | None:
    try:
        uuid = UUID(value)
    except ValueError:
        return None
    return Badge.objects.filter(uuid=uuid, shared_at__isnull=False,
                                revoked_at__isnull=True).first()


@allow(ANONYMOUS)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"result": None}
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            report = verifying.check(form.cleaned_data["data"], request_host=request.get_host())
            if report.checks[0].outcome == "failed":
                form.add_error(form.cleaned_data["field"],
                               f"This could not be read as a credential. "
                               f"{report.checks[0].message}")
            else:
                context["result"] = _result(report)
        if not form.is_valid():
            status = 400
    else:
        form = VerifyForm()
        wanted = request.GET.get("credential")
        if wanted is not None:
            badge = _shared(wanted.strip())
            if badge is None:
                context["missing"] = True
                status = 404
            else:
                context["result"] = _result(verifying.check(
                    badge.document.encode("utf-8"), request_host=request.get_host()))
                context["shared"] = badge
    context["form"] = form
    return render(request, "badges/verify.html", context, status=status)
