"""``manage.py create_demo_council_users``: the demo's council people (only with
``COUNCILPERF_DEMO=1``; names and passwords in the README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from councilperf.portal import demo


class Command(BaseCommand):
    help = (
        "Create the demo's council users — an officer and an approver for each of three "
        "councils and one officer serving two councils — and give the demo staff users and "
        "approvers their demo two-factor device. Run after create_demo_users. Refused unless "
        "COUNCILPERF_DEMO=1 is set: never on a real deployment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = demo.create_demo_council_users()
        except (demo.NotDemo, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("Codes for the second factor: python manage.py demo_totp USERNAME")
