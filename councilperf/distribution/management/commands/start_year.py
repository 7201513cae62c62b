"""``manage.py start_year --year 2025-26``: a new review year, its letter template a copy of
the latest year's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.distribution import roles, yearstart
from councilperf.distribution.lifecycle import CycleError
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Start a review year: create it (a draft) with its letter template copied from the "
        "latest year's (signatory, copies, blocks, body). Edit the template, then a publisher "
        "reviews it (review_letter_template)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Reporting year, e.g. 2025-26")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            template = yearstart.start_year(year=ReportingYear.parse(options["year"]), user=None)
        except (CycleError, roles.NotAllowed, ValueError) as error:
            raise CommandError(str(error)) from error
        signatory = template.signatory.splitlines()[0] if template.signatory else "nobody"
        self.stdout.write(
            f"{template.review_year.year} started: letter template version {template.version}, "
            f"signed by {signatory}"
        )
