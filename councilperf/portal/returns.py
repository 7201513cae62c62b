"""A council's complaint-handling return: saved as a draft, sent for sign-off, signed off.

- Staff open a review year for returns with a deadline (:func:`open_period`).
- The council's officer (or approver) saves a draft from the form (:func:`save_draft`: every
  field that passes its checks is kept, the others are reported) or from a file
  (:func:`save_file`: all the file's values or none), then sends it for sign-off
  (:func:`send_for_sign_off`: every check, every section rated → ``ready``). Changing a
  return waiting for sign-off takes it back to ``draft``.
- The council's approver signs it off (:func:`sign_off`: ``ready`` → ``submitted``, who
  and when). After the deadline a return can still be signed off; it shows as late.
- A submitted return is locked: nothing here changes it (:class:`Locked`). To correct it, staff
  reopen it (:func:`reopen`, back to ``draft``, the sign-off cleared).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.portal.code import SECTION_KEYS
from councilperf.portal.models import ComplaintReturn, ReturnPeriod, SelfAssessment
from councilperf.portal.returncheck import (
    COUNT_KEYS,
    DATE,
    URL,
    Checked,
    check,
    comment_field,
    rating_field,
)
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

Status = ComplaintReturn.Status


class Locked(Exception):
    """The return cannot be changed now (the message says why, for the council)."""


def period_of(review_year: ReviewYear) -> ReturnPeriod | None:
    return ReturnPeriod.objects.filter(review_year=review_year).first()


def return_of(*, authority: Authority, review_year: ReviewYear) -> ComplaintReturn | None:
    return (
        ComplaintReturn.objects.filter(authority=authority, review_year=review_year)
        .prefetch_related("assessments")
        .first()
    )


def open_period(*, review_year: ReviewYear, deadline: dt.date, user: Any) -> ReturnPeriod:
    """Open the year for returns, or move its deadline (the first opener is kept)."""
    period, created = ReturnPeriod.objects.get_or_create(
        review_year=review_year,
        defaults={"deadline": deadline, "opened_by": user, "opened_at": timezone.now()},
    )
    if not created and period.deadline != deadline:
        period.deadline = deadline
        period.save(update_fields=["deadline"])
    return period


def typed(row: ComplaintReturn | None) -> dict[str, str]:
    """The saved return as the form shows it (text by field)."""
    if row is None:
        return {}
    raw: dict[str, str] = {}
    for name in COUNT_KEYS:
        value = getattr(row, name)
        raw[name] = "" if value is None else str(value)
    raw[URL] = row.self_assessment_url
    raw[DATE] = row.self_assessment_date.isoformat() if row.self_assessment_date else ""
    for item in row.assessments.all():
        raw[rating_field(item.section)] = item.rating
        raw[comment_field(item.section)] = item.comment
    return raw


def checked(raw: dict[str, str], *, period: ReturnPeriod, complete: bool) -> Checked:
    year = ReportingYear.parse(period.review_year.year)
    return check(raw, start=year.start, deadline=period.deadline, complete=complete)


def save_draft(
    *, authority: Authority, period: ReturnPeriod, user: Any, raw: dict[str, str]
) -> Checked:
    """Keep every field that passes its checks; the result says what did not."""
    result = checked(raw, period=period, complete=False)
    _store(authority=authority, period=period, user=user, values=result.values)
    return result


def save_file(
    *, authority: Authority, period: ReturnPeriod, user: Any, raw: dict[str, str]
) -> Checked:
    """A file's values replace the draft only if every one passes (else nothing changes)."""
    result = checked(raw, period=period, complete=False)
    if result.ok:
        _store(authority=authority, period=period, user=user, values=result.values)
    return result


@transaction.atomic
def _store(
    *, authority: Authority, period: ReturnPeriod, user: Any, values: dict[str, Any]
) -> ComplaintReturn:
    row = _locked_row(authority=authority, review_year=period.review_year, create=True)
    assert row is not None
    if row.status == Status.SUBMITTED:
        raise Locked("This return is signed off and submitted: it can no longer be changed.")
    for name in (*COUNT_KEYS, URL, DATE):
        if name in values:
            setattr(row, name, values[name] if name != URL else values[name] or "")
    row.status = Status.DRAFT
    row.prepared_by = user
    row.updated_at = timezone.now()
    row.save()
    for section in SECTION_KEYS:
        rating = values.get(rating_field(section))
        note = values.get(comment_field(section))
        if rating is None and note is None:
            continue  # neither passed its checks: the saved one stays
        existing = row.assessments.filter(section=section).first()
        rating = rating if rating is not None else (existing.rating if existing else "")
        note = note if note is not None else (existing.comment if existing else "")
        if not rating and not note:
            row.assessments.filter(section=section).delete()
            continue
        SelfAssessment.objects.update_or_create(
            complaint_return=row, section=section, defaults={"rating": rating, "comment": note}
        )
    return row


def _locked_row(
    *, authority: Authority, review_year: ReviewYear, create: bool = False
) -> ComplaintReturn | None:
    rows = ComplaintReturn.objects.select_for_update()
    if create:
        rows.get_or_create(
            authority=authority,
            review_year=review_year,
            defaults={"updated_at": timezone.now()},
        )
    return rows.filter(authority=authority, review_year=review_year).first()


@transaction.atomic
def send_for_sign_off(*, authority: Authority, period: ReturnPeriod, user: Any) -> Checked:
    """Draft → waiting for sign-off, if the saved return passes every check."""
    row = _locked_row(authority=authority, review_year=period.review_year)
    if row is None:
        raise Locked("There is no return to send yet: fill in the form first.")
    if row.status == Status.SUBMITTED:
        raise Locked("This return is already submitted.")
    result = checked(typed(row), period=period, complete=True)
    if result.ok:
        row.status = Status.READY
        row.updated_at = timezone.now()
        row.save(update_fields=["status", "updated_at"])
    return result


@transaction.atomic
def sign_off(*, authority: Authority, period: ReturnPeriod, user: Any) -> ComplaintReturn:
    """Waiting for sign-off → submitted (by ``user``, now); checked once more."""
    row = _locked_row(authority=authority, review_year=period.review_year)
    if row is None or row.status != Status.READY:
        raise Locked("Only a return waiting for sign-off can be signed off.")
    if not checked(typed(row), period=period, complete=True).ok:
        raise Locked("This return does not pass its checks: send it back to draft.")
    row.status = Status.SUBMITTED
    row.signed_off_by = user
    row.signed_off_at = timezone.now()
    row.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    return row


@transaction.atomic
def reopen(*, authority: Authority, review_year: ReviewYear) -> ComplaintReturn:
    """Staff: a submitted return back to draft, so the council can correct it."""
    row = _locked_row(authority=authority, review_year=review_year)
    if row is None or row.status != Status.SUBMITTED:
        raise Locked("Only a submitted return can be reopened.")
    row.status = Status.DRAFT
    row.signed_off_by = None
    row.signed_off_at = None
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    return row


def is_late(row: ComplaintReturn, period: ReturnPeriod) -> bool:
    """Signed off after the deadline (London's date)."""
    if row.signed_off_at is None:
        return False
    return timezone.localdate(row.signed_off_at) > period.deadline
