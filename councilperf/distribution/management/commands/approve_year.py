"""``manage.py approve_year --year 2019-20 --as USERNAME``: a publisher's sign-off."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import lifecycle, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Approve a frozen year's figures and letter template as a publisher (refused while "
        "the readiness report has a problem, or if the user is not a publisher)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2019-20")
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME", help="The publisher"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        try:
            year = ReportingYear.parse(options["year"])
            cycle = lifecycle.approve_year(year=year, user=user)
        except (CycleError, roles.NotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{cycle.review_year.year} revision {cycle.approved_revision} approved by "
            f"{user.get_username()} at {cycle.approved_at:%Y-%m-%d %H:%M}"
        )
