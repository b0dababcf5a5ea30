from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "uptake.roster"
    label = "roster"
