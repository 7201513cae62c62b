"""correct_statistics --year 2019-20 --reason "...": a new revision of a frozen year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.statistics.management.commands._common import parse_year
from councilperf.statistics.selectors import export_rows
from councilperf.statistics.services import StatisticsError, correct_statistics


class Command(BaseCommand):
    help = (
        "Record a correction to a frozen year: compute its statistics afresh from the casework "
        "and store them as the next revision with the reason. Earlier revisions stay readable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help='reporting year, e.g. "2019-20"')
        parser.add_argument("--reason", required=True, help="why the figures changed")

    def handle(self, *args: Any, **options: Any) -> None:
        year = parse_year(options["year"])
        try:
            revision = correct_statistics(year=year, reason=options["reason"])
        except StatisticsError as error:
            raise CommandError(str(error)) from error
        assert revision.number is not None
        before = {
            r["authority_code"]: r for r in export_rows(year=year, revision=revision.number - 1)
        }
        after = export_rows(year=year, revision=revision.number)
        changed = [
            r["authority_code"]
            for r in after
            if {k: v for k, v in r.items() if k != "revision"}
            != {
                k: v for k, v in before.get(str(r["authority_code"]), {}).items() if k != "revision"
            }
        ]
        self.stdout.write(
            f"{year} revision {revision.number} recorded: {revision.reason} "
            f"({len(changed)} authorities' figures changed"
            + (f": {', '.join(str(c) for c in changed[:20])}" if changed else "")
            + ")"
        )
