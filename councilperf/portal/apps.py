from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "councilperf.portal"
    label = "portal"
    verbose_name = "Councils' portal: accounts, returns and replies"
