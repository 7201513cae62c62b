"""The alert emails: a release of a year, or a correction of a published year with its
reason. Every alert carries one-click unsubscribe (RFC 8058): ``List-Unsubscribe`` with the
subscription's absolute link and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``.
Alerts made from demonstration data say so in the subject and the first line."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from councilperf.alerts.models import Alert, Subscription
from councilperf.statistics import selectors as stats
from councilperf.statistics.figures import AuthorityFigures
from councilperf.years import ReportingYear

DEMO = "Demonstration data — these are synthetic figures, not real ombudsman decisions."


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(row: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[row.unsubscribe_token]))


@dataclass(frozen=True)
class Release:
    """What every alert of one revision of a year says."""

    year: ReportingYear
    revision: int
    replaces: int | None
    reason: str
    synthetic: bool
    changed: frozenset[str]  # councils whose figures the correction changed (GSS codes)


def _same(a: AuthorityFigures, b: AuthorityFigures) -> bool:
    return dataclasses.replace(a, revision=0) == dataclasses.replace(b, revision=0)


def release(year: ReportingYear, revision: int, replaces: int | None) -> Release:
    info = stats.revision_info(year=year, revision=revision)
    after = stats.figures(year=year, revision=revision)[0]
    changed: set[str] = set()
    if replaces is not None:
        before = stats.figures(year=year, revision=replaces)[0]
        changed = {c for c, f in after.items() if c not in before or not _same(f, before[c])}
    return Release(
        year=year,
        revision=revision,
        replaces=replaces,
        reason=info.reason,
        synthetic=info.synthetic,
        changed=frozenset(changed),
    )


class Writer:
    """Composes each alert's message, reading each revision's facts once per run."""

    def __init__(self) -> None:
        self.releases: dict[tuple[str, int, int | None], Release] = {}

    def release_of(self, alert: Alert) -> Release:
        key = (alert.year, alert.revision, alert.replaces)
        if key not in self.releases:
            year = ReportingYear.parse(alert.year)
            self.releases[key] = release(year, alert.revision, alert.replaces)
        return self.releases[key]

    def message(self, alert: Alert) -> bytes:
        return email_for(alert.subscription, self.release_of(alert), alert.message_id)


def subject(row: Subscription, facts: Release) -> str:
    what = (
        f"{row.authority.official_name}'s {facts.year} complaint statistics"
        if row.authority
        else f"the {facts.year} complaint statistics of councils in England"
    )
    text = f"{'Corrected' if facts.replaces else 'Published'}: {what}"
    return f"[Demonstration data] {text}" if facts.synthetic else text


def body(row: Subscription, facts: Release) -> str:
    year = facts.year
    lines = [DEMO, ""] if facts.synthetic else []
    review = absolute(reverse("site:review", kwargs={"year": year}))
    if facts.replaces is None:
        lines += [f"The {year} review of councils' complaint statistics is published.", ""]
    else:
        lines += [
            f"The published {year} figures have been corrected: revision {facts.revision} "
            f"replaces revision {facts.replaces}.",
            f"Why: {facts.reason or 'no reason was recorded'}",
            f"The figures before the correction (revision {facts.replaces}): "
            + absolute(reverse("site:revision", kwargs={"year": year, "number": facts.replaces})),
            "",
        ]
    if row.authority is not None:
        name = row.authority.official_name
        if facts.replaces is not None:
            changed = row.authority.gss_code in facts.changed
            lines.append(
                f"{name}'s figures {'changed' if changed else 'are unchanged'} in this correction."
            )
        page = reverse("site:council_year", kwargs={"slug": row.authority.slug, "year": year})
        lines += [f"{name}'s page for {year}: {absolute(page)}", ""]
    lines += [f"The national review for {year}: {review}", ""]
    lines += [
        "You get this email because you confirmed that you want alerts of "
        + ("every release." if row.authority is None else f"{row.authority.official_name}."),
        f"Stop these alerts (your address is then deleted): {unsubscribe_url(row)}",
    ]
    return "\n".join(lines) + "\n"


def email_for(row: Subscription, facts: Release, message_id: str) -> bytes:
    """The alert as sent: with its Message-ID and the RFC 8058 headers."""
    message = EmailMessage(
        subject=subject(row, facts),
        body=body(row, facts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.email],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe_url(row)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return bytes(message.message().as_bytes())
