"""export_statistics --year 2019-20 --format csv|json|xlsx [--revision N] [--out FILE]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.statistics.export import to_csv, to_json, write_xlsx
from councilperf.statistics.management.commands._common import parse_year
from councilperf.statistics.selectors import EXPORT_COLUMNS, StatisticsNotFound, export_rows


class Command(BaseCommand):
    help = (
        "Export a year's statistics, one row per authority existing in it (zeros included). "
        "Rates are unrounded fractions in [0, 1], blank (null) where undefined; revision is "
        "blank for a draft. Without --revision: the latest frozen revision, or the draft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help='reporting year, e.g. "2019-20"')
        parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
        parser.add_argument("--revision", type=int, help="a frozen revision number")
        parser.add_argument("--out", help="file to write (default: standard output; xlsx needs it)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = parse_year(options["year"])
        try:
            rows = export_rows(year=year, revision=options["revision"])
        except StatisticsNotFound as error:
            raise CommandError(str(error)) from error
        table = [{column: row[column] for column in EXPORT_COLUMNS} for row in rows]
        out = Path(options["out"]) if options["out"] else None
        fmt = options["format"]
        if fmt == "xlsx":
            if out is None:
                raise CommandError("--format xlsx needs --out FILE")
            write_xlsx(table, out)
        else:
            text = to_csv(table) if fmt == "csv" else to_json(table)
            if out is None:
                self.stdout.write(text, ending="")
            else:
                out.write_text(text, encoding="utf-8")
        if any(row["synthetic"] for row in rows):
            self.stderr.write(
                f"note: {year} includes SYNTHETIC demonstration casework, not real decisions"
            )
        if out is not None:
            self.stderr.write(f"{len(table)} authorities written to {out}")
