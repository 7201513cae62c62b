"""A council's annual review letters of published years: the files as sent, never rendered here.

A year's letters are made by the batch before publication and, when the year is issued, the
files emailed are kept with their hash (``distribution.SentLetter``): that is what the public
pages serve. A letter whose file is missing is a logged 404, never rendered on a request."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.http import Http404
from django.urls import reverse

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.distribution.models import SentLetter
from councilperf.letters.models import Letter
from councilperf.letters.safety import clean_page
from councilperf.years import ReportingYear, labels

from .years import current, published_years

logger = logging.getLogger(__name__)


def letter_title(year: ReportingYear, sent: dt.date | None) -> str:
    """A letter named by the year its figures are of, and when it was sent: "2019-20 annual
    review letter (sent July 2020)" (the letter date of its review year)."""
    title = f"{year} annual review letter"
    return f"{title} (sent {sent:%B %Y})" if sent else title


@dataclass
class PublicLetter:
    year: ReportingYear
    title: str
    html_url: str
    pdf_url: str
    pdf_path: Path
    html_path: Path
    pdf_size: int
    content_hash: str
    synthetic: bool

    @property
    def file_name(self) -> str:
        """The name a browser saves the PDF under (the ``download`` attribute)."""
        return f"{self.pdf_url.strip('/').split('/')[1]}-{self.year}-annual-review-letter.pdf"


def _public_letter(letter: Letter | SentLetter, slug: str) -> PublicLetter | None:
    pdf, html = Path(letter.pdf_path), Path(letter.html_path)
    if not pdf.is_file() or not html.is_file():
        return None
    year = letter.review_year.reporting_year
    return PublicLetter(
        year=year,
        title=letter_title(year, letter.review_year.letter_date),
        html_url=reverse("site:letter", args=[slug, year]),
        pdf_url=reverse("site:letter_pdf", args=[slug, year]),
        pdf_path=pdf,
        html_path=html,
        pdf_size=pdf.stat().st_size,
        content_hash=letter.content_hash,
        synthetic=letter.synthetic,
    )


def letters(authority: Authority) -> list[PublicLetter]:
    """The authority's annual review letters of published years (made from frozen figures).

    A published year whose letter file is not there is listed too, with ``pdf_size`` 0:
    :func:`letter_or_404` logs it and answers 404 (it is never rendered on a request).
    """
    published = published_years()
    existed = set(
        AuthorityYear.objects.filter(authority=authority, year__in=labels(published)).values_list(
            "year", flat=True
        )
    )
    years = [y for y in reversed(published) if y.label in existed]
    found = Letter.objects.filter(
        authority=authority, review_year__year__in=labels(years), statistics_revision__isnull=False
    ).select_related("review_year")
    ready = {letter.review_year.year: _public_letter(letter, authority.slug) for letter in found}
    # The letter as sent (latest revision sent) takes precedence over the batch's latest file.
    sent = SentLetter.objects.filter(authority=authority, review_year__year__in=labels(years))
    for item in sent.select_related("review_year").order_by("statistics_revision"):
        ready[item.review_year.year] = _public_letter(item, authority.slug)
    return [ready.get(year.label) or _pending_letter(authority, year) for year in years]


def _pending_letter(authority: Authority, year: ReportingYear) -> PublicLetter:
    published = current().get(year)
    return PublicLetter(
        year=year,
        title=letter_title(year, published.letter_date if published else None),
        html_url=reverse("site:letter", args=[authority.slug, year]),
        pdf_url=reverse("site:letter_pdf", args=[authority.slug, year]),
        pdf_path=Path(),
        html_path=Path(),
        pdf_size=0,
        content_hash="",
        synthetic=False,
    )


def letter_or_404(authority: Authority, year: ReportingYear) -> PublicLetter:
    for letter in letters(authority):
        if letter.year != year:
            continue
        if letter.pdf_size:
            return letter
        logger.error("letter file missing: %s %s (generate the year's letters)", authority, year)
    raise Http404("No published letter for this council and year")


_MAIN = re.compile(r"<main[^>]*>(?P<inner>.*)</main>", re.DOTALL)


def letter_body(letter: PublicLetter) -> str:
    """The letter itself (its ``<main>`` content) from the stored HTML file, as sent, cut to
    what the letter template writes (no script or event attribute, even in a file made
    before template bodies were cleaned)."""
    found = _MAIN.search(letter.html_path.read_text(encoding="utf-8"))
    if found is None:
        raise Http404("The letter file cannot be read")
    return clean_page(found.group("inner"))
