"""A review year's lifecycle, in one place: draft → frozen → approved → issued → published.

- *draft*: statistics recomputed freely (``statistics.services.compute_statistics``);
- *frozen*: a revision is stored (``freeze_statistics``; analyst);
- *approved*: a publisher signed off that revision and the year's letter template
  (:func:`approve_year`), recording who and when; refused while the readiness report has a
  problem;
- *sending*: a send stopped with copies unsent (the mail server did not answer); the
  dashboard names the cause and offers Resume;
- *issued*: the approved letters were sent (``sending.send_letters``; publisher);
- *published*: approved and its publication date has come — automatic, by date; the
  public site's one rule is ``councilperf.published.years.snapshot`` (frozen, approved, date
  come): a year frozen with a past date is not public until a publisher approves it.

A correction (a new revision) after approval takes the year back to *frozen* until the new
revision is approved; the corrected letters then go out marked "Corrected".
Every transition checks the role of the user (``roles.require``) and the state of the year,
and raises :class:`CycleError` with a message for the user otherwise.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.distribution import roles
from councilperf.distribution.models import SentLetter, YearCycle
from councilperf.distribution.readiness import Readiness, readiness
from councilperf.letters import services as letter_services
from councilperf.statistics import services as statistics_services
from councilperf.statistics.dates import DEFAULT_PUBLICATION_TIME, DatesRefused, check_dates
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


class CycleError(Exception):
    """A transition the state of the year does not allow (message for the user)."""


class Stage(Enum):
    DRAFT = "draft"
    FROZEN = "frozen"
    APPROVED = "approved"
    SENDING = "sending"
    ISSUED = "issued"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def review_year_or_error(year: ReportingYear) -> ReviewYear:
    found = ReviewYear.objects.filter(year=year.label).first()
    if found is None:
        raise CycleError(f"no review year {year}: compute its statistics first")
    return found


def cycle_of(review_year: ReviewYear) -> YearCycle:
    cycle, _ = YearCycle.objects.get_or_create(review_year=review_year)
    return cycle


def latest_revision(review_year: ReviewYear) -> int | None:
    found = review_year.revisions.filter(number__isnull=False).order_by("-number").first()
    return None if found is None else found.number


def stage(review_year: ReviewYear, *, now: dt.datetime | None = None) -> Stage:
    """Where the year stands (derived from the stored facts, never stored itself)."""
    now = now or timezone.now()
    if review_year.status != ReviewYear.Status.FROZEN:
        return Stage.DRAFT
    cycle = YearCycle.objects.filter(review_year=review_year).first()
    approved = cycle is not None and cycle.approved_revision is not None
    moment = review_year.publication_at
    dated = moment is not None and moment <= now
    if approved and dated:
        return Stage.PUBLISHED  # the public rule: councilperf.published.years.snapshot
    revision = latest_revision(review_year)
    if cycle is None or cycle.approved_revision is None or cycle.approved_revision != revision:
        return Stage.FROZEN
    if cycle.issued_revision == revision:
        return Stage.ISSUED
    if cycle.send_problem:
        return Stage.SENDING  # a send stopped with letters unsent: resume it
    return Stage.APPROVED


def approve_year(*, year: ReportingYear, user: Any) -> YearCycle:
    """The publisher's sign-off of the latest revision's figures and the letter template."""
    roles.require(user, "approve_year")
    review_year = review_year_or_error(year)
    if review_year.status != ReviewYear.Status.FROZEN:
        raise CycleError(f"{review_year.year} is a draft: freeze its statistics first")
    cycle = cycle_of(review_year)
    if cycle.approved_revision is not None and cycle.approved_revision == latest_revision(
        review_year
    ):
        raise CycleError(
            f"{review_year.year} revision {cycle.approved_revision} is already approved"
        )
    report: Readiness = readiness(review_year=review_year)
    if not report.ok:
        raise CycleError(
            f"{review_year.year} is not ready for approval:\n- " + "\n- ".join(report.problems())
        )
    template = letter_services.template_for_year(review_year)
    with transaction.atomic():
        cycle = YearCycle.objects.select_for_update().get(pk=cycle_of(review_year).pk)
        cycle.approved_revision = latest_revision(review_year)
        cycle.approved_template_hash = template.content_hash
        cycle.approved_by = user
        cycle.approved_at = timezone.now()
        cycle.save()
    return cycle


def require_sendable(review_year: ReviewYear) -> YearCycle:
    """The cycle of a year whose approved letters may be sent now, or a CycleError.

    The first issue goes before publication (the preview links expire then); corrected
    letters of a later revision may go at any time once that revision is approved."""
    if review_year.status != ReviewYear.Status.FROZEN:
        raise CycleError(f"{review_year.year} is a draft: freeze and approve it first")
    cycle = cycle_of(review_year)
    revision = latest_revision(review_year)
    if cycle.approved_revision is None or cycle.approved_revision != revision:
        raise CycleError(
            f"{review_year.year} revision {revision} is not approved: "
            "a publisher must approve it first"
        )
    template = letter_services.template_for_year(review_year)
    if template.content_hash != cycle.approved_template_hash:
        raise CycleError(
            f"the {review_year.year} letter template changed after approval: approve it again"
        )
    return cycle


def mark_issued(*, review_year: ReviewYear, revision: int) -> None:
    YearCycle.objects.filter(review_year=review_year).update(
        issued_revision=revision, issued_at=timezone.now()
    )


# --- The statistics' transitions, behind the roles (the staff pages call these) -----------


def compute_year(*, year: ReportingYear, user: Any) -> int:
    """Recompute a draft year (analyst); returns the number of authorities."""
    roles.require(user, "compute_statistics")
    try:
        revision = statistics_services.compute_statistics(year=year)
    except (statistics_services.StatisticsError, ValueError) as error:
        raise CycleError(str(error)) from error
    return revision.authority_rows.count()


def freeze_year(
    *,
    year: ReportingYear,
    user: Any,
    letter_date: dt.date,
    publication_date: dt.date,
    publication_time: dt.time = DEFAULT_PUBLICATION_TIME,
    confirm_past: bool = False,
) -> ReviewYear:
    """Freeze a draft year as revision 1 with its letter date and publication date and time
    (analyst): the release is announced; a publication date already past only when
    ``confirm_past``."""
    roles.require(user, "freeze_year")
    require_dates(
        letter_date=letter_date, publication_date=publication_date, confirm_past=confirm_past
    )
    with transaction.atomic():
        try:
            statistics_services.freeze_statistics(year=year)
        except (statistics_services.StatisticsError, ValueError) as error:
            raise CycleError(str(error)) from error
        ReviewYear.objects.filter(year=year.label).update(
            letter_date=letter_date,
            publication_date=publication_date,
            publication_time=publication_time,
        )
    return review_year_or_error(year)


def require_dates(*, letter_date: dt.date, publication_date: dt.date, confirm_past: bool) -> None:
    """The dates rule (``statistics.dates``) as a CycleError for the pages and commands."""
    try:
        check_dates(
            letter_date=letter_date,
            publication_date=publication_date,
            today=timezone.localdate(),
            confirm_past=confirm_past,
        )
    except DatesRefused as error:
        raise CycleError(str(error)) from error


def correct_year(*, year: ReportingYear, user: Any, reason: str) -> int:
    """Record a correction: the next revision (publisher). It then needs approving, and its
    changed letters go out marked "Corrected"."""
    roles.require(user, "correct_year")
    try:
        revision = statistics_services.correct_statistics(year=year, reason=reason)
    except (statistics_services.StatisticsError, ValueError) as error:
        raise CycleError(str(error)) from error
    assert revision.number is not None
    return revision.number


def withdraw_approval(review_year: ReviewYear) -> None:
    """The approval covered the letters as they were (figures, dates, wording): after a
    change to them a publisher approves again."""
    YearCycle.objects.filter(review_year=review_year).update(
        approved_revision=None, approved_template_hash="", approved_by=None, approved_at=None
    )


def set_case_spreadsheet(*, year: ReportingYear, user: Any, attach: bool) -> YearCycle:
    """Whether the year's letter emails attach the case-level spreadsheet (``attach``) or
    link to each council's portal instead (the default); a sending option, so the sender's
    (publisher). Each email is composed once, when its letter is first recorded as sent:
    after that the option would no longer say what went, so it is refused."""
    roles.require(user, "send_letters")
    review_year = review_year_or_error(year)
    if SentLetter.objects.filter(review_year=review_year).exists():
        raise CycleError(
            f"{review_year.year} letters have been sent: what they carry can no longer change"
        )
    cycle = cycle_of(review_year)
    YearCycle.objects.filter(pk=cycle.pk).update(attach_case_spreadsheet=attach)
    cycle.refresh_from_db()
    return cycle
