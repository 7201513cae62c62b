"""Sharing and citing a public page, from one place: its absolute address, its card image and
its citation.

Every absolute address the site prints (canonical link, Open Graph and Twitter tags, oEmbed
link, share box, citation) is ``SITE_URL`` plus the page's path, never the request's host or
scheme: the cache warmer renders pages in-process with the first allowed host over http,
so an address built from the request would be cached as ``http://127.0.0.1/…``.

The cards (PNG images of a council's three key figures, the ``og:image`` of its page) are
built by the publication job (``site.builds.build_cards``) under ``BUILD_DIR/cards``; the
views only read them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from councilperf.published import years as public
from councilperf.serving.http import absolute_url
from councilperf.site.presentation.citation import Citation, citation_key, cite
from councilperf.years import ReportingYear

absolute = absolute_url  # the one place: serving.http (the API's pages use it too)


def cards_dir() -> Path:
    return Path(settings.BUILD_DIR) / "cards"


def site_card_path() -> Path:
    """The site-wide card: the image of every page without a card of its own."""
    return cards_dir() / "site.png"


def card_path(year: ReportingYear, slug: str) -> Path:
    return cards_dir() / year.label / f"{slug}.png"


def page_citation(
    *,
    title: str,
    path: str,
    year: ReportingYear,
    key: str,
    accessed: dt.date | None = None,
) -> Citation:
    """The citation of a page showing ``year``'s figures: the revision and publication date
    of the year as published now (``published.years``), the page's address from SITE_URL."""
    shown = public.current().get(year)
    return cite(
        title=title,
        revision=shown.revision if shown else None,
        published=shown.publication_date if shown else None,
        url=absolute(path),
        accessed=accessed or timezone.localdate(),
        key=citation_key("cp", key, year.label),
    )


def page_context(
    *,
    title: str,
    path: str,
    year: ReportingYear,
    key: str,
    share_path: str = "",
    image: str = "",
) -> dict[str, Any]:
    """What a page with a share box and a citation adds to its context: its canonical
    path, the path to share (the view as shown, if it differs), its card and citation."""
    accessed = timezone.localdate()
    return {
        "canonical_path": path,
        "share_path": share_path or path,
        "share_image": image,
        "citation_title": title,
        "citation_accessed": accessed,
        "citation": page_citation(title=title, path=path, year=year, key=key, accessed=accessed),
    }
