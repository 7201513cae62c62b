"""send_alerts: send the release alerts still to be sent, or deal with those in doubt.

    manage.py send_alerts                      # what publish_due does after publishing
    manage.py send_alerts --in-doubt           # list the alerts in doubt (no writes)
    manage.py send_alerts --send-again REASON  # send those again, once, saying why

An alert is in doubt when the process sending it died between the SMTP transaction and
recording its answer: the subscriber may or may not have it, so it is never sent again
unless someone decides to (as with the letters).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.alerts import releases


class Command(BaseCommand):
    help = "Send the release alerts still to be sent; list or send again those in doubt."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--in-doubt", action="store_true", help="List alerts in doubt.")
        group.add_argument("--send-again", metavar="REASON", help="Send those in doubt again.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["in_doubt"]:
            doubtful = releases.in_doubt()
            for alert in doubtful:
                self.stdout.write(
                    f"IN DOUBT {alert.year} revision {alert.revision} "
                    f"{alert.subscription.email} (attempt {alert.attempt})"
                )
            if not doubtful:
                self.stdout.write("No alert is in doubt.")
            return
        if options["send_again"] is not None:
            try:
                result = releases.send_again(reason=options["send_again"])
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            result = releases.send_outstanding()
        self.stdout.write(f"Alerts: {result}")
        for problem in result.problems:
            self.stdout.write(f"Alerts: {problem}")
