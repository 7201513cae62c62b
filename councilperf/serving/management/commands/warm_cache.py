"""warm_cache [--year Y]: fill the page cache with the published years' public pages."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from councilperf.serving.warm import warm
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Warm the page cache: request every public page of the published years once (the "
        "publish step and `make demo` run this). Starts a new cache generation first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            help='a published year, e.g. "2019-20", or a span; default: every published year',
        )
        parser.add_argument(
            "--host", help="the site's host name as visitors write it (default: ALLOWED_HOSTS)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = None
        if options["year"]:
            try:
                years = ReportingYear.span(options["year"])
            except ValueError as error:
                raise CommandError(str(error)) from error
        bar = tqdm(
            desc="Warming pages",
            unit="page",
            file=sys.stderr,
            disable=options["verbosity"] < 1 or not sys.stderr.isatty(),
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = warm(years=years, host=options["host"], progress=progress)
        bar.close()
        if not report.years:
            self.stdout.write("No published year to warm: the cache starts a new generation.")
            return
        self.stdout.write(
            f"Warmed {report.pages} pages of {', '.join(y.label for y in report.years)} "
            f"({report.bytes / 1e6:.1f} MB as served, gzip and plain)."
        )
        if report.missing:
            self.stdout.write(
                f"{len(report.missing)} linked pages do not exist (404), e.g. {report.missing[0]}"
            )
        for url, status in report.failed:
            self.stderr.write(f"  {url}: HTTP {status}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} pages failed to render")
