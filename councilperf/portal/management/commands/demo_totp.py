"""``manage.py demo_totp USERNAME``: the current two-factor code of a demo user (demo only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.portal import demo


class Command(BaseCommand):
    help = (
        "Print the current 6-digit sign-in code of a demo user's demonstration authenticator "
        "(and its otpauth:// address, to add it to an authenticator app). Refused unless "
        "COUNCILPERF_DEMO=1 is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo.require_demo()
        except demo.NotDemo as error:
            raise CommandError(str(error)) from error
        device = TOTPDevice.objects.filter(
            user__username=options["username"], name=demo.DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{options['username']} has no demonstration authenticator: "
                "run create_demo_council_users first"
            )
        self.stdout.write(demo.current_code(device))
        if options["verbosity"] > 1:
            self.stdout.write(device.config_url)
