"""freeze_statistics --year 2019-20: store the year's statistics as revision 1, immutable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from councilperf.statistics.dates import DatesRefused, check_dates
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
        parser.add_argument(
            "--confirm-past",
            action="store_true",
            help="keep a publication date that is today or earlier",
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
        self._check_dates(label, options)
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

    def _check_dates(self, label: str, options: dict[str, Any]) -> None:
        """The dates rule (``statistics.dates``) on the dates the year will have."""
        if options["letter_date"] is None and options["publication_date"] is None:
            return
        row = ReviewYear.objects.filter(year=label).first()
        letter = options["letter_date"] or (row.letter_date if row else None)
        publication = options["publication_date"] or (row.publication_date if row else None)
        if letter is None or publication is None:
            return
        try:
            check_dates(
                letter_date=letter,
                publication_date=publication,
                today=timezone.localdate(),
                confirm_past=options["confirm_past"],
            )
        except DatesRefused as error:
            raise CommandError(str(error)) from error
