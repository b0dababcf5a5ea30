from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "uptake.audit"
    label = "audit"
