"""The portal's pages about a council's years (thin: check the membership, build, render).

Every response is private to the signed-in member (``Cache-Control: private, no-store``,
never indexed). Reads never write, but for one thing: each download of the case-level
spreadsheet is logged (``downloads.record_download``).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from councilperf.distribution import record
from councilperf.portal import downloads, yearpages
from councilperf.portal.access import council_member
from councilperf.portal.models import Membership
from councilperf.years import ReportingYear


def private(response: HttpResponse) -> HttpResponse:
    """Headers of every portal response: kept by no cache, indexed by no robot, its address
    told to no other site. ("no-referrer" would make Chromium send ``Origin: null`` with the
    page's own forms, which Django's CSRF check refuses: signing out failed with a 403.)"""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "portal:sign_in")
    return private(render(request, "portal/home.html", yearpages.home(request.user)))


@require_safe
@council_member()
def council(request: HttpRequest, *, membership: Membership) -> HttpResponse:
    return private(render(request, "portal/council.html", yearpages.council(membership=membership)))


@require_safe
@council_member()
def year(request: HttpRequest, year: ReportingYear, *, membership: Membership) -> HttpResponse:
    context = yearpages.year(membership=membership, year=year)
    return private(render(request, "portal/year.html", context))


@require_safe
@council_member()
def letter_pdf(
    request: HttpRequest, year: ReportingYear, *, membership: Membership
) -> HttpResponse:
    """The letter's PDF exactly as sent (its recorded bytes, checked against their hash)."""
    letter = yearpages.letter_of(membership=membership, year=year)
    try:
        data = record.read_checked(letter.pdf_path, letter.pdf_sha256)
    except record.LetterFileMissing as error:
        raise Http404("The letter file cannot be read") from error
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="annual-review-letter-{year.end_year}-{letter.authority.gss_code}.pdf"'
    )
    return private(response)


@require_safe
@council_member()
def cases(request: HttpRequest, year: ReportingYear, *, membership: Membership) -> HttpResponse:
    """The council's case-level spreadsheet, once its letter was sent; each download logged."""
    letter = yearpages.letter_of(membership=membership, year=year)
    data = downloads.cases_xlsx(letter)
    if request.method == "GET":  # a HEAD downloads nothing, so it is not logged
        downloads.record_download(
            user=request.user,
            authority=membership.authority,
            review_year=letter.review_year,
            detail=downloads.CASES,
        )
    response = HttpResponse(data, content_type=downloads.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{downloads.cases_filename(letter)}"'
    return private(response)
