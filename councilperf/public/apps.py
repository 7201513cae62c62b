from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "councilperf.public"
    label = "public"
