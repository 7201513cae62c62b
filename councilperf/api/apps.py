from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "councilperf.api"
    label = "api"
