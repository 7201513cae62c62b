"""Compose a letter's email once, when the letter is recorded as sent (not per copy).

The email — letter PDF, the body with the publication date, a link to the council's year
in its portal (where its case-level spreadsheet is downloaded, each download logged) and
the private preview link as a fallback for the chief executive — is kept beside the
letter's files as ``<GSS code>-r<revision>.eml`` (CRLF line ends, as on the wire) with its
hash. Each copy differs only in its ``Message-ID`` (``messages.MESSAGE_ID_SLOT``), so
sending a copy is a byte substitution, and what was sent stays on record.

A year whose cycle says ``attach_case_spreadsheet`` attaches the spreadsheet as before,
instead of the portal link.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from councilperf.authorities.models import Authority
from councilperf.distribution import messages, preview, spreadsheet
from councilperf.distribution.models import YearCycle
from councilperf.letters import wording
from councilperf.statistics.models import ReviewYear


def describe(
    *,
    authority: Authority,
    review_year: ReviewYear,
    revision: int,
    corrected: bool,
    synthetic: bool,
) -> messages.Letter:
    published = review_year.publication_date
    cycle = YearCycle.objects.filter(review_year=review_year).first()
    attach = cycle is not None and cycle.attach_case_spreadsheet
    return messages.Letter(
        authority_name=authority.official_name,
        authority_code=authority.gss_code,
        year=review_year.reporting_year,
        revision=revision,
        corrected=corrected,
        synthetic=synthetic,
        publication_date=wording.long_date(published) if published else "a date to come",
        publication_time=f"{review_year.publication_time:%H:%M}" if published else "",
        public_url=settings.SITE_URL + reverse("site:council", args=[authority.slug]),
        preview_url=preview.preview_url(code=authority.gss_code, review_year=review_year)
        if published
        else "",
        portal_url=""
        if attach
        else settings.SITE_URL
        + reverse("portal:year", args=[authority.slug, review_year.reporting_year]),
    )


def compose(
    *, letter: messages.Letter, authority: Authority, everyone: list[messages.Recipient], pdf: bytes
) -> tuple[bytes, bytes | None]:
    """(the email's bytes with CRLF line ends, the attached spreadsheet's bytes or None when
    the email links to the portal instead)."""
    xlsx = (
        None
        if letter.portal_url
        else spreadsheet.casework_xlsx(
            authority=authority, year=letter.year, synthetic=letter.synthetic
        )
    )
    email = messages.build(letter=letter, everyone=everyone, pdf=pdf, xlsx=xlsx)
    data = re.sub(rb"\r?\n", b"\r\n", email.message().as_bytes())
    return data, xlsx


def copy_for(data: bytes, message_id: str) -> bytes:
    """One recipient's copy: the composed email with its own Message-ID."""
    return data.replace(messages.MESSAGE_ID_SLOT.encode(), message_id.encode(), 1)
