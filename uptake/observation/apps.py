from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "uptake.observation"
    label = "observation"
    verbose_name = "Peer observation"
