from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "councilperf.alerts"
    label = "alerts"
    verbose_name = "Email alerts of releases"
