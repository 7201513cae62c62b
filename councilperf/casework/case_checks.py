"""The checks of one case record, in the order its problems are listed. Pure: no Django, no
I/O (``validation`` runs them over every case of an import)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from .problems import Location
from .records import CaseRecord
from .rules import (
    MAX_REFERENCE_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_URL_LENGTH,
    NOT_A_SERVICE_AREA,
    NOT_AN_OUTCOME,
    OUTCOMES,
    SERVICE_AREAS,
    SPACE,
    UPHELD,
    AuthorityInfo,
    StoredCase,
    date_problem,
    text_problem,
)

# report(message, column, value)
Report = Callable[[str, str, object], None]


def reference_ok(reference: object) -> bool:
    """A reference that is text, not blank, without surrounding spaces and not too long."""
    return (
        isinstance(reference, str)
        and bool(reference.strip())
        and reference == reference.strip()
        and len(reference) <= MAX_REFERENCE_LENGTH
    )


def check_case(
    case: CaseRecord,
    report: Report,
    *,
    earlier: Location | None,
    authorities: Mapping[str, AuthorityInfo],
    stored: Mapping[str, StoredCase],
    dataset_id: int,
    dataset_names: Mapping[int, str],
    today: dt.date,
) -> None:
    """Report every problem of one case. ``earlier``: where the same reference came before."""
    _reference(case.reference, report, earlier, stored, dataset_id, dataset_names)
    authority = _authority(case.authority_code, report, authorities)
    received, decided = _dates(case, report, today)
    day = decided or received
    if authority is not None and day is not None and not authority.existed_on(day):
        what = "decision" if decided else "received"
        report(
            f"{authority.name} did not exist on the {what} date {day:%d/%m/%Y} "
            f"(it existed {authority.lifetime()})",
            "authority_code",
            case.authority_code,
        )
    _decision(case, report)
    _remedy(case, report)
    _public_report(case, decided, report, today)
    _texts(case, report)


def _reference(
    reference: object,
    report: Report,
    earlier: Location | None,
    stored: Mapping[str, StoredCase],
    dataset_id: int,
    dataset_names: Mapping[int, str],
) -> None:
    if not isinstance(reference, str) or not reference.strip():
        report("the reference is blank", "reference", reference)
    elif reference != reference.strip():
        report("the reference has spaces at its start or end", "reference", reference)
    elif len(reference) > MAX_REFERENCE_LENGTH:
        report(f"a reference has at most {MAX_REFERENCE_LENGTH} characters", "reference", reference)
    elif earlier is not None:
        report(f"this reference appears more than once (also {earlier})", "reference", reference)
    else:
        existing = stored.get(reference)
        if existing is not None and existing.dataset_id != dataset_id:
            name = dataset_names.get(existing.dataset_id, str(existing.dataset_id))
            report(
                f"a case with this reference is already stored in the dataset “{name}”; "
                "a case belongs to one dataset",
                "reference",
                reference,
            )


def _authority(
    code: str, report: Report, authorities: Mapping[str, AuthorityInfo]
) -> AuthorityInfo | None:
    authority = authorities.get(code)
    if authority is None:
        if not code:
            report("the authority code is blank", "authority_code", code)
        else:
            report("no authority has this GSS code (e.g. E07000038)", "authority_code", code)
    return authority


def _dates(
    case: CaseRecord, report: Report, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The received and decision dates, each None if it has a problem (reported)."""
    received: dt.date | None = case.received_date
    message = date_problem(received, today=today, optional=False)
    if message:
        report(message, "received_date", received)
        received = None
    decided: dt.date | None = case.decision_date
    message = date_problem(decided, today=today, optional=True)
    if message:
        report(message, "decision_date", decided)
        decided = None
    elif decided is not None and received is not None and decided < received:
        report(
            f"the decision date is before the received date ({received:%d/%m/%Y})",
            "decision_date",
            decided,
        )
    return received, decided


def _decision(case: CaseRecord, report: Report) -> None:
    """A decided case needs an outcome and a service area; an undecided one has neither."""
    outcome = case.outcome
    if case.decision_date is None:
        if outcome:
            report("an outcome needs a decision date", "outcome", outcome)
        if case.service_area:
            report("a service area needs a decision date", "service_area", case.service_area)
        return
    if not outcome:
        report("a decided case (with a decision date) needs an outcome", "outcome", "")
    elif outcome not in OUTCOMES:
        report(NOT_AN_OUTCOME, "outcome", outcome)
    if not case.service_area:
        report("a decided case (with a decision date) needs a service area", "service_area", "")
    elif case.service_area not in SERVICE_AREAS:
        report(NOT_A_SERVICE_AREA, "service_area", case.service_area)


def _remedy(case: CaseRecord, report: Report) -> None:
    if case.remedied_by_authority is not False and case.remedied_by_authority is not True:
        report("is not true or false", "remedied_by_authority", case.remedied_by_authority)
    elif case.remedied_by_authority and case.outcome != UPHELD:
        report(
            "only an upheld decision can be remedied by the authority "
            f"(this case's outcome is “{case.outcome or 'none'}”)",
            "remedied_by_authority",
            "true",
        )


def _public_report(
    case: CaseRecord, decided: dt.date | None, report: Report, today: dt.date
) -> None:
    report_date = case.public_report_date
    message = date_problem(report_date, today=today, optional=True)
    if message:
        report(message, "public_report_date", report_date)
    elif report_date is not None:
        if case.decision_date is None:
            report("a public report needs a decision date", "public_report_date", report_date)
        elif decided is not None and report_date < decided:
            report(
                f"the public report is dated before the decision ({decided:%d/%m/%Y})",
                "public_report_date",
                report_date,
            )


def _texts(case: CaseRecord, report: Report) -> None:
    message = text_problem(case.summary, "summary", MAX_SUMMARY_LENGTH)
    if message:
        report(message, "summary", case.summary)
    url = case.statement_url
    if not isinstance(url, str):
        report("is not text", "statement_url", url)
    elif url:
        if len(url) > MAX_URL_LENGTH:
            report(
                f"the link is {len(url):,} characters long; the most allowed is {MAX_URL_LENGTH}",
                "statement_url",
                url,
            )
        elif not url.startswith(("https://", "http://")) or SPACE.search(url):
            report(
                "not a web address: it must start with https:// and contain no spaces",
                "statement_url",
                url,
            )
