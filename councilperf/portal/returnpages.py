"""What the return's pages show, built from plain values (the views stay thin).

Council side: the form's fields with what was typed and each field's error, and the "check
your answers" rows. Staff side: every council of the year with its return's status
(:func:`councilperf.portal.returncheck.status`), the counts per status and a filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from councilperf.portal import reminders
from councilperf.portal.code import SECTIONS
from councilperf.portal.models import ComplaintReturn, ReturnPeriod
from councilperf.portal.returncheck import (
    COUNTS,
    DATE,
    LABELS,
    RATINGS,
    STATUS_LABELS,
    URL,
    comment_field,
    rating_field,
    status,
)

RATING_LABELS = dict(RATINGS)
STAGE_FIELDS = {
    "Stage 1": [c for c in COUNTS if c[0].startswith("stage1")],
    "Stage 2": [c for c in COUNTS if c[0].startswith("stage2")],
    "Escalated": [c for c in COUNTS if c[0] == "escalated"],
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str
    error: str


def form(raw: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """The return form's fields: what was typed (or saved) and each field's error."""

    def one(name: str, label: str | None = None) -> Field:
        return Field(name, label or LABELS[name], raw.get(name, ""), errors.get(name, ""))

    return {
        "stages": [
            {"legend": legend, "fields": [one(name, label) for name, label in fields]}
            for legend, fields in STAGE_FIELDS.items()
        ],
        "sections": [
            {
                "key": key,
                "heading": heading,
                "rating": one(rating_field(key)),
                "comment": one(comment_field(key)),
            }
            for key, heading in SECTIONS
        ],
        "ratings": RATINGS,
        "url": one(URL),
        "date": one(DATE),
        "errors": [(name, errors[name]) for name in LABELS if name in errors],
    }


def answers(raw: dict[str, str]) -> list[tuple[str, str]]:
    """The check-your-answers rows: (question, answer), blank answers said so."""
    rows = [(label, raw.get(name, "") or "Not given") for name, label in COUNTS]
    rows.append((LABELS[URL], raw.get(URL, "") or "Not given"))
    rows.append((LABELS[DATE], raw.get(DATE, "") or "Not given"))
    for key, heading in SECTIONS:
        rating = RATING_LABELS.get(raw.get(rating_field(key), ""), "Not rated")
        note = raw.get(comment_field(key), "")
        rows.append((heading, f"{rating}{': ' + note if note else ''}"))
    return rows


@dataclass(frozen=True)
class CouncilRow:
    name: str
    slug: str
    status: str
    label: str
    updated: dt.datetime | None
    signed_off: dt.datetime | None


def staff_list(period: ReturnPeriod, *, chosen: str) -> dict[str, Any]:
    """Every council of the year with its status, counts per status, the rows ``chosen``
    ('' for all)."""
    review_year = period.review_year
    saved = {r.authority_id: r for r in ComplaintReturn.objects.filter(review_year=review_year)}
    today = timezone.localdate()
    rows = []
    for council in reminders.councils_of(review_year):
        row = saved.get(council.pk)
        signed = timezone.localdate(row.signed_off_at) if row and row.signed_off_at else None
        code = status(
            saved=row.status if row else None,
            signed_off=signed,
            deadline=period.deadline,
            today=today,
        )
        rows.append(
            CouncilRow(
                name=council.short_name,
                slug=council.slug,
                status=code,
                label=STATUS_LABELS[code],
                updated=row.updated_at if row else None,
                signed_off=row.signed_off_at if row else None,
            )
        )
    counts = [
        (code, label, sum(1 for r in rows if r.status == code))
        for code, label in STATUS_LABELS.items()
    ]
    shown = [r for r in rows if r.status == chosen] if chosen in STATUS_LABELS else rows
    return {
        "rows": shown,
        "total": len(rows),
        "counts": counts,
        "chosen": chosen if chosen in STATUS_LABELS else "",
    }
