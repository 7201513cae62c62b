"""Staff pages about councils' accounts: the councils and their people, inviting, ending a
membership, withdrawing an invitation, passing an abolished council's people to a successor,
and the access log. Any staff role reads; a publisher or administrator changes
(``accounts.may_manage``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from councilperf.authorities.models import Authority
from councilperf.distribution.views import staff
from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent, CouncilRole, Invitation, Membership

View = Callable[..., HttpResponse]
LOG_PER_PAGE = 50
COUNCILS_PER_PAGE = 100


def refused(request: HttpRequest) -> HttpResponse:
    context = {"action": "change councils' accounts"}
    return render(request, "distribution/refused.html", context, status=403)


def manager(view: View) -> View:
    """Changes (POST) need the publisher or administrator role (403 page otherwise)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not accounts.may_manage(request.user):
            return refused(request)
        return view(request, *args, **kwargs)

    return wrapped


def manager_only(view: View) -> View:
    """A page that only leads to a change (its confirmation): the role is needed to see it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not accounts.may_manage(request.user):
            return refused(request)
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@staff(None)
def councils(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = Authority.objects.annotate(
        people=Count("members", filter=Q(members__ended_at__isnull=True), distinct=True)
    ).order_by("short_name")
    if query:
        found = found.filter(Q(short_name__icontains=query) | Q(official_name__icontains=query))
    page = Paginator(found, COUNCILS_PER_PAGE).get_page(request.GET.get("page"))
    page_query = urlencode({"q": query}) if query else ""
    return render(
        request,
        "portal/accounts/councils.html",
        {"page": page, "query": query, "page_query": page_query},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address like name@council.gov.uk",
        },
    )
    role = forms.ChoiceField(
        choices=CouncilRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


def _people(authority: Authority) -> dict[str, Any]:
    now = timezone.now()
    return {
        "authority": authority,
        "members": Membership.objects.filter(authority=authority, ended_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("role", "user__username"),
        "invitations": Invitation.objects.filter(
            authority=authority,
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now,
        ).select_related("created_by"),
        "successors": list(authority.successors.order_by("short_name")),
        "may_manage": False,
        "roles": CouncilRole.choices,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff(None)
@manager
def council_people(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's people and open invitations, and the form to invite someone."""
    authority = get_object_or_404(Authority, slug=slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.invite(
                email=form.cleaned_data["email"],
                authority=authority,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except (accounts.Refused, accounts.NotSent) as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return HttpResponseRedirect(request.path)
    context = _people(authority)
    context.update(form=form, may_manage=accounts.may_manage(request.user))
    return render(request, "portal/accounts/council_people.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff(None)
@manager_only
def end_membership(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Check, then end one person's membership of the council (kept in the history)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user", "authority"),
        pk=pk,
        authority__slug=slug,
        ended_at__isnull=True,
    )
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:200]
        accounts.end(membership=membership, by=request.user, reason=reason)
        messages.success(request, f"{membership.user.username} no longer has access.")
        return HttpResponseRedirect(reverse("portal_staff:council_people", args=[slug]))
    return render(request, "portal/accounts/end_membership.html", {"membership": membership})


@require_POST
@staff(None)
@manager_only
def withdraw_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, authority__slug=slug)
    if accounts.withdraw(invitation=invitation, by=request.user):
        messages.success(request, f"The invitation of {invitation.email} was withdrawn.")
    else:
        messages.error(request, f"The invitation of {invitation.email} was already used.")
    return HttpResponseRedirect(reverse("portal_staff:council_people", args=[slug]))


@require_http_methods(["GET", "HEAD", "POST"])
@staff(None)
@manager_only
def transfer(request: HttpRequest, slug: str) -> HttpResponse:
    """Check, then pass an abolished council's people to the chosen successor."""
    authority = get_object_or_404(Authority, slug=slug)
    context = _people(authority)
    context["error"] = ""
    if request.method == "POST":
        target = Authority.objects.filter(slug=request.POST.get("successor", "")).first()
        if target is None:
            context["error"] = "Choose the successor council"
        else:
            try:
                moved = accounts.transfer(
                    from_authority=authority, to_authority=target, by=request.user
                )
            except accounts.Refused as error:
                context["error"] = str(error)
            else:
                messages.success(request, f"{len(moved)} people passed to {target.short_name}.")
                return HttpResponseRedirect(
                    reverse("portal_staff:council_people", args=[target.slug])
                )
    status = 400 if context["error"] else 200
    return render(request, "portal/accounts/transfer.html", context, status=status)


@require_safe
@staff(None)
def access_log(request: HttpRequest) -> HttpResponse:
    """The log, newest first, filtered by council and kind, fifty to a page."""
    council = request.GET.get("council", "").strip()
    kind = request.GET.get("kind", "")
    events = AccessEvent.objects.select_related("authority", "user")
    if council:
        events = events.filter(
            Q(authority__slug=council) | Q(authority__short_name__iexact=council)
        )
    if kind in AccessEvent.Kind.values:
        events = events.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(events.order_by("-at", "-id"), LOG_PER_PAGE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("council", council), ("kind", kind)) if v}
    return render(
        request,
        "portal/accounts/access_log.html",
        {
            "page": page,
            "council": council,
            "kind": kind,
            "kinds": AccessEvent.Kind.choices,
            "page_query": urlencode(filters),
        },
    )
