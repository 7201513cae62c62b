"""Councils' replies to their letters, as the public site, the API and the open data read
them: typed plain values out, only for years that are public (``years.current()``).

A reply shows its latest accepted version, dated the day a publisher accepted it, and
marked as the council's own words; earlier accepted versions are kept and shown as its
history. A version never accepted (a draft, one waiting, one returned) is never public.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.portal.models import ReplyVersion
from councilperf.years import ReportingYear

from .years import current

OWN_WORDS = "The council's own words"


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: split at blank lines, each paragraph's lines joined by a
    space, empty ones dropped (the text is escaped where it is written out, never here)."""
    found = (" ".join(part.split()) for part in re.split(r"\n[ \t\r]*\n", text.strip()))
    return [p for p in found if p]


@dataclass(frozen=True)
class ReplyText:
    number: int  # the version's number
    accepted: dt.date
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.text)


@dataclass(frozen=True)
class PublicReply:
    year: ReportingYear
    authority_code: str
    authority_name: str
    authority_slug: str
    current: ReplyText
    earlier: tuple[ReplyText, ...]  # earlier accepted versions, newest first
    synthetic: bool


def _accepted(year_labels: Iterable[str], authority: Authority | None = None) -> list[ReplyVersion]:
    found = ReplyVersion.objects.filter(
        status=ReplyVersion.Status.ACCEPTED,
        decided_at__isnull=False,
        reply__review_year__year__in=list(year_labels),
    ).select_related("reply__authority", "reply__review_year")
    if authority is not None:
        found = found.filter(reply__authority=authority)
    return list(found.order_by("reply__review_year__year", "reply__authority__official_name"))


def _replies(versions: list[ReplyVersion]) -> list[PublicReply]:
    grouped: dict[int, list[ReplyVersion]] = {}
    for v in versions:
        grouped.setdefault(v.reply_id, []).append(v)
    found = []
    for group in grouped.values():
        group.sort(key=lambda v: v.number, reverse=True)
        texts = [
            ReplyText(v.number, timezone.localdate(v.decided_at), v.text)
            for v in group
            if v.decided_at
        ]
        reply = group[0].reply
        found.append(
            PublicReply(
                year=reply.review_year.reporting_year,
                authority_code=reply.authority.gss_code,
                authority_name=reply.authority.official_name,
                authority_slug=reply.authority.slug,
                current=texts[0],
                earlier=tuple(texts[1:]),
                synthetic=any(v.synthetic for v in group),
            )
        )
    return found


def council_replies(authority: Authority) -> list[PublicReply]:
    """The council's accepted replies of every public year, newest year first."""
    found = _replies(_accepted(current().labels, authority))
    return sorted(found, key=lambda r: r.year, reverse=True)


def year_replies(year: ReportingYear) -> list[PublicReply]:
    """Every accepted reply of ``year`` by council name; [] for a year that is not public."""
    if current().get(year) is None:
        return []
    return _replies(_accepted([year.label]))
