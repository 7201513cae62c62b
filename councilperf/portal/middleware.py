"""Two-factor sign-in enforced: a signed-in person who must pass a second factor (staff,
council approvers: ``portal.twofactor.required``) and has not yet done so in this session is
sent to set up a device (none confirmed yet) or to type a code, before any staff page, admin
page or portal page. The sign-in and sign-out pages, the two-factor pages themselves and
invitation links stay open. ``COUNCILPERF_TWO_FACTOR = False`` turns the rule off.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from councilperf.portal import twofactor

GUARDED = ("/staff/", "/admin/", "/council/")


def open_paths() -> tuple[str, ...]:
    """Addresses (prefixes) a person may reach before the second factor."""
    return (
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("distribution:sign_out"),
        reverse("portal:sign_in"),
        reverse("portal:sign_out"),
        reverse("portal:two_factor"),  # also covers portal:verify below it
        reverse("portal:invitation", args=["x"])[: -len("x/")],
    )


def guarded(path: str) -> bool:
    return path.startswith(GUARDED) and not path.startswith(open_paths())


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            twofactor.enforced()
            and user.is_authenticated
            and guarded(request.path)
            and not user.is_verified()  # type: ignore[attr-defined]
            and twofactor.required(user)
        ):
            name = "portal:verify" if twofactor.device_of(user) else "portal:two_factor"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(name)}?{query}")
        return self.get_response(request)
