"""A job's row as the work goes on: its phases, counts, start and finish.

:class:`Reporter` is what a runner is given: ``phase("sending", total=1268)`` starts a counted
phase, ``tick()`` counts one item, ``step(...)`` moves through a fixed list of steps (the
publication job). :func:`foreground` records work done outside the worker (``publish_due``
from a timer) as a job row too, so the dashboard shows it like any other.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import F
from django.utils import timezone

from councilperf.distribution.models import QueueJob
from councilperf.statistics.models import ReviewYear

PROCESS = "process"  # a foreground run's payload key: "host:pid" of the process running it
Tick = Callable[[str], None]
Counter = Callable[[int], Tick]


class Reporter:
    """Writes the progress of job ``pk`` to its row (one short UPDATE per call)."""

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.summary = ""  # what a foreground run says when it ends well

    def _rows(self) -> Any:
        return QueueJob.objects.filter(pk=self.pk)

    def begin(self) -> None:
        """A run starts (the first, or a resume): counts, phases and times start afresh."""
        self._rows().update(
            status=QueueJob.Status.RUNNING,
            message="",
            phase="",
            phases=[],
            done=0,
            total=0,
            failures=0,
            started_at=timezone.now(),
            phase_started_at=None,
            finished_at=None,
        )

    def phase(self, name: str, *, total: int = 0) -> None:
        """A new phase of ``total`` items (0: not known); its pace is timed from now."""
        now = timezone.now()
        phases = list(self._rows().values_list("phases", flat=True).first() or [])
        phases.append({"phase": name, "total": total, "at": now.isoformat()})
        self._rows().update(phase=name, total=total, done=0, phase_started_at=now, phases=phases)

    def tick(self, *, failed: bool = False) -> None:
        self._rows().update(done=F("done") + 1, failures=F("failures") + (1 if failed else 0))

    def step(self, name: str, *, done: int, total: int) -> None:
        """Step ``done + 1`` of ``total`` in a fixed list (timed as one phase)."""
        if done == 0:
            self.phase(name, total=total)
        else:
            self._rows().update(phase=name, done=done, total=total)

    def counter(self, name: str, *, failed: Callable[[str], bool] | None = None) -> Counter:
        """The ``progress`` argument of the services (``progress(total)`` then ``tick(status)``
        per item) as a phase called ``name``; ``failed(status)`` says which items failed."""

        def start(total: int) -> Tick:
            self.phase(name, total=total)

            def tick(status: str = "") -> None:
                self.tick(failed=bool(failed and failed(status)))

            return tick

        return start

    def finish(self, *, status: str, message: str) -> None:
        """The run ends: done (every item counted) or failed (the counts as they stood)."""
        extra = {"done": F("total")} if status == QueueJob.Status.DONE else {}
        self._rows().update(status=status, message=message, finished_at=timezone.now(), **extra)


def create(
    *,
    kind: str,
    requested_by: str,
    review_year: ReviewYear | None = None,
    payload: dict[str, Any] | None = None,
) -> QueueJob:
    return QueueJob.objects.create(
        kind=kind,
        review_year=review_year,
        requested_by=requested_by,
        created_at=timezone.now(),
        payload=payload or {},
    )


def process_alive(process: str) -> bool | None:
    """Whether the process "host:pid" runs (None: on another host, which cannot be told)."""
    host, _, pid = process.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def foreground(
    *, kind: str, requested_by: str, review_year: ReviewYear | None = None
) -> Iterator[Reporter]:
    """Record work run in this process (a command) as a job row: running while the block
    runs, then done, or failed with the error's text (the error goes on up)."""
    process = f"{socket.gethostname()}:{os.getpid()}"  # how the page tells it is alive
    job = create(
        kind=kind, requested_by=requested_by, review_year=review_year, payload={PROCESS: process}
    )
    reporter = Reporter(job.pk)
    reporter.begin()
    try:
        yield reporter
    except BaseException as error:
        reporter.finish(status=QueueJob.Status.FAILED, message=str(error) or type(error).__name__)
        raise
    reporter.finish(status=QueueJob.Status.DONE, message=reporter.summary or "Done.")
