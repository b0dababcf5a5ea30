from django.urls import path

from uptake.roster import views

app_name = "roster"
urlpatterns = [
    path("classes/", views.classes, name="classes"),
    path("classes/<int:section_id>/", views.class_detail, name="class"),
    path("import/", views.import_roster, name="import"),
    path("import/<int:import_id>/", views.import_detail, name="import_detail"),
    path("import/<int:import_id>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:import_id>/cancel/", views.import_cancel, name="import_cancel"),
]
