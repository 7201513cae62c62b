"""The tally of one sending run (alerts, reminders): each outcome counted once, refusals and
doubts named, and its one-line summary."""

from __future__ import annotations

import pytest

from councilperf.distribution.claims import Run, Status


@pytest.mark.parametrize(
    ("status", "counts", "problem"),
    [
        (Status.SENT, (1, 0, 0), None),
        (Status.FAILED, (0, 1, 0), "a@b.example: refused (550 no such user)"),
        (Status.IN_DOUBT, (0, 0, 1), "a@b.example: in doubt (550 no such user)"),
        (Status.RETRY, (0, 0, 0), None),  # left for the next run: counted by ``unsent``
        (None, (0, 0, 0), None),  # no longer to be sent: another run had it
    ],
)
def test_each_outcome_is_counted_once(
    status: str | None, counts: tuple[int, int, int], problem: str | None
) -> None:
    run = Run()
    run.count(status, who="a@b.example", detail="550 no such user")
    assert (run.sent, run.failed, run.in_doubt) == counts
    assert run.problems == ([problem] if problem else [])
    assert run.anything is any(counts)


def test_the_summary_names_every_count() -> None:
    run = Run(sent=3, failed=1, in_doubt=2, unsent=4)
    assert str(run) == "3 sent, 1 refused, 2 in doubt, 4 left for the next run"
    assert Run(unsent=1).anything and not Run().anything


def test_outcomes_add_up_over_a_run() -> None:
    run = Run()
    for status in (Status.SENT, Status.SENT, Status.FAILED, Status.FAILED, Status.IN_DOUBT):
        run.count(status, who="x@y.example", detail="d")
    run.count(Status.IN_DOUBT, who="z@y.example", detail="d")
    assert (run.sent, run.failed, run.in_doubt) == (2, 2, 2)
    assert len(run.problems) == 4
