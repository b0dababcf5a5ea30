from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "uptake.inquiry"
    label = "inquiry"
    verbose_name = "Inquiries and measures"
