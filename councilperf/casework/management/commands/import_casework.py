"""python manage.py import_casework FILE [FILE ...] [--dry-run] [--dataset SLUG]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.casework.problems import CaseworkValidationError
from councilperf.casework.services import dataset_for, import_files

DEFAULT_DATASET = "ombudsman"


class Command(BaseCommand):
    help = (
        "Import casework files (CSV or XLSX: cases, recommendations, compliance; the kind is "
        "recognised by the header row). All files are checked together and imported in one "
        "transaction: any problem and nothing is written. See docs/data-format.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and say what would be added and changed; write nothing.",
        )
        parser.add_argument(
            "--dataset",
            default=DEFAULT_DATASET,
            help=f"Slug of the dataset the cases belong to (default: {DEFAULT_DATASET}; "
            "created if new).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError("No such file: " + ", ".join(missing))
        # A device (/dev/zero), a pipe or a directory, even named .csv, is never read.
        special = [str(path) for path in paths if not path.is_file()]
        if special:
            raise CommandError(
                "Not a regular file (a device, a pipe or a directory): " + ", ".join(special)
            )
        dry_run: bool = options["dry_run"]
        # A new dataset is made in the import's transaction: none for a refused import.
        dataset = dataset_for(slug=options["dataset"], create=False)
        try:
            summary = import_files(
                paths=paths,
                dataset=dataset,
                dry_run=dry_run,
                progress=not options["no_progress"],
                label="import_casework command",
            )
        except CaseworkValidationError as error:
            self.stderr.write(error.report())
            raise CommandError(
                f"{error.total:,} problem(s) in the files; nothing was imported."
            ) from None
        self.stdout.write(str(summary))
