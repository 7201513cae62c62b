from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DistributionConfig(AppConfig):
    name = "councilperf.distribution"
    label = "distribution"
    verbose_name = "Letters and distribution"

    def ready(self) -> None:
        from councilperf.distribution.roles import ensure_roles

        # For this app only, after auth has made its permissions (and casework's, earlier).
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="distribution-ensure-roles")
