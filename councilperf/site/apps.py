from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "councilperf.site"
    label = "site"
