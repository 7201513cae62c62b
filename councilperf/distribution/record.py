"""The letter as sent is the record: its PDF and HTML copied once, with their SHA-256.

The batch (``letters.batch``) keeps the *latest* letter of each authority and year, and a
later contact or template change re-renders it. What went out by email must never change,
so before any delivery is attempted the batch's files are copied to
``SENT_LETTERS_DIR/<year>/<GSS code>-r<revision>.pdf`` (and ``.html``), hashed, and recorded
in a :class:`SentLetter`, which nothing updates afterwards.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import composing, messages
from councilperf.distribution.models import SentLetter
from councilperf.letters.models import Letter
from councilperf.letters.pdf import write_atomically
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

logger = logging.getLogger(__name__)


class LetterFileMissing(LookupError):
    """A stored letter file is missing or does not match its recorded hash."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sent_paths(year: ReportingYear, code: str, revision: int) -> tuple[Path, Path]:
    folder = Path(settings.SENT_LETTERS_DIR) / year.label
    return folder / f"{code}-r{revision}.pdf", folder / f"{code}-r{revision}.html"


def record_sent_letter(
    *,
    authority: Authority,
    review_year: ReviewYear,
    letter: Letter,
    corrected: bool,
    everyone: list[messages.Recipient],
) -> SentLetter:
    """The SentLetter of ``letter``'s revision, made from its current files if new, with
    the email composed once for every recipient (``composing``)."""
    if letter.statistics_revision is None:
        raise ValueError(f"{letter} was made from draft statistics")
    existing = SentLetter.objects.filter(
        authority=authority,
        review_year=review_year,
        statistics_revision=letter.statistics_revision,
    ).first()
    if existing is not None:
        return existing
    pdf_bytes = Path(letter.pdf_path).read_bytes()
    html_bytes = Path(letter.html_path).read_bytes()
    pdf_path, html_path = sent_paths(
        review_year.reporting_year, authority.gss_code, letter.statistics_revision
    )
    email, xlsx = composing.compose(
        letter=composing.describe(
            authority=authority,
            review_year=review_year,
            revision=letter.statistics_revision,
            corrected=corrected,
            synthetic=letter.synthetic,
        ),
        authority=authority,
        everyone=everyone,
        pdf=pdf_bytes,
    )
    email_path = pdf_path.with_suffix(".eml")
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(pdf_path, pdf_bytes)
    write_atomically(html_path, html_bytes)
    write_atomically(email_path, email)
    return SentLetter.objects.create(
        authority=authority,
        review_year=review_year,
        statistics_revision=letter.statistics_revision,
        corrected=corrected,
        pdf_path=str(pdf_path),
        pdf_sha256=sha256(pdf_bytes),
        html_path=str(html_path),
        html_sha256=sha256(html_bytes),
        xlsx_sha256=sha256(xlsx) if xlsx is not None else "",
        email_path=str(email_path),
        email_sha256=sha256(email),
        content_hash=letter.content_hash,
        synthetic=letter.synthetic,
        created_at=timezone.now(),
    )


def read_checked(path: str, expected: str) -> bytes:
    """A sent letter's file, refused (and logged) if missing or altered."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        logger.error("sent letter file missing: %s (%s)", path, error)
        raise LetterFileMissing(path) from error
    if sha256(data) != expected:
        logger.error("sent letter file altered: %s (hash differs from the record)", path)
        raise LetterFileMissing(path)
    return data
