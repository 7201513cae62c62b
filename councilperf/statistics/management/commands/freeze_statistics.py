"""freeze_statistics --year 2019-20: store the year's statistics as revision 1, immutable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.statistics.management.commands._common import parse_year
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import StatisticsError, freeze_statistics


class Command(BaseCommand):
    help = (
        "Freeze a reporting year: compute its statistics afresh and store them as revision 1, "
        "which can never change. Optionally set the letter and publication dates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help='reporting year, e.g. "2019-20"')
        parser.add_argument("--letter-date", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument(
            "--publication-date",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD; nothing of the year is public before it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        label = parse_year(options["year"])
        try:
            revision = freeze_statistics(year=label)
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
