"""The networks app's ties pages (included by urls.py, namespace networks): her own named
ties, and the district's relations and contacts (coordinators)."""

from __future__ import annotations

from django.urls import path

from uptake.networks import views_ties as v

# Names other modules rely on: ties (her named ties), relations, contacts.
urlpatterns: list = [
    path("ties/", v.ties, name="ties"),
    path("ties/new/", v.tie_new, name="tie_new"),
    path("ties/<int:tie_id>/remove/", v.tie_remove, name="tie_remove"),
    path("relations/", v.relations, name="relations"),
    path("relations/<int:relation_id>/", v.relation_edit, name="relation_edit"),
    path("relations/<int:relation_id>/delete/", v.relation_delete, name="relation_delete"),
    path("contacts/", v.contacts, name="contacts"),
    path("contacts/<int:contact_id>/", v.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/merge/", v.contact_merge, name="contact_merge"),
    path("contacts/<int:contact_id>/delete/", v.contact_delete, name="contact_delete"),
]
