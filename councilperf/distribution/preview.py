"""Councils' private preview links: one per authority and year, signed, expiring at publication.

The token is ``django.core.signing`` of the GSS code, the year and the publication date it
was made for. It opens only while that year is frozen, its publication date is still the one
in the token and has not come; after that (or if tampered with) it is worth nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

SALT = "councilperf.distribution.preview"


@dataclass(frozen=True)
class Preview:
    code: str
    year: ReportingYear


def make_token(*, code: str, review_year: ReviewYear) -> str:
    if review_year.publication_date is None:
        raise ValueError(f"{review_year.year} has no publication date")
    payload = {"a": code, "y": review_year.year, "p": review_year.publication_date.isoformat()}
    return signing.dumps(payload, salt=SALT, compress=True)


def preview_url(*, code: str, review_year: ReviewYear) -> str:
    token = make_token(code=code, review_year=review_year)
    return settings.SITE_URL + reverse("distribution:preview", args=[token])


def read_token(token: str, *, today: dt.date | None = None) -> Preview | None:
    """The authority and year a valid, unexpired token is for; None otherwise."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not {"a", "y", "p"} <= payload.keys():
        return None
    review_year = ReviewYear.objects.filter(
        year=payload["y"], status=ReviewYear.Status.FROZEN
    ).first()
    today = today or timezone.localdate()
    if (
        review_year is None
        or review_year.publication_date is None
        or review_year.publication_date.isoformat() != payload["p"]
        or review_year.publication_date <= today
    ):
        return None
    return Preview(code=str(payload["a"]), year=review_year.reporting_year)
