from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "councilperf.casework"
    label = "casework"
