from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "councilperf.publishing"
    label = "publishing"
    verbose_name = "Publication job"
