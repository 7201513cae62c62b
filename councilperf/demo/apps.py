from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "councilperf.demo"
    label = "demo"
