"""Build the national review PDF of every published year, ahead of any request.

    manage.py build_review_pdfs                  every published year
    manage.py build_review_pdfs --year 2019-20   one year

Files go to BUILD_DIR/review (ignored by git); /review/<year>/review.pdf serves them and is a
404 until they exist. Run it when a year is published or corrected.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.site.builds import build_review_pdfs
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = "Render each published year's national review PDF into BUILD_DIR/review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", action="append", help="Reporting year, e.g. 2019-20")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = [ReportingYear.parse(y) for y in options["year"]] if options["year"] else None
            built = build_review_pdfs(years=years)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not built:
            self.stdout.write("No published year: nothing to build.")
        for item in built:
            state = "written" if item.written else "unchanged"
            self.stdout.write(f"{item.year}: {item.size / 1024:.0f} KB, {state} ({item.path})")
