"""``manage.py set_year_dates --year 2024-25 --letter-date D --publication-date D
[--publication-time HH:MM] [--reason TEXT] [--confirm-past]``: the year's letter date and
publication date and time, read by every letter, email and page and the release calendar."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import dates, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Set a review year's letter and publication dates (until its letters are sent). The "
        "publication date must come after the letter date; one already past needs "
        "--confirm-past. Moving an announced release (a frozen year's publication date or "
        "time) needs --reason, shown on the release calendar. Letters made with the old dates "
        "are then out of date, and an approval not yet acted on must be given again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2024-25")
        parser.add_argument(
            "--letter-date", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--publication-date", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--publication-time",
            type=_time,
            default=None,
            help="HH:MM in Europe/London (default: keep the year's, 09:30 unless set)",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="why an announced release moves (required then; the release calendar shows it)",
        )
        parser.add_argument(
            "--confirm-past",
            action="store_true",
            help="keep a publication date that is today or earlier",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = ReportingYear.parse(options["year"])
            review_year = dates.set_year_dates(
                year=year,
                user=None,
                letter_date=options["letter_date"],
                publication_date=options["publication_date"],
                publication_time=options["publication_time"],
                reason=options["reason"],
                confirm_past=options["confirm_past"],
            )
        except (CycleError, roles.NotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{review_year.year}: letter date {review_year.letter_date}, publication date "
            f"{review_year.publication_date} at {review_year.publication_time:%H:%M}"
        )


def _time(text: str) -> dt.time:
    try:
        return dates.parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
