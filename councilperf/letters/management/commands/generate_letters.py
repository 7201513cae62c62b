"""``manage.py generate_letters --year 2019-20 [--authority E07000038] [--out DIR] [--force]``"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from councilperf.letters import batch, rendering, sources
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Write each authority's annual review letter for a year as DIR/<year>/<GSS code>.html "
        "and .pdf, and record it. Letters whose statistics and template are unchanged are "
        "skipped, so an interrupted run can simply be run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            required=True,
            help="Reporting year, e.g. 2019-20, or an inclusive span, e.g. 2018-19:2024-25",
        )
        parser.add_argument(
            "--authority",
            action="append",
            metavar="GSS_CODE",
            help="Only this authority (repeat for more), e.g. E07000038",
        )
        parser.add_argument("--out", help="Output directory (default: settings.LETTERS_DIR)")
        parser.add_argument(
            "--force", action="store_true", help="Regenerate letters even when unchanged"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Worker processes for the PDFs (default: every available core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = ReportingYear.span(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for year in years:
            self.generate(year, options)

    def generate(self, year: ReportingYear, options: dict[str, Any]) -> None:
        show_progress = options["verbosity"] >= 1
        bars: list[tqdm[Any]] = []

        def progress(total: int) -> Callable[[], None]:
            bar = tqdm(
                total=total,
                unit="letter",
                desc=f"Letters {year}",
                disable=not show_progress or total == 0,
            )
            bars.append(bar)

            def tick() -> None:
                bar.update(1)

            return tick

        try:
            summary = batch.generate_letters(
                year=year,
                authority_codes=options["authority"],
                out=options["out"],
                force=options["force"],
                processes=options["processes"],
                progress=progress,
            )
        except (rendering.LetterError, sources.StatisticsUnavailable) as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars:
                bar.close()
        if show_progress:
            self.stdout.write(str(summary))
