"""send_reminders: send a year's reminders about complaint-handling returns still to be sent.

    manage.py send_reminders --year 2026-27                 # resume: pending and retry only
    manage.py send_reminders --year 2026-27 --new-round --by USERNAME
                                                            # a new round, then send it
    manage.py send_reminders --year 2026-27 --in-doubt      # list those in doubt (no writes)
    manage.py send_reminders --year 2026-27 --send-again REASON  # send those again, once

A reminder is in doubt when the process sending it died between the SMTP transaction and
recording the server's answer: the council may or may not have it, so it is never sent again
by itself (as with the letters).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import roles
from councilperf.portal import reminders
from councilperf.portal.models import Reminder, ReturnPeriod
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = "Send the reminders about complaint-handling returns still to be sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2026-27.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--new-round", action="store_true", help="Make a new round first.")
        group.add_argument("--in-doubt", action="store_true", help="List reminders in doubt.")
        group.add_argument("--send-again", metavar="REASON", help="Send those in doubt again.")
        parser.add_argument("--by", default="", help="Username making the new round.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            label = ReportingYear.parse(options["year"]).label
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        period = ReturnPeriod.objects.select_related("review_year").filter(review_year__year=label)
        found = period.first()
        if found is None:
            raise CommandError(f"{label} is not open for returns.")
        review_year = found.review_year
        if options["in_doubt"]:
            doubtful = Reminder.objects.filter(
                round__review_year=review_year, status=Reminder.Status.IN_DOUBT
            ).select_related("round")
            for row in doubtful:
                self.stdout.write(f"IN DOUBT round {row.round.number} {row.email}")
            if not doubtful:
                self.stdout.write("No reminder is in doubt.")
            return
        if options["new_round"]:
            user = get_user_model().objects.filter(username=options["by"]).first()
            if user is None or not roles.allowed(user, "send_letters"):
                raise CommandError("--by: a publisher or administrator's username is needed")
            try:
                made = reminders.create_round(review_year=review_year, user=user)
            except reminders.NoRound as refusal:
                raise CommandError(str(refusal)) from None
            self.stdout.write(f"Reminders: round {made.number} made")
        if options["send_again"] is not None:
            try:
                result = reminders.send_again(review_year=review_year, reason=options["send_again"])
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            result = reminders.send_round(review_year=review_year)
        self.stdout.write(f"Reminders: {result}")
        for problem in result.problems:
            self.stdout.write(f"Reminders: {problem}")
