"""The staff pages' long actions, each started as a background job (thin: parse, check,
queue, then the job page), and the job page itself with Resume.

Compute, freeze, approve, generate, send and publish all go to the worker: none runs inside
the web request (gunicorn stops a request after 60 s). Redis down: the page says the job could
not be queued, and no job row is left (``jobs.enqueue``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from councilperf.distribution import jobpages, jobs, roles, sending
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import QueueJob
from councilperf.distribution.views import staff
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear


def _start(
    request: HttpRequest,
    *,
    kind: str,
    year: ReportingYear,
    back: str = "distribution:year",
    payload: dict[str, Any] | None = None,
) -> HttpResponse:
    """Queue the job and show its page; a refusal goes back to ``back`` with its reason."""
    review_year = ReviewYear.objects.filter(year=year.label).first()
    try:
        if review_year is None and kind != QueueJob.Kind.COMPUTE:
            raise CycleError(f"no review year {year}: compute its statistics first")
        job = jobs.enqueue(kind=kind, review_year=review_year, user=request.user, payload=payload)
    except (CycleError, roles.NotAllowed) as error:
        messages.error(request, str(error))
        if back == "distribution:index" or review_year is None:
            return redirect("distribution:index")
        return redirect(back, year=year)
    return redirect("distribution:job", pk=job.pk)


@require_POST
@staff("compute_statistics")
def compute_new(request: HttpRequest) -> HttpResponse:
    """Compute a year's draft from the index page (the year need not exist yet)."""
    try:
        year = ReportingYear.parse(request.POST.get("year", "").strip())
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("distribution:index")
    return _start(
        request,
        kind=QueueJob.Kind.COMPUTE,
        year=year,
        back="distribution:index",
        payload={"year": year.label},
    )


@require_POST
@staff("compute_statistics")
def compute(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    return _start(request, kind=QueueJob.Kind.COMPUTE, year=year, payload={"year": year.label})


@require_POST
@staff("freeze_year")
def freeze(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    try:
        payload = {
            name: dt.date.fromisoformat(request.POST.get(name, "")).isoformat()
            for name in ("letter_date", "publication_date")
        }
    except ValueError:
        messages.error(request, "Give the letter date and the publication date, e.g. 2020-07-22")
        return redirect("distribution:year", year=year)
    confirm_past = request.POST.get("confirm_past") == "yes"
    return _start(
        request,
        kind=QueueJob.Kind.FREEZE,
        year=year,
        payload={**payload, "confirm_past": confirm_past},
    )


@require_POST
@staff("approve_year")
def approve(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """The check-your-answers page's Confirm: approval re-runs every readiness check (it
    gathers the casework again and reads every letter), so it is a job too."""
    return _start(request, kind=QueueJob.Kind.APPROVE, year=year)


@require_POST
@staff("approve_year")
def publish(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """Publish now: the publication job (as ``publish_due`` runs it) for a year that is
    approved, public and not yet built."""
    return _start(request, kind=QueueJob.Kind.PUBLISH, year=year)


@require_POST
@staff("preview_letters")
def generate(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    return _start(request, kind=QueueJob.Kind.GENERATE, year=year)


@require_POST
@staff("send_letters")
def send(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    get_object_or_404(ReviewYear, year=year.label)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm you have checked who gets what.")
        return redirect("distribution:send", year=year)
    return _start(request, kind=QueueJob.Kind.SEND, year=year, back="distribution:send")


@require_safe
@staff(None)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(QueueJob.objects.select_related("review_year"), pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(jobpages.job_state(found))
    return render(request, "distribution/job.html", jobpages.job_page(found))


@require_POST
@staff(None)
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(QueueJob, pk=pk)
    try:
        jobs.resume(job=found, user=request.user)
    except (CycleError, roles.NotAllowed) as error:
        messages.error(request, str(error))
    return redirect("distribution:job", pk=pk)


@require_POST
@staff("send_letters")
def resume_send(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """Resume a send stopped with copies unsent: the last failed send job again (or a new
    one); it sends exactly the copies never delivered."""
    review_year = get_object_or_404(ReviewYear, year=year.label)
    try:
        sending.require_started(review_year)
        stopped = QueueJob.objects.filter(
            review_year=review_year, kind=QueueJob.Kind.SEND, status=QueueJob.Status.FAILED
        ).first()
        if stopped is not None:
            job = jobs.resume(job=stopped, user=request.user)
        else:
            job = jobs.enqueue(kind=QueueJob.Kind.SEND, review_year=review_year, user=request.user)
    except (CycleError, roles.NotAllowed) as error:
        messages.error(request, str(error))
        return redirect("distribution:year", year=year)
    return redirect("distribution:job", pk=job.pk)
