"""``manage.py run_worker [--burst]``: the task-queue worker (RQ on ``REDIS_URL``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from councilperf.distribution import jobs


class Command(BaseCommand):
    help = (
        "Run the worker that does the staff pages' long jobs (import, compute, freeze, "
        "approve, letters, send, publish)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        from rq import Worker

        queue = jobs.queue()
        mode = "until the queue is empty" if options["burst"] else "until stopped"
        self.stdout.write(f"Worker for queue {queue.name} ({mode})")
        Worker([queue], connection=queue.connection).work(
            burst=options["burst"], with_scheduler=False
        )
