from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "uptake.demo"
    label = "demo"
    verbose_name = "Demo district"
