"""Who may see which council in the portal: the one check every portal page makes.

A person sees a council only through a live :class:`~councilperf.portal.models.Membership`;
for anyone else (another council's people, staff without a membership, visitors) the
council's portal addresses do not exist: 404, never 403, so nothing says the council has an
account. Sign-off needs the approver role and a sign-in verified by a second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from councilperf.authorities.models import Authority
from councilperf.portal.models import CouncilRole, Membership

View = Callable[..., HttpResponse]


def memberships_of(user: Any) -> list[Membership]:
    """The person's live memberships, councils in name order (none for anyone signed out)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, ended_at__isnull=True)
        .select_related("authority")
        .order_by("authority__short_name")
    )


def membership_or_404(user: Any, slug: str, *, approver: bool = False) -> Membership:
    """The person's live membership of the council at ``slug``; 404 if there is none (or,
    with ``approver``, if the membership is not the approver's)."""
    found = next((m for m in memberships_of(user) if m.authority.slug == slug), None)
    if found is None or (approver and found.role != CouncilRole.APPROVER):
        raise Http404("No such council in your portal.")
    return found


def council_member(*, approver: bool = False) -> Callable[[View], View]:
    """Decorate a portal view taking ``slug``: signed-out visitors go to the sign-in page,
    anyone without a live membership of that council gets 404; the view receives the
    membership as ``membership`` (its council is ``membership.authority``)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "portal:sign_in")
            membership = membership_or_404(request.user, slug, approver=approver)
            return view(request, *args, membership=membership, **kwargs)

        return wrapped

    return decorate


def council_of(membership: Membership) -> Authority:
    return membership.authority
