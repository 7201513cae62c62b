"""Files the public site serves, built ahead by a command (never on a request).

``build_review_pdfs`` writes each published year's national review as a PDF under
``BUILD_DIR/review``; the review PDF view only reads these files. ``build_cards`` writes the
link-preview cards (``og:image``) of each council's year and the site's own card under
``BUILD_DIR/cards`` (``site.sharing``); the card views only read them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from councilperf.authorities.models import Authority
from councilperf.published import figures
from councilperf.published import years as public
from councilperf.site import sharing
from councilperf.site.pages import review
from councilperf.site.presentation.card import draw_card
from councilperf.statistics.cards import key_statistics
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


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically, only when its bytes change; whether written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return False
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return True


CARD_FIGURES = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate")


def build_site_card(*, synthetic: bool) -> bool:
    """The site-wide card (every page without its own); whether it was written."""
    png = draw_card(
        heading="Complaint decisions about councils in England",
        subheading="Each council compared with similar councils",
        figures=(),
        demo=synthetic,
    )
    return _write(sharing.site_card_path(), png)


def build_cards(*, years: Iterable[ReportingYear]) -> int:
    """The card of every council in each of ``years`` (published), and the site's card;
    the number of files written (unchanged ones are left as they are)."""
    with public.reading():
        written = 0
        latest = figures.published_years()
        for year in years:
            found = figures.authorities(year)
            slugs = dict(
                Authority.objects.filter(gss_code__in=found).values_list("gss_code", "slug")
            )
            for code, data in found.items():
                if code not in slugs:
                    continue
                stats = {s.code: s for s in key_statistics(data)}
                png = draw_card(
                    heading=data.name,
                    subheading=f"Complaint decisions {year}",
                    figures=[(stats[c].title, stats[c].value) for c in CARD_FIGURES],
                    demo=data.synthetic,
                )
                written += _write(sharing.card_path(year, slugs[code]), png)
        demo = bool(latest) and any(f.synthetic for f in figures.authorities(latest[-1]).values())
        written += build_site_card(synthetic=demo)
    return written
