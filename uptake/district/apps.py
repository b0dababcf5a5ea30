"""Dashboards for district and school leaders, and Guskey's five levels per program."""

from django.apps import AppConfig


class DistrictConfig(AppConfig):
    name = "uptake.district"
    label = "district"
    verbose_name = "District view"

    def ready(self) -> None:
        pass
