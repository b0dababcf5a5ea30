from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "uptake.evidence"
    label = "evidence"
