from django.apps import AppConfig


class StudentworkConfig(AppConfig):
    name = "uptake.studentwork"
    label = "studentwork"
    verbose_name = "Looking at Student Work"
