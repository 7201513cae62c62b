"""A new year is data: staff start it, and a publisher reviews its letter template.

- :func:`start_year` creates the review year (a draft) and its letter template as a copy of
  the latest year's template — signatory, copies, blocks, body — never from the oldest
  defaults (``letters/defaults/years.py`` seeds only the historical demo years);
- :func:`review_template` records that a publisher read the year's template (who and when,
  and the content reviewed): readiness asks for it, and any later edit needs a new review.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.distribution import lifecycle, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.letters import services
from councilperf.letters.models import LetterTemplate
from councilperf.statistics import services as statistics_services
from councilperf.years import ReportingYear


def start_year(*, year: ReportingYear, user: Any | None) -> LetterTemplate:
    """Start ``year``: its review year and its template, copied from the latest year's
    (``user`` None: the command line, trusted as the operator)."""
    if user is not None:
        roles.require(user, "compute_statistics")
    if LetterTemplate.objects.filter(review_year__year=year.label).exists():
        raise CycleError(f"{year.label} has been started already: edit its letter template")
    latest = (
        LetterTemplate.objects.filter(review_year__year__lt=year.label)
        .select_related("review_year")
        .order_by("-review_year__year")
        .first()
    )
    with transaction.atomic():
        review_year, _ = statistics_services.get_or_create_review_year(year=year)
        if latest is None:
            return services.template_for_year(review_year)
        return services.copy_template(latest, to=review_year)


def review_template(*, year: ReportingYear, user: Any) -> LetterTemplate:
    """A publisher's review of the year's letter template as it is now."""
    roles.require(user, "approve_year")
    review_year = lifecycle.review_year_or_error(year)
    template = services.template_for_year(review_year)
    template.reviewed_by = user.get_username()
    template.reviewed_at = timezone.now()
    template.reviewed_hash = template.compute_hash()
    LetterTemplate.objects.filter(pk=template.pk).update(
        reviewed_by=template.reviewed_by,
        reviewed_at=template.reviewed_at,
        reviewed_hash=template.reviewed_hash,
    )
    return template
