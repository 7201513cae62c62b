"""The publication job: every year public now whose built files are not of its current
revision gets them built — the review PDF, the open data, the map data, the link cards — and
its pages warmed into the cache; then the revision built is recorded (``distribution.publication``).

It sits above the site and the API (their builders are siblings, so neither may call the
other). ``manage.py publish_due`` runs it; a systemd timer runs that every five minutes
(docs/deployment.md). A second run with nothing new does nothing; a correction since the last
build makes the year due again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from councilperf.alerts import releases, subscriptions
from councilperf.api.builds import build_all_years, build_year
from councilperf.distribution.publication import built_revision, record_publication
from councilperf.published import years as public
from councilperf.serving.warm import warm
from councilperf.site import mapdata
from councilperf.site.builds import build_cards, build_review_pdfs
from councilperf.years import ReportingYear

Progress = Callable[[str], None]
Step = Callable[[str], None]  # called before each step with its name ("building review PDF")


class PublicationFailed(Exception):
    """A step failed: nothing is recorded, so the next run tries the year again."""


@dataclass(frozen=True)
class Published:
    year: ReportingYear
    revision: int


def due(state: public.PublishedState) -> list[public.PublishedYear]:
    """The public years whose built files are not of their latest revision."""
    return [p for p in state.years if built_revision(p.year) != p.revision]


def steps(count: int) -> int:
    """How many steps a run publishing ``count`` years takes (4 builds each: review PDF, open
    data, map data, link cards; then the all-years file and one warm)."""
    return 4 * count + 2 if count else 0


def publish_due(
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    step: Callable[[str, int, int], None] | None = None,
) -> list[Published]:
    """Build and warm every year due at ``now`` (default: now); the years published.
    ``step(name, done, total)`` is called before each step (the job page's phases)."""
    say = progress or (lambda line: None)
    state = public.snapshot(now)
    waiting = due(state)
    if not waiting:
        say("Nothing due: every public year is built for its current revision.")
        send_alerts(say)  # alerts a stopped run left unsent
        return []
    total = steps(len(waiting))
    counter = iter(range(total))

    def announce(name: str) -> None:
        if step:
            step(name, next(counter), total)

    with public.reading(state):  # one published state for every file of the run
        for item in waiting:
            build_files(item, say, announce)
        announce("building the all-years file")
        every = build_all_years()  # the all-years file of every year public now
        say(f"All years: open data, {every['rows']} rows")
    # One warm for every year built (each warm starts a new cache generation, so warming year
    # by year would drop the pages of the years before).
    announce("warming the page cache")
    report = warm(years=[item.year for item in waiting])
    if report.failed:
        url, code = report.failed[0]
        raise PublicationFailed(f"{len(report.failed)} pages failed to render, e.g. {url} {code}")
    done = []
    for item in waiting:
        say(f"{item.year} revision {item.revision}: cache warmed")
        # The alerts are queued with the record: never a publication without its alerts.
        with transaction.atomic():
            before = built_revision(item.year)
            record_publication(year=item.year, revision=item.revision)
            queued = releases.prepare(year=item.year, revision=item.revision, replaces=before)
        say(f"{item.year} revision {item.revision}: published, {queued} alert(s) queued")
        done.append(Published(item.year, item.revision))
    send_alerts(say)
    return done


def send_alerts(say: Progress) -> None:
    """Send the alerts still to be sent (each exactly once); a line when there were any."""
    subscriptions.forget_expired()
    result = releases.send_outstanding()
    if result.anything:
        say(f"Alerts: {result}")
    for problem in result.problems:
        say(f"Alerts: {problem}")


def build_files(item: public.PublishedYear, say: Progress, announce: Step | None = None) -> None:
    """The year's review PDF, open data, map data and link cards, one line per step
    (``announce`` before each)."""
    year, revision = item.year, item.revision
    announce = announce or (lambda name: None)
    announce(f"building the {year} review PDF")
    (pdf,) = build_review_pdfs(years=[year])
    say(f"{year} revision {revision}: review PDF {'written' if pdf.written else 'unchanged'}")
    announce(f"building the {year} open data")
    manifest = build_year(year)
    say(f"{year} revision {revision}: open data, {len(manifest['files'])} files")
    announce(f"building the {year} map data")
    for line in mapdata.build_years([year]):
        say(f"{year} revision {revision}: map {line.removeprefix(f'{year} ')}")
    announce(f"building the {year} link cards")
    cards = build_cards(years=[year])
    say(f"{year} revision {revision}: link cards, {cards} written")
