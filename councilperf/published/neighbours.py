"""Councils bordering a council, as stored per boundary vintage by ``load_reference_data``."""

from __future__ import annotations

from councilperf.authorities.models import AuthorityYear, Border
from councilperf.groups import TIER_GROUPS
from councilperf.years import ReportingYear

from .years import published_years


def bordering(gss_code: str, year: ReportingYear) -> list[str]:
    """GSS codes of the councils bordering this one on its own map tier (counties on the upper
    tier, every other council on the lower), in the boundary vintage drawn for ``year``;
    [] for a year that is not published or a council without a shape that year."""
    if year not in published_years():
        return []
    row = (
        AuthorityYear.objects.filter(authority__gss_code=gss_code, year=year.label)
        .select_related("lower_boundary", "upper_boundary")
        .first()
    )
    if row is None:
        return []
    boundary = row.lower_boundary if row.group in TIER_GROUPS["lower"] else row.upper_boundary
    if boundary is None:
        return []
    return list(
        Border.objects.filter(authority_id=row.authority_id, vintage=boundary.vintage).values_list(
            "neighbour__gss_code", flat=True
        )
    )
