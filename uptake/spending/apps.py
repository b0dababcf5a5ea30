"""The professional-learning spending ledger per fiscal year."""

from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "uptake.spending"
    label = "spending"
    verbose_name = "Spending"

    def ready(self) -> None:
        pass
