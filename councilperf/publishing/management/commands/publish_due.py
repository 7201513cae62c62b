"""publish_due: build and warm every public year not yet built for its current revision.

    manage.py publish_due

The review PDF, the open data, the map data and the page cache of each year that is public
now (frozen, approved, its publication time come) and not yet built for its latest revision.
A timer runs it every five minutes (docs/deployment.md). With nothing due it builds nothing
and records no job; it only sends the alerts a stopped run left unsent. When something is
due its run is recorded as a publish job, so the staff dashboard shows its steps like those
of "Publish now"; while a publish job is waiting or running already, it leaves the work to
that one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from councilperf.diskspace import DiskFull
from councilperf.distribution import jobs
from councilperf.distribution.jobrecord import foreground
from councilperf.distribution.models import QueueJob
from councilperf.published import years as public
from councilperf.publishing.jobs import record_years, step, summary
from councilperf.publishing.services import PublicationFailed, due, publish_due, send_alerts
from councilperf.statistics.models import ReviewYear


class Command(BaseCommand):
    help = "Build the review PDF, open data and map data of every public year due, warm its pages."

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = due(public.snapshot())
        if not waiting:
            self.stdout.write("Nothing due: every public year is built for its current revision.")
            send_alerts(self.stdout.write)  # alerts a stopped run left unsent
            return
        running = jobs.live(QueueJob.Kind.PUBLISH)
        if running is not None:  # "Publish now" (or another run) is at it: left to it
            self.stdout.write(f"A publish job is running (job {running.pk}): left to it.")
            return
        latest = ReviewYear.objects.filter(year=waiting[-1].year.label).first()
        try:
            with foreground(
                kind=QueueJob.Kind.PUBLISH, requested_by="publish_due", review_year=latest
            ) as reporter:
                done = publish_due(progress=self.stdout.write, step=step(reporter))
                reporter.summary = summary(done)
                record_years(reporter.pk, done)
        except (PublicationFailed, DiskFull) as error:
            raise CommandError(str(error)) from None
        if done:
            years = ", ".join(f"{p.year} (revision {p.revision})" for p in done)
            self.stdout.write(self.style.SUCCESS(f"Published {years}"))
