"""The reply pages (thin: check access, call :mod:`replies`, render :mod:`replypages`).

Council side (``@council_member()``: officers and approvers alike), open from the letter
date on once the council's letter was sent, else 404 like any address of an embargoed year.
Staff side: any staff role sees the year's list; deciding needs the publisher's
``approve_year`` action (publisher or administrator), with a confirmation first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from councilperf.authorities.models import Authority
from councilperf.distribution import roles
from councilperf.distribution.views import staff
from councilperf.portal import replies, replypages
from councilperf.portal.access import council_member
from councilperf.portal.models import Membership
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

PAGE = "portal/replies/reply.html"
SUBMIT = "portal/replies/submit.html"
LIST = "portal/replies/list.html"
DECISION = "portal/replies/decision.html"
CONFIRM = "portal/replies/confirm.html"


def _open_year(membership: Membership, year: ReportingYear) -> ReviewYear:
    """The year, if the council's reply is open (404 otherwise: nothing says why)."""
    review_year = get_object_or_404(ReviewYear, year=year.label)
    authority = membership.authority
    if not replies.is_open(
        authority=authority, review_year=review_year, today=timezone.localdate()
    ):
        raise Http404("No reply for this year.")
    return review_year


@require_http_methods(["GET", "HEAD", "POST"])
@council_member()
def reply(request: HttpRequest, *, year: ReportingYear, membership: Membership) -> HttpResponse:
    review_year = _open_year(membership, year)
    authority = membership.authority
    if request.method != "POST":
        return render(
            request, PAGE, replypages.council_page(authority=authority, review_year=review_year)
        )
    text = request.POST.get("reply", "")
    try:
        version = replies.save_draft(
            authority=authority, review_year=review_year, user=request.user, text=text
        )
    except replies.TextRefused as refused:
        page = replypages.council_page(
            authority=authority, review_year=review_year, text=text, problems=refused.problems
        )
        return render(request, PAGE, page, status=400)
    except replies.ReplyError as error:
        messages.error(request, str(error))
        return redirect("portal:reply", authority.slug, year)
    if request.POST.get("action") == "submit":
        return redirect("portal:reply_submit", authority.slug, year)
    messages.success(request, f"Your draft is saved (version {version.number}).")
    return redirect("portal:reply", authority.slug, year)


@require_http_methods(["GET", "HEAD", "POST"])
@council_member()
def submit(request: HttpRequest, *, year: ReportingYear, membership: Membership) -> HttpResponse:
    """Check the draft as it will be published, then submit it for a publisher's decision."""
    review_year = _open_year(membership, year)
    authority = membership.authority
    if request.method != "POST":
        page = replypages.submit_page(authority=authority, review_year=review_year)
        if page is None:
            messages.info(request, "There is no draft to submit: write or change your reply.")
            return redirect("portal:reply", authority.slug, year)
        return render(request, SUBMIT, page)
    try:
        version = replies.submit(
            authority=authority,
            review_year=review_year,
            user=request.user,
            number=_number(request.POST.get("number")),
            checked=request.POST.get("checked", ""),
        )
    except replies.ReplyError as error:
        messages.error(request, str(error))
        return redirect("portal:reply", authority.slug, year)
    messages.success(
        request,
        f"Version {version.number} of your reply is submitted. A publisher will accept it "
        "or return it with a reason.",
    )
    return redirect("portal:reply", authority.slug, year)


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 9 else 0


@require_safe
@staff(None)
def staff_list(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    user: Any = request.user  # signed in (``staff``)
    page = {
        "review_year": review_year,
        "rows": replypages.year_rows(review_year),
        "can_decide": roles.allowed(user, replies.DECIDE_ACTION),
    }
    return render(request, LIST, page)


@require_http_methods(["GET", "HEAD", "POST"])
@staff(replies.DECIDE_ACTION)
def decision(request: HttpRequest, year: ReportingYear, slug: str) -> HttpResponse:
    """The waiting version beside the letter; accept or return it (check, then confirm)."""
    review_year = get_object_or_404(ReviewYear, year=year.label)
    authority = get_object_or_404(Authority, slug=slug)
    where: dict[str, Any] = {"authority": authority, "review_year": review_year}
    if request.method != "POST":
        return render(request, DECISION, replypages.decision_page(**where))
    form = {k: request.POST.get(k, "") for k in ("decision", "reason", "number")}
    errors = replypages.decision_errors(form)
    step = request.POST.get("step")  # "check" the answers, "change" them, "confirm"
    if errors or step != "confirm":
        page = replypages.decision_page(**where, form=form, errors=errors)
        if errors:
            return render(request, DECISION, page, status=400)
        return render(request, CONFIRM if step == "check" else DECISION, page)
    return _decide(request, where, form)


def _decide(request: HttpRequest, where: dict[str, Any], form: dict[str, str]) -> HttpResponse:
    authority, review_year = where["authority"], where["review_year"]
    try:
        version = replies.decide(
            **where,
            number=_number(form["number"]),
            user=request.user,
            accept=form["decision"] == "accept",
            reason=form["reason"],
        )
    except replies.ReplyError as error:
        messages.error(request, str(error))
        return redirect("portal_staff:reply_decision", review_year.year, authority.slug)
    done = "accepted" if version.status == replies.Status.ACCEPTED else "returned"
    messages.success(
        request, f"Version {version.number} of {authority.short_name}'s reply is {done}."
    )
    return redirect("portal_staff:replies", review_year.year)
