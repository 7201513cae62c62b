"""python manage.py export_casework [--year 2019-20] [--dataset SLUG] --out DIR"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.casework.exporting import export_casework
from councilperf.casework.models import Dataset
from councilperf.casework.parsing import Kind
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = (
        "Write the casework of a reporting year (or of all years) as three CSV files in "
        "exactly the import format: cases, recommendations, compliance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", help="Reporting year, e.g. 2019-20 (default: all years).")
        parser.add_argument("--dataset", help="Only this dataset's cases (slug).")
        parser.add_argument("--out", required=True, type=Path, help="Directory to write into.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = ReportingYear.parse(options["year"]) if options["year"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        dataset = None
        if options["dataset"]:
            dataset = Dataset.objects.filter(slug=options["dataset"]).first()
            if dataset is None:
                raise CommandError(f"No dataset with the slug {options['dataset']!r}.")
        exported = export_casework(directory=options["out"], year=year, dataset=dataset)
        for file in exported:
            self.stdout.write(f"{file.path}: {file.rows:,} {file.kind}")
        empty = [str(kind) for kind in Kind if kind not in {file.kind for file in exported}]
        if empty:
            self.stdout.write(f"Nothing to export, so no file: {', '.join(empty)}")
