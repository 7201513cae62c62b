"""A new year is data: staff start it, and a publisher reviews its letter template.

- :func:`start_year` creates the review year (a draft) and its letter template as a copy of
  the latest year's template — signatory, copies, blocks, body — never from the oldest
  defaults (``letters/defaults/years.py`` seeds only the historical demo years);
- :func:`edit_template` changes its wording (staff pages and ``edit_letter_template``): who
  and when are recorded, the letters are out of date (their content hash covers the wording),
  the review no longer stands and an approval not yet acted on is withdrawn; refused once
  the year's letters are sent;
- :func:`review_template` records that a publisher read the year's template (who and when,
  and the content reviewed): readiness asks for it, and any later edit needs a new review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from councilperf.distribution import lifecycle, roles
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.models import SentLetter
from councilperf.letters import services
from councilperf.letters.models import CONTENT_FIELDS, LetterTemplate
from councilperf.statistics import services as statistics_services
from councilperf.statistics.models import ReviewYear
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


class TemplateChanged(CycleError):
    """Someone saved the template since the editor opened it (their version is older)."""


def require_editable(review_year: ReviewYear) -> None:
    """The template may change until the year's letters are sent (they keep their words)."""
    if SentLetter.objects.filter(review_year=review_year).exists():
        raise CycleError(
            f"{review_year.year}'s letters have been sent: its letter template can no longer "
            "change (the letters as sent keep their wording)"
        )


def edit_template(
    *,
    year: ReportingYear,
    user: Any,
    changes: Mapping[str, str | bool],
    based_on: int | None = None,
) -> LetterTemplate:
    """Change fields of ``year``'s template (``changes``: field name -> value, any of
    ``CONTENT_FIELDS``). ``based_on``: the version the editor started from; refused with
    :class:`TemplateChanged` if someone saved another since. An invalid value raises the
    model's ``ValidationError`` (by field) and saves nothing; no change, no new version."""
    roles.require(user, "edit_letter_template")
    unknown = sorted(set(changes) - set(CONTENT_FIELDS))
    if unknown:
        raise CycleError(
            f"not a field of the letter template: {', '.join(unknown)} "
            f"(the fields: {', '.join(CONTENT_FIELDS)})"
        )
    review_year = lifecycle.review_year_or_error(year)
    require_editable(review_year)
    with transaction.atomic():
        found = services.template_for_year(review_year)
        template = LetterTemplate.objects.select_for_update().get(pk=found.pk)
        if based_on is not None and based_on != template.version:
            who = f" by {template.edited_by}" if template.edited_by else ""
            raise TemplateChanged(
                f"The template was changed{who} since you opened it (now version "
                f"{template.version}): your changes are below, not saved. Check them "
                "against the letter preview and save again."
            )
        for name, value in changes.items():
            setattr(template, name, value)
        template.full_clean()
        if template.compute_hash() == template.content_hash:
            return template
        template.edited_by = user.get_username()
        template.edited_at = timezone.now()
        template.save()
        lifecycle.withdraw_approval(review_year)
    return template
