from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "councilperf.portal"
    label = "portal"
    verbose_name = "Councils' portal: accounts, returns and replies"

    def ready(self) -> None:
        from councilperf.portal import signins

        signins.connect()  # sign-ins and refused sign-ins go to the access log
