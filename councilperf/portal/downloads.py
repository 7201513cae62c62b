"""The council's private files of a year, each download logged (who, which council, when).

The case-level spreadsheet is the one the letter email used to carry
(``distribution.spreadsheet.casework_xlsx``: one builder, never a second). A download is the
one write a GET makes in the portal: an :class:`~councilperf.portal.models.AccessEvent`
(``download``) per request, so colleagues can see who took the council's casework and when.
"""

from __future__ import annotations

from typing import Any, Final

from councilperf.authorities.models import Authority
from councilperf.distribution import spreadsheet
from councilperf.distribution.models import SentLetter
from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent
from councilperf.statistics.models import ReviewYear

CASES: Final = "cases.xlsx"
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cases_filename(letter: SentLetter) -> str:
    """The name the spreadsheet had as an attachment."""
    return f"complaints-{letter.review_year.year}-{letter.authority.gss_code}.xlsx"


def cases_xlsx(letter: SentLetter) -> bytes:
    """The council's case-level spreadsheet of the letter's year (marked synthetic when the
    letter was)."""
    return spreadsheet.casework_xlsx(
        authority=letter.authority,
        year=letter.review_year.reporting_year,
        synthetic=letter.synthetic,
    )


def record_download(
    *, user: Any, authority: Authority, review_year: ReviewYear, detail: str
) -> AccessEvent:
    """Log one download by a signed-in member of the council."""
    return accounts.log(
        AccessEvent.Kind.DOWNLOAD,
        user=user,
        authority=authority,
        review_year=review_year,
        detail=detail,
    )


def downloads_of(*, authority: Authority, review_year: ReviewYear) -> list[AccessEvent]:
    """Every logged download of the council's files of the year, newest first."""
    return list(
        AccessEvent.objects.filter(
            kind=AccessEvent.Kind.DOWNLOAD, authority=authority, review_year=review_year
        ).select_related("user")
    )
