"""``manage.py create_demo_users``: the demo's staff users (only with ``COUNCILPERF_DEMO=1``)."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from councilperf.distribution import roles

# Demo only: the README gives these. Never created unless COUNCILPERF_DEMO=1.
DEMO_USERS = {
    roles.ANALYST: "analyst-demo-password",
    roles.PUBLISHER: "publisher-demo-password",
}


class Command(BaseCommand):
    help = (
        "Create the demo staff users analyst and publisher (passwords in the README). "
        "Refused unless COUNCILPERF_DEMO=1 is set: never on a real deployment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("COUNCILPERF_DEMO") != "1":
            raise CommandError(
                "demo users are only for the demo: set COUNCILPERF_DEMO=1 (make demo does)"
            )
        model = get_user_model()
        for name, password in DEMO_USERS.items():
            user, created = model.objects.get_or_create(username=name)
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=name)])
            self.stdout.write(f"{'created' if created else 'updated'} demo user {name} ({name})")
