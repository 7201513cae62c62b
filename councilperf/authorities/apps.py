from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "councilperf.authorities"
    label = "authorities"
