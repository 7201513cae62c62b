from django.apps import AppConfig


class ServingConfig(AppConfig):
    name = "councilperf.serving"
    verbose_name = "Serving"

    def ready(self) -> None:
        from councilperf.serving import invalidation, logins

        invalidation.connect()
        logins.connect()
