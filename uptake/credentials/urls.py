"""The credentials app's pages, one module per side of the work (``urls_*.py``)."""

from __future__ import annotations

from uptake.credentials import urls_authoring, urls_educator, urls_money, urls_review

app_name = "credentials"

urlpatterns: list = [
    *urls_authoring.urlpatterns,
    *urls_review.urlpatterns,
    *urls_money.urlpatterns,
    *urls_educator.urlpatterns,
]
