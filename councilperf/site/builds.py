"""Files the public site serves, built ahead by a command (never on a request).

``build_review_pdfs`` writes each published year's national review as a PDF under
``BUILD_DIR/review``; the review PDF view only reads these files.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from councilperf.published import figures
from councilperf.published import years as public
from councilperf.site.pages import review
from councilperf.years import ReportingYear, labels


@dataclass(frozen=True)
class Built:
    year: ReportingYear
    path: Path
    size: int
    written: bool  # False: the file was already identical


def review_document(year: ReportingYear) -> str:
    """The review as one HTML document for the letters' PDF pipeline."""
    page = review.review_page(year)
    context = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
    context["year"] = year
    return render_to_string("site/review_document.html", context)


def build_review_pdfs(*, years: Iterable[ReportingYear] | None = None) -> list[Built]:
    """Render the review PDF of each published year (all by default) into BUILD_DIR.

    A file is replaced atomically, and only when its bytes change."""
    with public.reading():  # one published state for every year's PDF
        return _build_review_pdfs(years)


def _build_review_pdfs(years: Iterable[ReportingYear] | None) -> list[Built]:
    from councilperf.letters.pdf import shared_renderer

    published = figures.published_years()
    chosen = list(years) if years is not None else published
    unknown = [y for y in chosen if y not in published]
    if unknown:
        raise ValueError(f"not a published review year: {', '.join(labels(unknown))}")
    renderer = shared_renderer()
    built = []
    for year in chosen:
        pdf = renderer.render(review_document(year))
        path = review.pdf_path(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        same = path.is_file() and path.read_bytes() == pdf
        if not same:
            partial = path.with_suffix(".pdf.partial")
            partial.write_bytes(pdf)
            os.replace(partial, path)
        built.append(Built(year, path, len(pdf), not same))
    return built
