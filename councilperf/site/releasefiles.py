"""The release calendar as files: an iCalendar file of the releases to come (``/releases.ics``)
and an Atom feed of the releases published and of every correction with its reason
(``/releases.atom``). Every address in them is absolute, from ``settings.SITE_URL``; a file made
from demonstration data says so."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from councilperf.letters.wording import DEMO_LABEL, long_date
from councilperf.published import calendar, figures
from councilperf.published import years as public
from councilperf.site.pages.releases import when

CALENDAR_NAME = "Your council's performance: releases"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _demo(synthetic: bool) -> str:
    return f" {DEMO_LABEL}." if synthetic else ""


def _synthetic() -> bool:
    state = public.current()
    return bool(state.years) and state.years[-1].synthetic


def _event(release: calendar.Release, contact: calendar.Contact, demo: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", release.uid)
    # When this release's entry was last revised in the calendar: its last change, else when
    # it was announced (RFC 5545 3.8.7.2, for a calendar with no METHOD).
    stamp = release.changes[-1].changed_at if release.changes else release.announced_at
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", release.at)  # Europe/London, with its TZID and VTIMEZONE
    event.add("summary", f"Release: {release.title}")
    lines = [f"{release.status_label}: {when(release)} (UK time)."]
    lines += [f"Moved on {long_date(c.changed_on)}. Reason: {c.reason}" for c in release.changes]
    lines.append(f"Contact: {contact.name}, {contact.email}.{demo}")
    event.add("description", "\n".join(lines))
    event.add("url", _absolute(reverse("site:releases")) + f"#release-{release.year}")
    event.add("sequence", len(release.changes))  # a moved release supersedes the old entry
    event.add("status", "CONFIRMED")
    return event


def calendar_ics() -> bytes:
    """Every release still to come (or overdue), with stable UIDs (one per year)."""
    contact = calendar.contact()
    demo = _demo(_synthetic())
    found = icalendar.Calendar()
    found.add("prodid", "-//Council Performance//Release calendar//EN")
    found.add("version", "2.0")
    found.add("calscale", "GREGORIAN")
    found.add("x-wr-calname", CALENDAR_NAME)
    found.add("x-wr-caldesc", f"Releases of the complaint statistics of councils.{demo}")
    upcoming = calendar.upcoming()
    for release in upcoming:
        found.add_component(_event(release, contact, demo))
    if upcoming:  # the zone's rules over the years of the releases only
        first, last = upcoming[0].at.date(), upcoming[-1].at.date()
        found.add_missing_timezones(
            first_date=first.replace(month=1, day=1), last_date=last.replace(year=last.year + 1)
        )
    return found.to_ical()


def _entries() -> list[dict[str, Any]]:
    """A release per published year and a correction per later revision, newest first."""
    state = public.current()
    items: list[dict[str, Any]] = []
    for published in calendar.releases():
        if published.upcoming:
            continue
        year = published.year
        found = state.get(year)
        demo = _demo(bool(found and found.synthetic))
        review = _absolute(reverse("site:review", args=[year]))
        items.append(
            {
                "title": f"{year} figures published",
                "link": review,
                "description": f"The {year} figures and letters were published on "
                f"{when(published)} (UK time).{demo}",
                "unique_id": f"{review}#release",
                "updateddate": published.at,
            }
        )
        items += [
            {
                "title": f"{year} figures corrected: revision {info.revision}",
                "link": review,
                "description": f"Reason: {info.reason}{demo}",
                "unique_id": f"{review}#revision-{info.revision}",
                "updateddate": info.computed_at,
            }
            for info in figures.revision_history(year)
            if info.revision is not None and info.revision > 1
        ]
    return sorted(items, key=lambda item: item["updateddate"], reverse=True)


def releases_atom() -> bytes:
    """The releases published and each correction (a revision) with its reason."""
    contact = calendar.contact()
    feed_url = _absolute(reverse("site:releases_atom"))
    about = "Each release of the figures, and each correction with its reason." + _demo(
        _synthetic()
    )
    feed = Atom1Feed(
        title="Your council's performance: releases and corrections",
        link=_absolute(reverse("site:releases")),
        description=about,
        subtitle=about,
        feed_url=feed_url,
        feed_guid=feed_url,
        language="en-GB",
        author_name=contact.name,
        author_email=contact.email,
    )
    for item in _entries():
        feed.add_item(pubdate=item["updateddate"], **item)
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode()
