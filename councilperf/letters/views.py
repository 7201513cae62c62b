"""Staff pages: a year's letters, one letter previewed as HTML, its PDF downloaded (for the
roles that may preview letters: ``distribution.preview_letters``)."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from councilperf.authorities.models import Authority
from councilperf.letters import batch, rendering, services, sources, yearcheck
from councilperf.letters.defaults import DEMONSTRATION
from councilperf.letters.models import Letter, LetterTemplate
from councilperf.letters.wording import LetterStatistics
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.selectors import frozen_dated_years
from councilperf.years import ReportingYear


def _year_statistics(year: ReportingYear) -> dict[str, LetterStatistics]:
    try:
        return sources.load_statistics(year)
    except sources.StatisticsUnavailable as error:
        raise Http404(str(error)) from error


@require_safe
@login_required
@permission_required("distribution.preview_letters", raise_exception=True)
def year_index(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    statistics = _year_statistics(year)
    authorities = Authority.objects.filter(gss_code__in=list(statistics)).order_by("official_name")
    letters = {
        letter.authority_id: letter for letter in Letter.objects.filter(review_year=review_year)
    }
    rows = [(authority, letters.get(authority.pk)) for authority in authorities]
    template = LetterTemplate.objects.filter(review_year=review_year).first()
    before = None if template is None else services.previous_template(template)
    return render(
        request,
        "letters/year_index.html",
        {
            "review_year": review_year,
            "rows": rows,
            "template": template,
            "previous": before,
            "problems": [] if template is None else services.template_problems(template),
            "diff": None
            if template is None or before is None
            else yearcheck.word_diff(before.body, template.body),
            "demonstration_text": template is not None and DEMONSTRATION in template.body,
        },
    )


@require_safe
@login_required
@permission_required("distribution.preview_letters", raise_exception=True)
def preview(request: HttpRequest, year: ReportingYear, code: str) -> HttpResponse:
    """The letter as it would be generated now, from the current template and figures."""
    review_year = get_object_or_404(ReviewYear, year=year.label)
    authority = get_object_or_404(Authority.objects.prefetch_related("contacts"), gss_code=code)
    statistics = _year_statistics(year).get(code)
    if statistics is None:
        raise Http404(f"no {year} statistics for {code}")
    try:
        content = rendering.build_letter(
            template=services.template_for_year(review_year),
            authority=authority,
            statistics=statistics,
            correction=sources.correction_for(year, statistics.revision),
        )
    except rendering.LetterError as error:
        raise Http404(str(error)) from error
    return HttpResponse(rendering.render_html(content))


@require_safe
@login_required
@permission_required("distribution.preview_letters", raise_exception=True)
def download_pdf(request: HttpRequest, year: ReportingYear, code: str) -> FileResponse:
    """The letter's PDF. For a year not yet published: generated now (and recorded) if
    missing or out of date. For a published year: never written here (its stored files are
    the public letters): the stored PDF if up to date, else made in memory."""
    get_object_or_404(ReviewYear, year=year.label)
    authority = get_object_or_404(Authority, gss_code=code)
    # Frozen and dated: every public year and perhaps one awaiting approval (letters sit below
    # the published rule); treating those as public only means never writing on a GET.
    public = {found.year for found in frozen_dated_years(now=timezone.now())}
    try:
        if year in public:
            made = batch.letter_now(authority=authority, year=year)
        else:
            made = Path(batch.ensure_letter(authority=authority, year=year).pdf_path)
    except (rendering.LetterError, sources.StatisticsUnavailable) as error:
        raise Http404(str(error)) from error
    return FileResponse(
        made.open("rb") if isinstance(made, Path) else io.BytesIO(made),
        content_type="application/pdf",
        as_attachment="download" in request.GET,
        filename=f"annual-review-letter-{year}-{code}.pdf",
    )
