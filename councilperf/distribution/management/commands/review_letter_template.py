"""``manage.py review_letter_template --year 2025-26 --as USERNAME``: a publisher's review of
the year's letter template (who and when are recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import roles, yearstart
from councilperf.distribution.lifecycle import CycleError
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Record that a publisher reviewed the year's letter template as it is now; readiness "
        "asks for it, and any later edit of the template needs a new review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2025-26")
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME", help="The publisher"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        try:
            template = yearstart.review_template(
                year=ReportingYear.parse(options["year"]), user=user
            )
        except (CycleError, roles.NotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{template.review_year.year} letter template version {template.version} reviewed "
            f"by {template.reviewed_by}"
        )
