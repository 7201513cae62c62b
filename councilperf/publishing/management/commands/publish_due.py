"""publish_due: build and warm every public year not yet built for its current revision.

    manage.py publish_due

The review PDF, the open data, the map data and the page cache of each year that is public
now (frozen, approved, its publication date come) and not yet built for its latest revision.
A timer runs it every five minutes (docs/deployment.md); with nothing due it does nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from councilperf.diskspace import DiskFull
from councilperf.publishing.services import PublicationFailed, publish_due


class Command(BaseCommand):
    help = "Build the review PDF, open data and map data of every public year due, warm its pages."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = publish_due(progress=self.stdout.write)
        except (PublicationFailed, DiskFull) as error:
            raise CommandError(str(error)) from None
        if done:
            years = ", ".join(f"{p.year} (revision {p.revision})" for p in done)
            self.stdout.write(self.style.SUCCESS(f"Published {years}"))
