from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uptake.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
