"""The API's reads: published years, authorities, figures and case-level records as plain
dicts (queries only, through the public site's selectors; nothing here writes)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404

from councilperf.api import shape
from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.published import cases, embargo, figures, sources
from councilperf.published.authorities import public_authorities
from councilperf.published.letters import letters
from councilperf.statistics import selectors as stats
from councilperf.years import ReportingYear, labels

METHOD = (
    "Counts are of decisions made in the year (1 April to 31 March). Rates are exact "
    "fractions of the counts; the 95% interval is Wilson's score interval; an authority is "
    "compared with the average of its comparison group ({peer_method} average) unless the "
    "denominator is below {threshold}. See /about/ for the full method."
)


def year(year: ReportingYear) -> dict[str, Any]:
    found = figures.published()[year]
    info = stats.revision_info(year=year, revision=found.revision)
    return {
        "year": year.label,
        "status": "published",
        "revision": found.revision,
        "publication_date": found.publication_date,
        "letter_date": found.letter_date,
        "synthetic": found.synthetic,
        "peer_method": info.peer_method,
        "small_number_threshold": info.small_number_threshold,
        "revision_reason": info.reason,
        "methodology": METHOD.format(
            peer_method=info.peer_method, threshold=info.small_number_threshold
        ),
        "method_notes": [
            {"measure": n.measure, "group": n.group, "text": n.text}
            for n in figures.method_notes([year])
        ],
        "population_and_boundaries": sources.year_sources(year, found.revision).as_dict(),
    }


def _link(a: Authority) -> dict[str, str]:
    return {"code": a.gss_code, "name": a.official_name, "slug": a.slug}


def _summary(a: Authority, years: list[str]) -> dict[str, Any]:
    return {
        "code": a.gss_code,
        "register_code": a.register_code,
        "name": a.official_name,
        "short_name": a.short_name,
        "slug": a.slug,
        "group": a.group,
        "region": a.region,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "years": years,
        "page": f"/councils/{a.slug}/",
    }


def _years_by_code() -> dict[str, list[str]]:
    published = figures.published_years()
    found: dict[str, list[str]] = {}
    rows = AuthorityYear.objects.filter(year__in=labels(published)).values_list(
        "authority__gss_code", "year"
    )
    for code, label in rows.order_by("year"):
        found.setdefault(code, []).append(label)
    return found


def authorities(*, year: ReportingYear | None, group: str, region: str) -> list[dict[str, Any]]:
    """``group`` a code and ``region`` a name as the register writes it (``api.choices``)."""
    found = public_authorities().order_by("official_name", "gss_code")
    if year:
        found = found.filter(years__year=year.label)
    if group:
        found = found.filter(group=group)
    if region:
        found = found.filter(region=region)
    years = _years_by_code()
    return [_summary(a, years.get(a.gss_code, [])) for a in found]


def authority_or_404(code: str) -> Authority:
    found = public_authorities().filter(gss_code=code).first()
    if found is None:
        raise Http404("No authority with published figures has this code")
    return found


def authority(code: str) -> dict[str, Any]:
    found = authority_or_404(code)
    public = {a.pk for a in public_authorities()}
    county = found.county if found.county_id in public else None
    return {
        **_summary(found, _years_by_code().get(code, [])),
        "county": _link(county) if county else None,
        "predecessors": [_link(a) for a in found.predecessors.all() if a.pk in public],
        "successors": [_link(a) for a in found.successors.all() if a.pk in public],
    }


def slug(code: str) -> str:
    """An authority's page address, from a map cached a minute (slugs change only when the
    reference data is loaded again)."""
    found: dict[str, str] | None = cache.get("api:slugs")
    if found is None or code not in found:
        found = dict(Authority.objects.values_list("gss_code", "slug"))
        cache.set("api:slugs", found, 60)
    return found.get(code, "")


def figures_of(
    year: ReportingYear, *, group: str, region: str, authority: str
) -> list[dict[str, Any]]:
    found = figures.authorities(year)
    places = dict(Authority.objects.filter(gss_code__in=found).values_list("gss_code", "region"))
    slugs = dict(Authority.objects.filter(gss_code__in=found).values_list("gss_code", "slug"))
    return [
        shape.authority_figures(f, slug=slugs[code])
        for code, f in found.items()
        if (not group or f.group == group)
        and (not region or places.get(code, "") == region)
        and (not authority or code == authority)
    ]


def case_fields(c: Any) -> dict[str, Any]:
    """A decision's public fields (never a complainant's details): the API and the files. A
    public report dated after the embargo's cut-off is not yet shown (None)."""
    return {
        "reference": c.reference,
        "authority_code": c.authority.gss_code,
        "received_date": c.received_date,
        "decision_date": c.decision_date,
        "service_area": c.service_area,
        "outcome": c.outcome,
        "remedied_by_authority": c.remedied_by_authority,
        "public_report_date": embargo.shown_date(c.public_report_date),
        "summary": c.summary,
        "statement_url": c.statement_url,
        "synthetic": c.dataset.synthetic,
    }


def decisions(year: ReportingYear, *, authority: str, service_area: str, outcome: str) -> list[Any]:
    found = cases.cases_in_years([year])
    if authority:
        found = found.filter(authority__gss_code=authority)
    if service_area:
        found = found.filter(service_area=service_area)
    if outcome:
        found = found.filter(outcome=outcome)
    return [case_fields(c) for c in found.order_by("decision_date", "reference")]


def improvement_fields(r: Any) -> dict[str, Any]:
    """A service improvement's public fields with its compliance: the API and the files. A
    compliance outcome recorded after the embargo's cut-off is not yet shown (None)."""
    compliance = embargo.compliance(r.case)
    return {
        "case_reference": r.case.reference,
        "authority_code": r.case.authority.gss_code,
        "decision_date": r.case.decision_date,
        "service_area": r.case.service_area,
        "kind": r.kind,
        "description": r.description,
        "due_date": r.due_date,
        "compliance": compliance.outcome if compliance else None,
        "compliance_recorded": compliance.recorded_date if compliance else None,
        "synthetic": r.case.dataset.synthetic,
    }


def improvements(year: ReportingYear, *, authority: str, service_area: str) -> list[Any]:
    found = cases.improvements_in_years([year])
    if authority:
        found = found.filter(case__authority__gss_code=authority)
    if service_area:
        found = found.filter(case__service_area=service_area)
    return [improvement_fields(r) for r in found]


def letter(year: ReportingYear, code: str) -> dict[str, Any]:
    found = authority_or_404(code)
    for sent in letters(found):
        if sent.year == year and sent.pdf_size:
            return {
                "year": year.label,
                "authority_code": code,
                "title": sent.title,
                "html_url": sent.html_url,
                "pdf_url": sent.pdf_url,
                "content_hash": sent.content_hash,
                "synthetic": sent.synthetic,
            }
    raise Http404("No letter has been sent to this authority for this year")
