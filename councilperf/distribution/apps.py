from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "councilperf.distribution"
    label = "distribution"
    verbose_name = "Letters and distribution"
