"""The district's results page and its CSV (uptake/inquiry/results.py says what it counts)."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uptake.accounts.access import allow
from uptake.accounts.models import Role, User
from uptake.inquiry.results import COLUMNS, district_results, record_results_export

# Who reads the district's results: docs/decisions.md "What the district-wide roles do".
RESULTS_READERS = (Role.COORDINATOR, Role.RESEARCHER, Role.ASSESSOR)


@allow(*RESULTS_READERS)
def results(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "inquiry/results.html", {
        "rows": district_results(user), "columns": [label for _, label in COLUMNS],
        "min_group_size": settings.MIN_GROUP_SIZE})


@allow(*RESULTS_READERS)
def results_csv(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rows = district_results(user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="district-results.csv"'
    writer = csv.writer(response)
    writer.writerow(["school", "measures", *(key for key, _ in COLUMNS)])
    for row in rows:
        cells = row.counts if row.counts is not None else ["hidden"] * len(COLUMNS)
        writer.writerow([row.school, row.measures, *cells])
    record_results_export(user, rows, request=request)
    return response
