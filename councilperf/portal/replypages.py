"""What the reply pages show, council side and staff side (reads only; the views stay thin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from councilperf.authorities.models import Authority
from councilperf.portal import replies, replytext
from councilperf.portal.models import Reply, ReplyVersion
from councilperf.statistics.models import ReviewYear

Status = ReplyVersion.Status
TAG = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.ACCEPTED: "govuk-tag--green",
    Status.RETURNED: "govuk-tag--red",
}


def _address(name: str, *args: object) -> str:
    """The address of a page another part of the portal provides ("" while it has none)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def history(found: list[ReplyVersion]) -> list[dict[str, Any]]:
    """The versions as the pages list them: each with its tag's class and its paragraphs."""
    return [
        {"version": v, "tag": TAG[Status(v.status)], "paragraphs": replytext.paragraphs(v.text)}
        for v in found
    ]


def _text_of(found: list[ReplyVersion]) -> str:
    """What the form starts from: the draft, else the latest version (a new version's base)."""
    return found[0].text if found else ""


def council_page(
    *,
    authority: Authority,
    review_year: ReviewYear,
    text: str | None = None,
    problems: list[replytext.Problem] | None = None,
) -> dict[str, Any]:
    """The council's reply page: the form (``text`` as typed after an error, else the draft
    or latest version), its word count, and every version so far."""
    found = replies.versions(authority=authority, review_year=review_year)
    shown = _text_of(found) if text is None else text
    latest = found[0] if found else None
    return {
        "authority": authority,
        "review_year": review_year,
        "history": history(found),
        "latest": latest,
        "waiting": next((v for v in found if v.status == Status.SUBMITTED), None),
        "public": next((v for v in found if v.status == Status.ACCEPTED), None),
        "text": shown,
        "words": replytext.words_label(replytext.word_count(replytext.normalise(shown))),
        "max_words": replytext.MAX_WORDS,
        "problems": problems or [],
        "year_address": _address("portal:year", authority.slug, review_year.year),
        "letter_address": _address("portal:letter_pdf", authority.slug, review_year.year),
    }


def submit_page(*, authority: Authority, review_year: ReviewYear) -> dict[str, Any] | None:
    """The check-before-submitting page for the council's draft; None without a draft."""
    found = replies.versions(authority=authority, review_year=review_year)
    if not found or found[0].status != Status.DRAFT:
        return None
    draft = found[0]
    return {
        "authority": authority,
        "review_year": review_year,
        "draft": draft,
        "paragraphs": replytext.paragraphs(draft.text),
        "words": replytext.words_label(replytext.word_count(draft.text)),
        "checked": replies.fingerprint(draft.text),
        "waiting": next((v for v in found if v.status == Status.SUBMITTED), None),
        "problems": replytext.problems(draft.text),
    }


@dataclass(frozen=True)
class Row:
    """One council's reply in the staff list."""

    authority: Authority
    latest: ReplyVersion
    waiting: ReplyVersion | None
    accepted: int


def year_rows(review_year: ReviewYear) -> list[Row]:
    """Every reply of the year with its latest version; those waiting for a decision first."""
    rows = []
    for reply in Reply.objects.filter(review_year=review_year).select_related("authority"):
        found = sorted(reply.versions.all(), key=lambda v: -v.number)
        if not found:
            continue
        rows.append(
            Row(
                authority=reply.authority,
                latest=found[0],
                waiting=next((v for v in found if v.status == Status.SUBMITTED), None),
                accepted=sum(v.status == Status.ACCEPTED for v in found),
            )
        )
    return sorted(rows, key=lambda r: (r.waiting is None, r.authority.short_name))


def decision_page(
    *,
    authority: Authority,
    review_year: ReviewYear,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The publisher's page for one council's reply: the version waiting (its text in
    paragraphs), the versions before it (drafts are the council's own: never shown), the
    form with what was typed and its errors."""
    found = [
        v
        for v in replies.versions(authority=authority, review_year=review_year)
        if v.status != Status.DRAFT
    ]
    waiting = next((v for v in found if v.status == Status.SUBMITTED), None)
    return {
        "authority": authority,
        "review_year": review_year,
        "history": history(found),
        "waiting": waiting,
        "paragraphs": replytext.paragraphs(waiting.text) if waiting else [],
        "words": replytext.words_label(replytext.word_count(waiting.text)) if waiting else "",
        "form": form or {},
        "errors": errors or {},
        "letter_address": _address(
            "letters:preview", review_year.reporting_year, authority.gss_code
        ),
    }


def decision_errors(form: dict[str, str]) -> dict[str, str]:
    """The decision form's errors by field (GOV.UK wording); none if it may go on."""
    errors = {}
    if form.get("decision") not in ("accept", "return"):
        errors["decision"] = "Select whether to accept or return the reply"
    elif form["decision"] == "return" and not form.get("reason", "").strip():
        errors["reason"] = "Enter why the reply is returned"
    if len(form.get("reason", "")) > replies.MAX_REASON:
        errors["reason"] = f"The reason must be {replies.MAX_REASON:,} characters or fewer"
    return errors
