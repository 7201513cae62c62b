"""What the staff pages and the preview page show (reads only; the views stay thin)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import checkanswers, jobpages, jobs, lifecycle, roles
from councilperf.distribution.models import Delivery, QueueJob, SentLetter
from councilperf.distribution.preview import Preview
from councilperf.distribution.publication import publication_status
from councilperf.distribution.readiness import population_changed_warning, readiness
from councilperf.letters import wording
from councilperf.letters.models import LetterTemplate
from councilperf.statistics import cards
from councilperf.statistics import selectors as stats
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

LOG_PAGE = 500


def years() -> list[dict[str, Any]]:
    return [
        {"review_year": y, "stage": lifecycle.stage(y)}
        for y in ReviewYear.objects.order_by("-year")
    ]


def dashboard(review_year: ReviewYear, *, user: Any) -> dict[str, Any]:
    stage = lifecycle.stage(review_year)
    report = readiness(review_year=review_year) if stage is lifecycle.Stage.FROZEN else None
    counts = {
        status: Delivery.objects.filter(letter__review_year=review_year, status=status).count()
        for status in Delivery.Status.values
    }
    recent = recent_jobs(review_year)
    return {
        "review_year": review_year,
        "stage": stage,
        "tasks": checkanswers.tasks(
            review_year=review_year,
            stage=stage,
            report=report,
            can_import=roles.allowed(user, "import_casework"),
        ),
        "has_statistics": review_year.revisions.exists(),
        "cycle": lifecycle.cycle_of(review_year),
        "report": report,
        "population_changed": (
            ""
            if stage is lifecycle.Stage.DRAFT
            else population_changed_warning(review_year.reporting_year)
        ),
        "counts": {Delivery.Status(k).label: v for k, v in counts.items() if v},
        "in_doubt": counts.get(Delivery.Status.IN_DOUBT, 0),
        "unsent": counts.get(Delivery.Status.PENDING, 0) + counts.get(Delivery.Status.RETRY, 0),
        "jobs": recent,
        "publish_now": jobs.publication_due(review_year)
        and not any(i["job"].kind == QueueJob.Kind.PUBLISH and i["state"]["live"] for i in recent),
        "can": {action: roles.allowed(user, action) for action in roles.ACTIONS},
        "template": LetterTemplate.objects.filter(review_year=review_year).first(),
        "publication": publication_status(review_year),
        "dates_editable": _dates_editable(review_year, stage),
    }


def recent_jobs(review_year: ReviewYear) -> list[dict[str, Any]]:
    """The year's last ten jobs, with the publish jobs that published it among other years
    (the timer's run names them all), each with its state and phase for the dashboard."""
    own = list(QueueJob.objects.filter(review_year=review_year)[:10])
    others = [
        job
        for job in QueueJob.objects.filter(kind=QueueJob.Kind.PUBLISH).exclude(
            review_year=review_year
        )[:20]
        if review_year.year in job.payload.get("years", [])
    ]
    found = sorted(own + others, key=lambda job: job.created_at, reverse=True)[:10]
    return [{"job": job, "state": jobpages.job_state(job)} for job in found]


def _dates_editable(review_year: ReviewYear, stage: lifecycle.Stage) -> bool:
    return (
        stage is not lifecycle.Stage.DRAFT
        and not SentLetter.objects.filter(review_year=review_year).exists()
    )


def approve_check(review_year: ReviewYear) -> dict[str, Any] | None:
    """The check-your-answers page before approving; None when the year is not frozen and
    waiting for approval."""
    stage = lifecycle.stage(review_year)
    if stage is not lifecycle.Stage.FROZEN:
        return None
    report = readiness(review_year=review_year)
    editable = _dates_editable(review_year, stage)
    return {
        "review_year": review_year,
        "report": report,
        "answers": checkanswers.answers(
            review_year=review_year, report=report, dates_editable=editable
        ),
    }


def corrections(year: ReportingYear, planned: list[Any]) -> list[Any]:
    """For a corrected revision about to go: each changed council, why, before and after."""
    from councilperf.distribution.corrections import changes

    corrected = {item.code: item.revision for item in planned if item.corrected}
    if not corrected:
        return []
    revision = max(corrected.values())
    earlier = SentLetter.objects.filter(
        review_year__year=year.label, statistics_revision__lt=revision
    ).order_by("-statistics_revision")
    last = earlier.values_list("statistics_revision", flat=True).first()
    if last is None:
        return []
    return changes(year=year, old=last, new=revision, codes=set(corrected))


def delivery_log(year: ReportingYear, query: Mapping[str, str]) -> dict[str, Any]:
    rows = Delivery.objects.filter(letter__review_year__year=year.label).select_related(
        "letter__authority"
    )
    status = query.get("status", "")
    if status in Delivery.Status.values:
        rows = rows.filter(status=status)
    authority = query.get("authority", "").strip()
    if authority:
        rows = rows.filter(letter__authority__gss_code=authority.upper()) | rows.filter(
            letter__authority__official_name__icontains=authority
        )
    total = rows.count()
    return {
        "year": year,
        "rows": rows[:LOG_PAGE],
        "total": total,
        "shown": min(total, LOG_PAGE),
        "statuses": Delivery.Status.choices,
        "again": (Delivery.Status.FAILED, Delivery.Status.IN_DOUBT),
        "status": status,
        "authority": authority,
    }


def preview_letter(found: Preview) -> SentLetter:
    letter = (
        SentLetter.objects.filter(
            authority__gss_code=found.code, review_year__year=found.year.label
        )
        .select_related("authority", "review_year")
        .order_by("-statistics_revision")
        .first()
    )
    if letter is None:
        raise Http404("No letter has been sent for this council and year")
    return letter


def preview(found: Preview) -> dict[str, Any]:
    from councilperf.distribution import record

    letter = preview_letter(found)
    authority: Authority = letter.authority
    try:
        html = record.read_checked(letter.html_path, letter.html_sha256).decode()
    except record.LetterFileMissing as error:
        raise Http404("The letter file cannot be read") from error
    data = stats.figures(year=found.year, revision=letter.statistics_revision)[0].get(found.code)
    start, end = html.find("<main"), html.rfind("</main>")
    body = html[html.index(">", start) + 1 : end] if start >= 0 and end > start else ""
    return {
        "authority": authority,
        "year": found.year,
        "publication_date": letter.review_year.publication_date,
        "letter": letter,
        "body": body,
        # The council's own figures of the embargoed year, as its page will show them.
        "stats": cards.key_statistics(data) if data else [],
        "rate": cards.per_100k_statistic(data) if data else None,
        "synthetic": letter.synthetic,
        "demo_label": wording.DEMO_LABEL,
        "today": timezone.localdate(),
    }
