from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "uptake.notifications"
    label = "notifications"
    verbose_name = "Notifications"
