from __future__ import annotations

from django.urls import path

from uptake.spending import views as v

app_name = "spending"

# Names other modules rely on: ledger.
urlpatterns: list = [
    path("", v.ledger, name="ledger"),
    path("ledger.csv", v.ledger_csv, name="ledger_csv"),
    path("ledger.xlsx", v.ledger_xlsx, name="ledger_xlsx"),
    path("new/", v.entry_new, name="entry_new"),
    path("<int:entry_id>/edit/", v.entry_edit, name="entry_edit"),
    path("<int:entry_id>/delete/", v.entry_delete, name="entry_delete"),
    path("import/", v.import_file, name="import"),
    path("import/<int:import_id>/", v.import_done, name="import_done"),
]
