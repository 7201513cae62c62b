"""Compose a letter's email once, when the letter is recorded as sent (not per copy).

The email — letter PDF, the council's case-level spreadsheet, the body with the publication
date and the private preview link — is kept beside the letter's files as
``<GSS code>-r<revision>.eml`` (CRLF line ends, as on the wire) with its hash. Each copy
differs only in its ``Message-ID`` (``messages.MESSAGE_ID_SLOT``), so sending a copy is a
byte substitution, and what was sent stays on record.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from councilperf.authorities.models import Authority
from councilperf.distribution import messages, preview, spreadsheet
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
    )


def compose(
    *, letter: messages.Letter, authority: Authority, everyone: list[messages.Recipient], pdf: bytes
) -> tuple[bytes, bytes]:
    """(the email's bytes with CRLF line ends, the spreadsheet's bytes)."""
    xlsx = spreadsheet.casework_xlsx(
        authority=authority, year=letter.year, synthetic=letter.synthetic
    )
    email = messages.build(letter=letter, everyone=everyone, pdf=pdf, xlsx=xlsx)
    data = re.sub(rb"\r?\n", b"\r\n", email.message().as_bytes())
    return data, xlsx


def copy_for(data: bytes, message_id: str) -> bytes:
    """One recipient's copy: the composed email with its own Message-ID."""
    return data.replace(messages.MESSAGE_ID_SLOT.encode(), message_id.encode(), 1)
