"""Build each published year's open data files (CSV, XLSX, JSON, datapackage.json, zip).

    manage.py build_open_data                 every published year
    manage.py build_open_data --year 2019-20  one year

Files go to BUILD_DIR/opendata/<year>/r<revision>/ (ignored by git), and the all-years file
of every published year to BUILD_DIR/opendata/all-years/; the downloads page, /downloads/<year>/…
and /downloads/all-years/… serve them. Run it after freezing or correcting a year.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from councilperf.api import builds
from councilperf.diskspace import DiskFull
from councilperf.published import figures
from councilperf.published import years as public
from councilperf.serving import invalidation
from councilperf.years import ReportingYear, labels


class Command(BaseCommand):
    help = "Build each published year's open data files and Data Package into BUILD_DIR/opendata."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", action="append", help="Published year, e.g. 2019-20")

    def handle(self, *args: Any, **options: Any) -> None:
        with public.reading():  # one published state for every file of the run
            self.build(options)
        invalidation.bump()  # the downloads page lists the new files at once
        self.stdout.write(self.style.SUCCESS(f"Open data written to {builds.root()}"))

    def build(self, options: dict[str, Any]) -> None:
        published = figures.published_years()
        try:
            years = [ReportingYear.parse(y) for y in options["year"] or []] or published
        except ValueError as error:
            raise CommandError(str(error)) from error
        missing = labels(y for y in years if y not in published)
        if missing:
            raise CommandError(f"Not published, so no open data: {', '.join(missing)}")
        for year in tqdm(years, desc="Open data", unit="year", disable=not years):
            try:
                manifest = builds.build_year(year)
            except DiskFull as full:
                raise CommandError(str(full)) from None
            size = sum(manifest["files"].values())
            self.stdout.write(
                f"{year} revision {manifest['revision']}: {len(manifest['files'])} files, "
                f"{size / 1024:.0f} KB; {len(manifest['revisions'])} earlier revisions"
            )
        if not published:
            return
        try:
            every = builds.build_all_years()  # every published year, whichever were asked for
        except DiskFull as full:
            raise CommandError(str(full)) from None
        self.stdout.write(f"All years: {every['rows']} rows, {len(every['files'])} files")
