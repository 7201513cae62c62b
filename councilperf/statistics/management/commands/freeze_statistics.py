"""freeze_statistics --year 2019-20: store the year's statistics as revision 1, immutable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import StatisticsError, freeze_statistics
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Freeze a reporting year: compute its statistics afresh and store them as revision 1, "
        "which can never change. Optionally set the letter and publication dates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            required=True,
            help='reporting year, e.g. "2019-20", or a span such as "2018-19:2024-25"',
        )
        parser.add_argument(
            "--skip-frozen",
            action="store_true",
            help="leave years that are already frozen alone instead of failing (re-runs)",
        )
        parser.add_argument("--letter-date", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument(
            "--publication-date",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD; nothing of the year is public before it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = ReportingYear.span(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if len(years) > 1 and (options["letter_date"] or options["publication_date"]):
            raise CommandError("give --letter-date and --publication-date for one year at a time")
        for year in years:
            self._freeze(year, options)

    def _freeze(self, year: ReportingYear, options: dict[str, Any]) -> None:
        label = year.label
        already = ReviewYear.objects.filter(year=label, status=ReviewYear.Status.FROZEN).exists()
        if already and options["skip_frozen"]:
            self.stdout.write(f"{label} is already frozen: left alone")
            return
        try:
            revision = freeze_statistics(year=year)
        except StatisticsError as error:
            raise CommandError(str(error)) from error
        dates = {
            name: options[name]
            for name in ("letter_date", "publication_date")
            if options[name] is not None
        }
        if dates:
            ReviewYear.objects.filter(year=label).update(**dates)
        self.stdout.write(
            f"{label} frozen as revision {revision.number} "
            f"({revision.authority_rows.count()} authorities, {revision.peer_method} averages)"
        )
