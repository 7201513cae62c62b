"""Writing the demo's returns and replies: ``write_demo_returns`` opens the year for returns
and writes the plan of ``councilperf.demo.returns``, every row marked ``synthetic``. It touches
only synthetic rows (a return or reply someone made in the demo's portal is left alone) and
writes nothing when a row is already as planned, so a second run changes nothing. Times are
derived from the year's dates, never the clock, for the same reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.casework.models import Case
from councilperf.demo.returns import (
    SUBMITTED,
    CouncilInput,
    PlannedReply,
    PlannedReturn,
    order_key,
    plan_returns,
)
from councilperf.distribution import roles
from councilperf.portal.demo import DEMO_COUNCILS, SHARED_WITH, require_demo
from councilperf.portal.models import (
    ComplaintReturn,
    Reply,
    ReplyVersion,
    ReturnPeriod,
    SelfAssessment,
)
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def council_inputs(year: ReportingYear) -> list[CouncilInput]:
    """Every council of the year with its population and its complaints to the ombudsman."""
    reporting = year
    complaints = dict(
        Case.objects.filter(
            authority__isnull=False, received_date__range=(reporting.start, reporting.end)
        )
        .values("authority_id")
        .annotate(n=Count("id"))
        .values_list("authority_id", "n")
    )
    rows = AuthorityYear.objects.filter(year=year.label).select_related("authority")
    return [
        CouncilInput(
            gss_code=row.authority.gss_code,
            slug=row.authority.slug,
            population=row.population or 0,
            ombudsman_complaints=complaints.get(row.authority_id, 0),
        )
        for row in rows.order_by("authority__gss_code")
    ]


def deadline_of(review_year: ReviewYear) -> dt.date:
    """Two weeks before publication (or, with no date yet, 90 days after the year ends)."""
    if review_year.publication_date is not None:
        return review_year.publication_date - dt.timedelta(days=14)
    return ReportingYear.parse(review_year.year).end + dt.timedelta(days=90)


def _return_fields(
    planned: PlannedReturn, *, deadline: dt.date, seed: int, year: ReportingYear
) -> dict[str, Any]:
    days = int(order_key(seed, year, planned.gss_code)[:6], 16) % 40 + 1
    updated = _at(deadline - dt.timedelta(days=days))
    submitted = planned.status == SUBMITTED
    return {
        **planned.counts,
        "status": planned.status,
        "self_assessment_url": planned.url,
        "self_assessment_date": planned.assessed_on,
        "synthetic": True,
        "updated_at": updated,
        "signed_off_at": updated + dt.timedelta(hours=2) if submitted else None,
    }


def _write_return(
    authority: Authority,
    review_year: ReviewYear,
    wanted: dict[str, Any],
    ratings: tuple[tuple[str, str, str], ...],
) -> str:
    row = ComplaintReturn.objects.filter(authority=authority, review_year=review_year).first()
    if row is not None and not row.synthetic:
        return "kept"  # someone's own return in the demo's portal
    if row is not None:
        same = all(getattr(row, name) == value for name, value in wanted.items())
        have = tuple(
            row.assessments.order_by("section").values_list("section", "rating", "comment")
        )
        if same and have == tuple(sorted(ratings)):
            return "unchanged"
        row.assessments.all().delete()
    created = row is None
    row = row or ComplaintReturn(authority=authority, review_year=review_year)
    for name, value in wanted.items():
        setattr(row, name, value)
    row.save()
    SelfAssessment.objects.bulk_create(
        SelfAssessment(complaint_return=row, section=s, rating=r, comment=c) for s, r, c in ratings
    )
    return "created" if created else "changed"


def _version_rows(planned: PlannedReply, *, base: dt.date, publisher: Any) -> list[dict[str, Any]]:
    rows = []
    for number, (status, text, reason) in enumerate(planned.versions, start=1):
        written = _at(base + dt.timedelta(days=2 * number - 1))
        rows.append(
            {
                "number": number,
                "text": text,
                "status": status,
                "synthetic": True,
                "written_at": written,
                "submitted_at": written + dt.timedelta(hours=1),
                "decided_by": publisher,
                "decided_at": written + dt.timedelta(days=1),
                "reason": reason,
            }
        )
    return rows


def _write_reply(
    authority: Authority, review_year: ReviewYear, versions: list[dict[str, Any]]
) -> str:
    reply, created = Reply.objects.get_or_create(authority=authority, review_year=review_year)
    existing = list(reply.versions.order_by("number"))
    if any(not v.synthetic for v in existing):
        return "kept"
    have = [{name: getattr(v, name) for name in versions[0]} for v in existing]
    if have == versions:
        return "unchanged"
    reply.versions.all().delete()
    ReplyVersion.objects.bulk_create(ReplyVersion(reply=reply, **fields) for fields in versions)
    return "created" if created else "changed"


def _remove_synthetic(review_year: ReviewYear, *, returns: set[str], replies: set[str]) -> int:
    """Synthetic rows the plan no longer has (a council's own rows are never touched)."""
    stale = ComplaintReturn.objects.filter(review_year=review_year, synthetic=True).exclude(
        authority__gss_code__in=returns
    )
    removed = stale.count()
    SelfAssessment.objects.filter(complaint_return__in=stale).delete()
    stale.delete()
    for reply in Reply.objects.filter(review_year=review_year).exclude(
        authority__gss_code__in=replies
    ):
        if reply.versions.exists() and not reply.versions.filter(synthetic=False).exists():
            reply.versions.all().delete()
            reply.delete()
            removed += 1
    return removed


@transaction.atomic
def write_demo_returns(*, year: ReportingYear, seed: int = 1) -> list[str]:
    """Open ``year`` for returns and write the demo's returns and replies (demo only)."""
    require_demo()
    review_year = ReviewYear.objects.filter(year=year.label).first()
    publisher = get_user_model().objects.filter(username=roles.PUBLISHER).first()
    if review_year is None:
        raise ValueError(f"no review year {year}: generate the demo data first")
    if publisher is None:
        raise ValueError("the demo publisher is missing: run create_demo_users first")
    deadline = deadline_of(review_year)
    period, opened = ReturnPeriod.objects.get_or_create(
        review_year=review_year,
        defaults={
            "deadline": deadline,
            "opened_by": publisher,
            "opened_at": _at(deadline - dt.timedelta(days=90)),
        },
    )
    councils = council_inputs(year)
    authorities = {a.gss_code: a for a in Authority.objects.filter(years__year=year.label)}
    left_open = frozenset(code for code, _ in DEMO_COUNCILS) | {SHARED_WITH[0]}
    names = {code: a.official_name for code, a in authorities.items()}
    plan = plan_returns(councils, year=year, seed=seed, left_open=left_open, names=names)
    tally: Counter[str] = Counter()
    for planned in plan.returns:
        wanted = _return_fields(planned, deadline=period.deadline, seed=seed, year=year)
        ratings = planned.assessments
        tally[_write_return(authorities[planned.gss_code], review_year, wanted, ratings)] += 1
    base = review_year.letter_date or period.deadline
    replies: Counter[str] = Counter()
    for reply in plan.replies:
        versions = _version_rows(reply, base=base, publisher=publisher)
        replies[_write_reply(authorities[reply.gss_code], review_year, versions)] += 1
    removed = _remove_synthetic(
        review_year,
        returns={p.gss_code for p in plan.returns},
        replies={r.gss_code for r in plan.replies},
    )
    submitted = sum(p.status == SUBMITTED for p in plan.returns)
    return [
        f"Returns for {year} {'opened' if opened else 'already open'}, deadline {period.deadline}.",
        f"Demonstration returns: {submitted} submitted, {len(plan.returns) - submitted} draft, "
        f"{len(plan.not_started)} not started, of {len(councils)} councils "
        f"({_said(tally)}; {removed} removed).",
        f"Demonstration replies: {len(plan.replies)} ({_said(replies)}).",
    ]


def _said(tally: Counter[str]) -> str:
    return ", ".join(f"{n} {word}" for word, n in sorted(tally.items())) or "none"
