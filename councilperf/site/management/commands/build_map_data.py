"""Build the map's boundary files: one simplified, quantised file per year and tier.

    manage.py build_map_data                 every year that has authorities
    manage.py build_map_data --year 2019-20  one year

Files go to BUILD_DIR/map (ignored by git) with a manifest the home page reads; the site
serves them with a content hash in the address, so browsers may keep them for a year.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from councilperf.authorities.models import AuthorityYear
from councilperf.site import mapdata
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = "Simplify and quantise each year's boundaries per map tier into BUILD_DIR/map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", action="append", help="Reporting year, e.g. 2019-20")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["year"] or sorted(set(AuthorityYear.objects.values_list("year", flat=True)))
        years = [ReportingYear.parse(label) for label in given]
        for line in mapdata.build_years(years):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Map data written to {mapdata.map_dir()}"))
