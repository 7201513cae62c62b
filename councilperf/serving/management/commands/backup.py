"""backup --out DIR: the database and the letter files into a new directory, with hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.serving.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the files that matter "
        "(the letters as sent) into DIR, a new directory, with a manifest of SHA-256 hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup(out=Path(options["out"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {summary.engine} database and {summary.files} files "
            f"({summary.bytes / 1e6:.1f} MB) into {summary.directory}"
        )
