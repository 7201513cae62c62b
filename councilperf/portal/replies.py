"""The councils' right of reply: write, submit, decide; and the versions the public sees.

- A council may reply from its letter date on (``ReviewYear.letter_date``), and only once its
  letter for the year was sent (a ``distribution.SentLetter``): :func:`is_open`.
- Officers and approvers alike write and submit (a reply is the council's answer to the
  ombudsman, not a figure it certifies; the approver's sign-off is for returns).
- A draft is edited in place; submitting freezes it. A later edit starts a **new version**
  (number + 1); earlier versions are kept. One submitted version waits at a time.
- A publisher (or administrator: the ``approve_year`` action of ``distribution.roles``)
  accepts or returns a submitted version, returning it with a reason. The decision is a
  conditional UPDATE on the status, so a version is decided once, whoever clicks first.
- :func:`public_versions` gives the accepted versions, newest first (the first is the
  public reply, the rest its history). It does **not** apply the embargo: the caller in
  ``published/`` shows them only for a published year (the one published-year rule).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.distribution import roles
from councilperf.distribution.models import SentLetter
from councilperf.portal import replytext
from councilperf.portal.models import Membership, Reply, ReplyVersion
from councilperf.statistics.models import ReviewYear

Status = ReplyVersion.Status
DECIDE_ACTION = "approve_year"  # publisher or administrator (see the module's docstring)
MAX_REASON = 2000


class ReplyError(Exception):
    """The reply cannot be changed as asked (message for the user)."""


class TextRefused(ReplyError):
    """The text breaks a rule of :mod:`replytext`; ``problems`` says which."""

    def __init__(self, problems: list[replytext.Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def is_open(*, authority: Authority, review_year: ReviewYear, today: dt.date) -> bool:
    """Whether the council may see and write its reply for the year on ``today``."""
    return (
        review_year.letter_date is not None
        and review_year.letter_date <= today
        and SentLetter.objects.filter(authority=authority, review_year=review_year).exists()
    )


def versions(*, authority: Authority, review_year: ReviewYear) -> list[ReplyVersion]:
    """Every version of the council's reply for the year, newest first."""
    return list(
        ReplyVersion.objects.filter(reply__authority=authority, reply__review_year=review_year)
        .select_related("written_by", "submitted_by", "decided_by")
        .order_by("-number")
    )


def summary(*, authority: Authority, review_year: ReviewYear) -> str:
    """The reply's state in a few words, for the council's year page ("Not started",
    "Version 2: waiting for a publisher", …)."""
    latest = (
        ReplyVersion.objects.filter(reply__authority=authority, reply__review_year=review_year)
        .order_by("-number")
        .first()
    )
    if latest is None:
        return "Not started"
    return f"Version {latest.number}: {latest.get_status_display().lower()}"


def public_versions(*, authority: Authority, review_year: ReviewYear) -> list[ReplyVersion]:
    """The accepted versions, newest first: the first is the public reply, the others its
    earlier versions. The caller shows them only for a published year."""
    return list(
        ReplyVersion.objects.filter(
            reply__authority=authority, reply__review_year=review_year, status=Status.ACCEPTED
        ).order_by("-number")
    )


def fingerprint(text: str) -> str:
    """What a confirmation page pins: the exact text the person checked."""
    return hashlib.sha256(text.encode()).hexdigest()


def _require_member(user: Any, authority: Authority) -> None:
    live = Membership.objects.filter(user=user, authority=authority, ended_at__isnull=True)
    if not getattr(user, "is_authenticated", False) or not live.exists():
        raise ReplyError("You are not a member of this council's portal.")


def _require_open(authority: Authority, review_year: ReviewYear, now: dt.datetime) -> None:
    if not is_open(authority=authority, review_year=review_year, today=timezone.localdate(now)):
        raise ReplyError(f"The reply for {review_year.year} is not open.")


def save_draft(
    *,
    authority: Authority,
    review_year: ReviewYear,
    user: Any,
    text: str,
    now: dt.datetime | None = None,
) -> ReplyVersion:
    """Keep ``text`` as the council's draft: the current draft changed in place, or (if the
    latest version was submitted) a new version numbered one more. Raises
    :class:`TextRefused` for an empty or too long text and saves nothing then."""
    now = now or timezone.now()
    text = replytext.normalise(text)
    found = replytext.problems(text)
    if found:
        raise TextRefused(found)
    _require_member(user, authority)
    _require_open(authority, review_year, now)
    with transaction.atomic():
        reply, _ = Reply.objects.get_or_create(authority=authority, review_year=review_year)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        latest = reply.versions.order_by("-number").first()
        if latest is not None and latest.status == Status.DRAFT:
            latest.text, latest.written_by, latest.written_at = text, user, now
            latest.save(update_fields=["text", "written_by", "written_at"])
            return latest
        if latest is not None and latest.text == text:
            raise ReplyError(
                f"Your reply is the same as version {latest.number}: change it to make a new "
                "version."
            )
        sent = SentLetter.objects.filter(authority=authority, review_year=review_year)
        return ReplyVersion.objects.create(
            reply=reply,
            number=1 if latest is None else latest.number + 1,
            text=text,
            synthetic=sent.filter(synthetic=True).exists(),
            written_by=user,
            written_at=now,
        )


def submit(
    *,
    authority: Authority,
    review_year: ReviewYear,
    user: Any,
    number: int,
    checked: str,
    now: dt.datetime | None = None,
) -> ReplyVersion:
    """Submit draft version ``number`` for a publisher's decision, if its text is still the
    one the person checked (``checked``: its :func:`fingerprint`) and no other version is
    waiting for a decision."""
    now = now or timezone.now()
    _require_member(user, authority)
    _require_open(authority, review_year, now)
    mine = ReplyVersion.objects.filter(reply__authority=authority, reply__review_year=review_year)
    with transaction.atomic():
        version = mine.select_for_update().filter(number=number).first()
        if version is None or version.status != Status.DRAFT:
            raise ReplyError(f"Version {number} is not a draft: it cannot be submitted.")
        if fingerprint(version.text) != checked:
            raise ReplyError("The draft changed after you checked it: check it again.")
        found = replytext.problems(version.text)
        if found:
            raise TextRefused(found)
        waiting = mine.filter(status=Status.SUBMITTED).first()
        if waiting is not None:
            raise ReplyError(
                f"Version {waiting.number} is still waiting for a publisher's decision: "
                "you can submit another version once it is decided."
            )
        if not mine.filter(pk=version.pk, status=Status.DRAFT).update(
            status=Status.SUBMITTED, submitted_at=now, submitted_by=user
        ):
            raise ReplyError(f"Version {number} was submitted already.")
    version.refresh_from_db()
    return version


def decide(
    *,
    authority: Authority,
    review_year: ReviewYear,
    number: int,
    user: Any,
    accept: bool,
    reason: str,
    now: dt.datetime | None = None,
) -> ReplyVersion:
    """Accept or return submitted version ``number`` (a reason is required to return it;
    optional on acceptance), recording who decided and when. Only a version still waiting is
    decided: the UPDATE is conditional on its status, so a second decision is refused."""
    roles.require(user, DECIDE_ACTION)
    now = now or timezone.now()
    reason = reason.strip()
    if not accept and not reason:
        raise ReplyError("Enter why the reply is returned")
    if len(reason) > MAX_REASON:
        raise ReplyError(f"The reason must be {MAX_REASON:,} characters or fewer")
    mine = ReplyVersion.objects.filter(reply__authority=authority, reply__review_year=review_year)
    updated = mine.filter(number=number, status=Status.SUBMITTED).update(
        status=Status.ACCEPTED if accept else Status.RETURNED,
        decided_by=user,
        decided_at=now,
        reason=reason,
    )
    version = mine.select_related("decided_by").filter(number=number).first()
    if version is None:
        raise ReplyError(f"There is no version {number} of this reply.")
    if not updated:
        if version.status == Status.DRAFT:
            raise ReplyError(f"Version {number} is a draft: only a submitted version is decided.")
        who = version.decided_by.get_username() if version.decided_by else "someone"
        raise ReplyError(
            f"Version {number} was already {version.get_status_display().lower()} by {who}."
        )
    # The UPDATE above sends no signal: say the row changed, as a save would, so what reads
    # saved rows (the page cache's generation) sees an accepted reply on the next request.
    post_save.send(sender=ReplyVersion, instance=version, created=False, update_fields=None)
    return version
