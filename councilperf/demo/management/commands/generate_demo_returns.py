"""``manage.py generate_demo_returns --year Y``: the demo's complaint-handling returns and
replies (synthetic, labelled as such; only with ``COUNCILPERF_DEMO=1``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.demo.returns_writer import write_demo_returns
from councilperf.portal.demo import NotDemo
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Open the year for councils' complaint-handling returns and write synthetic returns "
        "(most councils submitted, a few draft or not started), Code self-assessments and a "
        "few replies, all marked synthetic. Run after create_demo_users. Re-running changes "
        "nothing. Refused unless COUNCILPERF_DEMO=1 is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="the reporting year, e.g. 2024-25")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = ReportingYear.parse(options["year"])
            lines = write_demo_returns(year=year, seed=options["seed"])
        except (NotDemo, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
