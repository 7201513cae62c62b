"""restore DIR: replace the database and the letter files with a backup made by ``backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.serving.backup import BackupError, moved_directories, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: every file is checked against its hash first, then "
        "the database and the backed-up directories are replaced. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a directory written by `backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["directory"])
        try:
            manifest = read_manifest(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = settings.DATABASES["default"]["NAME"]
        self.stdout.write(
            f"Backup of {manifest['created']} ({manifest['engine']}, "
            f"{len(manifest['files'])} files): checked, every hash matches."
        )
        for line in moved_directories(manifest):
            self.stderr.write(f"Warning: {line}; letter records name the old paths.")
        if options["interactive"]:
            answer = input(
                f"This replaces everything in the database {database} and the letter files. "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled: nothing was changed")
        try:
            summary = restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database and {summary.files} files from {source}.")
        call_command("migrate", interactive=False, verbosity=0)  # a backup from older code
        self.stdout.write("Migrations applied. Run warm_cache (and reload the server) next.")
