from django.urls import path

from uptake.roster import views

app_name = "roster"
urlpatterns = [
    path("classes/", views.classes, name="classes"),
    path("classes/<int:section_id>/", views.class_detail, name="class"),
    path("import/", views.import_roster, name="import"),
]
