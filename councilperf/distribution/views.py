"""Staff pages under /staff/ (thin: parse, check the role, call a service, render), and the
councils' private preview. Every action checks the role on the server (``roles``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from councilperf import tables
from councilperf.distribution import (
    dates,
    figures_review,
    lifecycle,
    pages,
    record,
    roles,
    sending,
    yearstart,
)
from councilperf.distribution.formvalues import posted_date, posted_time
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import Delivery, SentLetter, YearCycle
from councilperf.distribution.preview import read_token
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.selectors import StatisticsNotFound
from councilperf.years import ReportingYear

View = Callable[..., HttpResponse]


def staff(action: str | None) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; a wrong role gets 403 (``action`` None:
    any of the three roles)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            needed = [action] if action else list(roles.ACTIONS)
            if not any(roles.allowed(user, name) for name in needed):
                return render(request, "distribution/refused.html", {"action": action}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@require_safe
@staff(None)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "distribution/index.html", {"years": pages.years()})


@require_safe
@staff(None)
def year(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    return render(
        request, "distribution/year.html", pages.dashboard(review_year, user=request.user)
    )


@require_safe
@staff("preview_letters")
def figures(request: HttpRequest, year: object) -> HttpResponse:
    """The figures review page (``?format=csv``: the same tables as a CSV file)."""
    found = ReportingYear.parse(str(year))  # the converter's str or ReportingYear
    label = get_object_or_404(ReviewYear, year=found.label).year
    try:
        review = figures_review.figures_review(year=found)
    except StatisticsNotFound as error:
        raise Http404(str(error)) from error
    if request.GET.get("format") == "csv":
        text = tables.csv_text(figures_review.CSV_HEADER, figures_review.csv_rows(review))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="figures-review-{label}.csv"'
        return response
    return render(request, "distribution/figures.html", {"review": review})


@require_safe
@staff("approve_year")
def approve_check(request: HttpRequest, year: object) -> HttpResponse:
    """Check your answers before approving; its Confirm button posts to ``approve``."""
    review_year = get_object_or_404(ReviewYear, year=ReportingYear.parse(str(year)).label)
    context = pages.approve_check(review_year)
    if context is None:
        messages.error(request, f"{review_year.year} is not waiting for approval.")
        return redirect("distribution:year", year=review_year.year)
    return render(request, "distribution/approve.html", context)


def _act(request: HttpRequest, year: ReportingYear, do: Callable[[], str]) -> HttpResponse:
    try:
        messages.success(request, do())
    except (CycleError, roles.NotAllowed) as error:
        messages.error(request, str(error))
    return redirect("distribution:year", year=year)


@require_POST
@staff("compute_statistics")
def start_year(request: HttpRequest) -> HttpResponse:
    """Start a new year from the index page: its template a copy of the latest year's."""
    try:
        year = ReportingYear.parse(request.POST.get("year", "").strip())
        template = yearstart.start_year(year=year, user=request.user)
    except (CycleError, roles.NotAllowed, ValueError) as error:
        messages.error(request, str(error))
        return redirect("distribution:index")
    messages.success(
        request,
        f"{year} started: its letter template (version {template.version}) is a copy of the "
        "latest year's. Edit it, then a publisher reviews it.",
    )
    return redirect("distribution:year", year=year)


@require_POST
@staff("approve_year")
def review_template(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    def do() -> str:
        template = yearstart.review_template(year=year, user=request.user)
        return f"{year} letter template version {template.version} reviewed."

    return _act(request, year, do)


@require_POST
@staff("freeze_year")
def set_dates(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """Change the year's letter date and publication date and time (until the letters are
    sent); moving an announced release needs a reason."""

    def do() -> str:
        changed = dates.set_year_dates(
            year=year,
            user=request.user,
            letter_date=posted_date(request, "letter_date"),
            publication_date=posted_date(request, "publication_date"),
            publication_time=posted_time(request),
            reason=request.POST.get("reason", ""),
            confirm_past=request.POST.get("confirm_past") == "yes",
        )
        return (
            f"{changed.year}: letter date {changed.letter_date}, publication "
            f"{changed.publication_date} at {changed.publication_time:%H:%M}. "
            "Generate the letters again; approve again if it was."
        )

    return _act(request, year, do)


@require_POST
@staff("correct_year")
def correct(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    def do() -> str:
        number = lifecycle.correct_year(
            year=year, user=request.user, reason=request.POST.get("reason", "")
        )
        return (
            f"{year} revision {number} recorded. Generate the letters, then approve it: "
            "letters whose figures changed will go out marked Corrected."
        )

    return _act(request, year, do)


@require_safe
@staff("send_letters")
def send_page(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    get_object_or_404(ReviewYear, year=year.label)
    try:
        planned = sending.plan(year=year)
        problem = ""
    except CycleError as error:
        planned, problem = [], str(error)
    context = {
        "year": year,
        "planned": planned,
        "problem": problem,
        "corrections": pages.corrections(year, planned),
        "cycle": YearCycle.objects.filter(review_year__year=year.label).first(),
        "options_editable": not SentLetter.objects.filter(review_year__year=year.label).exists(),
    }
    return render(request, "distribution/send.html", context)


@require_POST
@staff("send_letters")
def send_options(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """The year's sending option: the case-level spreadsheet attached, or the portal link."""
    choice = request.POST.get("case_spreadsheet", "")
    if choice not in ("attach", "portal"):
        messages.error(request, "Choose how councils get their case-level spreadsheet.")
    else:
        try:
            lifecycle.set_case_spreadsheet(year=year, user=request.user, attach=choice == "attach")
        except (CycleError, roles.NotAllowed) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "The letter emails will attach the case-level spreadsheet."
                if choice == "attach"
                else "The letter emails will link to each council's portal instead of "
                "attaching the case-level spreadsheet.",
            )
    return redirect("distribution:send", year=year)


@require_safe
@staff("send_letters")
def deliveries(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    get_object_or_404(ReviewYear, year=year.label)
    return render(request, "distribution/deliveries.html", pages.delivery_log(year, request.GET))


@staff("resend_letter")
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("letter__review_year"), pk=pk)
    if request.method == "POST":
        try:
            row = sending.send_again(
                delivery_id=pk, user=request.user, reason=request.POST.get("reason", "")
            )
        except (CycleError, roles.NotAllowed) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Sent again to {row.email}: {row.get_status_display()}.")
            return redirect("distribution:deliveries", year=delivery.letter.review_year.year)
    return render(request, "distribution/send_again.html", {"delivery": delivery})


@require_POST
@staff("resend_letter")
def send_again_selected(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    """Send the selected refused or in-doubt copies again (one reason for all), then back to
    the delivery log as it was filtered."""
    get_object_or_404(ReviewYear, year=year.label)
    try:
        ids = [int(pk) for pk in request.POST.getlist("delivery")]
        rows = sending.send_again_many(
            delivery_ids=ids, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValueError:
        messages.error(request, "Select the copies to send again.")
    except (CycleError, roles.NotAllowed) as error:
        messages.error(request, str(error))
    else:
        sent = sum(row.status == Delivery.Status.SENT for row in rows)
        messages.success(request, f"Sent again: {sent} of {len(rows)} delivered.")
    kept = {k: request.POST.get(k, "") for k in ("status", "authority") if request.POST.get(k)}
    address = reverse("distribution:deliveries", kwargs={"year": year})
    return redirect(f"{address}?{urlencode(kept)}" if kept else address)


@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """A council's private preview of its embargoed letter (no login: the link is the key)."""
    found = read_token(token)
    if found is None:
        raise Http404("This preview link is not valid or has expired")
    context = pages.preview(found)
    response = render(request, "distribution/preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def preview_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token)
    if found is None:
        raise Http404("This preview link is not valid or has expired")
    letter = pages.preview_letter(found)
    try:
        data = record.read_checked(letter.pdf_path, letter.pdf_sha256)
    except record.LetterFileMissing as error:
        raise Http404("The letter file cannot be read") from error
    response = HttpResponse(data, content_type="application/pdf")
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
