"""Set up a fresh database for the alerts' crash test: ``python -m tests.alerts.crash_seed
COUNT`` (DATABASE_URL and VAR_DIR from the environment): the site tests' world, its 2019-20
due for publication, and COUNT confirmed subscribers to every release."""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from councilperf.alerts.models import ALL, Subscription
    from tests.site.conftest import build_world

    call_command("migrate", verbosity=0)
    build_world(synthetic=True)
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            email=f"reader{n}@example.org",
            scope=ALL,
            unsubscribe_token=f"token-{n}",
            created_at=now,
            confirmed_at=now,
        )
        for n in range(int(sys.argv[1]))
    )


if __name__ == "__main__":
    main()
