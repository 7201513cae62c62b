from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "councilperf.statistics"
    label = "statistics"
    verbose_name = "Statistics"
