"""Councils with published figures: lookup by address, their years, search and type-ahead."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from councilperf.authorities.models import Authority, AuthoritySlug
from councilperf.groups import GROUP_PLURAL
from councilperf.published.matching import Candidate, best_matches
from councilperf.years import ReportingYear, labels

from .years import published_years


def public_authorities() -> QuerySet[Authority]:
    """Authorities that existed in at least one published year."""
    return Authority.objects.filter(years__year__in=labels(published_years())).distinct()


def authority_or_404(slug: str) -> Authority:
    authority = public_authorities().filter(slug=slug).first()
    if authority is None:
        raise Http404("No council with published figures at this address")
    return authority


def renamed(slug: str) -> Authority | None:
    """The council with published figures whose former address was ``slug`` (the register
    named it differently before), or None; a current address is never a former one."""
    if public_authorities().filter(slug=slug).exists():
        return None
    found = AuthoritySlug.objects.filter(slug=slug).select_related("authority").first()
    if found is None or not public_authorities().filter(pk=found.authority_id).exists():
        return None
    return found.authority


def current_slug(slug: str) -> str:
    """``slug``, or the current address of the council that was at ``slug`` before."""
    found = renamed(slug)
    return found.slug if found else slug


def authority_years(authority: Authority) -> list[ReportingYear]:
    """Published years this authority existed in, oldest first."""
    existed = set(authority.years.values_list("year", flat=True))
    return [y for y in published_years() if y.label in existed]


def search(query: str, *, limit: int = 20) -> list[Authority]:
    """Councils whose names match every word of the query, forgivingly
    (``presentation.matching``: close spellings, "NE", "St"), best matches first."""
    candidates = [
        Candidate(
            item=a,
            names=(a.short_name, a.official_name, a.slug.replace("-", " ")),
            label=a.short_name,
            ended=a.end_date is not None,
        )
        for a in public_authorities().order_by("short_name")
    ]
    return best_matches(query, candidates, limit=limit)


def suggestion(a: Authority) -> dict[str, str]:
    return {
        "name": a.short_name,
        "official": a.official_name,
        "url": f"/councils/{a.slug}/",
        "group": GROUP_PLURAL.get(a.group, ""),
        "ended": a.end_date.isoformat() if a.end_date else "",
    }


def suggestions(query: str = "", *, limit: int = 8) -> list[dict[str, str]]:
    """The type-ahead's list: the councils matching ``query`` (the search page's matching),
    or every council with published figures when there is no query (a few hundred)."""
    if query:
        return [suggestion(a) for a in search(query, limit=limit)]
    return [suggestion(a) for a in public_authorities().order_by("short_name")]


def a_to_z() -> list[tuple[str, list[Authority]]]:
    """Every council with published figures by the first letter of its short name."""
    letters: dict[str, list[Authority]] = {}
    for a in public_authorities().order_by("short_name"):
        letters.setdefault(a.short_name[:1].upper(), []).append(a)
    return sorted(letters.items())


def successor_in(authority: Authority, year: ReportingYear) -> Authority | None:
    """The one council that took over from ``authority`` (directly or not) and existed in
    the published ``year``; None when there is none, or several (a council split up)."""
    seen, frontier = {authority.pk}, [authority]
    while frontier:
        found = [s for a in frontier for s in a.successors.all() if s.pk not in seen]
        seen.update(s.pk for s in found)
        existing = [s for s in found if year in authority_years(s)]
        if existing:
            return existing[0] if len(existing) == 1 else None
        frontier = found
    return None
