"""The return's pages (thin: check access, call ``returns``, render ``returnpages``).

Council side (``@council_member``: another council's people and visitors get 404): the form,
the upload, check your answers, the approver's sign-off — only for a year staff opened for
returns (else 404). Sign-off also needs a sign-in verified by a second factor when two-factor
is on (``COUNCILPERF_TWO_FACTOR``, default on).

Staff side (``distribution.views.staff``): the list of councils and statuses and one
council's return, read-only (any staff role); opening the year or moving its deadline
(analyst, publisher or administrator: the ``preview_letters`` roles); reminders and
reopening a submitted return (publisher or administrator: the ``send_letters`` roles —
they write to councils, like the letters).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from councilperf.distribution import roles
from councilperf.distribution.views import staff
from councilperf.portal import reminders, returnfile, returnpages, returns, twofactor
from councilperf.portal.access import council_member
from councilperf.portal.code import SECTIONS
from councilperf.portal.models import ComplaintReturn, Membership, ReturnPeriod
from councilperf.portal.returncheck import FIELDS, BadValue, deadline_of
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

OPEN_ACTION = "preview_letters"  # analyst, publisher, administrator
REMIND_ACTION = "send_letters"  # publisher, administrator


def _may(request: HttpRequest, action: str) -> bool:
    user: Any = request.user
    return roles.allowed(user, action)


def _period(year: ReportingYear) -> ReturnPeriod:
    found = ReturnPeriod.objects.select_related("review_year").filter(review_year__year=year.label)
    period = found.first()
    if period is None:
        raise Http404("This year is not open for returns.")
    return period


def _base(membership: Membership, period: ReturnPeriod) -> dict[str, Any]:
    council = membership.authority
    row = returns.return_of(authority=council, review_year=period.review_year)
    return {
        "council": council,
        "membership": membership,
        "period": period,
        "year": period.review_year.year,
        "row": row,
        "locked": row is not None and row.status == ComplaintReturn.Status.SUBMITTED,
        "late": row is not None and returns.is_late(row, period),
    }


def _back(name: str, membership: Membership, period: ReturnPeriod) -> HttpResponse:
    slug, year = membership.authority.slug, period.review_year.year
    return redirect(reverse(name, kwargs={"slug": slug, "year": year}))


@require_http_methods(["GET", "HEAD", "POST"])
@council_member()
def return_form(request: HttpRequest, year: ReportingYear, membership: Membership) -> HttpResponse:
    period = _period(year)
    context = _base(membership, period)
    raw = returns.typed(context["row"])
    errors: dict[str, str] = {}
    if request.method == "POST" and not context["locked"]:
        raw = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            result = returns.save_draft(
                authority=membership.authority, period=period, user=request.user, raw=raw
            )
        except returns.Locked as refusal:
            messages.error(request, str(refusal))
            return _back("portal:return", membership, period)
        errors = result.errors
        if not errors:
            if "continue" in request.POST:
                return _back("portal:return_check", membership, period)
            messages.success(request, "Your draft is saved.")
            return _back("portal:return", membership, period)
    context.update(returnpages.form(raw, errors))
    return render(request, "portal/returns/form.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@council_member()
def upload(request: HttpRequest, year: ReportingYear, membership: Membership) -> HttpResponse:
    period = _period(year)
    context = {**_base(membership, period), "code_sections": SECTIONS}
    if request.method == "POST" and not context["locked"]:
        found = returnfile.read(request.FILES.get("file"))
        problems = found.errors
        if not problems:
            try:
                result = returns.save_file(
                    authority=membership.authority,
                    period=period,
                    user=request.user,
                    raw=found.values,
                )
            except returns.Locked as refusal:
                problems = [str(refusal)]
            else:
                problems = list(result.errors.values())
        if not problems:
            messages.success(request, "The file’s values are saved in your draft.")
            return _back("portal:return", membership, period)
        context["problems"] = problems
        return render(request, "portal/returns/upload.html", context, status=400)
    return render(request, "portal/returns/upload.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@council_member()
def check(request: HttpRequest, year: ReportingYear, membership: Membership) -> HttpResponse:
    period = _period(year)
    context = _base(membership, period)
    raw = returns.typed(context["row"])
    if request.method == "POST" and not context["locked"]:
        try:
            result = returns.send_for_sign_off(
                authority=membership.authority, period=period, user=request.user
            )
        except returns.Locked as refusal:
            messages.error(request, str(refusal))
            return _back("portal:return", membership, period)
        if result.ok:
            messages.success(request, "Your return is waiting for your approver’s sign-off.")
            return _back("portal:return", membership, period)
    result = returns.checked(raw, period=period, complete=True)
    context.update(answers=returnpages.answers(raw), errors=list(result.errors.items()))
    return render(request, "portal/returns/check.html", context)


def _two_factor_missing(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return twofactor.enforced() and not (callable(verified) and verified())


def _verify_url(request: HttpRequest) -> str:
    return f"{reverse('portal:verify')}?next={request.path}"


@require_http_methods(["GET", "HEAD", "POST"])
@council_member(approver=True)
def sign_off(request: HttpRequest, year: ReportingYear, membership: Membership) -> HttpResponse:
    period = _period(year)
    context = _base(membership, period)
    if _two_factor_missing(request):
        context["verify_url"] = _verify_url(request)
        return render(request, "portal/returns/verify_first.html", context, status=403)
    if request.method == "POST" and not context["locked"]:
        if request.POST.get("confirm") != "yes":
            context["confirm_error"] = "Confirm that the return is correct to sign it off"
        else:
            try:
                returns.sign_off(authority=membership.authority, period=period, user=request.user)
            except returns.Locked as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, "You signed off the return: it is submitted.")
            return _back("portal:return", membership, period)
    context["answers"] = returnpages.answers(returns.typed(context["row"]))
    status = 400 if "confirm_error" in context else 200
    return render(request, "portal/returns/sign_off.html", context, status=status)


# Staff ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@staff(None)
def staff_returns(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    period = returns.period_of(review_year)
    context: dict[str, Any] = {"review_year": review_year, "period": period, "year": year}
    if request.method == "POST":
        if not _may(request, OPEN_ACTION):
            return render(request, "distribution/refused.html", {"action": OPEN_ACTION}, status=403)
        typed = request.POST.get("deadline", "")
        try:
            deadline = deadline_of(typed, start=ReportingYear.parse(review_year.year).start)
        except BadValue as error:
            context["deadline_error"] = f"The deadline {error}"
        else:
            returns.open_period(review_year=review_year, deadline=deadline, user=request.user)
            messages.success(request, f"Returns for {year} are open until {deadline:%-d %B %Y}.")
            return redirect("portal_staff:returns", year=year)
        context["deadline_typed"] = typed
    if period is not None:
        context.update(returnpages.staff_list(period, chosen=request.GET.get("status", "")))
        context["rounds"] = reminders.rounds(review_year)
    context["may_open"] = _may(request, OPEN_ACTION)
    context["may_remind"] = _may(request, REMIND_ACTION)
    status = 400 if "deadline_error" in context else 200
    return render(request, "portal/returns/staff_list.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff(REMIND_ACTION)
def remind(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    if returns.period_of(review_year) is None:
        raise Http404("This year is not open for returns.")
    if request.method == "POST":
        try:
            after = int(request.POST.get("after", ""))
        except ValueError:
            after = -1  # not from the confirmation page: make nothing
        try:
            made = reminders.create_round(review_year=review_year, user=request.user, after=after)
        except reminders.NoRound as refusal:
            messages.error(request, str(refusal))
            return redirect("portal_staff:returns", year=year)
        sent = reminders.send_round(review_year=review_year)
        text = f"Reminder round {made.number}: {sent}."
        (messages.success if not sent.problems else messages.warning)(
            request, "\n".join([text, *sent.problems])
        )
        return redirect("portal_staff:returns", year=year)
    waiting = [(a, reminders.recipients(a)) for a in reminders.not_submitted(review_year)]
    context = {
        "year": year,
        "review_year": review_year,
        "waiting": waiting,
        "people": sum(len(r) for _, r in waiting),
        "unreachable": [a for a, r in waiting if not r],
        "after": reminders.last_round(review_year),
    }
    return render(request, "portal/returns/remind.html", context)


@require_safe
@staff(None)
def staff_return(request: HttpRequest, year: ReportingYear, slug: str) -> HttpResponse:
    """One council's return as it stands, read-only (any staff role)."""
    row = get_object_or_404(
        ComplaintReturn.objects.select_related("authority", "signed_off_by", "prepared_by"),
        review_year__year=year.label,
        authority__slug=slug,
    )
    context = {
        "year": year,
        "row": row,
        "answers": returnpages.answers(returns.typed(row)),
        "may_remind": _may(request, REMIND_ACTION),
    }
    return render(request, "portal/returns/staff_return.html", context)


@require_POST
@staff(REMIND_ACTION)
def reopen(request: HttpRequest, year: ReportingYear, slug: str) -> HttpResponse:
    row = get_object_or_404(ComplaintReturn, review_year__year=year.label, authority__slug=slug)
    try:
        returns.reopen(authority=row.authority, review_year=row.review_year)
    except returns.Locked as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{row.authority.short_name}’s return is back to draft.")
    return redirect("portal_staff:returns", year=year)
